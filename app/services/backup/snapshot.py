"""A backup's database, checked and extracted to a temporary file for reading (comparing its audit chain)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.services.backup.checking import _check_members, _manifest, _open_archive
from app.services.backup.common import SQLITE_MEMBER
from app.services.backup.restoring import _extract


@dataclass(frozen=True)
class Snapshot:
    """The manifest of a checked backup, and its SQLite database extracted read-only (None for PostgreSQL)."""

    manifest: dict[str, Any]
    database: Path | None


@contextmanager
def snapshot_of(path: str | Path) -> Iterator[Snapshot]:
    """Check the backup whole (every member's hash), then lend its database file; removed afterwards."""
    source = Path(path).expanduser()
    with _open_archive(source) as archive:
        manifest = _manifest(archive, source)
        member = _check_members(archive, source, manifest)
        if member != SQLITE_MEMBER:
            yield Snapshot(manifest, None)
            return
        with tempfile.TemporaryDirectory(prefix=".vanthu-snapshot-") as work:
            target = Path(work) / SQLITE_MEMBER
            _extract(archive, member, manifest["members"][member]["sha256"], target)
            yield Snapshot(manifest, target)
