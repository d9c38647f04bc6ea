"""The registration dialog, driven from the keyboard only as a clerk does, checked against the register."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from app.core.dates import format_date, today
from app.core.enums import Direction, Urgency
from app.core.errors import NotFoundError
from app.core.records import DocumentRecord, IncomingInput
from app.services import Registry
from app.ui.register_dialog import RegisterDialog
from tests.ui.keyboard import enter, focused, key, type_text, typed

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def field_name() -> str:
    return focused().objectName()


OpenDialog = Callable[..., RegisterDialog]


@pytest.fixture
def open_dialog(qtbot) -> OpenDialog:  # type: ignore[no-untyped-def]
    def make(registry: Registry, direction: Direction = Direction.INCOMING) -> RegisterDialog:
        dialog = RegisterDialog(registry, direction)
        qtbot.addWidget(dialog)
        dialog.saved: list[DocumentRecord] = []  # type: ignore[attr-defined]
        dialog.registered.connect(dialog.saved.append)  # type: ignore[attr-defined]
        # qtbot closes the dialog at teardown: a modal "discard what was typed?" box would wait forever.
        dialog._confirm_discard = lambda: True  # type: ignore[method-assign]
        dialog.show()
        dialog.activateWindow()
        qtbot.waitUntil(lambda: (w := QApplication.focusWidget()) is not None and w.window() is dialog)
        return dialog

    return make


def type_incoming(issuer: str = "Sở Y tế Tây Ninh", reference: str = "3646/SYT-VP", issued_on: str = "241023",
                  doc_type: str = "Công văn", subject: str = "Về việc tiêm chủng mở rộng") -> None:
    """From the issuer field down to the subject, in the order a paper document is read."""
    assert field_name() == "issuer"
    typed(issuer)
    assert field_name() == "reference"
    typed(reference)
    typed(issued_on)
    typed(doc_type)
    assert field_name() == "subject"
    typed(subject, then=Qt.Key.Key_Tab)


def test_incoming_registered_by_keyboard_only(open_dialog: OpenDialog, registry: Registry) -> None:
    dialog = open_dialog(registry)
    assert dialog.windowTitle() == "Vào sổ văn bản đến"
    assert dialog.value("received_on") == format_date(today())
    assert dialog.preview.text() == "Số đến dự kiến: 1"
    assert field_name() == "issuer"
    typed("Ủy ban nhân dân tỉnh Tây Ninh")
    typed("5068/UBND-TH")
    typed("24/10/23")
    typed("Công văn")
    assert field_name() == "subject"
    type_text(focused(), "Về việc triển khai")
    key(Qt.Key.Key_Return)  # a new line inside the subject, not the next field
    type_text(focused(), "Thông báo số 1737-TB/VPTU")
    key(Qt.Key.Key_Tab)
    assert field_name() == "urgency"
    typed("H")  # keyboard search in the combo: Hỏa tốc
    assert field_name() == "secrecy"
    enter()
    typed("3")
    assert field_name() == "note"
    typed("Bản điện tử", then=None)
    key(Qt.Key.Key_Return, CTRL)

    assert dialog.result() == QDialog.DialogCode.Accepted and not dialog.isVisible()
    record = registry.documents.find(Direction.INCOMING, 1, today().year)
    assert dialog.saved == [record]  # type: ignore[attr-defined]
    assert record.issuer == "Ủy ban nhân dân tỉnh Tây Ninh"
    assert record.reference == "5068/UBND-TH"
    assert record.issued_on == date(2023, 10, 24)
    assert record.received_on == today()
    assert record.doc_type == "Công văn"
    assert record.subject == "Về việc triển khai Thông báo số 1737-TB/VPTU"
    assert record.urgency is Urgency.HOA_TOC and record.secrecy is None
    assert record.pages == 3 and record.note == "Bản điện tử"


def test_save_and_continue_keeps_received_date(open_dialog: OpenDialog, registry: Registry) -> None:
    dialog = open_dialog(registry)
    key(Qt.Key.Key_Tab, SHIFT)
    key(Qt.Key.Key_Tab, SHIFT)
    assert field_name() == "received_on"
    typed("201023", then=Qt.Key.Key_Tab)  # Tab into a line edit selects its text, so typing replaces it
    assert dialog.value("received_on") == "20/10/2023"
    assert dialog.preview.text() == "Số đến dự kiến: 1"
    key(Qt.Key.Key_Tab)
    for number, reference in ((1, "101/SYT-VP"), (2, "102/SYT-VP")):
        type_incoming(reference=reference, issued_on="191023")
        key(Qt.Key.Key_Return, CTRL | SHIFT)
        assert dialog.isVisible()
        assert dialog.message.text().startswith(f"Đã vào sổ số đến {number}")
        assert dialog.preview.text() == f"Số đến dự kiến: {number + 1}"
        assert dialog.value("received_on") == "20/10/2023"
        assert all(dialog.value(name) == "" for name in dialog.inputs if name != "received_on")
        assert field_name() == "issuer"
        assert not dialog.is_dirty()
    records = [registry.documents.find(Direction.INCOMING, n, 2023) for n in (1, 2)]
    assert [r.reference for r in records] == ["101/SYT-VP", "102/SYT-VP"]
    assert all(r.received_on == date(2023, 10, 20) for r in records)
    assert dialog.saved == records  # type: ignore[attr-defined]


def test_compact_date_is_rewritten(open_dialog: OpenDialog, registry: Registry) -> None:
    dialog = open_dialog(registry)
    dialog.inputs["issued_on"].setFocus()
    typed("241023", then=Qt.Key.Key_Tab)
    assert dialog.value("issued_on") == "24/10/2023"
    assert dialog.form.errors["issued_on"].isHidden()


def test_bad_date_and_missing_subject_shown_inline(open_dialog: OpenDialog, registry: Registry) -> None:
    dialog = open_dialog(registry)
    typed("Sở Y tế Tây Ninh")
    typed("3646/SYT-VP")
    typed("32/13/23")  # shown at once, on leaving the field
    error = dialog.form.errors["issued_on"]
    assert not error.isHidden() and error.text().startswith("Ngày văn bản: '32/13/23'")
    assert dialog.inputs["issued_on"].property("invalid") is True
    typed("Công văn")
    key(Qt.Key.Key_Return, CTRL)  # subject left empty

    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.form.errors["subject"].text() == "Trích yếu: không được để trống."
    assert not dialog.form.errors["issued_on"].isHidden()
    assert dialog.message.text().startswith("Chưa vào sổ")
    assert field_name() == "issued_on"  # the first bad field in form order
    assert (dialog.value("issuer"), dialog.value("reference"), dialog.value("issued_on"), dialog.value("doc_type")) \
        == ("Sở Y tế Tây Ninh", "3646/SYT-VP", "32/13/23", "Công văn")
    assert registry.documents.list(Direction.INCOMING) == [] and dialog.saved == []  # type: ignore[attr-defined]

    typed("241023")  # the bad field's text is selected, so typing replaces it
    assert dialog.value("issued_on") == "24/10/2023" and dialog.form.errors["issued_on"].isHidden()
    enter()
    typed("Về việc cấp phép", then=Qt.Key.Key_Tab)
    assert dialog.form.errors["subject"].isHidden()  # editing a field takes its error away
    assert dialog.inputs["subject"].property("invalid") is False


def test_duplicate_banner_then_register_anyway(open_dialog: OpenDialog, registry: Registry) -> None:
    first = registry.documents.register_incoming(IncomingInput(
        issuer="Sở Y tế Tây Ninh", reference="3646/SYT-VP", issued_on="24/10/2023", doc_type="Công văn",
        subject="Về việc tiêm chủng mở rộng"))
    dialog = open_dialog(registry)
    assert dialog.preview.text() == "Số đến dự kiến: 2"
    type_incoming()
    key(Qt.Key.Key_Return, CTRL)

    assert dialog.isVisible() and not dialog.banner.isHidden()
    assert "đã vào sổ" in dialog.banner.label.text() and f"số đến {first.number}" in dialog.banner.label.text()
    assert registry.documents.list(Direction.INCOMING) == [first]
    assert focused() is dialog.banner.fix_button  # the safe choice has the focus
    key(Qt.Key.Key_Tab, SHIFT)
    assert focused() is dialog.banner.force_button and dialog.banner.force_button.text() == "Vẫn vào sổ"
    key(Qt.Key.Key_Space)

    assert dialog.result() == QDialog.DialogCode.Accepted
    second = registry.documents.find(Direction.INCOMING, 2, today().year)
    assert (second.reference, second.issuer) == ("3646/SYT-VP", "Sở Y tế Tây Ninh")
    assert len(registry.documents.list(Direction.INCOMING)) == 2


def test_duplicate_fix_returns_to_reference(open_dialog: OpenDialog, registry: Registry) -> None:
    registry.documents.register_incoming(IncomingInput(issuer="Sở Y tế Tây Ninh", reference="3646/SYT-VP",
                                             issued_on="24/10/2023", doc_type="Công văn", subject="Tiêm chủng"))
    dialog = open_dialog(registry)
    type_incoming()
    key(Qt.Key.Key_Return, CTRL)
    key(Qt.Key.Key_Space)  # Sửa lại
    assert dialog.banner.isHidden() and field_name() == "reference"
    assert dialog.value("subject") == "Về việc tiêm chủng mở rộng"
    assert len(registry.documents.list(Direction.INCOMING)) == 1


def test_issuer_completion_ignores_diacritics(open_dialog: OpenDialog, registry: Registry) -> None:
    registry.documents.register_incoming(IncomingInput(
        issuer="Đảng ủy Khối cơ quan tỉnh", reference="12-CV/ĐUK", issued_on="02/10/2023", doc_type="Công văn",
        subject="Về việc học tập nghị quyết"))
    dialog = open_dialog(registry)
    type_text(focused(), "dang uy")
    completer = dialog.entry.completers["issuer"]
    assert completer.popup().isVisible()
    assert completer.model().stringList() == ["Đảng ủy Khối cơ quan tỉnh"]  # type: ignore[attr-defined]
    key(Qt.Key.Key_Down)
    enter()  # picking a suggestion moves on to the next field
    assert dialog.value("issuer") == "Đảng ủy Khối cơ quan tỉnh"
    assert field_name() == "reference" and not completer.popup().isVisible()

    key(Qt.Key.Key_Tab, SHIFT)
    type_text(focused(), "Đảng ủy Khối")  # a prefix of a known name: offered, but not forced on the clerk
    assert completer.popup().isVisible()
    enter()
    assert dialog.value("issuer") == "Đảng ủy Khối" and field_name() == "reference"


def test_outgoing_registered_by_keyboard_only(open_dialog: OpenDialog, state_registry: Registry) -> None:
    office = state_registry.directory.add_department("Văn phòng", "VP")
    state_registry.directory.add_person("Trương Văn Hùng", "Giám đốc", office)
    dialog = open_dialog(state_registry, Direction.OUTGOING)
    assert dialog.windowTitle() == "Vào sổ văn bản đi"
    assert dialog.preview.text() == "Số dự kiến: —"
    assert field_name() == "doc_type"
    typed("Quyết định")
    assert dialog.preview.text() == "Số dự kiến: 01/QĐ-SYT" and dialog.preview_number == 1
    assert field_name() == "unit"
    enter()
    typed("Về việc khen thưởng tập thể", then=Qt.Key.Key_Tab)
    assert field_name() == "signer"
    typed("truong", then=Qt.Key.Key_Down)  # staff suggestions, without diacritics
    enter()
    assert dialog.value("signer") == "Trương Văn Hùng" and dialog.value("signer_title") == "Giám đốc"
    assert field_name() == "signer_title"
    enter()
    assert field_name() == "authority"
    typed("K")  # KT.
    assert field_name() == "recipients"
    typed("Như trên")  # Enter is a new line here
    typed("Lưu: VT, VP.", then=Qt.Key.Key_Tab)
    typed("5")
    assert field_name() == "signed_on"
    enter()
    typed("VP")
    enter()  # Hạn trả lời: none
    assert field_name() == "replies_to"
    enter()  # Trả lời văn bản đến số: none
    enter()  # Độ khẩn: Thường
    enter()  # Độ mật: Thường
    typed("2")
    key(Qt.Key.Key_S, CTRL)

    assert dialog.result() == QDialog.DialogCode.Accepted
    record = state_registry.documents.find(Direction.OUTGOING, 1, today().year)
    assert dialog.saved == [record]  # type: ignore[attr-defined]
    assert record.reference == "01/QĐ-SYT" and record.number == dialog.preview_number
    assert record.doc_type == "Quyết định" and record.subject == "Về việc khen thưởng tập thể"
    assert (record.signer, record.signer_title, record.authority) == ("Trương Văn Hùng", "Giám đốc", "KT.")
    assert record.recipients == ("Như trên", "Lưu: VT, VP.")
    assert (record.copies, record.archive_holder, record.pages, record.issued_on) == (5, "VP", 2, today())


def test_outgoing_cong_van_needs_unit_and_agency_abbreviation(open_dialog: OpenDialog, registry: Registry) -> None:
    registry.directory.add_department("Văn phòng", "VP")
    dialog = open_dialog(registry, Direction.OUTGOING)
    assert "Chưa cài đặt chữ viết tắt tên cơ quan" in dialog.message.text()
    typed("cong van")
    assert dialog.value("doc_type") == "Công văn"  # spelled as the list spells it
    assert dialog.preview.text() == "Số dự kiến: —"  # no drafting unit yet: no number, no complaint
    typed("van phong", then=Qt.Key.Key_Down)  # department codes are found by their names too
    enter()
    assert dialog.value("unit") == "VP" and field_name() == "subject"
    assert dialog.preview.text() == "Số dự kiến: 01"
    typed("Về việc báo cáo", then=Qt.Key.Key_Tab)
    typed("Trương Văn Hùng", then=None)
    key(Qt.Key.Key_Return, CTRL)
    assert dialog.isVisible() and "Chữ viết tắt tên cơ quan: chưa cài đặt" in dialog.message.text()
    assert dialog.value("signer") == "Trương Văn Hùng"

    registry.settings.set("agency.abbreviation", "SYT")
    key(Qt.Key.Key_Return, CTRL)
    assert registry.documents.find(Direction.OUTGOING, 1, today().year).reference == "01/SYT-VP"


def test_preview_is_the_number_given(open_dialog: OpenDialog, registry: Registry) -> None:
    for n in (1, 2):
        registry.documents.register_incoming(IncomingInput(issuer="Sở Y tế Tây Ninh", reference=f"{n}/SYT-VP",
                                                 issued_on="24/10/2023", doc_type="Công văn", subject="Việc"))
    dialog = open_dialog(registry)
    assert dialog.preview.text() == "Số đến dự kiến: 3" and dialog.preview_number == 3
    type_incoming(reference="3/SYT-VP")
    enter()  # urgency
    assert field_name() == "secrecy"
    typed("M", then=None)  # Mật: the secret book has its own sequence
    assert dialog.preview.text() == "Số đến dự kiến: 1 (sổ văn bản mật)" and dialog.preview_number == 1
    key(Qt.Key.Key_Up)  # back to Thường
    assert dialog.preview.text() == "Số đến dự kiến: 3"
    key(Qt.Key.Key_Return, CTRL)
    record = dialog.last_record
    assert record is not None and record.number == 3 and record.secrecy is None
    with pytest.raises(NotFoundError):
        registry.documents.find(Direction.INCOMING, 1, today().year, secret=True)
    assert registry.documents.find(Direction.INCOMING, 3, today().year).reference == "3/SYT-VP"


def test_escape_cancels_and_asks_only_when_something_was_typed(open_dialog: OpenDialog, registry: Registry,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = open_dialog(registry)
    key(Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected and not dialog.isVisible()

    dialog = open_dialog(registry)
    asked: list[bool] = []
    monkeypatch.setattr(dialog, "_confirm_discard", lambda: asked.append(True) or False)
    typed("Sở Y tế", then=None)
    key(Qt.Key.Key_Escape)
    assert asked == [True] and dialog.isVisible() and dialog.value("issuer") == "Sở Y tế"
    assert dialog.save_button.text() == "Lưu (Ctrl+Enter)"
    assert dialog.save_next_button.text() == "Lưu và nhập tiếp (Ctrl+Shift+Enter)"
    assert dialog.cancel_button.text() == "Hủy (Esc)"


def test_outgoing_reply_names_the_incoming_entry_it_answers(open_dialog: OpenDialog, state_registry: Registry) -> None:
    from app.core.enums import DocumentStatus
    from app.core.records import IncomingInput

    state_registry.directory.add_department("Văn phòng", "VP")
    asked = state_registry.documents.register_incoming(IncomingInput(
        issuer="UBND TỈNH TÂY NINH", reference="21/UBND-TH", issued_on="27/04/2026", received_on="29/04/2026",
        doc_type="Công văn", subject="Đề nghị báo cáo"))
    state_registry.routing.route(asked.id, "VP")
    dialog = open_dialog(state_registry, Direction.OUTGOING)
    dialog.inputs["doc_type"].setCurrentText("Công văn")
    dialog.inputs["subject"].setPlainText("Báo cáo theo đề nghị")
    for name, text in (("unit", "VP"), ("signer", "Trương Văn Hùng"), ("replies_to", "7/2026")):
        dialog.inputs[name].setText(text)
    key(Qt.Key.Key_S, CTRL)
    assert dialog.isVisible() and dialog.saved == []  # type: ignore[attr-defined]
    assert "không có văn bản đến số 7 năm 2026" in dialog.form.errors["replies_to"].text()
    assert dialog.value("subject") == "Báo cáo theo đề nghị"  # nothing typed is lost
    dialog.inputs["replies_to"].setText(f"{asked.number}/2026")
    key(Qt.Key.Key_S, CTRL)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert state_registry.documents.get(asked.id).status is DocumentStatus.ANSWERED
