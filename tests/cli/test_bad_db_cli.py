"""--db pointing at something that is not a register: a clear message naming the file and the reason, exit 2 (a
message box in the window), and the file exactly as it was — never migrated into, never switched to WAL."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from app.core.errors import VanThuError
from app.services import Registry
from tests.conftest import run_cli

PAGE = 4096


def fingerprint(path: Path) -> tuple[str, int, list[str]]:
    """Content hash, modification time (ns) and the files beside it (no -wal / -shm left behind)."""
    return (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns,
            sorted(p.name for p in path.parent.iterdir()))


@pytest.fixture(scope="module")
def real_register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real register with a few hundred entries, closed (a single file, no WAL beside it)."""
    path = tmp_path_factory.mktemp("real") / "register.sqlite3"
    registry = Registry(str(path), actor="van_thu_test")
    registry.demo.fill(300, year=2025, routed=False)
    registry.close()
    return path


def _text(path: Path, _real: Path) -> None:
    path.write_text("Danh sách công văn đến tháng 10\nSố 1: …\n", encoding="utf-8")


def _pdf(path: Path, _real: Path) -> None:
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")


def _docx(path: Path, _real: Path) -> None:
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)


def _foreign(path: Path, _real: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO contacts (name) VALUES ('Nguyễn Văn A')")
    conn.close()


def _foreign_alembic(path: Path, _real: Path) -> None:
    """Another program that also uses Alembic: alembic_version, but none of the register's tables."""
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
        conn.execute("INSERT INTO alembic_version VALUES ('ae1027a6acf')")
        conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY)")
    conn.close()


