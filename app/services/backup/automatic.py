"""The copies the app makes by itself: today's automatic backup (keeping the last N) and one before an upgrade."""

from __future__ import annotations

import contextlib
import logging
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine, text

from app.core.errors import VanThuError
from app.db.migrate import HEAD_REVISION
from app.services.backup.common import (
    AUTO_PREFIX,
    BEFORE_UPGRADE_PREFIX,
    DEFAULT_KEEP,
    KEEP_SETTING,
    SUFFIX,
    _connect,
    _engine_url,
    _sqlite_file,
    _unique,
    _url,
    backup_folder,
    known_revisions,
)
from app.services.backup.writing import backup

log = logging.getLogger(__name__)


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
