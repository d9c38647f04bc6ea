"""The routing dialogs by keyboard (Enter moves on, Ctrl+Enter saves), units typed without marks, a click that
ticks a phối hợp unit, correcting a step from the Xử lý tab, and Ctrl+Enter in Ký nhận with the name list open."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from app.core.dates import format_date, today
from app.core.enums import AssignmentRole
from app.core.records import IncomingInput
from app.services import Registry
from app.ui.detail_pane import DetailPane
from app.ui.routing_panel import CORRECTED
from tests.ui.dialogs import shown_pane
from tests.ui.keyboard import focused, key, press, type_text

MONDAY = date(2026, 11, 2)
CTRL = Qt.KeyboardModifier.ControlModifier


def incoming(reg: Registry, reference: str) -> int:
    return reg.documents.register_incoming(IncomingInput(
        issuer="UBND TỈNH TÂY NINH", reference=reference, issued_on=format_date(MONDAY),
        received_on=format_date(MONDAY), doc_type="Công văn", subject="V/v báo cáo")).id


@pytest.fixture
def reg(state_registry: Registry) -> Registry:
    for name, code in (("Phòng Nghiệp vụ Y", "NVY"), ("Văn phòng", "VP"), ("Phòng Kế hoạch – Tài chính", "KHTC")):
        state_registry.directory.add_department(name, code)
    state_registry.directory.add_person("Nguyễn Thị Lan", "Chuyên viên", None)
    state_registry.directory.add_person("Nguyễn Văn Nam", "Chuyên viên", None)
    return state_registry


@pytest.fixture
def pane(qtbot, reg: Registry) -> DetailPane:  # type: ignore[no-untyped-def]
    return shown_pane(qtbot, reg)


def test_enter_moves_field_to_field_a_unit_typed_without_marks_is_found_and_ctrl_enter_saves(
        qtbot, pane: DetailPane, reg: Registry) -> None:  # type: ignore[no-untyped-def]
    doc = incoming(reg, "30/UBND-VX")
    pane.show_document(doc)
    dialog = pane.routing.route()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    assert focused() is dialog.directive
    type_text(dialog.directive, "Giao KHTC chủ trì")
    key(Qt.Key.Key_Tab)  # Enter in the directive is a new line; Tab leaves it
    assert focused() is dialog.directed_by
    type_text(focused(), "Giam doc")
    key(Qt.Key.Key_Return)
    assert focused() is dialog.directed_at  # Enter moved on, nothing was saved
    assert dialog.isVisible() and reg.routing.history(doc) == []
    key(Qt.Key.Key_Return)
    assert focused() is dialog.lead.lineEdit() or focused() is dialog.lead
    type_text(dialog.lead.lineEdit(), "ke hoach")
    popup = dialog.completers["lead"].popup()
    qtbot.waitUntil(popup.isVisible)
    offered = [popup.model().index(i, 0).data() for i in range(popup.model().rowCount())]
    assert offered == ["Phòng Kế hoạch – Tài chính"]
    key(Qt.Key.Key_Return)  # the list closes, the typed text is resolved to the one unit it names
    assert dialog.lead.currentText() == "Phòng Kế hoạch – Tài chính"
    assert focused() is dialog.deadline
    due = today() + timedelta(days=14)  # the directive's day is today
    type_text(dialog.deadline, format_date(due))
    key(Qt.Key.Key_Return, CTRL)
    assert pane.routing.dialog is None  # saved and closed (the dialog is gone)
    [step] = reg.routing.history(doc)
    assert (step.directive, step.lead.unit, step.lead.deadline) == (  # type: ignore[union-attr]
        "Giao KHTC chủ trì", "Phòng Kế hoạch – Tài chính", due)


def test_a_click_on_a_support_checkbox_ticks_it_and_space_too(qtbot, pane: DetailPane, reg: Registry) -> None:  # type: ignore[no-untyped-def]
    doc = incoming(reg, "31/UBND-VX")
    pane.show_document(doc)
    dialog = pane.routing.route()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    table = dialog.supports
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "Văn phòng")
    box = table.visualItemRect(table.item(row, 0))
    # On the check box itself (the left of the cell), as a clerk clicks it: ticked at the first click.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(box.left() + 10, box.center().y()))
    assert dialog.checked_supports() == ["Văn phòng"]
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=box.center())  # on the name: unticked
    assert dialog.checked_supports() == []
    table.setFocus()
    table.setCurrentCell(row, 0)
    press(table, Qt.Key.Key_Space)
    assert dialog.checked_supports() == ["Văn phòng"]


def test_a_step_is_corrected_from_the_tab_its_old_version_kept_greyed(qtbot, pane: DetailPane, reg: Registry) -> None:  # type: ignore[no-untyped-def]
    doc = incoming(reg, "32/UBND-VX")
    reg.routing.route(doc, "NVY", ["VP"], deadline=date(2026, 11, 16), directive="NVY chủ trì",
                      directed_by="Giám đốc", directed_at=MONDAY)
    reg.routing.handover(doc, "VP", "Lê Thị D")
    pane.show_document(doc)
    panel = pane.routing
    pane.sections.setCurrentIndex(1)
    panel.tree.setFocus()
    panel.tree.setCurrentItem(panel.tree.topLevelItem(0))
    assert panel.correct_button.isEnabled()
    panel.correct_button.setFocus()  # the button after the list's others, by Tab
    press(panel.correct_button, Qt.Key.Key_Space)
    dialog = panel.dialog
    assert dialog is not None and dialog.correcting is not None
    qtbot.waitExposed(dialog)
    # Filled with the step as written.
    assert dialog.directive.toPlainText() == "NVY chủ trì" and dialog.lead.currentText() == "Phòng Nghiệp vụ Y"
    assert dialog.deadline.text() == "16/11/2026" and dialog.checked_supports() == ["Văn phòng"]
    assert dialog.directed_at.text() == "02/11/2026" and dialog.directed_by.text() == "Giám đốc"
    dialog.lead.setCurrentText("")
    dialog.lead.setFocus()
    type_text(dialog.lead.lineEdit(), "ke hoach")
    press(dialog.lead.lineEdit(), Qt.Key.Key_Return, CTRL)
    assert pane.routing.dialog is None  # saved and closed (the dialog is gone)
    old, new = reg.routing.history(doc)
    assert (old.version, new.version) == (1, 2) and old.corrected_by
    assert [(a.unit, a.role, a.signed_by) for a in new.assignments] == [
        ("Phòng Kế hoạch – Tài chính", AssignmentRole.LEAD, None), ("Văn phòng", AssignmentRole.SUPPORT, "Lê Thị D")]
    # The tab: the correction on top, the old version under it, greyed and marked who corrected it and when.
    tree = panel.tree
    assert tree.topLevelItemCount() == 2
    top, corrected = tree.topLevelItem(0), tree.topLevelItem(1)
    assert top.text(0).startswith("Lần 1 — ngày 02/11/2026 — Giám đốc (bản sửa 1)")
    assert "\nđã sửa " in corrected.text(0) and f"({old.corrected_by})" in corrected.text(0)
    assert corrected.foreground(0).color() == CORRECTED and corrected.child(0).foreground(0).color() == CORRECTED
    # Only the current step can be corrected.
    tree.setCurrentItem(corrected.child(0))
    assert not panel.correct_button.isEnabled()
    history = [pane.history.item(i).text() for i in range(pane.history.count())]
    assert any("Sửa lần chuyển" in h and "Không còn giao: Phòng Nghiệp vụ Y" in h for h in history)


def test_long_directives_are_broken_into_lines_and_every_row_has_a_wrapping_tooltip(
        pane: DetailPane, reg: Registry) -> None:
    doc = incoming(reg, "33/UBND-VX")
    long = ("Giao Phòng Nghiệp vụ Y chủ trì, phối hợp với Văn phòng và Phòng Kế hoạch – Tài chính rà soát toàn bộ "
            "hồ sơ, tham mưu văn bản trả lời UBND tỉnh trước ngày 15 tháng 11 năm 2026")
    reg.routing.route(doc, "NVY", ["VP"], directive=long, directed_at=MONDAY)
    pane.show_document(doc)
    top = pane.routing.tree.topLevelItem(0)
    lines = top.text(0).split("\n")
    assert len(lines) >= 3 and all(len(line) <= 50 for line in lines[1:])
    assert " ".join(lines[1:]) == f"“{long}”"
    for item in (top, top.child(0), top.child(1)):
        assert item.toolTip(0).startswith("<p style='white-space:pre-wrap'>")


def test_ctrl_enter_in_handover_with_the_name_list_open_saves_at_the_first_press(
        qtbot, pane: DetailPane, reg: Registry) -> None:  # type: ignore[no-untyped-def]
    doc = incoming(reg, "34/UBND-VX")
    reg.routing.route(doc, "NVY", directed_at=MONDAY)
    pane.show_document(doc)
    dialog = pane.routing.record_handover("Phòng Nghiệp vụ Y")
    assert dialog is not None
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.signed_by)
    type_text(dialog.signed_by, "Nguyễn")
    popup = dialog.completers["signed_by"].popup()
    qtbot.waitUntil(popup.isVisible)
    assert focused() is popup  # the list has the keys now
    press(popup, Qt.Key.Key_Return, CTRL)
    [step] = reg.routing.history(doc)  # saved at the first press, the dialog gone
    assert step.lead is not None and step.lead.signed_by == "Nguyễn"
    assert pane.routing.dialog is None


def test_esc_with_typed_content_asks_before_dropping_it(qtbot, pane: DetailPane, reg: Registry) -> None:  # type: ignore[no-untyped-def]
    doc = incoming(reg, "35/UBND-VX")
    pane.show_document(doc)
    dialog = pane.routing.route()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    asked: list[str] = []

    def answer(button: str) -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        box.findChild(QPushButton, f"unsaved_{button}").click()

    type_text(dialog.directive, "Giao VP")
    QTimer.singleShot(0, lambda: answer("back"))
    press(dialog.directed_by, Qt.Key.Key_Escape)
    assert asked and "Ý kiến chỉ đạo" in asked[0] and dialog.isVisible()  # Quay lại: all still there
    assert dialog.directive.toPlainText() == "Giao VP"
    QTimer.singleShot(0, lambda: answer("discard"))
    press(dialog.directed_by, Qt.Key.Key_Escape)
    assert pane.routing.dialog is None and reg.routing.history(doc) == []
