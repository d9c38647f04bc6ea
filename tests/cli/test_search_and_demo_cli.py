"""`search`, `demo-data` and `gui --screenshot`, run as a user runs them."""

from __future__ import annotations

import json
import struct
from pathlib import Path

from app.core.dates import today
from tests.conftest import run_cli


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_demo_data_then_search_without_marks(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite3"
    year = today().year
    done = run_cli("demo-data", "--count", "300", "--year", str(year), db=db)
    assert done.returncode == 0, done.stderr
    assert "Đã tạo 240 văn bản đến, 60 văn bản đi" in done.stdout
    added = run_cli("incoming", "add", "--issuer", "Đảng ủy Khối cơ quan", "--reference", "77-TB/ĐUK",
                    "--issued-on", today().strftime("%d/%m/%Y"), "--type", "Thông báo",
                    "--subject", "Thông báo về việc đôn đốc nộp đảng phí", db=db)
    assert added.returncode == 0, added.stderr
    found = run_cli("search", "don doc nop dang phi", "--json", db=db)
    assert found.returncode == 0, found.stderr
    rows = json.loads(found.stdout)
    assert [(r["number"], r["year"], r["reference"], r["issuer"]) for r in rows] == [
        (241, year, "77-TB/ĐUK", "Đảng ủy Khối cơ quan")]
    assert rows[0]["subject"] == "Thông báo về việc đôn đốc nộp đảng phí"
    many = json.loads(run_cli("search", "nam", "--book", "outgoing", "--limit", "7", "--json", db=db).stdout)
    assert len(many) == 7 and {r["book"] for r in many} == {"outgoing"}
    dates = [r["registered_on"] for r in many]
    assert dates == sorted(dates, reverse=True)  # newest first
    text = run_cli("search", "khong co tu nay xyz", db=db)
    assert text.returncode == 0 and "0 văn bản" in text.stderr
    future = run_cli("demo-data", "--count", "5", "--year", str(year + 1), db=db)
    assert future.returncode == 2 and "Năm" in future.stderr
    mixed = run_cli("demo-data", "--count", "5", db=db)
    assert mixed.returncode == 2 and "Dữ liệu mẫu" in mixed.stderr and "đã có 301 văn bản" in mixed.stderr


def test_gui_screenshot_writes_a_1366x768_png(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite3"
    assert run_cli("demo-data", "--count", "200", "--year", str(today().year), db=db).returncode == 0
    shot = tmp_path / "shots" / "main.png"
    done = run_cli("gui", "--screenshot", str(shot), "--select", "3", db=db, env={"QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    assert _png_size(shot) == (1366, 768)
    from PySide6.QtGui import QImage

    image = QImage(str(shot))  # the whole screen: the title bar on top, the window under it down to its status bar
    assert image.pixelColor(5, 5).name() == "#2f4f7f" and image.pixelColor(5, 40).name() != "#2f4f7f"
    dialog = tmp_path / "dialog.png"
    done = run_cli("gui", "--screenshot", str(dialog), "--dialog", "incoming", db=db,
                   env={"QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    assert _png_size(dialog) == (1366, 768) and dialog.read_bytes() != shot.read_bytes()
