"""Backup and restore: the whole register (database snapshot + every attachment + a manifest) in ONE file."""

# One module per responsibility: common (format, results, locations), databases (SQLite snapshot, pg_dump),
# writing (backup), checking (inspect_backup, list_backups), restoring (restore) and automatic (auto_backup,
# before_upgrade). Callers keep using `from app.services import backup` and the names below.

from app.services.backup.anchoring import losses
from app.services.backup.automatic import auto_backup, before_upgrade, prune
from app.services.backup.checking import inspect_backup, list_backups
from app.services.backup.common import (
    AUTO_PREFIX,
    BACKUP_DIR,
    BEFORE_RESTORE_PREFIX,
    BEFORE_UPGRADE_PREFIX,
    DEFAULT_KEEP,
    FORMAT,
    FORMAT_VERSION,
    KEEP_SETTING,
    MANIFEST,
    PG_MEMBER,
    SQLITE_MEMBER,
    SUFFIX,
    BackupInfo,
    RestoreResult,
    backup_folder,
    known_revisions,
)
from app.services.backup.restoring import restore
from app.services.backup.writing import backup

__all__ = [
    "AUTO_PREFIX", "BACKUP_DIR", "BEFORE_RESTORE_PREFIX", "BEFORE_UPGRADE_PREFIX", "DEFAULT_KEEP", "FORMAT",
    "FORMAT_VERSION", "KEEP_SETTING", "MANIFEST", "PG_MEMBER", "SQLITE_MEMBER", "SUFFIX", "BackupInfo",
    "RestoreResult", "auto_backup", "backup", "backup_folder", "before_upgrade", "inspect_backup", "known_revisions",
    "list_backups", "losses", "prune", "restore",
]
