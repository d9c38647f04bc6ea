"""The frozen bundle as IT installs it: built by installer/build.sh, then run with no Python around it.

Marked `installer` (a PyInstaller build takes a minute or two): `scripts/test.sh -m installer`. Set VANTHU_BUNDLE
to an already built dist/vanthu folder to test that one instead of building.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

import app
from app.core.dates import today
from app.db.migrate import HEAD_REVISION
from tests.printing.pdf_read import page_sizes_mm, page_texts
from tests.services.test_backup import older_register

pytestmark = pytest.mark.installer

ROOT = Path(__file__).resolve().parents[2]
DAY = today().strftime("%d/%m/%Y")


@pytest.fixture(scope="module")
def bundle() -> Path:
    given = os.environ.get("VANTHU_BUNDLE")
    if given:
        return Path(given).resolve()
    done = subprocess.run(["bash", str(ROOT / "installer" / "build.sh"), "--no-archive"], cwd=ROOT,
                          capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-5000:]
    return ROOT / "dist" / "vanthu"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A user with nothing set up: empty home and data folders, in a folder with Vietnamese letters."""
    folder = tmp_path / "Người dùng"
    folder.mkdir()
    return folder


def run(bundle: Path, home: Path, *args: str, extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The frozen `vanthu` with a bare environment: no PYTHONPATH, no virtual environment, no source tree."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
           "QT_QPA_PLATFORM": "offscreen", **(extra or {})}
    return subprocess.run([str(bundle / "vanthu"), *args], cwd=home, env=env, capture_output=True, text=True,
                          timeout=120)


def ok(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 0, f"exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_version_comes_from_the_one_source(bundle: Path, home: Path) -> None:
    assert ok(run(bundle, home, "--version")).strip() == f"{app.APP_NAME} {app.__version__}"


def test_cli_round_trip_on_a_fresh_register(bundle: Path, home: Path) -> None:
    (home / "Sổ thử").mkdir()
    db = str(home / "Sổ thử" / "sổ.sqlite3")
    assert f"lược đồ {HEAD_REVISION}" in ok(run(bundle, home, "--db", db, "init"))
    ok(run(bundle, home, "--db", db, "settings", "set", "agency.name", "SỞ Y TẾ TỈNH TÂY NINH"))
    added = ok(run(bundle, home, "--db", db, "incoming", "add", "--issuer", "Ủy ban nhân dân tỉnh Tây Ninh",
                   "--reference", "5068/UBND-TH", "--issued-on", DAY, "--type", "Công văn",
                   "--subject", "Triển khai Thông báo số 1737-TB/VPTU"))
    assert "Số đến 1" in added
    stamp = home / "dấu đến.pdf"
    ok(run(bundle, home, "--db", db, "print", "stamp", "1", "-o", str(stamp)))
    assert page_sizes_mm(stamp) == [(50.0, 35.0)]
    text = page_texts(stamp)[0]
    assert "SỞ Y TẾ TỈNH TÂY NINH" in text and "ĐẾN" in text and DAY in text  # Vietnamese glyphs: fonts found
    listed = ok(run(bundle, home, "--db", db, "search", "trien khai"))
    assert "5068/UBND-TH" in listed  # FTS5 and the đ/diacritic folding work in the bundled SQLite
    sheet = home / "sổ đến.xlsx"
    ok(run(bundle, home, "--db", db, "export", "--book", "incoming", "--xlsx", str(sheet)))
    from openpyxl import load_workbook

    rows = [[c for c in row if c is not None] for row in load_workbook(sheet, read_only=True).active.values]
    assert any("5068/UBND-TH" in row for row in rows)


def test_data_lives_in_the_users_data_folder_never_in_the_bundle(bundle: Path, home: Path) -> None:
    out = ok(run(bundle, home, "init"))
    database = home / "data" / "SoVanThu" / "sovanthu.sqlite3"
    assert str(database) in out and database.is_file()
    assert not list(bundle.rglob("*.sqlite3"))


def test_the_main_window_opens_offscreen(bundle: Path, home: Path) -> None:
    db = str(home / "r.sqlite3")
    ok(run(bundle, home, "--db", db, "demo-data", "--count", "30"))
    picture = home / "cửa sổ.png"
    assert "1366×768" in ok(run(bundle, home, "--db", db, "gui", "--screenshot", str(picture)))
    image = QImage(str(picture))
    assert (image.width(), image.height()) == (1366, 768)
    colours = {image.pixel(x, y) for x in range(0, 1366, 17) for y in range(0, 768, 13)}
    assert len(colours) > 20  # a drawn window with rows and text, not a blank surface
    reports = home / "báo cáo.png"  # matplotlib's Qt canvas, loaded from the bundle on first use
    ok(run(bundle, home, "--db", db, "gui", "--screenshot", str(reports), "--dialog", "reports"))
    assert QImage(str(reports)).width() == 1366


def test_an_older_register_is_backed_up_then_migrated_by_the_bundle(bundle: Path, home: Path) -> None:
    """Alembic reads the migration files out of the bundle, and the backup comes first."""
    db = home / "cũ.sqlite3"
    older_register(db, "0003")
    done = run(bundle, home, "--db", str(db), "incoming", "list", "--year", "2024")
    ok(done)
    assert "truoc-nang-cap-0003-" in done.stderr
    backups = list((home / "backups").glob("truoc-nang-cap-0003-*.vanthu"))
    assert len(backups) == 1
    assert "7/SYT-VP" in done.stdout  # the entry made before the upgrade, read through the new schema
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD_REVISION


def test_postgresql_driver_is_in_the_bundle(bundle: Path, home: Path) -> None:
    """A server URL reaches the connection (refused here), not a missing-module error."""
    done = run(bundle, home, "--db", "postgresql+psycopg://van_thu@127.0.0.1:9/sovanthu", "init")
    assert done.returncode == 2
    assert "Không mở được cơ sở dữ liệu" in done.stderr and "No module named" not in done.stderr


def test_resources_sit_where_the_app_looks_for_them(bundle: Path) -> None:
    internal = bundle / "_internal"
    assert (internal / "resources" / "fonts" / "LiberationSerif-Regular.ttf").is_file()
    assert {p.name for p in (internal / "resources" / "icons").iterdir()} >= {"vanthu-16.png", "vanthu-256.png"}
    versions = Path(app.__file__).parent / "db" / "migrations" / "versions"
    shipped = {p.name for p in (internal / "app" / "db" / "migrations" / "versions").glob("*.py")}
    assert {p.name for p in versions.glob("0*.py")} <= shipped  # every migration, the newest included
    assert not list(internal.rglob("*.qm"))  # Qt's translations: none is Vietnamese, none shipped
