"""Use cases of the register; the UI and CLI go through a Registry and its parts, never through SQL."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.services.registry import Registry

__all__ = ["Registry"]


def __getattr__(name: str) -> Any:
    # Loaded on first use (PEP 562): importing any app.services.* module runs this package first, and a command
    # that needs one service (or none: --version, --help) should not pay for the Registry and everything it uses.
    if name == "Registry":
        from app.services.registry import Registry

        return Registry
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
