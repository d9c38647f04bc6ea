"""Backup and restore: the whole register (database snapshot + every attachment + a manifest) in ONE file.

A backup is a zip archive (suffix .vanthu) that a clerk can copy to a USB stick:

    manifest.json                  format, app version, dialect, schema revision, created_at, counts, and the
                                   sha256 and size of every other member
    register.sqlite3               SQLite: a snapshot made with the online backup API (consistent while other
                                   clerks write; WAL-safe), checked with PRAGMA integrity_check
    register.pgdump                PostgreSQL instead: `pg_dump -Fc` (one snapshot transaction)
    attachments/<sha[:2]>/<file>   the content-addressed attachment store, byte for byte

Restoring refuses anything that is not such an archive, a member whose hash does not match, a database that is
not a register or fails its integrity check, and a register from a newer schema than this app knows (an older
one is migrated). The current register is backed up first (into backups/ beside it); attachments are only ever
added (the store is content-addressed, so an extra file is harmless) and the database file is replaced last, in
one os.replace, so a failure midway leaves the current register as it was. The window must be closed: restore
refuses a SQLite file that another connection still has open.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from app import __version__
from app.core.errors import ValidationError, VanThuError
from app.core.files import sha256_of, write_atomically
from app.db.migrate import HEAD_REVISION, MIGRATIONS
from app.services.attachments import STORE_DIR, data_folder

log = logging.getLogger(__name__)

FORMAT = "sovanthu-backup"
FORMAT_VERSION = 1
SUFFIX = ".vanthu"
MANIFEST = "manifest.json"
SQLITE_MEMBER = "register.sqlite3"
PG_MEMBER = "register.pgdump"
BACKUP_DIR = "backups"
AUTO_PREFIX = "auto-"
BEFORE_RESTORE_PREFIX = "truoc-phuc-hoi-"
BEFORE_UPGRADE_PREFIX = "truoc-nang-cap-"
DEFAULT_KEEP = 10
KEEP_SETTING = "backup.keep"
_CHUNK = 1024 * 1024
_LOCK_TIMEOUT_S = 2.0
_FIELD, _LABEL = "file", "Tệp sao lưu"
# attachments/<2 hex>/<64 hex><suffix>: nothing else may be written from an archive (no "..", no absolute path).
_ATTACHMENT_MEMBER = re.compile(r"attachments/([0-9a-f]{2})/([0-9a-f]{64}(\.[A-Za-z0-9]{1,10})?)")


@dataclass(frozen=True)
class BackupInfo:
    """What a backup holds, from its manifest."""

    path: str
    created_at: str
    dialect: str
    schema_revision: str | None
    app_version: str
    documents: int
    attachments: int
    size: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class RestoreResult:
    """The backup that was restored, and where the register it replaced was saved (None: there was none)."""

    restored: BackupInfo
    previous_backup: str | None
    attachments_written: int
    migrated_from: str | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"restored": self.restored.to_dict(), "previous_backup": self.previous_backup,
                "attachments_written": self.attachments_written, "migrated_from": self.migrated_from}


def _refuse(message: str) -> ValidationError:
    return ValidationError.single(_FIELD, _LABEL, message)


# where things are ---------------------------------------------------------------------------------------------

def _url(db: str) -> URL:
    from app.db.engine import resolve_url

    return make_url(resolve_url(db))


def _sqlite_file(url: URL) -> Path | None:
    if url.get_backend_name() != "sqlite":
        return None
    if not url.database or url.database == ":memory:":
        raise _refuse("không sao lưu, phục hồi được cơ sở dữ liệu trong bộ nhớ.")
    return Path(url.database).expanduser().resolve()


def backup_folder(db: str) -> Path:
    """backups/ beside the SQLite file (or in the user's data folder for a server database)."""
    return data_folder(_url(db).render_as_string(hide_password=False)) / BACKUP_DIR


def known_revisions() -> list[str]:
    """Every schema revision this app has a migration for, oldest first (from the migration file names)."""
    return sorted(m.group(1) for p in (MIGRATIONS / "versions").glob("*.py")
                  if (m := re.match(r"(\d{4})_", p.name)))


def _check_revision(revision: str | None) -> None:
    known = known_revisions() or [HEAD_REVISION]
    if revision in known:
        return
    newest = max(known)
    if revision and revision.isdigit() and revision > newest:
        raise _refuse(f"bản sao lưu thuộc lược đồ {revision}, mới hơn phiên bản chương trình này biết "
                      f"(mới nhất {newest}); hãy cập nhật chương trình rồi phục hồi.")
    raise _refuse(f"bản sao lưu thuộc lược đồ '{revision}' mà chương trình này không biết "
                  f"(các lược đồ: {', '.join(known)}).")


def _attachment_files(folder: Path) -> Iterator[tuple[str, Path]]:
    """(member name, file) for every stored attachment; temporary .incoming- copies are left out."""
    store = folder / STORE_DIR
    if not store.is_dir():
        return
    for path in sorted(store.glob("*/*")):
        name = f"{STORE_DIR}/{path.parent.name}/{path.name}"
        if path.is_file() and _ATTACHMENT_MEMBER.fullmatch(name):
            yield name, path


# SQLite snapshot ----------------------------------------------------------------------------------------------

def _connect(path: Path, timeout: float = 30.0) -> sqlite3.Connection:
    return sqlite3.connect(str(path), timeout=timeout, isolation_level=None)


def _snapshot_sqlite(source: Path, target: Path) -> None:
    """Copy the live database with the online backup API in one step (a consistent read snapshot, whatever
    other clerks are writing; committed WAL content included), as a single file in rollback-journal mode."""
    src = _connect(source)
    try:
        dst = _connect(target)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()


def _describe_sqlite(path: Path) -> tuple[str | None, int, int]:
    """(schema revision, documents, attachment rows) of a snapshot, after checking it is a sound register."""
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise _refuse(f"không mở được cơ sở dữ liệu trong bản sao lưu ({exc}).") from exc
    try:
        try:
            check = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as exc:
            raise _refuse(f"cơ sở dữ liệu trong bản sao lưu bị hỏng hoặc không phải SQLite ({exc}).") from exc
        if check != ["ok"]:
            raise _refuse("cơ sở dữ liệu trong bản sao lưu bị hỏng (PRAGMA integrity_check: "
                          f"{'; '.join(check[:3])}).")
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"alembic_version", "documents"} <= tables:
            raise _refuse("cơ sở dữ liệu trong tệp không phải là sổ đăng ký văn bản của Sổ Văn Thư.")
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        documents = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        attachments = conn.execute("SELECT count(*) FROM attachments").fetchone()[0] if "attachments" in tables else 0
        return (revision[0] if revision else None), documents, attachments
    finally:
        conn.close()


