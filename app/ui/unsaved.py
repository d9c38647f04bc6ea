"""Nothing typed is ever lost: the one question "Lưu / Bỏ / Quay lại" and a snapshot that tells what was typed.

How a dialog uses it (the settings pages, the F2 edit pane and every dialog that takes typed input do so):

    self.snapshot = Snapshot({"Số, ký hiệu": self.reference, "Trích yếu": self.subject})  # end of __init__

    def reject(self) -> None:  # Esc, the Đóng button and the window's close box all land here
        changed = self.snapshot.changed()  # the labels of the fields typed in since the snapshot
        close_unsaved(self, [f"Liên kết: {', '.join(changed)}"] if changed else [], self.accept, super().reject)

`close_unsaved` is for a dialog whose own save closes it (accept): Lưu runs it (saved: closed; refused: the reason
under the field, the dialog stays), Bỏ closes, Quay lại (Esc) leaves everything as typed. A caller that goes on
after saving (showing another entry, closing the settings) uses `settle_unsaved`, which runs the save for Lưu and
says whether to go on; `ask_unsaved` only asks and returns the `Answer`. A dialog built on app.ui.form.Form can use
`Form.changed()` and `Form.mark_clean()` instead of a Snapshot.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from enum import Enum

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

TITLE = "Chưa lưu"
# The buttons' texts, each with its mnemonic: in the question the letter alone (L, B, Q) answers.
SAVE_TEXT, DISCARD_TEXT, BACK_TEXT = "&Lưu", "&Bỏ", "&Quay lại"


class Answer(Enum):
    """What the clerk answered."""

    SAVE = "save"  # Lưu: save what was typed, then go on (stay when the save is refused)
    DISCARD = "discard"  # Bỏ: drop what was typed and go on
    BACK = "back"  # Quay lại: stay where they were, everything typed still there (Esc)


def ask_unsaved(parent: QWidget | None, lost: str | Sequence[str], leaving: str = "đóng",
                default: Answer = Answer.SAVE) -> Answer:
    """Ask Lưu / Bỏ / Quay lại before typed work would be lost. `lost` says what would be (one line, or one line per
    part, e.g. "Cơ quan: Tên cơ quan, Địa danh"); `leaving` is what the clerk is about to do, worded to follow
    "Lưu trước khi …" ("đóng", "chuyển sang văn bản khác"). Enter takes `default` (Lưu unless a dialog's save is
    weighty, like cancelling an entry); Esc is always Quay lại."""
    lines = [lost] if isinstance(lost, str) else list(lost)
    listed = "\n".join(f"• {line}" for line in lines)
    box = QMessageBox(QMessageBox.Icon.Question, TITLE,
                      f"Những gì đã nhập sau đây chưa được lưu:\n{listed}\n\nLưu trước khi {leaving}?", parent=parent)
    box.setObjectName("unsaved_question")
    box.setInformativeText(f"Lưu: lưu rồi {leaving}.  Bỏ: bỏ những gì đã nhập.  Quay lại: tiếp tục nhập (Esc).")
    buttons = {Answer.SAVE: box.addButton(SAVE_TEXT, QMessageBox.ButtonRole.AcceptRole),
               Answer.DISCARD: box.addButton(DISCARD_TEXT, QMessageBox.ButtonRole.DestructiveRole),
               Answer.BACK: box.addButton(BACK_TEXT, QMessageBox.ButtonRole.RejectRole)}
    for answer, button in buttons.items():
        button.setObjectName(f"unsaved_{answer.value}")
    box.setDefaultButton(buttons[default])
    box.setEscapeButton(buttons[Answer.BACK])
    box.exec()
    return next((a for a, b in buttons.items() if b is box.clickedButton()), Answer.BACK)


def settle_unsaved(parent: QWidget | None, lost: str | Sequence[str], save: Callable[[], object],
                   leaving: str = "đóng", default: Answer = Answer.SAVE) -> bool:
    """Ask, and for Lưu run `save` (which shows its own refusal, naming the field); True when the caller may go on
    (saved, or Bỏ), False to stay (Quay lại, or the save was refused: `save` returned something falsy)."""
    answer = ask_unsaved(parent, lost, leaving, default)
    if answer is Answer.SAVE:
        return bool(save())
    return answer is Answer.DISCARD


def close_unsaved(dialog: QWidget, lost: str | Sequence[str], save: Callable[[], object], close: Callable[[], object],
                  default: Answer = Answer.SAVE) -> None:
    """What a dialog's reject() does when its save closes it: nothing `lost` (empty) closes at once; else ask —
    Lưu runs `save` (closes once saved; refused, it shows why and the dialog stays), Bỏ runs `close` (the dialog's
    plain reject), Quay lại leaves everything as typed."""
    if not lost:
        close()
        return
    answer = ask_unsaved(dialog, lost, "đóng", default)
    if answer is Answer.SAVE:
        save()
    elif answer is Answer.DISCARD:
        close()


def widget_value(widget: QWidget) -> object:
    """What an editable widget holds, comparable between two moments."""
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        # a fixed choice by what it holds, not its row: a list refilled around it does not make it "changed"
        return widget.currentText() if widget.isEditable() else (widget.currentText(), widget.currentData())
    if isinstance(widget, QAbstractButton):
        return widget.isChecked()
    if isinstance(widget, QAbstractSpinBox):  # QSpinBox, QDateEdit: the text shown is the value
        return widget.text()
    if isinstance(widget, QListWidget):
        return widget.currentRow()
    raise TypeError(f"no value to compare for {type(widget).__name__}")


class Snapshot:
    """The values of some editable widgets, by label, taken now and again with `take()` after a save; `changed()`
    names the labels whose widget holds something else since."""

    def __init__(self, widgets: Mapping[str, QWidget]) -> None:
        self.widgets = dict(widgets)
        self._taken: dict[str, object] = {}
        self.take()

    def take(self) -> None:
        self._taken = {label: widget_value(w) for label, w in self.widgets.items()}

    def changed(self) -> list[str]:
        return [label for label, w in self.widgets.items() if widget_value(w) != self._taken[label]]

    def is_dirty(self) -> bool:
        return bool(self.changed())
