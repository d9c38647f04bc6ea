"""One way to build a form: fields bound to widgets, their values, whether anything changed, errors under fields."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TypeVar

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from app.core.dates import format_date, parse_date
from app.core.errors import ValidationError, VanThuError

Field = QLineEdit | QPlainTextEdit | QComboBox
W = TypeVar("W", QLineEdit, QPlainTextEdit, QComboBox)

ERROR_STYLE = "color: #b00020;"
# A dialog's style sheet can draw a refused field from this property, e.g. QLineEdit[invalid="true"] { … }.
INVALID = "invalid"


def repolish(widget: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property used in it changed."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class Form:
    """The fields of one dialog or pane, by the names the services use (ValidationError's field names), so a
    refusal lands under the field it names. Whether anything was typed since the last load or save is one rule for
    every dialog: `is_dirty()` compares the fields with what `mark_clean()` saw."""

    def __init__(self, labels: Mapping[str, str] | None = None, label_errors: bool = False,
                 general: QLabel | None = None) -> None:
        self.labels: dict[str, str] = dict(labels or {})
        self.label_errors = label_errors  # "Ngày đến: …" under the field, or the message alone
        self.fields: dict[str, Field] = {}
        self.errors: dict[str, QLabel] = {}
        # Refusals that name no field of this form; a window may pass its own message line (shared by its forms).
        self.general = general if general is not None else self._error_label("error_general")
        self._clean: dict[str, str] = {}

    # building
    def bind(self, name: str, widget: W) -> W:
        """Take a widget as the field `name`; typing in it clears the field's error."""
        widget.setObjectName(widget.objectName() or name)
        self.fields[name] = widget
        if isinstance(widget, QPlainTextEdit):
            widget.textChanged.connect(lambda: self.clear_error(name))
        elif isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(lambda _index: self.clear_error(name))
            if widget.isEditable():
                widget.lineEdit().textEdited.connect(lambda _text: self.clear_error(name))
        else:
            widget.textEdited.connect(lambda _text: self.clear_error(name))
        return widget

    def line(self, name: str, placeholder: str = "", width: int | None = None) -> QLineEdit:
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        if width:
            edit.setMaximumWidth(width)
        return self.bind(name, edit)

    def date(self, name: str, value: str = "", width: int | None = 130) -> QLineEdit:
        """A day-first date: 241023 or 24/10/23 becomes 24/10/2023 on leaving; a non-date is named at once."""
        edit = self.line(name, "DD/MM/YYYY", width)
        edit.setToolTip("Gõ 241023, 24/10/23 hoặc 24/10/2023; khi rời ô sẽ thành 24/10/2023.")
        edit.setText(value)
        edit.editingFinished.connect(lambda: self.normalise_date(name))
        return edit

    def text(self, name: str, placeholder: str = "", lines: int = 3) -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setPlaceholderText(placeholder)
        edit.setTabChangesFocus(True)  # Tab leaves; Enter inside is a new line
        edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 14)
        return self.bind(name, edit)

    def choice(self, name: str, items: Iterable[tuple[str, object]]) -> QComboBox:
        combo = QComboBox()
        for text, value in items:
            combo.addItem(text, value)
        return self.bind(name, combo)

    def error_label(self, name: str) -> QLabel:
        """The (hidden) error line of a field, made on first use, for the dialog to place under the field."""
        if name not in self.errors:
            self.errors[name] = self._error_label(f"error_{name}")
        return self.errors[name]

    def boxed(self, widget: QWidget, *names: str) -> QWidget:
        """The widget with the error lines of `names` under it (a form row's field cell)."""
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(1)
        column.addWidget(widget)
        for name in names:
            column.addWidget(self.error_label(name))
        return box

    @staticmethod
    def _error_label(object_name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(object_name)
        label.setProperty("role", "error")
        label.setStyleSheet(ERROR_STYLE)
        label.setWordWrap(True)
        label.hide()
        return label

    # values
    def widget(self, name: str, kind: type[W]) -> W:
        widget = self.fields[name]
        assert isinstance(widget, kind)
        return widget

    def value(self, name: str) -> str:
        """What the field holds, as text the services parse (a fixed choice gives its data, '' for none)."""
        widget = self.fields[name]
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        if isinstance(widget, QComboBox):
            if widget.isEditable():
                return widget.currentText()
            data = widget.currentData()
            return "" if data is None else str(data)
        return widget.text()

    def values(self) -> dict[str, str]:
        return {name: self.value(name) for name in self.fields}

    def set_value(self, name: str, text: str) -> None:
        widget = self.fields[name]
        if isinstance(widget, QPlainTextEdit):
            widget.setPlainText(text)
        elif isinstance(widget, QComboBox) and not widget.isEditable():
            widget.setCurrentIndex(max(widget.findData(text or None), 0))  # '' is the "none" item (data None)
        elif isinstance(widget, QComboBox):
            index = widget.findText(text)
            widget.setCurrentIndex(index) if index >= 0 else widget.setEditText(text)
        else:
            widget.setText(text)
            widget.setCursorPosition(0)

    def load(self, values: Mapping[str, str]) -> None:
        """Fill the fields (those not named keep what they hold), clear every error and start clean."""
        for name, text in values.items():
            self.set_value(name, text)
        self.clear()
        self.mark_clean()

    # changes since load or save: the one rule behind "nothing typed is ever lost"
    def mark_clean(self) -> None:
        self._clean = self.values()

    def changed(self, names: Sequence[str] | None = None) -> dict[str, str]:
        """The fields (of `names`, default all) whose value differs from the last clean state: name -> value."""
        now = self.values()
        return {n: now[n] for n in (names if names is not None else now) if now[n] != self._clean.get(n, "")}

    def is_dirty(self) -> bool:
        return bool(self.changed())

    # errors
    def show(self, error: VanThuError) -> list[str]:
        """Put each refusal of a ValidationError under its field (red), the rest on the general line; returns
        the refused fields of this form in field order and focuses the first one."""
        self.clear()
        items = error.errors if isinstance(error, ValidationError) else []
        general = [] if items else [str(error)]
        for item in items:
            if item.field in self.errors:
                self.add_error(item.field, item.message)
            else:
                general.append(str(item))
        if general:
            self.general.setText("\n".join(general))
            self.general.show()
        refused = [name for name in self.fields if name in {item.field for item in items}]
        if refused:
            first = self.fields[refused[0]]
            first.setFocus()
            if isinstance(first, QLineEdit):
                first.selectAll()  # retyping replaces, as after Tab
        return refused

    def add_error(self, name: str, message: str) -> None:
        label = self.error_label(name)
        text = f"{self.labels[name]}: {message}" if self.label_errors and name in self.labels else message
        shown = label.text().split("\n") if not label.isHidden() and label.text() else []
        if text not in shown:
            label.setText("\n".join([*shown, text]))
        label.show()
        self.mark(name, True)

    def clear_error(self, name: str) -> None:
        label = self.errors.get(name)
        if label is not None and not label.isHidden():
            label.hide()
            label.clear()
        self.mark(name, False)

    def clear(self) -> None:
        for name in list(self.errors):
            self.clear_error(name)
        self.general.hide()
        self.general.clear()

    def mark(self, name: str, invalid: bool) -> None:
        widget = self.fields.get(name)
        if widget is not None and bool(widget.property(INVALID)) != invalid:
            widget.setProperty(INVALID, invalid)
            repolish(widget)

    def normalise_date(self, name: str) -> bool:
        """Rewrite a date field DD/MM/YYYY, or name the problem under it at once; True when it holds a date
        or nothing."""
        edit = self.widget(name, QLineEdit)
        text = edit.text().strip()
        self.clear_error(name)
        if not text:
            return True
        try:
            edit.setText(format_date(parse_date(text)))
        except ValueError as exc:
            self.add_error(name, str(exc))
            return False
        return True
