"""Answering the Lưu / Bỏ / Quay lại question (app.ui.unsaved) as the clerk does: by keyboard, on the real box."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.ui.keyboard import press

# Enter takes the default (Lưu), the letter of a mnemonic answers alone, Esc is Quay lại.
KEYS = {"Lưu": Qt.Key.Key_Return, "Bỏ": Qt.Key.Key_B, "Quay lại": Qt.Key.Key_Escape}


def answer_unsaved(answer: str, by: Qt.Key | None = None) -> list[str]:
    """Answer the next unsaved-changes question with `answer` ("Lưu", "Bỏ" or "Quay lại") by its key (or `by`, e.g.
    the L of Lưu where Enter is not Lưu), once the box is up; returns the list that receives the question's text,
    empty if none was asked."""
    asked: list[str] = []

    def reply() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or box.objectName() != "unsaved_question":
            return  # nothing asked: `asked` stays empty and the test says so
        asked.append(box.text())
        owner = box.parentWidget().window() if box.parentWidget() is not None else None
        if owner is not None:  # answered, the keyboard goes back to the window that asked, as on a desktop
            box.finished.connect(lambda _result: owner.activateWindow())
        box.activateWindow()  # the keyboard is the box's, as on a desktop (offscreen leaves it where it was)
        QApplication.processEvents()
        press(box, by or KEYS[answer])

    QTimer.singleShot(0, reply)
    return asked
