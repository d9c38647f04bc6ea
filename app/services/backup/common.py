"""What every part of a backup shares: the archive's format, its results, and where a register lives."""

# A backup is a zip archive (suffix .vanthu) that a clerk can copy to a USB stick:
#
#     manifest.json                  format, app version, dialect, schema revision, created_at, counts, and the
#                                    sha256 and size of every other member
#     register.sqlite3               SQLite: a snapshot made with the online backup API (consistent while other
#                                    clerks write; WAL-safe), checked with PRAGMA integrity_check
#     register.pgdump                PostgreSQL instead: `pg_dump -Fc` (one snapshot transaction)
#     attachments/<sha[:2]>/<file>   the content-addressed attachment store, byte for byte

from __future__ import annotations

import re
import sqlite3
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL, make_url

from app.core.errors import ValidationError
from app.db.migrate import HEAD_REVISION, MIGRATIONS
from app.services.attachments import data_folder

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
    audit_head: dict[str, Any] | None = None  # the audit chain's head when the backup was made (an anchor)

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
                "attachments_written": self.attachments_written, "migrated_from": self.migrated_from,
                "notes": self.notes}


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


def _connect(path: Path, timeout: float = 30.0) -> sqlite3.Connection:
    return sqlite3.connect(str(path), timeout=timeout, isolation_level=None)


def _engine_url(url: URL) -> str:
    return url.render_as_string(hide_password=False)


# names of the backups the app makes by itself -----------------------------------------------------------------

def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def _unique(folder: Path, prefix: str) -> Path:
    target = folder / f"{prefix}{_stamp()}{SUFFIX}"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"{prefix}{_stamp()}-{counter}{SUFFIX}"
    return target
