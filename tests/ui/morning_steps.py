"""What the clerk's morning (test_clerk_morning) is made of: the questions a modal box asks, answered by keys from
a repeating timer that gives up on its own; the documents of the morning; the checks of where a dialog lies, and
of a printout saved from its preview."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QDeadlineTimer, QRect, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from app.ui.clerk_name_dialog import ClerkNameDialog
from tests.printing.pdf_read import page_texts
from tests.ui.keyboard import press, type_text

CTRL, SHIFT, ALT = (Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier,
                    Qt.KeyboardModifier.AltModifier)
SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"
EXTRACTION = Path(__file__).resolve().parents[1] / "data" / "extraction"
BUNDLE = SAMPLES / "incoming_forward_chain.txt"  # 3646/SYT-VP forwarding 5068/UBND-TH forwarding 1737-TB/VPTU
HOA_TOC = EXTRACTION / "03_state_hoa_toc_bo_y_te.txt"  # Bộ Y tế, hỏa tốc, "trước ngày 20/11/2024"
GIAY_MOI = EXTRACTION / "02_state_giay_moi_so.txt"  # Sở Tài chính Hà Nội; pasted without its "Số:" line
ROOT_WORD = re.compile(r"\broot\b", re.IGNORECASE)  # the OS login of the test machine, never a person


def giay_moi_without_number() -> str:
    """The giấy mời as it comes without số, ký hiệu (its "Số: 145/GM-STC" line left out)."""
    text = GIAY_MOI.read_text(encoding="utf-8")
    assert "Số: 145/GM-STC\n" in text
    return text.replace("Số: 145/GM-STC\n", "")


Handler = Callable[[QWidget], None]


class Questions:
    """Every question box (QMessageBox, QInputDialog, the clerk's name) that opens while it runs is handed to the
    next handler expected, in order; one nobody expected is kept in `unexpected` and closed with Esc, so nothing
    hangs. A repeating timer looks every 25 ms and stops by itself after `limit_ms`."""

    KINDS = (QMessageBox, QInputDialog, ClerkNameDialog)

    def __init__(self, limit_ms: int = 50_000) -> None:
        self.expected: list[tuple[str, Handler]] = []
        self.handled: list[str] = []  # the name of each handler, as it ran
        self.unexpected: list[str] = []
        self._last: QWidget | None = None
        self.deadline = QDeadlineTimer(limit_ms)
        self.timer = QTimer()
        self.timer.timeout.connect(self._look)
        self.timer.start(25)

    def expect(self, name: str, handler: Handler) -> None:
        self.expected.append((name, handler))

    def done(self, *names: str) -> None:
        """Assert that exactly these handlers ran since the last call, and that no other question came."""
        assert not self.unexpected, f"unexpected questions: {self.unexpected}"
        assert self.handled == list(names) and not self.expected, (self.handled, [n for n, _ in self.expected])
        self.handled = []

    def stop(self) -> None:
        self.timer.stop()

    def _look(self) -> None:
        if self.deadline.hasExpired():
            self.timer.stop()
            return
        box = QApplication.activeModalWidget()
        if box is None or box is self._last or not isinstance(box, self.KINDS) or not box.isVisible():
            return
        self._last = box
        owner = box.parentWidget().window() if box.parentWidget() is not None else None
        if owner is not None:  # answered, the keyboard goes back to the window that asked, as on a desktop
            box.finished.connect(lambda _result: owner.activateWindow())
        box.activateWindow()  # the keyboard is the box's, as on a desktop
        QApplication.processEvents()
        if not self.expected:
            self.unexpected.append(f"{type(box).__name__}: {text_of(box)}")
            press(box, Qt.Key.Key_Escape)
            return
        name, handler = self.expected.pop(0)
        self.handled.append(name)
        handler(box)


def text_of(box: QWidget) -> str:
    if isinstance(box, QMessageBox):
        return box.text()
    if isinstance(box, QInputDialog):
        return box.labelText()
    return box.windowTitle()


def answer_box(asked: list[str], letter: Qt.Key) -> Handler:
    """A QMessageBox answered by the underlined letter of a button (L: Lưu), its text kept in `asked`."""
    def handle(box: QWidget) -> None:
        assert isinstance(box, QMessageBox), box
        asked.append(box.text())
        press(box, letter)
    return handle


def type_answer(text: str, asked: list[str] | None = None) -> Handler:
    """A QInputDialog (or the clerk's name dialog) answered by typing over its field, then Enter."""
    def handle(box: QWidget) -> None:
        field = box.name if isinstance(box, ClerkNameDialog) else box.findChild(QLineEdit)
        assert field is not None, box
        if asked is not None:
            asked.append(text_of(box))
        field.setFocus()
        field.selectAll()
        type_text(field, text)
        press(field, Qt.Key.Key_Return)
    return handle


def inside_screen(widget: QWidget) -> None:
    """The window's frame lies inside the available area of its screen (nothing off-screen, nothing cut)."""
    QApplication.processEvents()  # a dialog is fitted to the screen just after it is shown
    screen = widget.screen()
    assert screen is not None
    area: QRect = screen.availableGeometry()
    frame = widget.frameGeometry()
    assert area.contains(frame), f"{widget.windowTitle()}: {frame} is not inside the screen's {area}"


def has_focus(window: QWidget) -> bool:
    widget = QApplication.focusWidget()
    return widget is not None and widget.window() is window


def focus_in(qtbot, dialog: QDialog) -> QDialog:  # type: ignore[no-untyped-def]
    """The dialog just opened has the keyboard (offscreen leaves it to us to activate it) and fits the screen."""
    assert isinstance(dialog, QDialog), dialog
    dialog.activateWindow()
    qtbot.waitUntil(lambda: has_focus(dialog))
    inside_screen(dialog)
    return dialog


def saved_pdf(preview: QWidget, target: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """"Lưu PDF…" of a print preview (the file chooser, the OS's part, answers `target`): the text of the PDF kept,
    read back from the file."""
    from PySide6.QtGui import QAction

    monkeypatch.setattr("app.ui.file_dialogs.save_file", lambda *_args, **_kw: str(target))
    [action] = [a for a in preview.findChildren(QAction) if a.text() == "Lưu PDF…"]
    action.trigger()
    assert target.is_file(), f"{preview.windowTitle()}: no PDF written"
    return " ".join(page_texts(target))


def no_login_name(text: str, where: str) -> None:
    assert not ROOT_WORD.search(text), f"the OS login name appears in {where}: {text[:400]}"


def apart(dialog: QWidget, upper: str, lower: str) -> None:
    """Two fields of a form (by name) lie one above the other, neither covering the other."""
    first, second = dialog.form.fields[upper], dialog.form.fields[lower]  # type: ignore[attr-defined]
    top = first.mapTo(dialog, first.rect().bottomLeft()).y()
    assert top < second.mapTo(dialog, second.rect().topLeft()).y(), f"{upper} covers {lower}"


def in_menu(qtbot, window: QWidget, text: str) -> None:  # type: ignore[no-untyped-def]
    """An action of the window's "&In" menu chosen by keys: Alt+I opens the menu, Down to the action, Enter."""
    from PySide6.QtWidgets import QMenu

    qtbot.keyClick(window, Qt.Key.Key_I, ALT)
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu) and any(a.text() == text for a in menu.actions())
    for _ in menu.actions():
        if menu.activeAction() is not None and menu.activeAction().text() == text:
            break
        press(menu, Qt.Key.Key_Down)
    assert menu.activeAction() is not None and menu.activeAction().text() == text
    press(menu, Qt.Key.Key_Return)
