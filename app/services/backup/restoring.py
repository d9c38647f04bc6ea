"""Restoring a backup over the register, checked whole first, the current register saved, replaced in one step."""

# Restoring refuses anything that is not such an archive, a member whose hash does not match, a database that is
# not a register or fails its integrity check, and a register from a newer schema than this app knows (an older
# one is migrated). The current register is backed up first (into backups/ beside it); attachments are only ever
# added (the store is content-addressed, so an extra file is harmless) and the database file is replaced last, in
# one os.replace, so a failure midway leaves the current register as it was. The window must be closed: restore
# refuses a SQLite file that another connection still has open.

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.engine import URL

from app.core import leftovers
from app.core.archives import UnsafeArchive, read_chunks
from app.core.errors import VanThuError
from app.core.files import sha256_of
from app.db.migrate import HEAD_REVISION
from app.services.attachments import STORE_DIR, data_folder
from app.services.backup import anchoring
from app.services.backup.checking import MAX_MEMBER_BYTES, _check_members, _info, _manifest, _open_archive
from app.services.backup.common import (
    _ATTACHMENT_MEMBER,
    _CHUNK,
    BEFORE_RESTORE_PREFIX,
    PG_MEMBER,
    SQLITE_MEMBER,
    BackupInfo,
    RestoreResult,
    _check_revision,
    _connect,
    _engine_url,
    _refuse,
    _sqlite_file,
    _unique,
    _url,
    backup_folder,
)
from app.services.backup.databases import (
    _check_guards_pg,
    _check_guards_sqlite,
    _describe_sqlite,
    _pg_tool,
    _restore_pg,
)
from app.services.backup.writing import backup

_LOCK_TIMEOUT_S = 2.0


def _extract(archive: zipfile.ZipFile, name: str, sha256: str, target: Path) -> None:
    """Write one member to `target` via a temporary file beside it, checking its hash again on the way."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = leftovers.make_file(target.parent, f".{target.name}.", ".part")
    temp = Path(temp_name)
    try:
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as out:
            try:  # stops at the declared size and the cap, however the member inflates
                for chunk in read_chunks(archive, archive.getinfo(name), MAX_MEMBER_BYTES, _CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
            except UnsafeArchive as exc:
                raise _refuse(f"tệp sao lưu {exc}.") from None
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
    fd, temp_name = leftovers.make_file(database.parent, f".{database.name}.restore-")
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
        notes = anchoring.check_snapshot(db, temp)  # refuses a backup that contradicts an audit anchor
        _check_guards_sqlite(temp)  # and one without its protective triggers (checked after any migration)
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
    return RestoreResult(info, previous, written, migrated_from, notes)


def _restore_postgres(db: str, url: URL, archive: zipfile.ZipFile, manifest: dict[str, Any], folder: Path,
                      info: BackupInfo) -> RestoreResult:
    _pg_tool("pg_restore")
    notes = anchoring.check_manifest(db, manifest)
    with tempfile.TemporaryDirectory(prefix=".vanthu-restore-") as work:
        dump = Path(work) / PG_MEMBER
        _extract(archive, PG_MEMBER, manifest["members"][PG_MEMBER]["sha256"], dump)
        _check_guards_pg(dump, manifest.get("schema_revision"))  # before anything is changed
        previous = _backup_current(db)
        written = _restore_attachments(archive, manifest, folder)
        _restore_pg(url, dump)
    from app.db.migrate import upgrade

    engine = create_engine(_engine_url(url))
    try:
        migrated_from, _ = upgrade(engine)
    finally:
        engine.dispose()
    return RestoreResult(info, previous, written, migrated_from if migrated_from != HEAD_REVISION else None, notes)