# PostgreSQL -----------------------------------------------------------------------------------------------------

def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise VanThuError(f"Không tìm thấy chương trình {name} (bộ công cụ PostgreSQL client). Hãy cài PostgreSQL "
                          f"client (ví dụ gói postgresql-client) cùng phiên bản với máy chủ và thêm {name} vào PATH.")
    return found


def _pg_args(url: URL) -> tuple[list[str], dict[str, str]]:
    args = []
    if url.host:
        args += ["--host", url.host]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return args + ["--no-password"], env


def _run_pg(command: list[str], env: dict[str, str], what: str) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600, check=False)  # noqa: S603
    except (OSError, subprocess.SubprocessError) as exc:
        raise VanThuError(f"Không chạy được {what}: {exc}") from exc
    if done.returncode != 0:
        raise VanThuError(f"{what} báo lỗi (mã {done.returncode}): {done.stderr.strip()[:2000]}")


def _engine_url(url: URL) -> str:
    return url.render_as_string(hide_password=False)


def _describe_pg(url: URL) -> tuple[str | None, int, int]:
    engine = create_engine(_engine_url(url))
    try:
        with engine.connect() as conn:
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            documents = conn.execute(text("SELECT count(*) FROM documents")).scalar() or 0
            attachments = conn.execute(text("SELECT count(*) FROM attachments")).scalar() or 0
        return revision, documents, attachments
    finally:
        engine.dispose()


def _dump_pg(url: URL, target: Path) -> None:
    args, env = _pg_args(url)
    _run_pg([_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={target}", *args,
             f"--dbname={url.database}"], env, "pg_dump")


def _restore_pg(url: URL, dump: Path) -> None:
    args, env = _pg_args(url)
    _run_pg([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
             "--exit-on-error", *args, f"--dbname={url.database}", str(dump)], env, "pg_restore")


# making a backup ---------------------------------------------------------------------------------------------------

