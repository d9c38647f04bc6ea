"""Typing into real widgets as a clerk does, including Vietnamese letters (qtbot.keyClicks aborts on non-ASCII)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget


def type_text(widget: QWidget, text: str) -> None:
    """Send one key press/release per character, each carrying its text, to the widget."""
    for ch in text:
        key = Qt.Key.Key_Space if ch == " " else Qt.Key.Key_unknown
        if ch.isascii() and ch.isalnum():
            key = Qt.Key(ord(ch.upper()))
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QCoreApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch))
    QApplication.processEvents()


def press(widget: QWidget, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """Press and release one key (Tab, Enter, Escape, Down…) on the widget."""
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QCoreApplication.sendEvent(widget, QKeyEvent(kind, key, modifiers, ""))
    QApplication.processEvents()


def focused() -> QWidget:
    """Where Qt sends the next key: an open completion popup first, else the focused field."""
    widget = QApplication.activePopupWidget() or QApplication.focusWidget()
    assert widget is not None, "nothing has keyboard focus"
    return widget


def key(k: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    press(focused(), k, modifiers)


def enter() -> None:
    key(Qt.Key.Key_Return)


def typed(text: str, then: Qt.Key | None = Qt.Key.Key_Return) -> None:
    """Type into the focused field, then leave it (Enter by default)."""
    type_text(focused(), text)
    if then is not None:
        key(then)
