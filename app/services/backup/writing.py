"""Writing a backup: the database snapshot, every attachment and the manifest, into one archive file."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import URL

from app import __version__
from app.core import leftovers
from app.core.errors import ValidationError, VanThuError
from app.core.files import write_atomically
from app.db.safety import storage_error
from app.services import chain_anchor
from app.services.attachments import STORE_DIR, data_folder
from app.services.backup.common import (
    _ATTACHMENT_MEMBER,
    _CHUNK,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    PG_MEMBER,
    SQLITE_MEMBER,
    SUFFIX,
    BackupInfo,
    _engine_url,
    _refuse,
    _sqlite_file,
    _url,
)
from app.services.backup.databases import _describe_pg, _describe_sqlite, _dump_pg, _pg_tool, _snapshot_sqlite


def _attachment_files(folder: Path) -> Iterator[tuple[str, Path]]:
    """(member name, file) for every stored attachment; temporary .incoming- copies are left out."""
    store = folder / STORE_DIR
    if not store.is_dir():
        return
    for path in sorted(store.glob("*/*")):
        name = f"{STORE_DIR}/{path.parent.name}/{path.name}"
        if path.is_file() and _ATTACHMENT_MEMBER.fullmatch(name):
            yield name, path


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


def _anchor_fields(head: chain_anchor.ChainHead, uid: str | None) -> dict[str, Any]:
    """The audit chain's head in the manifest: a backup kept elsewhere anchors the chain it was made from."""
    return {"register_uid": uid, "audit_head": head.to_dict()}


def _sqlite_anchor(snapshot: Path) -> dict[str, Any]:
    conn = chain_anchor.open_sqlite(snapshot)
    try:
        uid = chain_anchor.sqlite_setting(conn, chain_anchor.UID_SETTING)
        return _anchor_fields(chain_anchor.sqlite_head(conn), uid)
    except sqlite3.Error:  # a register older than the hash chain (the copy made before upgrading it)
        return {"register_uid": None, "audit_head": None}
    finally:
        conn.close()


def _pg_anchor(url: URL) -> dict[str, Any]:
    engine = create_engine(_engine_url(url))
    try:
        with engine.connect() as conn:
            if "hash" not in {c["name"] for c in inspect(conn).get_columns("audit_events")}:
                return {"register_uid": None, "audit_head": None}  # older than the hash chain
            last = conn.execute(text("SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1")).first()
            count = conn.execute(text("SELECT count(*) FROM audit_events")).scalar() or 0
            uid = conn.execute(text("SELECT value FROM settings WHERE key = :key"),
                               {"key": chain_anchor.UID_SETTING}).scalar()
    finally:
        engine.dispose()
    head = chain_anchor.ChainHead(int(count), int(last[0]), str(last[1])) if last else \
        chain_anchor.ChainHead(0, None, None)
    return _anchor_fields(head, uid)


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
    with leftovers.temporary_folder(target.parent, ".vanthu-backup-") as work:
        if database is not None:
            member, snapshot = SQLITE_MEMBER, Path(work) / SQLITE_MEMBER
            try:
                _snapshot_sqlite(database, snapshot)
            except sqlite3.Error as exc:  # a full or failing disk says so (storage_error), anything else as it is
                clear = storage_error(exc, str(target.parent))
                raise clear or VanThuError(f"Không chụp được cơ sở dữ liệu {database}: {exc}") from exc
            try:
                revision, documents, attachment_rows = _describe_sqlite(snapshot)
            except ValidationError as exc:
                raise VanThuError(f"Không sao lưu: tệp {database} không phải là sổ đăng ký lành "
                                  f"({exc.errors[0].message})") from exc
            anchor = _sqlite_anchor(snapshot)
        else:
            member, snapshot = PG_MEMBER, Path(work) / PG_MEMBER
            _pg_tool("pg_dump")  # say it is missing before connecting
            anchor = _pg_anchor(url)  # read before the dump: the dump holds at least this head, so it still anchors
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
                            "attachment_rows": attachment_rows, "attachments": len(files), **anchor,
                            "members": members}
                archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))

        try:
            write_atomically(target, build)
        except OSError as exc:
            raise VanThuError(f"Không ghi được tệp sao lưu {target}: {exc}") from exc
    return BackupInfo(str(target), created, "sqlite" if database is not None else "postgresql", revision,
                      __version__, documents, len(files), target.stat().st_size, anchor["audit_head"])
