"""Real filesystems for fault tests: a small tmpfs, later remounted read-only (as a USB stick's write lock)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def run(*command: str) -> bool:
    try:
        return subprocess.run(command, capture_output=True, check=False, timeout=60).returncode == 0
    except (OSError, subprocess.TimeoutExpired):  # no mount here
        return False


@contextmanager
def tmpfs(folder: Path, size: str = "16m") -> Iterator[Path]:
    """Mount a tmpfs on `folder` (made here); the test is skipped where mounting is not allowed (not root)."""
    if not sys.platform.startswith("linux"):
        pytest.skip("mounting a filesystem needs Linux")
    folder.mkdir(parents=True, exist_ok=True)
    if not run("mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)):
        pytest.skip("cannot mount a tmpfs here (not root)")
    try:
        yield folder
    finally:
        run("umount", "-l", str(folder))


def lock(folder: Path) -> None:
    """Make the mounted filesystem read-only: no one, root included, can write it any more."""
    assert run("mount", "-o", "remount,ro", str(folder)), "remount read-only failed"
