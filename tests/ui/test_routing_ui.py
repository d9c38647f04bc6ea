"""Routing from the window: the Xử lý tab, the route and ký nhận dialogs, unit progress, the overdue panel and the
start-up notice, on a real register file."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from app.core.dates import format_date, today
from app.core.enums import DocumentStatus, LinkType
from app.core.records import IncomingInput, OutgoingInput
from app.core.workdays import working_days_between
from app.services import Registry
from app.ui.detail_pane import DetailPane
from app.ui.main_window import MainWindow
from tests.ui.dialogs import shown_pane
from tests.ui.keyboard import type_text

MONDAY = date(2026, 11, 2)


def incoming(reg: Registry, reference: str, received_on: date = MONDAY, subject: str = "V/v báo cáo") -> int:
    return reg.documents.register_incoming(IncomingInput(
        issuer="UBND TỈNH TÂY NINH", reference=reference, issued_on=format_date(received_on),
        received_on=format_date(received_on), doc_type="Công văn", subject=subject)).id


@pytest.fixture
def reg(state_registry: Registry) -> Registry:
    for name, code in (("Phòng Nghiệp vụ Y", "NVY"), ("Văn phòng", "VP"), ("Phòng Kế hoạch – Tài chính", "KHTC")):
        state_registry.directory.add_department(name, code)
    return state_registry


@pytest.fixture
def pane(qtbot, reg: Registry) -> DetailPane:  # type: ignore[no-untyped-def]
    return shown_pane(qtbot, reg)


def tree_lines(pane: DetailPane) -> list[str]:
    tree, lines = pane.routing.tree, []
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        lines.append(top.text(0))
        lines += ["  " + top.child(j).text(0) for j in range(top.childCount())]
    return lines


def test_clerk_routes_with_directive_lead_support_and_own_deadline(pane: DetailPane, reg: Registry) -> None:
    doc = incoming(reg, "12/UBND-VX")
    pane.show_document(doc)
    assert pane.sections.tabText(1) == "Xử lý"
    assert "Chưa chuyển xử lý" in tree_lines(pane)[0]
    dialog = pane.routing.route()
    assert dialog is not None and pane.routing.dialog is dialog
    # The rules' deadline (Công văn: 10 working days from the directive's day) is offered, not imposed.
    dialog.directed_at.setText("03/11/2026")
    dialog.directed_at.editingFinished.emit()
    assert "17/11/2026" in dialog.deadline.placeholderText()
    type_text(dialog.directive, "Giao Phòng Nghiệp vụ Y chủ trì, Văn phòng phối hợp tham mưu trả lời")
    dialog.directed_by.setText("Nguyễn Văn An")
    dialog.lead.setCurrentText("Phòng Nghiệp vụ Y")
    dialog.assignee.setText("Trần Thị Bình")
    dialog.check_support("Văn phòng", deadline="10/11/2026")
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    [step] = reg.routing.history(doc)
    assert step.directive == "Giao Phòng Nghiệp vụ Y chủ trì, Văn phòng phối hợp tham mưu trả lời"
    assert (step.directed_by, step.directed_at) == ("Nguyễn Văn An", date(2026, 11, 3))
    lead, support = step.assignments
    assert (lead.unit, lead.deadline, lead.assignee) == ("Phòng Nghiệp vụ Y", date(2026, 11, 17), "Trần Thị Bình")
    assert (support.unit, support.deadline) == ("Văn phòng", date(2026, 11, 10))
    # The pane shows it at once: the tab count, the step, each unit; the info form shows the summary.
    assert pane.sections.tabText(1) == "Xử lý (1)"
    lines = tree_lines(pane)
    assert lines[0].startswith("Lần 1 — ngày 03/11/2026 — Nguyễn Văn An")
    assert lines[1].split("\n") == ["  Chủ trì: Phòng Nghiệp vụ Y — hạn 17/11/2026",
                                    "    Chờ xử lý · giao Trần Thị Bình", "    Chưa ký nhận"]
    assert "Phối hợp: Văn phòng — hạn 10/11/2026" in lines[2] and "Chưa ký nhận" in lines[2]
    assert pane.form.value("recipient_text") == "Phòng Nghiệp vụ Y"
    assert pane.form.value("due_on") == "17/11/2026"
    history = [pane.history.item(i).text() for i in range(pane.history.count())]
    assert any("Chuyển xử lý" in h and "Ý kiến chỉ đạo: Giao Phòng" in h and "Phối hợp: Văn phòng" in h
               for h in history)


def test_route_refusals_show_under_their_fields_and_keep_the_input(pane: DetailPane, reg: Registry) -> None:
    doc = incoming(reg, "13/UBND-VX")
    pane.show_document(doc)
    dialog = pane.routing.route()
    assert dialog is not None
    dialog.directive.setPlainText("Giao xử lý")
    dialog.lead.setCurrentText("Phòng Không Có")
    dialog.deadline.setText("31/02/2026")
    dialog.accept()
    assert dialog.isVisible()
    assert "không phải là ngày có thật" in dialog.form.errors["deadline"].text()
    dialog.deadline.setText("01/11/2026")
    dialog.accept()
    assert "không có đơn vị 'Phòng Không Có'" in dialog.form.errors["lead"].text()
    assert "trước ngày chỉ đạo" in dialog.form.errors["deadline"].text()
    assert dialog.directive.toPlainText() == "Giao xử lý"  # nothing typed is lost
    assert reg.routing.history(doc) == []


def test_handover_and_unit_progress_from_the_pane(pane: DetailPane, reg: Registry) -> None:
    doc = incoming(reg, "14/UBND-VX")
    reg.routing.route(doc, "NVY", ["VP"], directive="Giao NVY", directed_at=date(2026, 11, 3))
    pane.show_document(doc)
    pane.routing.select_unit("Văn phòng")
    dialog = pane.routing.record_handover()
    assert dialog is not None and dialog.unit.currentData() == "Văn phòng"
    dialog.at.setText("04/11/2026 9h")
    dialog.accept()
    assert dialog.isVisible() and "không được để trống" in dialog.form.errors["signed_by"].text()
    dialog.signed_by.setText("Lê Văn Cường")
    dialog.at.setText("04/11/2026 09:15")
    dialog.accept()
    assert not dialog.isVisible()
    support = reg.routing.history(doc)[0].assignments[1]
    assert (support.signed_by, support.received_at) == ("Lê Văn Cường", datetime(2026, 11, 4, 9, 15))
    assert any("Lê Văn Cường ký nhận 09:15 04/11/2026" in line for line in tree_lines(pane))
    # The unit finishes: the status follows; the lead still handles it, so the entry stays open.
    pane.routing.select_unit("Văn phòng")
    pane.routing.status_choice.setCurrentIndex(pane.routing.status_choice.findData(DocumentStatus.HANDLED))
    assert pane.routing.set_status()
    assert reg.routing.history(doc)[0].assignments[1].status is DocumentStatus.HANDLED
    assert reg.documents.get(doc).status is DocumentStatus.IN_PROGRESS
    pane.routing.select_unit("Phòng Nghiệp vụ Y")
    assert pane.routing.set_status(DocumentStatus.HANDLED)
    assert reg.documents.get(doc).status is DocumentStatus.HANDLED
    assert "Đã xử lý" in pane.status.text()


def test_routing_again_keeps_the_first_step_and_cancelled_entries_cannot_be_routed(pane: DetailPane,
                                                                                   reg: Registry) -> None:
    doc = incoming(reg, "15/UBND-VX")
    reg.routing.route(doc, "NVY", directive="Lần đầu", directed_at=date(2026, 11, 3))
    pane.show_document(doc)
    dialog = pane.routing.route()
    assert dialog is not None and dialog.lead.currentText() == "Phòng Nghiệp vụ Y"  # starts from the last step
    dialog.lead.setCurrentText("KHTC")
    dialog.directive.setPlainText("Chuyển KHTC")
    dialog.accept()
    lines = tree_lines(pane)
    assert lines[0].startswith("Lần 2") and "Chủ trì: Phòng Kế hoạch – Tài chính" in lines[1]
    assert lines[2].startswith("Lần 1") and "(đã chuyển lại)" in lines[2]
    assert [s.step for s in reg.routing.history(doc)] == [1, 2]
    reg.documents.cancel(doc, "Vào sổ nhầm")
    pane.show_document(doc)
    assert not pane.routing.route_button.isEnabled() and pane.routing.route() is None


def test_a_reply_closes_the_item_shown_in_the_pane(pane: DetailPane, reg: Registry) -> None:
    doc = incoming(reg, "16/UBND-VX")
    reg.routing.route(doc, "NVY", directed_at=date(2026, 11, 3))
    reply = reg.documents.register_outgoing(OutgoingInput(doc_type="Công văn", subject="Trả lời",
                                                          signer="Nguyễn Văn An",
                                                signed_on="10/11/2026", unit="NVY"))
    reg.links.add(reply.id, LinkType.REPLIES_TO, doc)
    pane.show_document(doc)
    assert "Đã trả lời" in pane.status.text() and "Đã trả lời" in tree_lines(pane)[1]
    assert any("Đã trả lời" in pane.history.item(i).text() for i in range(pane.history.count()))


# ------------------------------------------------------------------------------------------------ main window


def _window(qtbot, reg: Registry) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(reg)
    qtbot.addWidget(window)
    window.show()
    window.wait_loaded()
    return window


def test_start_up_notice_and_overdue_panel_per_unit_on_a_chosen_day(qtbot, reg: Registry) -> None:  # type: ignore[no-untyped-def]
    now = today()
    late = incoming(reg, "20/UBND-VX", now - timedelta(days=30), subject="Việc đã quá hạn")
    soon = incoming(reg, "21/UBND-VX", now - timedelta(days=1), subject="Việc sắp đến hạn")
    done = incoming(reg, "22/UBND-VX", now - timedelta(days=30), subject="Việc đã xong")
    reg.routing.route(late, "NVY", ["VP"], deadline=now - timedelta(days=3), directed_at=now - timedelta(days=30))
    reg.routing.route(soon, "VP", deadline=now, directed_at=now - timedelta(days=1))
    reg.routing.route(done, "KHTC", deadline=now - timedelta(days=3), directed_at=now - timedelta(days=30))
    reg.routing.set_unit_status(done, "KHTC", DocumentStatus.HANDLED)
    window = _window(qtbot, reg)
    qtbot.waitUntil(lambda: window.notice.isVisible())
    text = window.notice.text()
    assert "1 văn bản sắp đến hạn, 1 văn bản quá hạn" in text
    assert "Phòng Nghiệp vụ Y: 1 quá hạn" in text and "Văn phòng: 1 quá hạn, 1 sắp đến hạn" in text
    assert "Kế hoạch" not in text
    # The list, per unit, the most overdue first; a double-click opens the document.
    window.notice.linkActivated.emit("overdue")
    window.wait_loaded()
    assert window.overdue_dock.isVisible() and window.notice.isHidden()
    tree = window.overdue_panel.tree
    units = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert units == ["Văn phòng", "Phòng Nghiệp vụ Y"]
    office = tree.topLevelItem(0)
    rows = [(office.child(i).text(0), office.child(i).text(2)) for i in range(office.childCount())]
    # Late in working days, as the deadlines are counted (three calendar days may hold a weekend or a holiday).
    days_off = {h.day for h in reg.holidays.list()}
    expected = working_days_between(now - timedelta(days=3), now, days_off)
    assert rows[0][0].endswith("20/UBND-VX (phối hợp)") and rows[0][1] == f"Quá hạn {max(1, expected)} ngày làm việc"
    assert rows[1][0].endswith("21/UBND-VX (chủ trì)")
    window.overdue_panel.tree.itemActivated.emit(office.child(1), 0)
    assert window.detail.doc_id == soon
    # On a chosen day: four days ago nothing was late yet; a bad date is named and the list stays.
    panel = window.overdue_panel
    panel.day.setText("31/13/2026")
    panel.refresh()
    assert "Tính tại ngày" in panel.error.text() and panel.error.isVisible()
    panel.day.setText(format_date(now - timedelta(days=40)))
    panel.refresh()
    window.wait_loaded()
    assert panel.items == [] and "0 văn bản sắp đến hạn, 0 văn bản quá hạn" in panel.heading.text()


def test_ctrl_r_routes_the_selected_incoming_entry(qtbot, reg: Registry) -> None:  # type: ignore[no-untyped-def]
    doc = incoming(reg, "30/UBND-VX", today())
    window = _window(qtbot, reg)
    assert window.detail.doc_id == doc and window.notice.isHidden()
    window.route_selected()
    assert window.detail.sections.currentWidget() is window.detail.routing
    dialog = window.detail.routing.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.lead.setCurrentText("VP")
    qtbot.keyClick(dialog.assignee, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert reg.documents.get(doc).recipient_text == "Văn phòng"
    window.handover_selected()
    handover = window.detail.routing.dialog
    assert handover is not None and handover.unit.currentData() == "Văn phòng"
    handover.reject()


def test_unrouted_entries_take_their_own_status_and_routed_ones_are_filed_when_done(pane: DetailPane,
                                                                                     reg: Registry) -> None:
    read_only = incoming(reg, "40/UBND-VX")
    pane.show_document(read_only)
    assert pane.routing.status_label.text() == "Trạng thái:" and pane.routing.file_button.isHidden()
    pane.routing.status_choice.setCurrentIndex(pane.routing.status_choice.findData(DocumentStatus.FILED))
    assert pane.routing.set_status()
    assert reg.documents.get(read_only).status is DocumentStatus.FILED and "Lưu hồ sơ" in pane.status.text()
    events = [pane.history.item(i).text() for i in range(pane.history.count())]
    assert any("Đặt trạng thái" in e and "Chờ trình → Lưu hồ sơ" in e for e in events)

    routed = incoming(reg, "41/UBND-VX")
    reg.routing.route(routed, "NVY", directed_at=date(2026, 11, 3))
    pane.show_document(routed)
    assert pane.routing.status_label.text() == "Tiến độ đơn vị:"
    assert not pane.routing.file_button.isEnabled()
    pane.routing.select_unit("Phòng Nghiệp vụ Y")
    assert pane.routing.set_status(DocumentStatus.HANDLED)
    assert pane.routing.file_button.isEnabled()
    pane.routing.file_button.click()
    assert reg.documents.get(routed).status is DocumentStatus.FILED
