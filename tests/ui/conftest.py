"""What the widget tests share: Qt speaking Vietnamese, as the application does from its first line, and a second
Registry on the register file to read back what a dialog wrote."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.services import Registry
from app.ui import qt_vietnamese, screen_fit


@pytest.fixture(autouse=True)
def vietnamese_qt(qapp):  # type: ignore[no-untyped-def]
    qt_vietnamese.install()
    screen_fit.install()  # as the launcher does: dialogs inside the screen
    yield


@pytest.fixture
def reopen(db_url: str) -> Iterator:  # type: ignore[type-arg]
    """A second Registry on the same register file: what was really written, not what a widget shows."""
    opened: list[Registry] = []

    def open_again() -> Registry:
        opened.append(Registry(db_url, actor="kiem_tra"))
        return opened[-1]

    yield open_again
    for reg in opened:
        reg.close()
