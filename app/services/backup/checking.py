"""Checking a backup file without changing anything: its manifest, every member's hash, its schema; the list."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

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
                      number("attachments"), path.stat().st_size,
                      manifest.get("audit_head") if isinstance(manifest.get("audit_head"), dict) else None)


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