def _add_member(archive: zipfile.ZipFile, name: str, source: Path, compress: bool) -> dict[str, Any]:
    """Stream a file into the archive, hashing what is written."""
    digest = hashlib.sha256()
    size = 0
    info = zipfile.ZipInfo(name, date_time=datetime.now().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with source.open("rb") as src, archive.open(info, "w", force_zip64=True) as out:
        while chunk := src.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def _refuse_target(url: URL, target: Path) -> None:
    if target.exists() and target.is_dir():
        raise _refuse(f"{target} là một thư mục; hãy ghi tên tệp, ví dụ {target / ('sovanthu' + SUFFIX)}.")
    database = _sqlite_file(url)
    if database is not None:
        resolved = target.expanduser().resolve()
        if resolved in {database, Path(f"{database}-wal"), Path(f"{database}-shm")}:
            raise _refuse(f"{target} là chính tệp cơ sở dữ liệu; hãy ghi bản sao lưu ra tệp khác.")
        if (database.parent / STORE_DIR) in resolved.parents:
            raise _refuse("không ghi bản sao lưu vào thư mục tệp đính kèm.")


def backup(db: str, path: str | Path) -> BackupInfo:
    """Write the whole register (database + attachments + manifest) to one archive file, whole or not at all."""
    url = _url(db)
    target = Path(path).expanduser()
    if not str(path).strip():
        raise _refuse("chưa ghi tên tệp sao lưu.")
    _refuse_target(url, target)
    database = _sqlite_file(url)
    if database is not None and not database.is_file():
        raise _refuse(f"không có sổ đăng ký (tệp cơ sở dữ liệu {database}) để sao lưu.")
    folder = data_folder(_engine_url(url))
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".vanthu-backup-", dir=target.parent) as work:
        if database is not None:
            member, snapshot = SQLITE_MEMBER, Path(work) / SQLITE_MEMBER
            try:
                _snapshot_sqlite(database, snapshot)
            except sqlite3.Error as exc:
                raise VanThuError(f"Không chụp được cơ sở dữ liệu {database}: {exc}") from exc
            try:
                revision, documents, attachment_rows = _describe_sqlite(snapshot)
            except ValidationError as exc:
                raise VanThuError(f"Không sao lưu: tệp {database} không phải là sổ đăng ký lành "
                                  f"({exc.errors[0].message})") from exc
        else:
            member, snapshot = PG_MEMBER, Path(work) / PG_MEMBER
            _dump_pg(url, snapshot)
            revision, documents, attachment_rows = _describe_pg(url)
        files = list(_attachment_files(folder))
        created = datetime.now(UTC).isoformat(timespec="seconds")

        def build(out: BinaryIO) -> None:
            members: dict[str, Any] = {}
            with zipfile.ZipFile(out, "w", allowZip64=True) as archive:
                members[member] = _add_member(archive, member, snapshot, compress=True)
                for name, file in files:
                    members[name] = _add_member(archive, name, file, compress=False)
                manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, "app_version": __version__,
                            "dialect": "sqlite" if database is not None else "postgresql",
                            "schema_revision": revision, "created_at": created, "documents": documents,
                            "attachment_rows": attachment_rows, "attachments": len(files), "members": members}
                archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))

        try:
            write_atomically(target, build)
        except OSError as exc:
            raise VanThuError(f"Không ghi được tệp sao lưu {target}: {exc}") from exc
    return BackupInfo(str(target), created, "sqlite" if database is not None else "postgresql", revision,
                      __version__, documents, len(files), target.stat().st_size)


# reading and checking a backup --------------------------------------------------------------------------------------

def _open_archive(path: Path) -> zipfile.ZipFile:
    if not path.is_file():
        raise _refuse(f"không tìm thấy tệp {path}.")
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refuse(f"tệp {path.name} không phải là bản sao lưu của Sổ Văn Thư (không đọc được dạng nén: "
                      f"{exc}).") from exc


def _manifest(archive: zipfile.ZipFile, path: Path) -> dict[str, Any]:
    try:
        raw = archive.read(MANIFEST)
    except KeyError:
        raise _refuse(f"tệp {path.name} không phải là bản sao lưu của Sổ Văn Thư (không có {MANIFEST}).") from None
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refuse(f"tệp {path.name} bị hỏng ({exc}).") from exc
    try:
        manifest = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or \
            not isinstance(manifest.get("members"), dict):
        raise _refuse(f"tệp {path.name} không phải là bản sao lưu của Sổ Văn Thư (bảng kê {MANIFEST} không đúng).")
    if not isinstance(manifest.get("format_version"), int) or manifest["format_version"] > FORMAT_VERSION:
        raise _refuse(f"tệp {path.name} do một phiên bản mới hơn của chương trình tạo ra (dạng sao lưu "
                      f"{manifest.get('format_version')}); hãy cập nhật chương trình.")
    return manifest


