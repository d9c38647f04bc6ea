"""Temporary files and folders made beside a target (a backup, a restored database, an attachment) carry the id of
the process that made them, so that the next run sweeps what a killed run (SIGKILL, a power cut) left behind.

Such a leftover is a whole or partial copy of the register, its secret books included: it must not stay hidden on
a USB stick or beside the database. A leftover is removed when its process is gone, or, where that cannot be asked
safely (Windows: os.kill there terminates), when it is a day old."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

STALE_SECONDS = 24 * 3600


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        return True  # not asked: see the module's doc
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def sweep(folder: Path, prefix: str) -> list[Path]:
    """Remove `prefix<pid>-…` entries in `folder` whose process is gone (or that are a day old); returns them."""
    removed: list[Path] = []
    try:
        entries = [e for e in folder.iterdir() if e.name.startswith(prefix)]
    except OSError:  # no folder yet, or one that cannot be listed: nothing to sweep
        return removed
    now = time.time()
    for entry in entries:
        pid_text = entry.name[len(prefix):].split("-", 1)[0]
        if not pid_text.isdigit():
            continue
        with contextlib.suppress(OSError):
            if _alive(int(pid_text)) and now - entry.stat().st_mtime < STALE_SECONDS:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
            removed.append(entry)
    return removed


# What make_file(folder, ".<name>.", ".part") makes: swept whatever <name> was (a dated backup's name changes
# from one run to the next, so the prefix of the killed run's file is not the next run's).
_PART = re.compile(r"^\..+\.(\d+)-[^./\\]+\.part$")


def sweep_parts(folder: Path) -> list[Path]:
    """Remove the `.<name>.<pid>-….part` files in `folder` whose process is gone (or that are a day old)."""
    removed: list[Path] = []
    try:
        entries = [e for e in folder.iterdir() if _PART.match(e.name)]
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        pid = int(_PART.match(entry.name).group(1))  # type: ignore[union-attr]
        with contextlib.suppress(OSError):
            if entry.is_dir() or (_alive(pid) and now - entry.stat().st_mtime < STALE_SECONDS):
                continue
            entry.unlink()
            removed.append(entry)
    return removed


def _tagged(prefix: str) -> str:
    return f"{prefix}{os.getpid()}-"


def make_file(folder: Path, prefix: str, suffix: str = "") -> tuple[int, str]:
    """tempfile.mkstemp in `folder`, named after this process, once the leftovers of killed runs are swept."""
    sweep(folder, prefix)
    return tempfile.mkstemp(prefix=_tagged(prefix), suffix=suffix, dir=folder)


@contextmanager
def temporary_folder(folder: Path, prefix: str) -> Iterator[str]:
    """tempfile.TemporaryDirectory in `folder`, named after this process, once killed runs' leftovers are swept."""
    sweep(folder, prefix)
    with tempfile.TemporaryDirectory(prefix=_tagged(prefix), dir=folder) as work:
        yield work
