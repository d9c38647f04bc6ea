"""Use cases of the register; the UI and CLI go through the Registry facade, never through SQL."""

from app.services.facade import Registry

__all__ = ["Registry"]
