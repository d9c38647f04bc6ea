"""Use cases of the register; the UI and CLI go through a Registry and its parts, never through SQL."""

from app.services.registry import Registry

__all__ = ["Registry"]
