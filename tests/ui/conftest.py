"""The widget tests run with Qt speaking Vietnamese, as the application does from its first line."""

from __future__ import annotations

import pytest

from app.ui import qt_vietnamese


@pytest.fixture(autouse=True)
def vietnamese_qt(qapp):  # type: ignore[no-untyped-def]
    qt_vietnamese.install()
    yield
