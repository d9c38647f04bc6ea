"""An unnumbered giấy mời typed into the registration dialog by keyboard: the Không số box beside Số, ký hiệu."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QDialog, QLineEdit
from pytestqt.qtbot import QtBot

from app.core.dates import today
from app.core.enums import Direction
from app.services import Registry
from app.ui.register_dialog import RegisterDialog
from tests.ui.keyboard import focused, key, type_text, typed

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


def _open(qtbot: QtBot, registry: Registry) -> RegisterDialog:
    dialog = RegisterDialog(registry, Direction.INCOMING)
    qtbot.addWidget(dialog)
    dialog._confirm_discard = lambda: True  # type: ignore[method-assign]  # no modal question at teardown
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: (w := QApplication.focusWidget()) is not None and w.window() is dialog)
    QApplication.processEvents()  # the box takes its place in the Tab order once the form is shown
    return dialog


def _box(dialog: RegisterDialog) -> QCheckBox:
    box = dialog.findChild(QCheckBox, "unnumbered")
    assert box is not None
    return box


def test_unnumbered_giay_moi_typed_and_saved_by_keyboard(qtbot: QtBot, registry: Registry) -> None:
    dialog = _open(qtbot, registry)
    box, reference = _box(dialog), dialog.inputs["reference"]
    assert isinstance(reference, QLineEdit)
    assert focused().objectName() == "issuer"
    typed("UBND huyện Hòa Thành")
    assert focused() is reference
    type_text(focused(), "12/GM")  # typed before noticing the paper has no number
    key(Qt.Key.Key_Tab)
    assert focused() is box and not box.isChecked()
    key(Qt.Key.Key_Space)
    assert box.isChecked()
    assert reference.text() == "" and not reference.isEnabled() and reference.placeholderText() == "Không số"
    key(Qt.Key.Key_Return)  # Enter on the box moves on, it does not press the dialog's default button
    assert dialog.isVisible() and focused().objectName() == "issued_on"
    typed("02/06/2025")
    typed("Giấy mời")
    assert focused().objectName() == "subject"
    type_text(focused(), "Mời dự họp giao ban tháng 6")
    key(Qt.Key.Key_Return, CTRL)

    assert dialog.result() == QDialog.DialogCode.Accepted
    record = registry.documents.find(Direction.INCOMING, 1, today().year)
    assert record.reference is None and record.doc_number is None and record.notation is None
    assert record.doc_type == "Giấy mời" and record.issued_on == date(2025, 6, 2)
    assert record.subject == "Mời dự họp giao ban tháng 6"


def test_enter_in_reference_still_goes_to_the_date_and_untick_gives_the_text_back(
        qtbot: QtBot, registry: Registry) -> None:
    dialog = _open(qtbot, registry)
    box, reference = _box(dialog), dialog.inputs["reference"]
    assert isinstance(reference, QLineEdit)
    typed("Sở Y tế Tây Ninh")
    typed("3646/SYT-VP")  # Enter: a numbered document goes straight on, as before the box was added
    assert focused().objectName() == "issued_on"
    qtbot.keyClick(focused(), Qt.Key.Key_K, ALT)  # Alt+K, the box's mnemonic, from another field
    qtbot.waitUntil(box.isChecked)  # a mnemonic clicks the box as a short animated press
    assert not reference.isEnabled() and reference.text() == ""
    assert dialog.incoming_input().reference == "Không số"
    key(Qt.Key.Key_Space)  # Alt+K put the focus on the box: Space unticks it
    assert focused() is box and not box.isChecked()
    assert reference.isEnabled() and reference.text() == "3646/SYT-VP"
    assert dialog.incoming_input().reference == "3646/SYT-VP"


def test_typed_khong_so_ticks_the_box_and_the_next_entry_starts_unticked(qtbot: QtBot, registry: Registry) -> None:
    dialog = _open(qtbot, registry)
    box = _box(dialog)
    typed("Hội Nông dân tỉnh")
    typed("không số")
    assert box.isChecked() and not dialog.inputs["reference"].isEnabled()
    typed("010625")
    typed("Thư")
    type_text(focused(), "Thư chúc mừng")
    key(Qt.Key.Key_Return, CTRL | SHIFT)  # save and go on with the next document
    assert dialog.isVisible() and dialog.message.text().startswith("Đã vào sổ số đến 1")
    assert not box.isChecked() and dialog.inputs["reference"].isEnabled()
    assert registry.documents.find(Direction.INCOMING, 1, today().year).reference is None


def test_the_detail_pane_says_khong_so_and_an_edit_keeps_it(qtbot, state_registry) -> None:  # type: ignore[no-untyped-def]
    from app.core.records import IncomingInput
    from tests.ui.dialogs import shown_pane

    doc = state_registry.documents.register_incoming(IncomingInput(
        issuer="Sở Y tế tỉnh Tây Ninh", reference="Không số", issued_on="01/12/2026", received_on="02/12/2026",
        doc_type="Giấy mời", subject="Dự họp giao ban"))
    pane = shown_pane(qtbot, state_registry)
    pane.show_document(doc.id)
    assert pane.form.fields["reference"].text() == "Không số"
    assert not pane.has_unsaved_changes()
    assert state_registry.documents.get(doc.id).reference is None
