"""registry.backups: one archive file with the database, every attachment and a manifest."""

from __future__ import annotations

from pathlib import Path

from app.core.access import Permission
from app.services import backup
from app.services.parts.base import Part, open_to_all, requires


class Backups(Part):
    """Copies for a USB stick and the daily automatic copy (restoring opens no register: app.services.registry)."""

    @requires(Permission.BACKUP)
    def create(self, path: str | Path) -> backup.BackupInfo:
        """Write the whole register to one backup file (consistent while others write), whole or not at all."""
        return backup.backup(self._session.url, path)

    @open_to_all("the safety copy is made for everyone at start-up, whoever signs in later")
    def auto(self, keep: int | None = None) -> str | None:
        """Today's automatic backup in backups/ beside the database unless made already; keeps the last
        `backup.keep` (default 10). Never raises: returns a line for the status bar, or None."""
        if self._session.read_only is not None:
            return None  # nothing new to keep, and backups/ beside it cannot be written
        return backup.auto_backup(self._session.url, keep)
