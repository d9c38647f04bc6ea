"""Where the shipped files (resources/: fonts, icons) are, from a source checkout and from a frozen bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def frozen() -> bool:
    """True inside a PyInstaller bundle (the installed app), False when run from source."""
    return bool(getattr(sys, "frozen", False)) and hasattr(sys, "_MEIPASS")


def resources_dir() -> Path:
    """resources/ at the top of the checkout, or the copy PyInstaller unpacks beside the bundled modules."""
    base = Path(sys._MEIPASS) if frozen() else Path(__file__).resolve().parents[1]  # type: ignore[attr-defined]
    return base / "resources"


def resource(*parts: str) -> Path:
    """One shipped file, e.g. resource("icons", "vanthu.png")."""
    return resources_dir().joinpath(*parts)
