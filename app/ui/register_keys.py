"""The registration dialog's keyboard: Enter moves on, Ctrl+Enter or Ctrl+S saves, Ctrl+Shift+Enter saves and
goes on, Ctrl+Shift+V pastes a document's text, Esc cancels; suggestion lists take only what the clerk chose."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QCompleter, QLineEdit, QPlainTextEdit, QWidget


@dataclass(frozen=True)
class KeyActions:
    """What the keys do, as the dialog does it."""

    next_field: Callable[[], object]
    save: Callable[[bool], object]  # the argument: close after saving
    cancel: Callable[[], object]
    paste: Callable[[], object] | None = None  # reading a document's text, where the form has it


class KeyFilter(QObject):
    """Installed on every widget of the dialog and on each suggestion list (a window of its own), so every widget
    of the form behaves alike; handled here rather than with QShortcut, which a focused popup would not see."""

    def __init__(self, actions: KeyActions, completers: Mapping[str, QCompleter],
                 focus_out: Callable[[QObject], object] | None = None,
                 list_closed: Callable[[], object] | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.actions = actions
        self.completers = completers
        self.focus_out = focus_out  # a field the clerk left (a text fill's highlight is then confirmed)
        self.list_closed = list_closed  # a suggestion list closed: the dialog takes the keys back

    def watch(self, widgets: list[QWidget]) -> None:
        for completer in self.completers.values():
            completer.popup().installEventFilter(self)  # Ctrl+Enter saves even while the list is open
        for widget in widgets:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and self.focus_out is not None:
            self.focus_out(watched)
        if event.type() == QEvent.Type.Hide and self.list_closed is not None and self._is_list(watched):
            self.list_closed()
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            action = self.action(watched, event)
            if action is not None:
                action()
                return True
        return False

    def action(self, watched: QObject, event: QKeyEvent) -> Callable[[], object] | None:
        """What the key does in the watched widget, or None to let it do what it does by itself (Enter in a
        multi-line box is a new line, Tab moves on, arrows pick a suggestion)."""
        key, mods = event.key(), event.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        alt = bool(mods & (Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier))
        do = self.actions
        if alt:
            return None
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab) and not ctrl and not shift \
                and self._is_unchosen_suggestion_list(watched):
            # Qt would replace what was typed by the suggestion it highlights on its own (a prefix match):
            # only a suggestion the clerk chose (arrow keys or mouse) is taken; otherwise keep the text and go on.
            popup = watched
            assert isinstance(popup, QWidget)
            return lambda: (popup.hide(), do.next_field())
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if ctrl:
                return lambda: do.save(not shift)
            if not shift and isinstance(watched, QLineEdit | QComboBox):
                return do.next_field
        elif key == Qt.Key.Key_S and ctrl and not shift:
            return lambda: do.save(True)
        elif key == Qt.Key.Key_V and ctrl and shift and do.paste is not None:
            return do.paste
        elif key == Qt.Key.Key_Escape and not ctrl and not shift and isinstance(watched, QLineEdit | QComboBox |
                                                                                 QPlainTextEdit):
            return do.cancel
        return None

    def _is_list(self, widget: QObject) -> bool:
        return any(widget is c.popup() for c in self.completers.values())

    def _is_unchosen_suggestion_list(self, widget: QObject) -> bool:
        """An open suggestion list in which the clerk has not picked anything."""
        return isinstance(widget, QAbstractItemView) and self._is_list(widget) \
            and not widget.selectionModel().hasSelection()
