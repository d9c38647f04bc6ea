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
from collections.abc import Callable, Iterator
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


def _sweep(folder: Path, pid_of: Callable[[str], int | None]) -> list[Path]:
    """Remove the entries of `folder` whose name gives a process id (pid_of) that is gone, or that are a day old."""
    try:
        found = [(e, pid) for e in folder.iterdir() if (pid := pid_of(e.name)) is not None]
    except OSError:  # no folder yet, or one that cannot be listed: nothing to sweep
        return []
    removed: list[Path] = []
    now = time.time()
    for entry, pid in found:
        with contextlib.suppress(OSError):
            if _alive(pid) and now - entry.stat().st_mtime < STALE_SECONDS:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
            removed.append(entry)
    return removed


def sweep(folder: Path, prefix: str) -> list[Path]:
    """Remove the `prefix<pid>-…` entries in `folder` whose process is gone (or that are a day old)."""
    def pid_of(name: str) -> int | None:
        text = name[len(prefix):].split("-", 1)[0] if name.startswith(prefix) else ""
        return int(text) if text.isdigit() else None

    return _sweep(folder, pid_of)


# What make_file(folder, ".<name>.", ".part") makes: swept whatever <name> was (a dated backup's name changes
# from one run to the next, so the prefix of the killed run's file is not the next run's).
_PART = re.compile(r"^\..+\.(\d+)-[^./\\]+\.part$")


def sweep_parts(folder: Path) -> list[Path]:
    """Remove the `.<name>.<pid>-….part` files in `folder` whose process is gone (or that are a day old)."""
    return _sweep(folder, lambda name: int(m.group(1)) if (m := _PART.match(name)) else None)


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
