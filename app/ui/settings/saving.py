"""Saving a settings page: each changed value through registry.settings.set (audited), each refusal kept apart."""

from __future__ import annotations

from collections.abc import Mapping

from app.core.errors import FieldError, ValidationError
from app.services import Registry


def save_changed(registry: Registry, stored: dict[str, str],
                 values: Mapping[str, str]) -> tuple[dict[str, str], list[FieldError]]:
    """Save the values that differ from what the register holds (`stored`, updated in place); returns the saved
    ones as the register tidied them, and the refusals. Compared with the register, not with the last load, so
    a refused value stays unsaved and is tried again next time."""
    saved: dict[str, str] = {}
    refused: list[FieldError] = []
    for key, value in values.items():
        if value == stored.get(key, ""):
            continue
        try:
            saved[key] = stored[key] = registry.settings.set(key, value)
        except ValidationError as exc:
            refused.extend(exc.errors)
    return saved, refused
