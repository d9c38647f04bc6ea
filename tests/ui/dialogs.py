"""What the dialog tests share: the registration dialog opened and focused, a file dropped on it, and
QInputDialog questions answered as the clerk would."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QUrl
from PySide6.QtWidgets import QApplication, QInputDialog

from app.core.enums import Direction
from app.services import Registry
from app.ui.detail_pane import DetailPane
from app.ui.register_dialog import RegisterDialog


class Asked:
    """QInputDialog.getText answered as the clerk would, each question kept (the dialogs are the real ones)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, answer: tuple[str, bool]) -> None:
        self.answer = answer
        self.labels: list[str] = []
        monkeypatch.setattr(QInputDialog, "getText", self)

    def __call__(self, _parent: object, _title: str, label: str, *_args: object, **_kwargs: object) -> tuple[str, bool]:
        self.labels.append(label)
        return self.answer


def open_incoming(qtbot, registry: Registry, width: int) -> RegisterDialog:  # type: ignore[no-untyped-def]
    """The incoming registration dialog, shown at `width` and focused; closing it asks nothing."""
    dialog = RegisterDialog(registry, Direction.INCOMING)
    qtbot.addWidget(dialog)
    dialog._confirm_discard = lambda: True  # type: ignore[method-assign]
    dialog.resize(width, dialog.sizeHint().height())
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    return dialog


def drop(dialog: RegisterDialog, path: Path) -> bool:
    """What dropping the file on the dialog does (dropEvent hands the mime data to the text fill)."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    assert dialog.text_fill is not None and dialog.text_fill.accepts(mime)
    return dialog.text_fill.from_mime(mime)


def shown_pane(qtbot, registry: Registry, width: int = 460) -> DetailPane:  # type: ignore[no-untyped-def]
    """The detail pane on its own, shown at `width` and exposed."""
    widget = DetailPane(registry)
    qtbot.addWidget(widget)
    widget.resize(width, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget
