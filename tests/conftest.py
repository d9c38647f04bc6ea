"""Shared fixtures: a fresh SQLite register file per test, and offscreen Qt."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# Before anything can import PySide6.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent

from app.services import Registry  # noqa: E402


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "register.sqlite3"


@pytest.fixture
def registry(db_path: Path) -> Iterator[Registry]:
    """A migrated, empty register on a real SQLite file."""
    reg = Registry(str(db_path), actor="van_thu_test")
    yield reg
    reg.close()


@pytest.fixture
def state_registry(registry: Registry) -> Registry:
    """A register of a state agency (Sở Y tế Tây Ninh)."""
    registry.set_setting("agency.name", "SỞ Y TẾ TỈNH TÂY NINH")
    registry.set_setting("agency.abbreviation", "SYT")
    registry.set_setting("agency.parent", "UBND TỈNH TÂY NINH")
    registry.set_setting("agency.family", "state")
    return registry


@pytest.fixture
def party_registry(registry: Registry) -> Registry:
    """A register of a Party agency (Tỉnh ủy)."""
    registry.set_setting("agency.name", "TỈNH ỦY TÂY NINH")
    registry.set_setting("agency.abbreviation", "TU")
    registry.set_setting("agency.family", "party")
    return registry


def run_cli(*args: str, db: Path, env: dict[str, str] | None = None,
            stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m app ...` as a user would, in a real subprocess."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8", **(env or {})}
    return subprocess.run([sys.executable, "-m", "app", "--db", str(db), *args], capture_output=True, text=True,
                          encoding="utf-8", env=full_env, cwd=ROOT, input=stdin, timeout=120)
