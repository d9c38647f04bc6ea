"""Writing a backup: the database snapshot, every attachment and the manifest, into one archive file."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy.engine import URL

from app import __version__
from app.core.errors import ValidationError, VanThuError
from app.core.files import write_atomically
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
from app.services.backup.databases import _describe_pg, _describe_sqlite, _dump_pg, _snapshot_sqlite


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
