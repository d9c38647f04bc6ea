"""Routing of incoming documents: history kept, per-unit deadlines in working days, handover, reply, overdue."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.core.enums import AssignmentRole, DocumentStatus, LinkType
from app.core.errors import NotFoundError, ValidationError
from app.core.records import DocumentQuery, IncomingInput, OutgoingInput
from app.core.workdays import add_working_days, working_days_between
from app.services import Registry, search

pytestmark = pytest.mark.both_engines

HOLIDAYS_2026 = {date(2026, 4, 30), date(2026, 5, 1)}


def incoming(reg: Registry, reference: str, received_on: str = "29/04/2026", urgency: str | None = None,
             doc_type: str = "Công văn") -> int:
    return reg.documents.register_incoming(IncomingInput(
        issuer="UBND TỈNH TÂY NINH", reference=reference, issued_on="27/04/2026", received_on=received_on,
        doc_type=doc_type, subject="V/v triển khai nhiệm vụ", urgency=urgency)).id


@pytest.fixture
def reg(state_registry: Registry) -> Registry:
    for name, code in (("Phòng Nghiệp vụ", "NV"), ("Phòng Kế hoạch - Tài chính", "KHTC"), ("Văn phòng", "VP")):
        state_registry.directory.add_department(name, code)
    return state_registry


# ------------------------------------------------------------------------------------------------ working days


def test_working_days_skip_weekends_and_holidays() -> None:
    wednesday = date(2026, 4, 29)
    assert add_working_days(wednesday, 3, HOLIDAYS_2026) == date(2026, 5, 6)  # 30/4, 1/5 and the weekend skipped
    assert add_working_days(wednesday, 0, HOLIDAYS_2026) == wednesday  # same day when it is a working day
    assert add_working_days(date(2026, 4, 30), 0, HOLIDAYS_2026) == date(2026, 5, 4)  # else the next one
    assert add_working_days(date(2026, 5, 2), 1, HOLIDAYS_2026) == date(2026, 5, 4)  # from a Saturday
    assert working_days_between(wednesday, date(2026, 5, 6), HOLIDAYS_2026) == 3
    assert working_days_between(date(2026, 5, 6), wednesday, HOLIDAYS_2026) == -3
    assert working_days_between(wednesday, wednesday, HOLIDAYS_2026) == 0
    with pytest.raises(ValueError):
        add_working_days(wednesday, -1, HOLIDAYS_2026)


def test_holiday_table_is_seeded_and_editable_with_an_audit_trail(reg: Registry) -> None:
    days = {h.day for h in reg.holidays.list(2026)}
    assert {date(2026, 1, 1), date(2026, 2, 17), date(2026, 4, 26), date(2026, 4, 30), date(2026, 5, 1),
            date(2026, 9, 1), date(2026, 9, 2)} <= days
    assert {date(2027, 1, 1), date(2027, 2, 6), date(2027, 4, 16), date(2027, 9, 2), date(2027, 9, 3)} <= {
        h.day for h in reg.holidays.list(2027)}
    added = reg.holidays.add(date(2026, 1, 2), "Nghỉ bù Tết Dương lịch")
    with pytest.raises(ValidationError, match="đã có"):
        reg.holidays.add(date(2026, 1, 2), "Lần nữa")
    with pytest.raises(ValidationError, match="không được để trống"):
        reg.holidays.add(date(2026, 1, 5), "  ")
    assert reg.holidays.remove(date(2026, 1, 2)) == added
    with pytest.raises(NotFoundError):
        reg.holidays.remove(date(2026, 1, 2))
    actions = [(e.action, e.entity) for e in reg.audit.events("holiday")]
    assert actions == [("delete", "holiday"), ("create", "holiday")]


# ------------------------------------------------------------------------------------------------ routing


def test_routing_again_adds_a_step_and_keeps_the_history(reg: Registry) -> None:
    doc = incoming(reg, "101/UBND-TH")
    assert reg.documents.get(doc).status is DocumentStatus.AWAITING_PRESENTATION
    first = reg.routing.route(doc, "Phòng Nghiệp vụ", "Văn phòng", deadline=date(2026, 5, 15), directive="NV chủ trì",
                      directed_by="Giám đốc Trần Văn B", directed_at=date(2026, 4, 29), assignee="Nguyễn Thị C")
    assert first.step == 1 and first.current
    assert [(a.unit, a.role, a.deadline) for a in first.assignments] == [
        ("Phòng Nghiệp vụ", AssignmentRole.LEAD, date(2026, 5, 15)),
        ("Văn phòng", AssignmentRole.SUPPORT, date(2026, 5, 15))]
    assert first.lead is not None and first.lead.assignee == "Nguyễn Thị C"
    entry = reg.documents.get(doc)
    assert (entry.status, entry.recipient_text, entry.due_on, entry.directive) == (
        DocumentStatus.AWAITING_HANDLING, "Phòng Nghiệp vụ", date(2026, 5, 15), "NV chủ trì")

    second = reg.routing.route(doc, "khtc", ["Phòng Nghiệp vụ"], deadline=date(2026, 5, 20), directed_at=date(2026, 5,
                                                                                                              4))
    steps = reg.routing.history(doc)
    assert [(s.step, s.current) for s in steps] == [(1, False), (2, True)]
    assert steps[0] == first.__class__(**{**first.__dict__, "current": False})  # step 1 untouched
    assert [a.unit for a in second.assignments] == ["Phòng Kế hoạch - Tài chính", "Phòng Nghiệp vụ"]
    entry = reg.documents.get(doc)
    # The entry shows the current step; the directive stays the latest one written.
    assert (entry.recipient_text, entry.due_on, entry.directive) == (
        "Phòng Kế hoạch - Tài chính", date(2026, 5, 20), "NV chủ trì")
    assert [e.action for e in reg.audit.events("document", doc)][:2] == ["route", "route"]


def test_per_unit_deadlines_default_to_working_days_across_the_holiday(reg: Registry) -> None:
    doc = incoming(reg, "102/UBND-TH")
    step = reg.routing.route(doc, "NV", ["VP", "KHTC"], directed_at=date(2026, 4, 29),
                     support_deadlines={"VP": add_working_days(date(2026, 4, 29), 3, HOLIDAYS_2026)})
    deadlines = {a.unit: a.deadline for a in step.assignments}
    assert deadlines["Văn phòng"] == date(2026, 5, 6)  # 3 working days: 30/4, 1/5 and the weekend skipped
    # 10 working days by default (agency practice): 4–8/5 and 11–15/5.
    assert deadlines["Phòng Nghiệp vụ"] == deadlines["Phòng Kế hoạch - Tài chính"] == date(2026, 5, 15)
    assert reg.routing.default_deadline(doc, date(2026, 4, 29)) == date(2026, 5, 15)


def test_urgent_documents_default_to_the_same_or_next_working_day(reg: Registry) -> None:
    fire = incoming(reg, "103/UBND-TH", urgency="Hỏa tốc")
    assert reg.routing.route(fire, "NV", directed_at=date(2026, 4, 29)).lead.deadline == date(2026, 4, 29)  # type: ignore
    very = incoming(reg, "104/UBND-TH", received_on="30/04/2026", urgency="Thượng khẩn")
    assert reg.routing.route(very, "NV", directed_at=date(2026, 4, 30)).lead.deadline == date(2026, 5, 4)  # type: ignore
    urgent = incoming(reg, "105/UBND-TH", urgency="Khẩn")
    assert reg.routing.route(urgent, "NV", directed_at=date(2026, 4, 29)).lead.deadline == date(2026, 5, 4)  # type: ignore


def test_existing_deadlines_are_not_recomputed_when_the_holidays_change(reg: Registry) -> None:
    doc = incoming(reg, "106/UBND-TH")
    reg.routing.route(doc, "NV", directed_at=date(2026, 5, 4))
    before = reg.documents.get(doc).due_on
    reg.holidays.add(date(2026, 5, 5), "Nghỉ đột xuất")
    assert reg.documents.get(doc).due_on == before == reg.routing.history(doc)[0].lead.deadline  # type: ignore[union-attr]
    assert reg.routing.default_deadline(doc, date(2026, 5, 4)) != before  # only new routings use the new table


def test_bad_routing_is_refused_whole_and_writes_nothing(reg: Registry) -> None:
    doc = incoming(reg, "107/UBND-TH")
    with pytest.raises(ValidationError) as refused:
        reg.routing.route(doc, "Phòng Không Có", ["VP", "Phòng Ma"], deadline=date(2026, 4, 1), directed_at=date(2026,
                                                                                                                 4, 29))
    fields = [e.field for e in refused.value.errors]
    assert fields == ["lead", "support", "deadline"]
    with pytest.raises(ValidationError, match="đã là đơn vị chủ trì"):
        reg.routing.route(doc, "NV", ["Phòng Nghiệp vụ"], directed_at=date(2026, 4, 29))
    with pytest.raises(ValidationError, match="trước ngày đến"):
        reg.routing.route(doc, "NV", directed_at=date(2026, 4, 1))
    with pytest.raises(NotFoundError):
        reg.routing.route(99, "NV")
    assert reg.routing.history(doc) == []
    assert reg.documents.get(doc).status is DocumentStatus.AWAITING_PRESENTATION
    assert [e.action for e in reg.audit.events("document", doc)] == ["create"]


def test_handover_records_signer_and_time_and_moves_the_status(reg: Registry) -> None:
    doc = incoming(reg, "108/UBND-TH")
    reg.routing.route(doc, "NV", ["VP"], directed_at=date(2026, 4, 29))
    at = datetime(2026, 5, 4, 8, 30)
    support = reg.routing.handover(doc, "Văn phòng", "Lê Thị D", at)
    assert (support.received_at, support.signed_by, support.status) == (at, "Lê Thị D", DocumentStatus.IN_PROGRESS)
    assert reg.documents.get(doc).status is DocumentStatus.IN_PROGRESS
    with pytest.raises(ValidationError, match="đã ký nhận"):
        reg.routing.handover(doc, "VP", "Người khác")
    with pytest.raises(ValidationError, match="không có trong lần chuyển"):
        reg.routing.handover(doc, "KHTC", "Người khác")
    with pytest.raises(ValidationError, match="Người ký nhận"):
        reg.routing.handover(doc, "NV", " ")
    lead = reg.routing.handover(doc, "NV", "Phạm Văn E")
    assert lead.received_at is not None and lead.signed_by == "Phạm Văn E"
    done = reg.routing.set_unit_status(doc, "NV", DocumentStatus.HANDLED)
    assert done.done_at is not None and reg.documents.get(doc).status is DocumentStatus.HANDLED
    with pytest.raises(ValidationError, match="không dùng cho đơn vị"):
        reg.routing.set_unit_status(doc, "NV", DocumentStatus.ISSUED)
    event = reg.audit.events("document", doc)[1]
    assert event.action == "handover" and event.after["assignment"]["signed_by"] == "Phạm Văn E"


def test_an_outgoing_reply_closes_the_incoming_item(reg: Registry) -> None:
    doc = incoming(reg, "109/UBND-TH")
    reg.routing.route(doc, "NV", ["VP"], directed_at=date(2026, 4, 29))
    reg.routing.handover(doc, "NV", "Phạm Văn E")
    out = reg.documents.register_outgoing(OutgoingInput(doc_type="Công văn", unit="NV", subject="V/v trả lời",
                                              signer="Trần Văn B", signed_on="05/05/2026"))
    reg.links.add(out.id, LinkType.REPLIES_TO, doc)
    entry = reg.documents.get(doc)
    assert entry.status is DocumentStatus.ANSWERED and not entry.is_overdue(date(2026, 6, 1))
    assert {a.status for a in reg.routing.history(doc)[0].assignments} == {DocumentStatus.ANSWERED}
    assert reg.routing.overdue(date(2026, 6, 1)) == []
    answered = reg.audit.events("document", doc)[0]
    assert answered.action == "answered" and answered.after["reply_id"] == out.id
    # The units finished when the reply was signed, not when it was linked: on time stays on time.
    assert {a.done_at.date() for a in reg.routing.history(doc)[0].assignments} == {date(2026, 5, 5)}


def test_a_pending_reply_reference_closes_the_item_when_it_is_registered(reg: Registry) -> None:
    out = reg.documents.register_outgoing(OutgoingInput(doc_type="Công văn", unit="NV", subject="V/v trả lời",
                                              signer="Trần Văn B", signed_on="05/05/2026"))
    reg.links.add(out.id, LinkType.REPLIES_TO, "110/UBND-TH")
    doc = incoming(reg, "110/UBND-TH")
    assert reg.documents.get(doc).status is DocumentStatus.ANSWERED


def test_an_incoming_document_citing_another_does_not_close_it(reg: Registry) -> None:
    first, second = incoming(reg, "111/UBND-TH"), incoming(reg, "112/UBND-TH")
    reg.routing.route(first, "NV", directed_at=date(2026, 4, 29))
    reg.links.add(second, LinkType.REPLIES_TO, first)
    assert reg.documents.get(first).status is DocumentStatus.AWAITING_HANDLING


def test_overdue_on_a_given_date_lists_units_late_and_due_soon(reg: Registry) -> None:
    late = incoming(reg, "113/UBND-TH")
    reg.routing.route(late, "NV", ["VP"], deadline=date(2026, 5, 6), directed_at=date(2026, 4, 29),
              support_deadlines={"VP": date(2026, 5, 12)})
    soon = incoming(reg, "114/UBND-TH")
    reg.routing.route(soon, "KHTC", deadline=date(2026, 5, 12), directed_at=date(2026, 4, 29))
    done = incoming(reg, "115/UBND-TH")
    reg.routing.route(done, "VP", deadline=date(2026, 5, 6), directed_at=date(2026, 4, 29))
    reg.routing.set_unit_status(done, "VP", DocumentStatus.HANDLED)
    rerouted = incoming(reg, "116/UBND-TH")
    reg.routing.route(rerouted, "VP", deadline=date(2026, 5, 4), directed_at=date(2026, 4, 29))
    reg.routing.route(rerouted, "NV", deadline=date(2026, 5, 29), directed_at=date(2026, 5,
                                                                                   4))  # step 1 no longer chased

    items = reg.routing.overdue(date(2026, 5, 8))
    assert [(i.document_id, i.unit, i.overdue, i.days_late, i.working_days_left) for i in items] == [
        (late, "Phòng Nghiệp vụ", True, 2, -2),
        (late, "Văn phòng", False, 0, 2),
        (soon, "Phòng Kế hoạch - Tài chính", False, 0, 2),
    ]
    assert items[0].role is AssignmentRole.LEAD and items[0].reference == "113/UBND-TH"
    assert reg.routing.overdue(date(2026, 4, 30)) == []  # two working days from 30/4 end on 5/5: nothing due yet
    assert [i.unit for i in reg.routing.overdue(date(2026, 5, 5))] == ["Phòng Nghiệp vụ"]  # 6/5 is one working day away
    with reg.db.reading() as s:  # the register table's overdue filter agrees with the entry summary
        ids = search.search_ids(s, DocumentQuery(status="overdue"), date(2026, 5, 8))
    assert ids == [late]


def test_statuses_an_incoming_entry_can_take(reg: Registry) -> None:
    doc = incoming(reg, "120/UBND-TH")
    with pytest.raises(ValidationError, match="'Đã ban hành' không dùng cho văn bản đến"):
        reg.routing.set_document_status(doc, DocumentStatus.ISSUED)
    assert reg.documents.get(doc).status is DocumentStatus.AWAITING_PRESENTATION
    reg.routing.route(doc, "NV", ["VP"], directed_at=date(2026, 4, 29))
    with pytest.raises(ValidationError, match="chỉ lưu hồ sơ được khi đơn vị chủ trì đã xong"):
        reg.routing.set_document_status(doc, DocumentStatus.FILED)
    reg.routing.set_unit_status(doc, "NV", DocumentStatus.HANDLED, datetime(2026, 5, 6, 15, 0))
    reg.routing.set_document_status(doc, DocumentStatus.FILED)
    # A supporting unit reporting afterwards does not undo the filing.
    reg.routing.set_unit_status(doc, "VP", DocumentStatus.IN_PROGRESS)
    assert reg.documents.get(doc).status is DocumentStatus.FILED
    # Filing finished work keeps the day it was finished (the on-time figures read it).
    reg.routing.set_unit_status(doc, "NV", DocumentStatus.FILED)
    lead = reg.routing.history(doc)[0].assignments[0]
    assert (lead.status, lead.done_at) == (DocumentStatus.FILED, datetime(2026, 5, 6, 15, 0))


def test_the_handover_list_holds_only_open_work_not_yet_signed_for(reg: Registry) -> None:
    waiting, done, signed = (incoming(reg, f"{n}/UBND-TH") for n in (130, 131, 132))
    for doc in (waiting, done, signed):
        reg.routing.route(doc, "NV", directed_at=date(2026, 4, 29))
    reg.routing.set_unit_status(done, "NV", DocumentStatus.HANDLED)
    reg.routing.handover(signed, "NV", "Phạm Văn E")
    assert reg.routing.awaiting_handover("nv") == ("Phòng Nghiệp vụ", [waiting])
