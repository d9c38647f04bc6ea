"""Correcting a routing step (a new version, the old one kept and audited) and lateness counted in working days."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.core.enums import AssignmentRole, DocumentStatus, LinkType
from app.core.errors import ValidationError
from app.core.records import IncomingInput, OutgoingInput
from app.services import Registry

pytestmark = pytest.mark.both_engines


@pytest.fixture
def reg(state_registry: Registry) -> Registry:
    for name, code in (("Phòng Nghiệp vụ", "NV"), ("Phòng Kế hoạch - Tài chính", "KHTC"), ("Văn phòng", "VP")):
        state_registry.directory.add_department(name, code)
    return state_registry


def incoming(reg: Registry, reference: str, received_on: str = "29/04/2026") -> int:
    return reg.documents.register_incoming(IncomingInput(
        issuer="UBND TỈNH TÂY NINH", reference=reference, issued_on="27/04/2026", received_on=received_on,
        doc_type="Công văn", subject="V/v triển khai nhiệm vụ")).id


def test_a_correction_is_a_new_version_the_old_one_kept_handover_kept_and_audited(reg: Registry) -> None:
    doc = incoming(reg, "201/UBND-TH")
    first = reg.routing.route(doc, "Phòng Nghiệp vụ", ["Văn phòng", "Phòng Kế hoạch - Tài chính"],
                              deadline=date(2026, 5, 15), directive="NV chủ trì", directed_by="Giám đốc Trần Văn B",
                              directed_at=date(2026, 4, 29))
    reg.routing.handover(doc, "Văn phòng", "Lê Thị D", datetime(2026, 4, 29, 9, 30))
    reg.routing.handover(doc, "Phòng Kế hoạch - Tài chính", "Phạm Văn E", datetime(2026, 4, 29, 10, 0))

    # The leader meant Văn phòng to lead, NV to support; KHTC was never meant.
    fixed = reg.routing.correct(doc, 1, "Văn phòng", ["Phòng Nghiệp vụ"], deadline=date(2026, 5, 20),
                                directive="VP chủ trì, NV phối hợp", directed_by="Giám đốc Trần Văn B",
                                directed_at=date(2026, 4, 29), assignee="Nguyễn Thị C")
    assert (fixed.step, fixed.version, fixed.current) == (1, 2, True)
    assert [(a.unit, a.role, a.deadline) for a in fixed.assignments] == [
        ("Văn phòng", AssignmentRole.LEAD, date(2026, 5, 20)),
        ("Phòng Nghiệp vụ", AssignmentRole.SUPPORT, date(2026, 5, 20))]
    lead = fixed.lead
    assert lead is not None and lead.assignee == "Nguyễn Thị C"
    # Văn phòng's ký nhận is not lost by the correction; NV has not signed yet.
    assert (lead.signed_by, lead.received_at, lead.status) == (
        "Lê Thị D", datetime(2026, 4, 29, 9, 30), DocumentStatus.IN_PROGRESS)
    assert fixed.assignments[1].received_at is None

    history = reg.routing.history(doc)
    assert [(h.step, h.version, h.current) for h in history] == [(1, 1, False), (1, 2, True)]
    old = history[0]
    # The old version is exactly as it was written (the ký nhận given then with it), marked corrected by whom and
    # when.
    assert old.id == first.id and old.directive == "NV chủ trì" and old.created_at == first.created_at
    assert [(a.id, a.unit, a.role, a.deadline) for a in old.assignments] == [
        (a.id, a.unit, a.role, a.deadline) for a in first.assignments]
    assert [a.signed_by for a in old.assignments] == [None, "Lê Thị D", "Phạm Văn E"]
    assert old.corrected_by == history[1].created_by and old.corrected_by
    assert old.corrected_at == history[1].created_at
    assert history[1].corrected_at is None

    entry = reg.documents.get(doc)
    assert (entry.recipient_text, entry.due_on, entry.directive) == (
        "Văn phòng", date(2026, 5, 20), "VP chủ trì, NV phối hợp")

    event = reg.audit.events("document")[0]
    assert event.action == "routing_correct"
    assert event.before["routing"]["version"] == 1 and event.after["routing"]["version"] == 2
    assert event.before["recipient_text"] == "Phòng Nghiệp vụ" and event.after["recipient_text"] == "Văn phòng"
    assert event.after["removed_units"] == ["Phòng Kế hoạch - Tài chính"]

    # The unit taken out is no longer expected: no progress for it, not on its handover list, not overdue.
    with pytest.raises(ValidationError, match="không có trong lần chuyển hiện tại"):
        reg.routing.set_unit_status(doc, "KHTC", DocumentStatus.HANDLED)
    assert reg.routing.awaiting_handover("Phòng Nghiệp vụ")[1] == [doc]
    late = reg.routing.overdue(date(2026, 6, 1))
    assert sorted(i.unit for i in late if i.document_id == doc) == ["Phòng Nghiệp vụ", "Văn phòng"]
    notes = reg.routing.follow_up_notes([doc], date(2026, 5, 4))
    assert notes[doc][0] == "Văn phòng (chủ trì); Phòng Nghiệp vụ (phối hợp)"
    # And the yearly report by unit counts the corrected step only.
    units = {u.unit: u.assigned for u in reg.reports.build(2026, "unit", date(2026, 5, 4)).units}
    assert units == {"Văn phòng": 1, "Phòng Nghiệp vụ": 1}


def test_a_correction_must_change_something_and_only_the_current_step(reg: Registry) -> None:
    doc = incoming(reg, "202/UBND-TH")
    with pytest.raises(ValidationError, match="chưa được chuyển xử lý"):
        reg.routing.correct(doc, 1, "Văn phòng")
    reg.routing.route(doc, "Phòng Nghiệp vụ", deadline=date(2026, 5, 15), directed_at=date(2026, 4, 29))
    with pytest.raises(ValidationError, match="không có gì thay đổi"):
        reg.routing.correct(doc, 1, "Phòng Nghiệp vụ", deadline=date(2026, 5, 15), directed_at=date(2026, 4, 29))
    with pytest.raises(ValidationError, match="không có đơn vị 'Phòng Không Có'"):
        reg.routing.correct(doc, 1, "Phòng Không Có", directed_at=date(2026, 4, 29))
    reg.routing.route(doc, "Văn phòng", deadline=date(2026, 5, 20), directed_at=date(2026, 4, 30))
    with pytest.raises(ValidationError, match=r"lần 1 đã được thay bằng lần chuyển sau") as refused:
        reg.routing.correct(doc, 1, "Văn phòng", directed_at=date(2026, 4, 29))
    assert refused.value.errors[0].label == "Lần chuyển"
    assert [(h.step, h.version) for h in reg.routing.history(doc)] == [(1, 1), (2, 1)]  # nothing written
    # Correcting twice: each correction is a further version of the same step.
    reg.routing.correct(doc, 2, "Văn phòng", deadline=date(2026, 5, 21), directed_at=date(2026, 4, 30))
    reg.routing.correct(doc, 2, "Văn phòng", deadline=date(2026, 5, 22), directed_at=date(2026, 4, 30))
    assert [(h.step, h.version, h.current) for h in reg.routing.history(doc)] == [
        (1, 1, False), (2, 1, False), (2, 2, False), (2, 3, True)]
    assert reg.documents.get(doc).due_on == date(2026, 5, 22)
    # Routing again after a correction starts the next step.
    assert reg.routing.route(doc, "Phòng Nghiệp vụ", directed_at=date(2026, 5, 4)).step == 3


def test_a_reply_closes_the_corrected_step_and_leaves_the_corrected_version_as_written(reg: Registry) -> None:
    doc = incoming(reg, "203/UBND-TH")
    reg.routing.route(doc, "Phòng Nghiệp vụ", deadline=date(2026, 5, 15), directed_at=date(2026, 4, 29))
    reg.routing.correct(doc, 1, "Văn phòng", deadline=date(2026, 5, 15), directed_at=date(2026, 4, 29))
    out = reg.documents.register_outgoing(OutgoingInput(doc_type="Công văn", unit="NV", subject="V/v trả lời",
                                                        signer="Trần Văn B", signed_on="05/05/2026"))
    reg.links.add(out.id, LinkType.REPLIES_TO, doc)
    assert reg.documents.get(doc).status is DocumentStatus.ANSWERED
    old, new = reg.routing.history(doc)
    assert old.assignments[0].status is DocumentStatus.AWAITING_HANDLING and old.assignments[0].done_at is None
    assert new.assignments[0].status is DocumentStatus.ANSWERED
    assert reg.audit.events("document", doc)[0].after["closed_units"] == ["Văn phòng"]


# ------------------------------------------------------------------------------------------------ working days late


def test_days_late_are_working_days_across_a_weekend_and_a_holiday(reg: Registry) -> None:
    """Deadline Wednesday 29/04/2026; 30/04 and 01/05 are holidays, 02–03/05 a weekend."""
    doc = incoming(reg, "204/UBND-TH", received_on="27/04/2026")
    reg.routing.route(doc, "Phòng Nghiệp vụ", deadline=date(2026, 4, 29), directed_at=date(2026, 4, 27))

    def late_on(day: date) -> int:
        item = next(i for i in reg.routing.overdue(day) if i.document_id == doc)
        return item.days_late if item.overdue else 0

    assert late_on(date(2026, 4, 29)) == 0  # the deadline itself is still in time
    assert late_on(date(2026, 4, 30)) == 1  # missed: a holiday, yet already late
    assert late_on(date(2026, 5, 3)) == 1  # five calendar days, no working day since
    assert late_on(date(2026, 5, 4)) == 1  # Monday: the first working day after the deadline
    assert late_on(date(2026, 5, 6)) == 3  # not 7 calendar days
    notes = reg.routing.follow_up_notes([doc], date(2026, 5, 6))
    assert notes[doc][1] == "Chờ xử lý, quá hạn 3 ngày làm việc"