def _truncated(path: Path, real: Path) -> None:
    data = real.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _damaged(path: Path, real: Path) -> None:
    """Overwrite pages in the middle of a copy of a real register (a bad sector, a half-synced USB stick)."""
    data = bytearray(real.read_bytes())
    pages = len(data) // PAGE
    for page in range(pages // 4, 3 * pages // 4):
        data[page * PAGE:(page + 1) * PAGE] = bytes([0x5A]) * PAGE
    path.write_bytes(bytes(data))


def _damaged_header(path: Path, real: Path) -> None:
    """The first page (the schema) overwritten after the 100-byte header."""
    data = bytearray(real.read_bytes())
    data[100:PAGE] = b"\xff" * (PAGE - 100)
    path.write_bytes(bytes(data))


BAD_FILES: dict[str, tuple[Callable[[Path, Path], None], str]] = {
    "text": (_text, "tệp văn bản"),
    "pdf": (_pdf, "tệp PDF"),
    "docx": (_docx, "tệp nén"),
    "foreign_sqlite": (_foreign, "chương trình khác (có các bảng: contacts)"),
    "foreign_alembic": (_foreign_alembic, "chương trình khác"),
    "truncated": (_truncated, "bị cắt cụt"),
    "damaged_header": (_damaged_header, "bị hỏng"),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_a_file_that_is_not_a_register_is_refused_and_left_alone(kind: str, tmp_path: Path,
                                                                 real_register: Path) -> None:
    make, reason = BAD_FILES[kind]
    path = tmp_path / f"so_van_thu_{kind}.sqlite3"
    make(path, real_register)
    os.utime(path, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    before = fingerprint(path)
    for command in (["incoming", "list"], ["incoming", "add", "--issuer", "SỞ Y TẾ", "--reference", "1/SYT-VP",
                                           "--issued-on", "01/10/2025", "--type", "Công văn", "--subject", "Thử"]):
        result = run_cli(*command, db=path)
        assert result.returncode == 2, (kind, result.stdout, result.stderr)
        assert "Không mở được cơ sở dữ liệu" in result.stderr and str(path) in result.stderr, result.stderr
        assert reason in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
        assert fingerprint(path) == before, kind


def test_a_register_damaged_in_the_middle_is_reported_not_crashed(tmp_path: Path, real_register: Path) -> None:
    """The table list still reads, so the file opens; the first read of a damaged page says the file is damaged
    (exit 2, not a traceback), and the file is not written (no migration, no statistics, no checkpoint)."""
    path = tmp_path / "damaged.sqlite3"
    _damaged(path, real_register)
    before = fingerprint(path)
    for command in (["incoming", "list", "--year", "2025"], ["search", "cong van"]):
        result = run_cli(*command, db=path)
        assert result.returncode == 2, (command, result.stdout, result.stderr)
        assert "bị hỏng" in result.stderr and "khôi phục từ bản sao lưu" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    assert fingerprint(path) == before


def test_a_folder_or_a_missing_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "so"
    folder.mkdir()
    result = run_cli("incoming", "list", db=folder)
    assert result.returncode == 2 and "là một thư mục" in result.stderr and str(folder) in result.stderr
    assert list(folder.iterdir()) == []
    typo = tmp_path / "VanThuu" / "so.sqlite3"
    result = run_cli("incoming", "list", db=typo)
    assert result.returncode == 2 and "không tồn tại" in result.stderr and str(typo) in result.stderr
    assert not typo.parent.exists()
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = run_cli("incoming", "list", db=blocker / "so.sqlite3")
    assert result.returncode == 2 and "không phải thư mục" in result.stderr


def test_a_new_path_or_a_zero_byte_file_becomes_a_fresh_register(tmp_path: Path) -> None:
    """SQLite treats an empty file as an empty database and a zero-byte file holds nothing to lose: both become a
    new register, as a new path does."""
    empty = tmp_path / "moi.sqlite3"
    empty.touch()
    new = tmp_path / "chua_co.sqlite3"
    for path in (empty, new):
        result = run_cli("incoming", "add", "--issuer", "SỞ Y TẾ", "--reference", "1/SYT-VP", "--issued-on",
                         "01/10/2025", "--received-on", "02/10/2025", "--type", "Công văn", "--subject", "Thử",
                         db=path)
        assert result.returncode == 0, result.stderr
        assert run_cli("incoming", "list", "--year", "2025", db=path).stdout.count("1/SYT-VP") == 1


def test_an_empty_sqlite_database_becomes_a_register(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite3"
    sqlite3.connect(path).execute("PRAGMA user_version = 0").close()  # a valid database without tables
    registry = Registry(str(path))
    registry.close()
    assert "documents" in {r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master")}


def test_the_window_shows_the_reason_in_a_message_box(tmp_path: Path, real_register: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from app.ui import launcher

    shown: list[str] = []
    monkeypatch.setattr(launcher.QMessageBox, "critical", lambda _parent, _title, text: shown.append(text))
    for kind in ("pdf", "foreign_sqlite", "truncated"):
        path = tmp_path / f"{kind}.sqlite3"
        BAD_FILES[kind][0](path, real_register)
        before = fingerprint(path)
        assert launcher._open(str(path)) is None
        assert str(path) in shown[-1] and BAD_FILES[kind][1] in shown[-1]
        assert fingerprint(path) == before
    assert len(shown) == 3


def test_undecodable_command_line_bytes_are_refused_not_crashed(tmp_path: Path) -> None:
    """A byte that is not UTF-8 on the command line reaches Python as a lone surrogate: refused on its field with a
    message the console can print (it used to be echoed back and crash the output, or reach the driver)."""
    db = tmp_path / "so.sqlite3"
    bad = os.fsdecode(b"C\xf4ng v\xe3n")  # Windows-1258 bytes of "Công văn" in a UTF-8 terminal
    result = run_cli("incoming", "add", "--issuer", "SỞ Y TẾ", "--reference", "1/SYT-VP", "--issued-on",
                     "01/10/2025", "--received-on", "02/10/2025", "--type", "Công văn", "--subject", bad,
                     "--urgency", bad, db=db)
    assert result.returncode == 2, result.stderr
    assert "Trích yếu: có ký tự lỗi" in result.stderr and "Độ khẩn: 'C\ufffdng v\ufffdn' không hợp lệ" in result.stderr
    assert "Traceback" not in result.stderr
    assert "(Không có văn bản nào.)" in run_cli("incoming", "list", "--year", "2025", db=db).stdout


def test_registry_refuses_in_process_too(tmp_path: Path) -> None:
    path = tmp_path / "contacts.db"
    _foreign(path, path)
    copy = tmp_path / "copy.db"
    shutil.copy(path, copy)
    with pytest.raises(VanThuError, match="chương trình khác"):
        Registry(str(path))
    assert path.read_bytes() == copy.read_bytes()
