"""Checking a backup file without changing anything: its manifest, every member's hash, its schema; the list."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

from app.core.archives import GIB, MIB, UnsafeArchive, check_members, read_chunks, size_text
from app.core.errors import ValidationError
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
    _check_revision,
    _refuse,
    backup_folder,
)

# A register of a million entries is a few GB; scans are attachments of tens of MB. Far past that is a crafted file
# (or one that would fill the disk): refused from the sizes the archive declares, and again while it inflates.
MAX_MEMBER_BYTES = 32 * GIB
MAX_ARCHIVE_BYTES = 64 * GIB
MAX_MANIFEST_BYTES = 64 * MIB  # a hash and a size per attachment: a million attachments fit
_MAGIC = {SQLITE_MEMBER: (b"SQLite format 3\x00", "cơ sở dữ liệu SQLite"),
          PG_MEMBER: (b"PGDMP", "bản kết xuất pg_dump")}


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
        info = archive.getinfo(MANIFEST)
    except KeyError:
        raise _refuse(f"tệp {path.name} không phải là bản sao lưu của Sổ Văn Thư (không có {MANIFEST}).") from None
    if info.file_size > MAX_MANIFEST_BYTES:
        raise _refuse(f"tệp {path.name} không phải là bản sao lưu của Sổ Văn Thư ({MANIFEST} bung ra "
                      f"{size_text(info.file_size)}, tối đa {size_text(MAX_MANIFEST_BYTES)}).")
    try:
        raw = b"".join(read_chunks(archive, info, MAX_MANIFEST_BYTES))
    except UnsafeArchive as exc:
        raise _refuse(f"tệp {path.name} {exc}.") from None
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
                      number("attachments"), path.stat().st_size,
                      manifest.get("audit_head") if isinstance(manifest.get("audit_head"), dict) else None)


def _check_members(archive: zipfile.ZipFile, path: Path, manifest: dict[str, Any]) -> str:
    """Every listed member exists with its hash, nothing unlisted or outside the store; returns the db member."""
    members: dict[str, Any] = manifest["members"]
    database = PG_MEMBER if manifest.get("dialect") == "postgresql" else SQLITE_MEMBER
    if database not in members:
        raise _refuse(f"tệp {path.name} không chứa cơ sở dữ liệu ({database}).")
    try:  # duplicate names, links, sizes: before a byte is inflated
        present = {i.filename: i for i in check_members(archive, MAX_MEMBER_BYTES, MAX_ARCHIVE_BYTES, None)}
    except UnsafeArchive as exc:
        raise _refuse(f"tệp {path.name} {exc}.") from None
    for name, entry in members.items():
        if name != database and not _ATTACHMENT_MEMBER.fullmatch(name):
            raise _refuse(f"tệp {path.name} có thành phần lạ '{name}'.")
        if not isinstance(entry, dict) or not isinstance(entry.get("sha256"), str):
            raise _refuse(f"bảng kê của tệp {path.name} thiếu mã băm của {name}.")
        if name not in present:
            raise _refuse(f"tệp {path.name} thiếu {name} (có trong bảng kê).")
        if isinstance(entry.get("size"), int) and entry["size"] != present[name].file_size:
            raise _refuse(f"tệp {path.name}: {name} dài {present[name].file_size} byte, bảng kê ghi "
                          f"{entry['size']} byte.")
        digest, head = hashlib.sha256(), b""
        try:
            for chunk in read_chunks(archive, present[name], MAX_MEMBER_BYTES, _CHUNK):
                head = head or chunk[:16]
                digest.update(chunk)
        except UnsafeArchive as exc:
            raise _refuse(f"tệp {path.name} {exc}.") from None
        if name in _MAGIC and not head.startswith(_MAGIC[name][0]):
            raise _refuse(f"tệp {path.name}: {name} không phải {_MAGIC[name][1]} (phần đầu tệp không đúng).")
        if digest.hexdigest() != entry["sha256"]:
            raise _refuse(f"tệp {path.name} đã bị thay đổi hoặc hỏng: mã băm của {name} không khớp bảng kê.")
        match = _ATTACHMENT_MEMBER.fullmatch(name)
        if match and not match.group(2).startswith(entry["sha256"]):
            raise _refuse(f"tệp {path.name}: tệp đính kèm {name} không mang đúng mã băm của nó.")
    extra = set(present) - set(members) - {MANIFEST}
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
