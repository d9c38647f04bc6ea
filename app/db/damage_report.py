"""What a restore would lose: the damaged register's readable figures beside the newest backup's, in one sentence.

A clerk told "restore from a backup" must know what the backup lacks. This reads, never writes: the damaged
file through a read-only connection (as far as its pages allow) and the manifests of the backups in the
backups/ folder beside it (each backup's manifest records its document count and its audit chain's head).
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
from dataclasses import dataclass
from pathlib import Path

BACKUP_DIR = "backups"  # the automatic and before-restore copies beside a SQLite register
BACKUP_SUFFIX = ".vanthu"


@dataclass(frozen=True)
class Figures:
    documents: int | None
    last_event: int | None
    events: int | None


def _damaged(path: Path) -> Figures:
    """What can still be read of a damaged file; None where its pages cannot be read."""
    def one(conn: sqlite3.Connection, sql: str) -> int | None:
        try:
            row = conn.execute(sql).fetchone()
        except sqlite3.Error:
            return None
        return None if row is None or row[0] is None else int(row[0])

    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=2)
    except sqlite3.Error:
        return Figures(None, None, None)
    try:
        return Figures(one(conn, "SELECT count(*) FROM documents"), one(conn, "SELECT max(id) FROM audit_events"),
                       one(conn, "SELECT count(*) FROM audit_events"))
    finally:
        conn.close()


def _newest_backup(path: Path) -> tuple[Path, dict] | None:
    folder = path.parent / BACKUP_DIR
    found = []
    for file in folder.glob(f"*{BACKUP_SUFFIX}") if folder.is_dir() else ():
        try:
            with zipfile.ZipFile(file) as archive:
                manifest = json.loads(archive.read("manifest.json"))
        except (OSError, KeyError, ValueError, zipfile.BadZipFile):
            continue
        if isinstance(manifest, dict):
            found.append((str(manifest.get("created_at", "")), file, manifest))
    if not found:
        return None
    _when, file, manifest = max(found, key=lambda f: (f[0], f[1].name))
    return file, manifest


def restore_losses(path: Path) -> str:
    """One sentence: the newest backup, and how many documents and audit events restoring it would lose."""
    newest = _newest_backup(path)
    if newest is None:
        return f"Không có bản sao lưu nào trong thư mục {BACKUP_DIR} bên cạnh tệp để so sánh."
    file, manifest = newest
    head = manifest.get("audit_head") if isinstance(manifest.get("audit_head"), dict) else {}
    kept_docs, kept_event = manifest.get("documents"), head.get("last_id")
    said = (f"Bản sao lưu mới nhất là {file.name} (lúc {manifest.get('created_at', '?')}): {kept_docs} văn bản"
            + (f", nhật ký đến mục #{kept_event}" if kept_event else ""))
    now = _damaged(path)
    lost = []
    if now.documents is not None and isinstance(kept_docs, int):
        lost.append(f"{max(now.documents - kept_docs, 0)} văn bản")
    if now.last_event is not None and isinstance(kept_event, int):
        lost.append(f"{max(now.last_event - kept_event, 0)} mục nhật ký (tệp hỏng còn đọc được đến mục "
                    f"#{now.last_event})")
    if not lost:
        return f"{said}. Không đọc được tệp hỏng để biết bản sao lưu thiếu bao nhiêu văn bản."
    return f"{said}. Khôi phục nó sẽ mất {' và '.join(lost)} ghi sau lần sao lưu đó."
