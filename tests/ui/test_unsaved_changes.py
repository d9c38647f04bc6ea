"""Nothing typed is ever lost: the Lưu / Bỏ / Quay lại question, the settings pages (staff rows editable, the unit box
reset), the F2 edit pane (Ctrl+Enter, Ctrl+S, Esc, switching entries, closing the window). Each answer is checked
against the register file itself, reopened by a second Registry."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QMessageBox

from app.core.records import IncomingInput
from app.services import Registry
from app.ui.detail_pane import DetailPane
from app.ui.main_window import MainWindow
from app.ui.settings_dialog import SettingsDialog
from app.ui.unsaved import Answer, ask_unsaved
from tests.ui.answers import answer_unsaved
from tests.ui.dialogs import shown_pane
from tests.ui.keyboard import press, type_text

CTRL = Qt.KeyboardModifier.ControlModifier


def register(reg: Registry, reference: str, subject: str = "Tham mưu thực hiện Thông báo") -> int:
    return reg.documents.register_incoming(IncomingInput(
        issuer="SỞ Y TẾ TỈNH TÂY NINH", reference=reference, issued_on="24/10/2023", received_on="24/10/2023",
        doc_type="Công văn", subject=subject)).id


# the question itself
@pytest.mark.parametrize(("key", "answer"), [(Qt.Key.Key_Return, Answer.SAVE), (Qt.Key.Key_L, Answer.SAVE),
                                             (Qt.Key.Key_B, Answer.DISCARD), (Qt.Key.Key_Q, Answer.BACK),
                                             (Qt.Key.Key_Escape, Answer.BACK)])
def test_the_question_has_three_answers_by_keyboard(qtbot, key: Qt.Key, answer: Answer) -> None:  # type: ignore[no-untyped-def]
    seen: list[tuple[str, list[str], str, str]] = []

    def reply() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append((box.text(), [b.text().replace("&", "") for b in box.buttons()],
                     box.defaultButton().text(), box.escapeButton().text()))
        press(box, key)

    QTimer.singleShot(0, reply)
    got = ask_unsaved(None, ["Cơ quan: Tên cơ quan, Địa danh", "Cán bộ mới: Họ và tên"], "đóng")
    assert got is answer
    text, buttons, default, escape = seen[0]
    assert "• Cơ quan: Tên cơ quan, Địa danh\n• Cán bộ mới: Họ và tên" in text and "Lưu trước khi đóng?" in text
    assert sorted(buttons) == ["Bỏ", "Lưu", "Quay lại"] and default == "&Lưu" and escape == "&Quay lại"


def test_a_weighty_save_makes_quay_lai_the_default(qtbot) -> None:  # type: ignore[no-untyped-def]
    QTimer.singleShot(0, lambda: press(QApplication.activeModalWidget(), Qt.Key.Key_Return))
    assert ask_unsaved(None, "Lý do hủy: «Vào sổ nhầm»", default=Answer.BACK) is Answer.BACK


# the settings dialog
def _settings(qtbot, registry: Registry) -> SettingsDialog:  # type: ignore[no-untyped-def]
    dialog = SettingsDialog(registry)
    qtbot.addWidget(dialog, before_close_func=lambda d: d.hide())  # a failed test must not leave a question up
    dialog.show()
    return dialog


def test_agency_details_typed_are_asked_about_on_esc_close_and_the_close_box(  # type: ignore[no-untyped-def]
        qtbot, registry: Registry, reopen) -> None:
    dialog = _settings(qtbot, registry)
    name = dialog.agency_page.form.fields["agency.name"]
    type_text(name, "SỞ Y TẾ TỈNH TÂY NINH")
    type_text(dialog.agency_page.form.fields["agency.place"], "Tây Ninh")

    asked = answer_unsaved("Quay lại")
    press(name, Qt.Key.Key_Escape)
    assert asked and "Cơ quan: Tên cơ quan, Địa danh" in asked[0]
    assert dialog.isVisible() and name.text() == "SỞ Y TẾ TỈNH TÂY NINH"

    asked = answer_unsaved("Quay lại")
    dialog.close()  # the window's close box
    assert asked and dialog.isVisible()

    asked = answer_unsaved("Bỏ")
    press(name, Qt.Key.Key_Escape)
    assert asked and not dialog.isVisible()
    assert reopen().settings.agency().name == ""  # Bỏ: nothing written
    assert registry.audit.events("setting") == []

    dialog = _settings(qtbot, registry)
    type_text(dialog.agency_page.form.fields["agency.name"], "SỞ Y TẾ TỈNH TÂY NINH")
    asked = answer_unsaved("Lưu")
    qtbot.mouseClick(_close_button(dialog), Qt.MouseButton.LeftButton)  # Đóng
    assert asked and not dialog.isVisible()
    assert reopen().settings.agency().name == "SỞ Y TẾ TỈNH TÂY NINH"
    assert [e.action for e in reopen().audit.events("setting")] == ["settings"]


def _close_button(dialog: SettingsDialog):  # type: ignore[no-untyped-def]
    return next(b for b in dialog.findChildren(type(dialog.agency_page.save_button)) if b.text() == "Đóng")


def test_lưu_that_is_refused_keeps_the_dialog_open_on_the_field(qtbot, state_registry: Registry,  # type: ignore[no-untyped-def]
                                                                reopen) -> None:
    dialog = _settings(qtbot, state_registry)
    dialog.tabs.setCurrentWidget(dialog.types_page)
    abbreviation = dialog.agency_page.form.fields["agency.abbreviation"]
    abbreviation.clear()
    type_text(abbreviation, "S-YT")
    type_text(dialog.types_page.name, "Thông tri")
    asked = answer_unsaved("Lưu")
    press(dialog.types_page.name, Qt.Key.Key_Escape)
    assert asked and "Cơ quan: Chữ viết tắt" in asked[0] and "Loại văn bản, loại mới: Tên loại" in asked[0]
    assert dialog.isVisible() and dialog.tabs.currentWidget() is dialog.agency_page  # the refusal is shown there
    error = dialog.agency_page.form.errors["agency.abbreviation"]
    assert error.isVisible() and "'S-YT' phải là chữ viết tắt liền" in error.text()
    assert reopen().settings.agency().abbreviation == "SYT"
    assert "Thông tri" not in {t.name for t in reopen().types.list(include_inactive=True)}  # not reached


def test_every_typing_page_is_asked_about(qtbot, state_registry: Registry, reopen) -> None:  # type: ignore[no-untyped-def]
    dialog = _settings(qtbot, state_registry)
    type_text(dialog.people_page.department_name, "Văn phòng")
    type_text(dialog.books_page.name, "Sổ công văn đến 2026")
    type_text(dialog.deadlines_page.holiday_name, "Nghỉ bù")
    dialog.deadlines_page.working_days.setValue(7)
    keep = dialog.safekeeping_page.form.fields["backup.keep"]
    keep.clear()
    type_text(keep, "30")
    asked = answer_unsaved("Quay lại")
    press(keep, Qt.Key.Key_Escape)
    assert asked and dialog.isVisible()
    for line in ("Đơn vị mới: Tên đơn vị", "Sổ đăng ký: sổ mới «Sổ công văn đến 2026» chưa mở",
                 "Thời hạn, quy định mới: Số ngày làm việc", "Ngày nghỉ chưa thêm: Nghỉ bù",
                 "Sao lưu, neo nhật ký: Số bản sao lưu tự động giữ lại"):
        assert line in asked[0]
    # Bỏ of the question picked up on each page: nothing of it reaches the register
    asked = answer_unsaved("Bỏ")
    press(keep, Qt.Key.Key_Escape)
    assert asked and not dialog.isVisible()
    again = reopen()
    assert again.directory.departments() == [] and again.books.list() == []
    assert again.settings.all().get("backup.keep", "") != "30"


def test_picking_another_type_with_changes_asks(qtbot, state_registry: Registry, reopen) -> None:  # type: ignore[no-untyped-def]
    dialog = _settings(qtbot, state_registry)
    page = dialog.types_page
    dialog.tabs.setCurrentWidget(page)
    page.table.selectRow(0)
    first, name = page.editing, page.name.text()
    page.abbreviation.selectAll()
    type_text(page.abbreviation, "XYZ")
    asked = answer_unsaved("Quay lại")
    page.table.selectRow(1)
    assert asked and f"Loại văn bản, loại «{name}» đang sửa: Chữ viết tắt" in asked[0]
    assert page.editing == first and page.abbreviation.text() == "XYZ" and page.table.currentRow() == 0
    asked = answer_unsaved("Lưu")
    page.table.selectRow(1)
    assert asked and page.editing == page.table.item(1, 0).data(Qt.ItemDataRole.UserRole)
    assert next(t for t in reopen().types.list(include_inactive=True) if t.id == first).abbreviation == "XYZ"


# the people page
def test_the_unit_box_is_reset_after_adding_a_person(qtbot, registry: Registry) -> None:  # type: ignore[no-untyped-def]
    registry.directory.add_department("Phòng Nghiệp vụ Y", "NVY")
    dialog = _settings(qtbot, registry)
    page = dialog.people_page
    dialog.tabs.setCurrentWidget(page)
    type_text(page.person_name, "Nguyễn Thị Lan")
    page.person_department.setCurrentIndex(page.person_department.findText("Phòng Nghiệp vụ Y"))
    press(page.person_name, Qt.Key.Key_Return)
    assert [(p.full_name, p.department_name) for p in registry.directory.people()] == [
        ("Nguyễn Thị Lan", "Phòng Nghiệp vụ Y")]
    assert page.person_department.currentText() == "(không thuộc đơn vị nào)"  # the next person starts blank
    assert page.person_name.text() == "" and page.unsaved() == []
    type_text(page.person_name, "Trần Văn Bình")
    press(page.person_name, Qt.Key.Key_Return)
    assert {p.full_name: p.department_name for p in registry.directory.people()}["Trần Văn Bình"] is None


def test_a_staff_row_is_edited_and_saved_audited(qtbot, registry: Registry, reopen) -> None:  # type: ignore[no-untyped-def]
    office = registry.directory.add_department("Văn phòng", "VP")
    finance = registry.directory.add_department("Phòng Kế hoạch - Tài chính", "KHTC")
    lan = registry.directory.add_person("Nguyễn Thị Lan", "Chuyên viên", office)
    registry.directory.add_person("Trần Văn Bình", None, None)
    dialog = _settings(qtbot, registry)
    page = dialog.people_page
    dialog.tabs.setCurrentWidget(page)
    row = next(r for r in range(page.people.rowCount()) if page.people.item(r, 0).text() == "Nguyễn Thị Lan")
    page.people.selectRow(row)
    assert page.person_name.text() == "Nguyễn Thị Lan" and page.person_title.text() == "Chuyên viên"
    assert page.person_department.currentText() == "Văn phòng" and "Đang sửa: Nguyễn Thị Lan" in page.person_mode.text()
    page.person_title.selectAll()
    type_text(page.person_title, "Phó Chánh Văn phòng")
    page.person_department.setFocus()
    press(page.person_department, Qt.Key.Key_Up)  # the unit above in the list (by name)
    assert page.person_department.currentText() == "Phòng Kế hoạch - Tài chính"

    other = next(r for r in range(page.people.rowCount()) if page.people.item(r, 0).text() == "Trần Văn Bình")
    asked = answer_unsaved("Quay lại")
    page.people.selectRow(other)  # another row while editing: asked, and Quay lại stays on Lan
    assert asked and "Cán bộ, cán bộ «Nguyễn Thị Lan» đang sửa: Chức vụ, Thuộc đơn vị" in asked[0]
    assert page.person_editing == lan and page.person_title.text() == "Phó Chánh Văn phòng"
    assert page.people.item(page.people.currentRow(), 0).text() == "Nguyễn Thị Lan"

    press(page.person_title, Qt.Key.Key_Return)  # Lưu cán bộ
    [saved] = [p for p in reopen().directory.people() if p.id == lan]
    assert (saved.full_name, saved.title, saved.department_id) == ("Nguyễn Thị Lan", "Phó Chánh Văn phòng", finance)
    edit = reopen().audit.events("person", lan)[0]
    assert edit.action == "edit" and edit.actor == "van_thu_test"
    assert len(reopen().directory.people()) == 2  # edited, not added
    assert page.person_editing is None and page.person_name.text() == ""
    assert "Đã lưu cán bộ: Nguyễn Thị Lan" in page.person_mode.text()


def test_a_person_of_a_closed_unit_keeps_it_when_edited(qtbot, registry: Registry) -> None:  # type: ignore[no-untyped-def]
    office = registry.directory.add_department("Văn phòng", "VP")
    lan = registry.directory.add_person("Nguyễn Thị Lan", None, office)
    registry.directory.update_department(office, "Văn phòng", "VP", active=False)
    dialog = _settings(qtbot, registry)
    page = dialog.people_page
    page.people.selectRow(0)
    assert page.person_department.currentText() == "Văn phòng (ngừng dùng)"
    page.person_name.selectAll()
    type_text(page.person_name, "Nguyễn Thị Lan Anh")
    assert page.save_person()
    [saved] = registry.directory.people(include_inactive=True)
    assert (saved.id, saved.full_name, saved.department_id) == (lan, "Nguyễn Thị Lan Anh", office)
    assert page.person_department.findText("Văn phòng (ngừng dùng)") < 0  # gone with the form's reset


# the F2 edit pane
@pytest.fixture
def pane(qtbot, state_registry: Registry) -> DetailPane:  # type: ignore[no-untyped-def]
    return shown_pane(qtbot, state_registry, 420)


@pytest.mark.parametrize("keys", [(Qt.Key.Key_Return, CTRL), (Qt.Key.Key_S, CTRL),
                                  (Qt.Key.Key_Enter, CTRL | Qt.KeyboardModifier.KeypadModifier)])
def test_f2_edit_is_saved_from_the_keyboard(qtbot, pane: DetailPane, state_registry: Registry, reopen,  # type: ignore[no-untyped-def]
                                            keys: tuple[Qt.Key, Qt.KeyboardModifier]) -> None:
    doc = register(state_registry, "3646/SYT-VP")
    pane.show_document(doc)
    subject = pane.form.fields["subject"]
    press(subject, Qt.Key.Key_F2)
    assert pane.editing and subject.hasFocus()
    subject.selectAll()
    type_text(subject, "Báo cáo kết quả thực hiện Thông báo 1737")
    with qtbot.waitSignal(pane.document_changed, timeout=2000):
        press(subject, *keys)  # in the subject box itself: Ctrl+Enter saves, it adds no new line
    assert reopen().documents.get(doc).subject == "Báo cáo kết quả thực hiện Thông báo 1737"
    assert not pane.editing and subject.isReadOnly()


def test_esc_with_changes_asks(qtbot, pane: DetailPane, state_registry: Registry, reopen) -> None:  # type: ignore[no-untyped-def]
    doc = register(state_registry, "3646/SYT-VP")
    pane.show_document(doc)
    pane.start_editing()
    note = pane.form.fields["note"]
    note.setFocus()
    type_text(note, "Đã photo gửi phòng")
    asked = answer_unsaved("Quay lại")
    press(note, Qt.Key.Key_Escape)
    assert asked and "Sửa Văn bản đến số đến 1/" in asked[0] and ": Ghi chú" in asked[0]
    assert pane.editing and note.toPlainText() == "Đã photo gửi phòng"
    asked = answer_unsaved("Bỏ")
    press(note, Qt.Key.Key_Escape)
    assert asked and not pane.editing and note.toPlainText() == ""
    assert reopen().documents.get(doc).note == ""
    pane.start_editing()
    type_text(note, "Đã photo gửi phòng")
    asked = answer_unsaved("Lưu")
    press(note, Qt.Key.Key_Escape)
    assert asked and not pane.editing and reopen().documents.get(doc).note == "Đã photo gửi phòng"
    pane.start_editing()
    asked = answer_unsaved("Lưu")
    press(note, Qt.Key.Key_Escape)  # nothing changed: leaves editing without a question
    assert asked == [] and not pane.editing


def test_thuong_is_shown_for_no_urgency_or_secrecy(pane: DetailPane, state_registry: Registry) -> None:
    pane.show_document(register(state_registry, "3646/SYT-VP"))
    urgency, secrecy = pane.form.widget("urgency", QComboBox), pane.form.widget("secrecy", QComboBox)
    assert (urgency.currentText(), secrecy.currentText()) == ("Thường", "Thường")
    pane.start_editing()
    urgency.setCurrentIndex(urgency.findText("Khẩn"))
    assert pane.changes() == {"urgency": "Khẩn"}
    urgency.setCurrentIndex(urgency.findText("Thường"))
    assert pane.changes() == {}  # back to "Thường" is no change: the register holds no urgency


# switching entries and closing the window
def _window(qtbot, registry: Registry) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(registry)
    qtbot.addWidget(window, before_close_func=lambda w: w.detail.discard())  # teardown asks nothing
    window.show()
    window.wait_loaded()
    window.filters.set_years(registry.documents.years(), 2023)  # the entries' year, not this one
    window.reload()
    window.wait_loaded()
    return window


def test_switching_entries_with_unsaved_edits_asks(qtbot, state_registry: Registry, reopen) -> None:  # type: ignore[no-untyped-def]
    first = register(state_registry, "1/SYT-VP", "Thứ nhất")
    second = register(state_registry, "2/SYT-VP", "Thứ hai")
    window = _window(qtbot, state_registry)
    page, view = window.page, window.page.view
    window.books.select_row(page, page.model.row_of(first))
    assert window.detail.doc_id == first
    press(view, Qt.Key.Key_F2)
    subject = window.detail.form.fields["subject"]
    subject.selectAll()
    type_text(subject, "Thứ nhất, đã sửa")
    below = page.model.row_of(second)

    asked = answer_unsaved("Quay lại")
    window.books.select_row(page, below)
    assert asked and "chuyển sang văn bản khác" in asked[0]
    assert window.detail.doc_id == first and window.detail.editing and view.currentIndex().row() == page.model.row_of(
        first) and subject.toPlainText() == "Thứ nhất, đã sửa"

    asked = answer_unsaved("Lưu")
    window.books.select_row(page, below)
    assert asked and window.detail.doc_id == second and not window.detail.editing
    assert reopen().documents.get(first).subject == "Thứ nhất, đã sửa"

    window.books.select_row(page, page.model.row_of(first))
    window.detail.start_editing()
    type_text(subject, " lần hai")
    asked = answer_unsaved("Bỏ")
    window.books.select_row(page, page.model.row_of(second))
    assert asked and window.detail.doc_id == second
    assert reopen().documents.get(first).subject == "Thứ nhất, đã sửa"


def test_closing_the_window_with_unsaved_edits_asks(qtbot, state_registry: Registry, reopen) -> None:  # type: ignore[no-untyped-def]
    doc = register(state_registry, "1/SYT-VP", "Thứ nhất")
    window = _window(qtbot, state_registry)
    window.books.select_row(window.page, 0)
    window.detail.start_editing()
    press(window.detail.form.fields["subject"], Qt.Key.Key_End, CTRL)
    type_text(window.detail.form.fields["subject"], " (sửa)")
    asked = answer_unsaved("Quay lại")
    window.close()
    assert asked and "Lưu trước khi đóng chương trình?" in asked[0] and window.isVisible() and window.detail.editing
    asked = answer_unsaved("Lưu")
    window.close()
    assert asked and not window.isVisible()
    assert reopen().documents.get(doc).subject == "Thứ nhất (sửa)"