def _info(path: Path, manifest: dict[str, Any]) -> BackupInfo:
    def number(key: str) -> int:
        value = manifest.get(key)
        return value if isinstance(value, int) else 0

    return BackupInfo(str(path), str(manifest.get("created_at", "")), str(manifest.get("dialect", "")),
                      manifest.get("schema_revision"), str(manifest.get("app_version", "")), number("documents"),
                      number("attachments"), path.stat().st_size)


def _check_members(archive: zipfile.ZipFile, path: Path, manifest: dict[str, Any]) -> str:
    """Every listed member exists with its hash, nothing unlisted or outside the store; returns the db member."""
    members: dict[str, Any] = manifest["members"]
    database = PG_MEMBER if manifest.get("dialect") == "postgresql" else SQLITE_MEMBER
    if database not in members:
        raise _refuse(f"tệp {path.name} không chứa cơ sở dữ liệu ({database}).")
    present = set(archive.namelist())
    for name, entry in members.items():
        if name != database and not _ATTACHMENT_MEMBER.fullmatch(name):
            raise _refuse(f"tệp {path.name} có thành phần lạ '{name}'.")
        if not isinstance(entry, dict) or not isinstance(entry.get("sha256"), str):
            raise _refuse(f"bảng kê của tệp {path.name} thiếu mã băm của {name}.")
        if name not in present:
            raise _refuse(f"tệp {path.name} thiếu {name} (có trong bảng kê).")
        digest = hashlib.sha256()
        try:
            with archive.open(name) as member:
                while chunk := member.read(_CHUNK):
                    digest.update(chunk)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise _refuse(f"tệp {path.name} bị hỏng ở {name} ({exc}).") from exc
        if digest.hexdigest() != entry["sha256"]:
            raise _refuse(f"tệp {path.name} đã bị thay đổi hoặc hỏng: mã băm của {name} không khớp bảng kê.")
        match = _ATTACHMENT_MEMBER.fullmatch(name)
        if match and not match.group(2).startswith(entry["sha256"]):
            raise _refuse(f"tệp {path.name}: tệp đính kèm {name} không mang đúng mã băm của nó.")
    extra = present - set(members) - {MANIFEST}
    if extra:
        raise _refuse(f"tệp {path.name} có thành phần không có trong bảng kê: {', '.join(sorted(extra)[:3])}.")
    return database


def inspect_backup(path: str | Path) -> BackupInfo:
    """Check a backup file completely (manifest, every member's hash, the schema) without changing anything."""
    source = Path(path).expanduser()
    with _open_archive(source) as archive:
        manifest = _manifest(archive, source)
        _check_members(archive, source, manifest)
        _check_revision(manifest.get("schema_revision"))
        return _info(source, manifest)


def list_backups(db: str) -> list[BackupInfo]:
    """The backups in backups/ beside the register, newest first; unreadable files are left out."""
    folder = backup_folder(db)
    found = []
    for path in folder.glob(f"*{SUFFIX}") if folder.is_dir() else ():
        try:
            with zipfile.ZipFile(path) as archive:
                found.append(_info(path, _manifest(archive, path)))
        except (ValidationError, zipfile.BadZipFile, OSError, ValueError):
            continue
    return sorted(found, key=lambda b: (b.created_at, b.path), reverse=True)


# restoring ---------------------------------------------------------------------------------------------------------

