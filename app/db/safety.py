"""Bad databases and bad disks: look at a --db file before opening it, and say in plain words why a write failed.

`check_database_file` runs before the app's engine ever touches a SQLite file (the engine switches the file to
WAL, which rewrites its header, and an upgrade creates tables). It reads the file only — its first bytes, then
its table names through a read-only connection — and refuses, naming the file and the reason:

- a folder, or a path in a folder that does not exist (a mistyped --db must not silently start a new register);
- a file that is not a SQLite database (a text file, a PDF, a Word file…);
- a SQLite file shorter than its header says (truncated by a crash or an interrupted copy) once the committed
  pages still in its -wal file are counted (app.db.wal: a checkpoint stopped by a full disk leaves the main file
  short and the register whole), or whose table list cannot be read (damaged first pages);
- a SQLite database of another program: tables, but not the register's (no alembic_version, or one that is not
  ours). Such a file is never migrated into.

A new path, and a zero-byte file, still become a fresh register: SQLite treats an empty file as an empty
database, and a zero-byte file holds nothing that could be lost (a new file made with "New › Empty file").

A refusal that advises a restore first says to copy the file aside and that a backup lacks every entry
registered after it was made.

`storage_error` turns the driver's errors about the disk and the file (full, read-only, locked, damaged) into a
VanThuError that says what to do; every write runs in one transaction, so such a failure leaves nothing behind.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from app.core.errors import VanThuError
from app.db.damage_report import restore_losses
from app.db.read_only import ReadOnly
from app.db.read_only import connect as read_only_connect
from app.db.wal import read_commits

SQLITE_MAGIC = b"SQLite format 3\x00"
# Tables every register has had since the first revision: a database with alembic_version but none of these was
# made by another program that also uses Alembic.
OUR_TABLES = frozenset({"documents", "register_books", "organizations"})
_KINDS = (  # first bytes of files people pick by mistake, to say what the file is
    (b"%PDF-", "một tệp PDF"), (b"PK\x03\x04", "một tệp nén (ZIP, Word .docx, Excel .xlsx)"),
    (b"\xd0\xcf\x11\xe0", "một tệp Office cũ (.doc, .xls)"), (b"\x89PNG", "một ảnh PNG"),
    (b"\xff\xd8\xff", "một ảnh JPEG"),
)
# Said wherever a restore is advised: a backup holds only what was registered before it was made.
KEEP_AND_RESTORE = ("Trước khi làm gì khác, hãy chép tệp này (cùng các tệp -wal, -shm bên cạnh nếu có) sang chỗ "
                    "khác để giữ lại. Chỉ khôi phục từ bản sao lưu khi không còn cách nào khác: mọi văn bản đăng ký "
                    "sau lần sao lưu đó sẽ bị mất và phải nhập lại.")


def keep_and_restore(path: Path) -> str:
    """The advice, and what the newest backup beside the file would lose against it."""
    return f"{KEEP_AND_RESTORE} {restore_losses(path)}"


def _refuse(path: Path, reason: str) -> VanThuError:
    return VanThuError(f"Không mở được cơ sở dữ liệu {path}: {reason}")


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL, or None for a server database, an in-memory one or a sqlite URI (file:…)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    if parsed.database.startswith("file:"):
        return None
    return Path(parsed.database)


def _what_it_is(head: bytes) -> str:
    for magic, kind in _KINDS:
        if head.startswith(magic):
            return kind
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "một tệp không rõ loại"
    return "một tệp văn bản"


def check_database_file(url: str, must_exist_folder: bool = True, read_only: ReadOnly | None = None) -> None:
    """Refuse a SQLite --db that is not a register (see the module's doc); reads, never writes, the file (one that
    cannot be written is read as app.db.read_only says)."""
    path = sqlite_path(url)
    if path is None:
        return
    if path.is_dir():
        raise _refuse(path, "đây là một thư mục, không phải tệp cơ sở dữ liệu; hãy chỉ tới tệp .sqlite3 trong đó.")
    if not path.exists():
        if must_exist_folder and path.parent.exists() and not path.parent.is_dir():
            raise _refuse(path, f"{path.parent} là một tệp, không phải thư mục.")
        if must_exist_folder and not path.parent.is_dir():
            raise _refuse(path, f"thư mục {path.parent} không tồn tại (đường dẫn gõ nhầm?); hãy tạo thư mục "
                                "trước nếu muốn lập sổ mới ở đó.")
        return
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
        size = path.stat().st_size
    except OSError as exc:
        raise _refuse(path, f"không đọc được tệp ({exc.strerror or exc}).") from exc
    if size == 0:
        return
    if not header.startswith(SQLITE_MAGIC):
        raise _refuse(path, f"đây là {_what_it_is(header)}, không phải tệp cơ sở dữ liệu SQLite của sổ văn thư. "
                            "Tệp không bị thay đổi.")
    _check_length(path, header, size)
    _check_tables(path, read_only)


def _check_length(path: Path, header: bytes, size: int) -> None:
    """A file shorter than the page count in its header was cut off (the count is valid when bytes 24 and 92,
    the change counter and version-valid-for, agree) — unless the committed pages missing from it are still in
    its -wal file, where SQLite reads them (a checkpoint stopped by a full disk): the database SQLite sees is
    max(the main file's pages, the size after the last valid commit in the -wal)."""
    if len(header) < 100:
        raise _refuse(path, f"tệp SQLite bị cắt cụt (chỉ còn {size} byte, chưa đủ phần đầu tệp 100 byte). "
                            f"Tệp không bị thay đổi. {keep_and_restore(path)}")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    if header[24:28] != header[92:96] or not pages or size >= pages * page_size:
        return
    wal_path = path.with_name(path.name + "-wal")
    wal = read_commits(wal_path)
    if wal is not None and wal.page_size == page_size and wal.db_pages >= pages:
        return  # the -wal holds every committed page: SQLite finds the register whole
    if wal is not None and wal.db_pages:
        found = (f"tệp nhật ký {wal_path.name} bên cạnh chỉ có dữ liệu đã ghi tới trang {wal.db_pages} "
                 f"(mỗi trang {wal.page_size} byte)")
    elif wal is not None:
        found = f"tệp nhật ký {wal_path.name} bên cạnh không có dữ liệu nào đã ghi xong"
    elif wal_path.exists():
        found = f"tệp nhật ký {wal_path.name} bên cạnh không hợp lệ, SQLite sẽ bỏ qua nó"
    else:
        found = f"không có tệp nhật ký {wal_path.name} bên cạnh"
    raise _refuse(path, f"tệp SQLite bị cắt cụt ({size} byte, cần {pages * page_size} byte: phần đầu tệp ghi "
                        f"{pages} trang × {page_size} byte; {found}). Tệp không bị thay đổi. "
                        f"{keep_and_restore(path)}")


def _check_tables(path: Path, read_only: ReadOnly | None = None) -> None:
    """Read the table list through a read-only connection: a damaged file or another program's database is
    refused before the engine (which would switch it to WAL and migrate it) opens it."""
    sidecars = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
    existed = [s.exists() for s in sidecars]
    try:
        _read_tables(path, read_only)
    except VanThuError:
        # Reading a WAL-mode file makes its -wal and -shm; a refused file is left as it was found.
        if not existed[0] and sidecars[0].exists() and sidecars[0].stat().st_size == 0:
            for sidecar, was_there in zip(sidecars, existed, strict=True):
                if not was_there:
                    sidecar.unlink(missing_ok=True)
        raise


def _read_tables(path: Path, read_only: ReadOnly | None = None) -> None:
    try:
        conn = (read_only_connect(path, read_only, 10) if read_only is not None else
                sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10))
    except sqlite3.Error as exc:
        raise _refuse(path, f"SQLite không mở được tệp ({exc}).") from exc
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        version = None
        if "alembic_version" in tables:
            version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        lowered = str(exc).lower()
        if "locked" in lowered or "busy" in lowered:
            raise _refuse(path, "tệp đang bị một chương trình khác khóa; hãy đợi một lát rồi mở lại.") from exc
        if "unable to open" in lowered or "i/o error" in lowered or "readonly" in lowered:
            raise _refuse(path, f"không đọc được tệp ({exc}); hãy kiểm tra quyền đọc, ghi thư mục và ổ đĩa.") from exc
        raise _refuse(path, f"tệp SQLite bị hỏng ({exc}). Tệp không bị thay đổi. {keep_and_restore(path)}") from exc
    finally:
        conn.close()
    own = {t for t in tables if not t.startswith("sqlite_")}
    if not own:
        return  # an empty database: a new register is made in it
    if "alembic_version" not in own or not (OUR_TABLES & own):
        names = ", ".join(sorted(own)[:5]) + (", …" if len(own) > 5 else "")
        raise _refuse(path, f"đây là cơ sở dữ liệu SQLite của một chương trình khác (có các bảng: {names}), "
                            "không phải sổ văn thư. Tệp không bị thay đổi.")
    if version is None:
        raise _refuse(path, "sổ thiếu thông tin phiên bản lược đồ (bảng alembic_version rỗng); tệp có thể bị "
                            f"hỏng. Tệp không bị thay đổi. {keep_and_restore(path)}")


