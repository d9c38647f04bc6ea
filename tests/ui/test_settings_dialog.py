"""The settings dialog, driven by keyboard and clicks like a clerk, saves through the Registry."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt

from app.core.enums import BookCategory, Direction, Family, NumberingPeriod, NumberingScope, Urgency
from app.services import Registry
from app.ui.settings_dialog import SettingsDialog
from tests.ui.answers import answer_unsaved
from tests.ui.keyboard import press, type_text


def _dialog(qtbot, registry: Registry) -> SettingsDialog:  # type: ignore[no-untyped-def]
    dialog = SettingsDialog(registry)
    # A test may end with a refused value still typed: hidden first, closing at teardown asks nothing.
    qtbot.addWidget(dialog, before_close_func=lambda d: d.hide())
    dialog.show()
    return dialog


def test_agency_name_is_saved(qtbot, registry: Registry) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot, registry)
    page = dialog.agency_page
    type_text(page.form.fields["agency.name"], "SỞ Y TẾ TỈNH TÂY NINH")
    type_text(page.form.fields["agency.abbreviation"], "SYT")
    type_text(page.form.fields["agency.place"], "Tây Ninh")
    page.family.setCurrentIndex(page.family.findData(Family.PARTY.value))
    press(page.form.fields["agency.name"], Qt.Key.Key_Return)
    agency = registry.settings.agency()
    assert (agency.name, agency.abbreviation, agency.place, agency.family) == (
        "SỞ Y TẾ TỈNH TÂY NINH", "SYT", "Tây Ninh", Family.PARTY)
    assert "Đã lưu 4 mục" in page.status.text()
    # The types tab follows the agency's family.
    assert dialog.types_page.family.currentData() == Family.PARTY
    assert [e.action for e in registry.audit.events("setting")] == ["settings"] * 4


def test_invalid_abbreviation_shows_inline_error(qtbot, state_registry: Registry) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot, state_registry)
    page = dialog.agency_page
    page.form.fields["agency.abbreviation"].clear()
    type_text(page.form.fields["agency.abbreviation"], "S-YT")
    page.form.fields["agency.place"].clear()
    type_text(page.form.fields["agency.place"], "Tây Ninh")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    error = page.form.errors["agency.abbreviation"]
    assert error.isVisible() and "'S-YT' phải là chữ viết tắt liền" in error.text()
    assert not page.form.errors["agency.name"].isVisible()
    agency = state_registry.settings.agency()
    assert agency.abbreviation == "SYT" and agency.place == "Tây Ninh"

    types = dialog.types_page
    dialog.tabs.setCurrentWidget(types)
    type_text(types.name, "Thông tri")
    type_text(types.abbreviation, "T-Tri")
    qtbot.mouseClick(types.save_button, Qt.MouseButton.LeftButton)
    assert types.form.errors["abbreviation"].isVisible()
    assert "Thông tri" not in {t.name for t in state_registry.types.list(include_inactive=True)}


def test_add_department_and_person(qtbot, registry: Registry) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot, registry)
    page = dialog.people_page
    dialog.tabs.setCurrentWidget(page)
    type_text(page.department_name, "Phòng Nghiệp vụ Y")
    type_text(page.department_code, "nvy")
    press(page.department_code, Qt.Key.Key_Return)
    assert [(d.name, d.code) for d in registry.directory.departments()] == [("Phòng Nghiệp vụ Y", "NVY")]
    assert page.departments.rowCount() == 1 and page.departments.item(0, 1).text() == "NVY"
    assert page.department_name.text() == ""

    type_text(page.department_name, "Phòng nghiệp vụ y")  # same name, other marks/case: refused inline
    qtbot.mouseClick(page.add_department_button, Qt.MouseButton.LeftButton)
    assert page.department_form.errors["name"].isVisible()

    type_text(page.person_name, "Nguyễn Thị Lan")
    type_text(page.person_title, "Trưởng phòng")
    page.person_department.setCurrentIndex(page.person_department.findText("Phòng Nghiệp vụ Y"))
    qtbot.mouseClick(page.save_person_button, Qt.MouseButton.LeftButton)
    people = registry.directory.people()
    assert [(p.full_name, p.title, p.department_name) for p in people] == [
        ("Nguyễn Thị Lan", "Trưởng phòng", "Phòng Nghiệp vụ Y")]
    assert page.people.item(0, 2).text() == "Phòng Nghiệp vụ Y"


def test_add_and_edit_document_type(qtbot, state_registry: Registry) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot, state_registry)
    page = dialog.types_page
    dialog.tabs.setCurrentWidget(page)
    assert page.family.currentData() == Family.STATE
    seeded = page.table.rowCount()
    type_text(page.name, "Thông tri")
    type_text(page.abbreviation, "TTri")
    press(page.abbreviation, Qt.Key.Key_Return)
    added = next(t for t in state_registry.types.list() if t.name == "Thông tri")
    assert (added.abbreviation, added.active) == ("TTri", True)
    assert page.table.rowCount() == seeded + 1

    row = next(r for r in range(page.table.rowCount()) if page.table.item(r, 0).text() == "Thông tri")
    page.table.selectRow(row)
    assert page.name.text() == "Thông tri" and page.editing == added.id
    page.abbreviation.clear()
    type_text(page.abbreviation, "TTr")
    page.active.setChecked(False)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "Thông tri" not in {t.name for t in state_registry.types.list()}
    edited = next(t for t in state_registry.types.list(include_inactive=True) if t.id == added.id)
    assert (edited.abbreviation, edited.active) == ("TTr", False)
    row = next(r for r in range(page.table.rowCount()) if page.table.item(r, 0).text() == "Thông tri")
    assert (page.table.item(row, 1).text(), page.table.item(row, 2).text()) == ("TTr", "Không")


def test_open_party_term_book(qtbot, party_registry: Registry) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot, party_registry)
    page = dialog.books_page
    dialog.tabs.setCurrentWidget(page)
    assert page.family.currentData() == Family.PARTY and not page.term_start.isEnabled()
    page.direction.setCurrentIndex(page.direction.findData(Direction.OUTGOING))
    page.period.setCurrentIndex(page.period.findData(NumberingPeriod.TERM))
    assert page.term_start.isEnabled()
    page.term_start.setDate(QDate(2025, 10, 1))
    page.term_end.setDate(QDate(2020, 10, 1))
    qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    assert page.form.errors["term"].isVisible() and "không sau ngày bắt đầu" in page.form.errors["term"].text()
    assert party_registry.books.list() == []

    page.term_start.setDate(QDate(2020, 10, 1))
    page.term_end.setDate(QDate(2025, 9, 30))
    type_text(page.name, "Sổ văn bản đi nhiệm kỳ 2020–2025")
    qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    assert not page.form.errors["term"].isVisible()
    [book] = party_registry.books.list()
    assert (book.direction, book.category, book.family, book.period, book.scope) == (
        Direction.OUTGOING, BookCategory.ORDINARY, Family.PARTY, NumberingPeriod.TERM, NumberingScope.PER_TYPE)
    assert (book.term_start, book.term_end, book.name) == (date(2020, 10, 1), date(2025, 9, 30),
                                                           "Sổ văn bản đi nhiệm kỳ 2020–2025")
    cells = [page.table.item(0, c).text() for c in range(page.table.columnCount())]
    assert cells[4:] == ["Nhiệm kỳ", "Mỗi loại một dãy", "01/10/2020 – 30/09/2025", "1", "Đang mở"]


def test_deadline_rule_and_holiday_are_added_through_the_tab(qtbot, state_registry: Registry) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot, state_registry)
    page = dialog.deadlines_page
    dialog.tabs.setCurrentWidget(page)
    seeded = page.rules.rowCount()
    assert [page.rules.item(0, c).text() for c in range(3)] == ["(mọi loại)", "(mọi độ khẩn)", "10"]

    page.doc_type.setEditText("")
    type_text(page.doc_type.lineEdit(), "Công văn")
    page.urgency.setCurrentIndex(page.urgency.findText("Khẩn"))
    page.working_days.setValue(3)
    qtbot.mouseClick(page.save_rule_button, Qt.MouseButton.LeftButton)
    assert [(r.doc_type, r.urgency, r.working_days) for r in state_registry.deadline_rules.list()][-1] == (
        "Công văn", Urgency.KHAN, 3)
    assert page.rules.rowCount() == seeded + 1 and "Đã lưu: Công văn, Khẩn" in page.rule_mode.text()

    # The same key again is refused under the type field; nothing is written.
    page.doc_type.setEditText("cong van")
    page.urgency.setCurrentIndex(page.urgency.findText("Khẩn"))
    press(page.doc_type.lineEdit(), Qt.Key.Key_Return)
    assert page.rule_form.errors["doc_type"].isVisible()
    assert "đã có quy định cho Công văn, Khẩn" in page.rule_form.errors["doc_type"].text()
    page.doc_type.setEditText("Công văn lạ")  # an unknown type: refused, naming the field
    page.urgency.setCurrentIndex(0)
    qtbot.mouseClick(page.save_rule_button, Qt.MouseButton.LeftButton)
    assert "không có trong danh mục loại văn bản" in page.rule_form.errors["doc_type"].text()
    assert len(state_registry.deadline_rules.list()) == seeded + 1

    # Pick the row to edit it, then remove it; the refused rule still typed is dropped when asked (Bỏ).
    row = next(r for r in range(page.rules.rowCount()) if page.rules.item(r, 0).text() == "Công văn")
    asked = answer_unsaved("Bỏ")
    page.rules.selectRow(row)
    assert asked and "Thời hạn, quy định mới: Loại văn bản" in asked[0]
    assert page.doc_type.currentText() == "Công văn" and page.working_days.value() == 3
    page.working_days.setValue(5)
    qtbot.mouseClick(page.save_rule_button, Qt.MouseButton.LeftButton)
    assert [r.working_days for r in state_registry.deadline_rules.list() if r.doc_type == "Công văn"] == [5]
    row = next(r for r in range(page.rules.rowCount()) if page.rules.item(r, 0).text() == "Công văn")
    page.rules.selectRow(row)
    qtbot.mouseClick(page.remove_rule_button, Qt.MouseButton.LeftButton)
    assert all(r.doc_type is None for r in state_registry.deadline_rules.list())

    # Holidays of the chosen year; 'dự kiến' days are marked.
    page.year.setValue(2027)
    names = [page.holidays.item(r, 2).text() for r in range(page.holidays.rowCount())]
    assert "Tết Nguyên đán (mùng 1)" in names
    notes = {page.holidays.item(r, 0).text(): page.holidays.item(r, 3).text()
             for r in range(page.holidays.rowCount())}
    assert notes["05/02/2027"] == "Dự kiến" and notes["01/01/2027"] == ""
    assert "dự kiến" in page.holiday_count.text()
    page.day.setDate(QDate(2026, 1, 2))
    type_text(page.holiday_name, "Nghỉ bù Tết Dương lịch")
    press(page.holiday_name, Qt.Key.Key_Return)
    assert date(2026, 1, 2) in {h.day for h in state_registry.holidays.list(2026)}
    assert page.year.value() == 2026 and page.holiday_name.text() == ""
    row = page.holidays.currentRow()
    assert [page.holidays.item(row, c).text() for c in range(3)] == ["02/01/2026", "Thứ Sáu",
                                                                      "Nghỉ bù Tết Dương lịch"]
    type_text(page.holiday_name, "Lần nữa")  # the same day again: refused under the day field
    qtbot.mouseClick(page.add_holiday_button, Qt.MouseButton.LeftButton)
    assert page.holiday_form.errors["day"].isVisible() and "đã có" in page.holiday_form.errors["day"].text()
    page.holiday_name.clear()
    page.day.setDate(QDate(2026, 1, 5))
    qtbot.mouseClick(page.add_holiday_button, Qt.MouseButton.LeftButton)  # no name
    assert "không được để trống" in page.holiday_form.errors["name"].text()
    assert date(2026, 1, 5) not in {h.day for h in state_registry.holidays.list(2026)}
    qtbot.mouseClick(page.remove_holiday_button, Qt.MouseButton.LeftButton)  # the selected 02/01 goes
    assert date(2026, 1, 2) not in {h.day for h in state_registry.holidays.list(2026)}
    assert [e.action for e in state_registry.audit.events("holiday")] == ["delete", "create"]