def _extract(archive: zipfile.ZipFile, name: str, sha256: str, target: Path) -> None:
    """Write one member to `target` via a temporary file beside it, checking its hash again on the way."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    temp = Path(temp_name)
    try:
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as out, archive.open(name) as member:
            while chunk := member.read(_CHUNK):
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != sha256:
            raise _refuse(f"mã băm của {name} không khớp bảng kê.")
        os.replace(temp, target)
    finally:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _take_exclusive(database: Path) -> None:
    """Fold the write-ahead log into the database and leave rollback-journal mode, which SQLite allows only when
    no other connection has the file open: the check that the window (or another command) is closed, and what
    makes replacing the main file safe (no -wal that would be replayed onto the restored database)."""
    try:
        conn = _connect(database, timeout=_LOCK_TIMEOUT_S)
        try:
            conn.execute(f"PRAGMA busy_timeout={int(_LOCK_TIMEOUT_S * 1000)}")
            mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise VanThuError(f"Sổ {database} đang được mở ở nơi khác (cửa sổ Sổ Văn Thư hoặc một lệnh khác): {exc}. "
                          "Hãy đóng chương trình rồi phục hồi lại.") from exc
    if str(mode).lower() != "delete" or Path(f"{database}-wal").exists():
        raise VanThuError(f"Sổ {database} đang được mở ở nơi khác (cửa sổ Sổ Văn Thư hoặc một lệnh khác). "
                          "Hãy đóng chương trình rồi phục hồi lại.")


def _prepare_sqlite(archive: zipfile.ZipFile, manifest: dict[str, Any], database: Path) -> tuple[Path, str | None]:
    """Extract the snapshot beside the database, check it, and migrate an older one; returns (file, old rev)."""
    database.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{database.name}.restore-", dir=database.parent)
    os.close(fd)
    temp = Path(temp_name)
    try:
        _extract(archive, SQLITE_MEMBER, manifest["members"][SQLITE_MEMBER]["sha256"], temp)
        revision, _documents, _rows = _describe_sqlite(temp)
        _check_revision(revision)
        migrated_from = None
        if revision != HEAD_REVISION:
            from app.db.engine import Database
            from app.db.migrate import upgrade

            restored = Database(f"sqlite:///{temp}")
            try:
                migrated_from, _ = upgrade(restored.engine)
            finally:
                restored.engine.dispose()
        conn = _connect(temp)
        try:
            conn.execute("PRAGMA journal_mode=DELETE")
        finally:
            conn.close()
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{temp}{suffix}").unlink(missing_ok=True)
        with temp.open("rb+") as handle:
            os.fsync(handle.fileno())
        return temp, migrated_from
    except BaseException:
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                Path(f"{temp}{suffix}").unlink(missing_ok=True)
        raise


def _restore_attachments(archive: zipfile.ZipFile, manifest: dict[str, Any], folder: Path) -> int:
    """Add the archive's attachments to the store (never removing one); returns how many were written."""
    written = 0
    for name, entry in manifest["members"].items():
        match = _ATTACHMENT_MEMBER.fullmatch(name)
        if not match:
            continue
        target = folder / STORE_DIR / match.group(1) / match.group(2)
        if target.is_file() and target.stat().st_size == entry.get("size") and sha256_of(target) == entry["sha256"]:
            continue
        _extract(archive, name, entry["sha256"], target)
        written += 1
    return written


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def _unique(folder: Path, prefix: str) -> Path:
    target = folder / f"{prefix}{_stamp()}{SUFFIX}"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"{prefix}{_stamp()}-{counter}{SUFFIX}"
    return target


def restore(db: str, path: str | Path) -> RestoreResult:
    """Replace the register with a backup, after checking the backup whole and backing up the current register.
    Needs no open Registry; for SQLite it refuses while another connection (the window) has the file open."""
    source = Path(path).expanduser()
    url = _url(db)
    database = _sqlite_file(url)
    folder = data_folder(_engine_url(url))
    with _open_archive(source) as archive:
        manifest = _manifest(archive, source)
        _check_members(archive, source, manifest)
        _check_revision(manifest.get("schema_revision"))
        dialect = "sqlite" if database is not None else "postgresql"
        if manifest.get("dialect") != dialect:
            raise _refuse(f"bản sao lưu là của cơ sở dữ liệu {manifest.get('dialect')}, không phục hồi được vào "
                          f"cơ sở dữ liệu {dialect}.")
        info = _info(source, manifest)
        if database is not None:
            return _restore_sqlite(db, archive, manifest, database, folder, info)
        return _restore_postgres(db, url, archive, manifest, folder, info)


def before_upgrade(db: str, revision: str) -> str | None:
    """The backup a new version of the app takes before it migrates an older register (backups/truoc-nang-cap-
    <revision>-<time>.vanthu); returns its path. A database from a newer app is left to the upgrade to refuse.
    No backup, no upgrade: the error says the register was not changed."""
    if revision not in known_revisions() or revision == HEAD_REVISION:
        return None
    target = _unique(backup_folder(db), f"{BEFORE_UPGRADE_PREFIX}{revision}-")
    try:
        return backup(db, target).path
    except (VanThuError, OSError) as exc:
        raise VanThuError(f"Chưa nâng cấp cơ sở dữ liệu (lược đồ {revision} lên {HEAD_REVISION}) vì không sao lưu "
                          f"được trước khi nâng cấp: {exc}. Sổ chưa bị thay đổi gì; hãy giải phóng chỗ trống "
                          "hoặc sửa quyền ghi thư mục sao lưu rồi mở lại.") from exc