_STORAGE_MESSAGES = (  # (words in the driver's message, lower case; what to tell the clerk)
    (("disk is full", "no space left", "could not extend file", "disk full"),
     "Ổ đĩa đầy: không ghi được vào {where}. Hãy giải phóng chỗ trống trên ổ đĩa rồi làm lại; "
     "chưa có gì được ghi."),
    (("readonly database", "read-only", "read only"),
     "Không ghi được vào {where}: tệp hoặc thư mục chỉ cho phép đọc (hoặc ổ đĩa chỉ đọc). Hãy kiểm tra quyền "
     "ghi rồi làm lại; chưa có gì được ghi."),
    (("database is locked", "database table is locked", "lock timeout", "deadlock"),
     "Cơ sở dữ liệu {where} đang bị khóa bởi một người dùng hoặc chương trình khác. Hãy đợi một lát rồi làm lại; "
     "chưa có gì được ghi."),
    (("malformed", "file is not a database", "disk image", "corrupt"),
     "Tệp cơ sở dữ liệu {where} bị hỏng ({detail}). " + KEEP_AND_RESTORE),
    (("disk i/o error", "unable to open database file", "i/o error"),
     "Lỗi đọc ghi ổ đĩa ở {where} ({detail}). Hãy kiểm tra ổ đĩa (USB, ổ mạng) rồi làm lại; chưa có gì "
     "được ghi."),
)


def storage_error(exc: BaseException, where: str) -> VanThuError | None:
    """A clear error for a driver failure caused by the disk or the file, or None for anything else."""
    if not isinstance(exc, DBAPIError | sqlite3.Error):
        return None
    original = getattr(exc, "orig", None) or exc
    detail = str(original).strip().splitlines()[0] if str(original).strip() else type(original).__name__
    lowered = detail.lower()
    for words, message in _STORAGE_MESSAGES:
        if any(word in lowered for word in words):
            return VanThuError(message.format(where=where, detail=detail))
    return None
