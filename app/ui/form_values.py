"""Reading optional values typed in filter and range fields, collecting every problem with its field's label."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QLineEdit

from app.core.dates import parse_date


def optional_date(box: QLineEdit, label: str, problems: list[str]) -> date | None:
    """The day-first date in the box, None when empty; a bad one is named in `problems` and read as None."""
    text = box.text().strip()
    if not text:
        return None
    try:
        return parse_date(text)
    except ValueError as exc:
        problems.append(f"{label}: {exc}")
        return None