def _backup_current(db: str) -> str:
    target = _unique(backup_folder(db), BEFORE_RESTORE_PREFIX)
    try:
        return backup(db, target).path
    except VanThuError as exc:
        raise VanThuError(f"Không phục hồi: chưa sao lưu được sổ hiện tại ({exc}).") from exc


def _restore_sqlite(db: str, archive: zipfile.ZipFile, manifest: dict[str, Any], database: Path, folder: Path,
                    info: BackupInfo) -> RestoreResult:
    temp, migrated_from = _prepare_sqlite(archive, manifest, database)
    try:
        previous = None
        if database.exists():
            _take_exclusive(database)
            previous = _backup_current(db)
            _take_exclusive(database)  # the backup's own connection is closed again; nobody reopened it
        written = _restore_attachments(archive, manifest, folder)
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        os.replace(temp, database)
        _fsync_dir(database.parent)
    finally:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
    return RestoreResult(info, previous, written, migrated_from)


def _restore_postgres(db: str, url: URL, archive: zipfile.ZipFile, manifest: dict[str, Any], folder: Path,
                      info: BackupInfo) -> RestoreResult:
    _pg_tool("pg_restore")
    previous = _backup_current(db)
    written = _restore_attachments(archive, manifest, folder)
    with tempfile.TemporaryDirectory(prefix=".vanthu-restore-") as work:
        dump = Path(work) / PG_MEMBER
        _extract(archive, PG_MEMBER, manifest["members"][PG_MEMBER]["sha256"], dump)
        _restore_pg(url, dump)
    from app.db.migrate import upgrade

    engine = create_engine(_engine_url(url))
    try:
        migrated_from, _ = upgrade(engine)
    finally:
        engine.dispose()
    return RestoreResult(info, previous, written, migrated_from if migrated_from != HEAD_REVISION else None)


# automatic backups -------------------------------------------------------------------------------------------------

def _keep_setting(db: str) -> int:
    """backup.keep from the settings table (default 10); never fails."""
    try:
        url = _url(db)
        database = _sqlite_file(url)
        if database is not None:
            conn = _connect(database, timeout=5)
            try:
                row = conn.execute("SELECT value FROM settings WHERE key = ?", (KEEP_SETTING,)).fetchone()
            finally:
                conn.close()
            value = row[0] if row else None
        else:
            engine = create_engine(_engine_url(url))
            try:
                with engine.connect() as conn:
                    value = conn.execute(text("SELECT value FROM settings WHERE key = :k"),
                                         {"k": KEEP_SETTING}).scalar()
            finally:
                engine.dispose()
        return max(1, int(value)) if value else DEFAULT_KEEP
    except Exception:  # noqa: BLE001 - a missing or odd setting falls back to the default
        return DEFAULT_KEEP


def _auto_backups(folder: Path) -> list[Path]:
    """Automatic backups, oldest first (their names sort by time)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(f"{AUTO_PREFIX}*{SUFFIX}") if p.is_file())


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete the oldest automatic backups beyond the last `keep`; returns what was deleted."""
    removed = []
    backups = _auto_backups(folder)
    for old in backups[:max(0, len(backups) - max(1, keep))]:
        with contextlib.suppress(OSError):
            old.unlink()
            removed.append(old)
    return removed


def auto_backup(db: str, keep: int | None = None, now: datetime | None = None) -> str | None:
    """Make today's automatic backup unless one exists (call on start and every few hours), keep the last N.
    Never raises: returns what happened for a status line (None when there was nothing to do)."""
    try:
        url = _url(db)
        database = _sqlite_file(url)
        if database is not None and not database.is_file():
            return None
        folder = backup_folder(db)
        moment = now or datetime.now()
        day = moment.strftime("%Y%m%d")
        if any(p.name.startswith(f"{AUTO_PREFIX}{day}") for p in _auto_backups(folder)):
            return None
        target = folder / f"{AUTO_PREFIX}{moment.strftime('%Y%m%d-%H%M%S')}{SUFFIX}"
        info = backup(db, target)
        prune(folder, keep if keep is not None else _keep_setting(db))
        return f"Đã tự động sao lưu sổ ({info.documents} văn bản, {info.attachments} tệp đính kèm) → {info.path}"
    except Exception as exc:  # noqa: BLE001 - a failed backup must never stop the clerk from working
        log.warning("automatic backup failed: %s", exc, exc_info=True)
        return f"Không tự động sao lưu được sổ: {exc}"
