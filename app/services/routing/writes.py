"""Routing writes: a routing step, a unit's handover and status, the entry's own status, closing on a reply."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.dates import format_date, today
from app.core.enums import AssignmentRole, Direction, DocumentStatus
from app.core.errors import FieldError, ValidationError
from app.core.records import CLOSED_STATUSES, AssignmentRecord, RoutingRecord
from app.core.text import clean, name_key
from app.models import Department, Document, Routing, RoutingAssignment
from app.services import audit
from app.services.routing.holidays import default_deadline
from app.services.routing.lookups import (
    _NAME_LIMIT,
    INCOMING_STATUSES,
    UNIT_STATUSES,
    _assignments,
    _current_assignment,
    _error,
    _incoming,
    _live,
    _now,
    _refuse,
    _routing_record,
    _routings,
    assignment_record,
    current_version,
    find_department,
)

# ------------------------------------------------------------------------------------------------ the summary


def _summary(doc: Document) -> dict[str, Any]:
    return {"status": doc.status, "recipient_text": doc.recipient_text, "directive": doc.directive,
            "due_on": doc.due_on}


def _sync_document(session: Session, doc: Document) -> None:
    """Keep the entry's own columns (what the register books, slip and stamp print) equal to the current step:
    the lead unit, its deadline, the latest directive, and a status led by the lead unit's."""
    steps = _routings(session, doc.id)
    if not steps:
        return
    current = _assignments(session, steps[-1].id)
    lead = next(a for a in current if a.role is AssignmentRole.LEAD)
    doc.recipient_text, doc.due_on = lead.department_name, lead.deadline
    # The latest directive of the steps as corrected: a directive a correction took out is not brought back.
    doc.directive = next((r.directive for r in reversed(_live(session, doc.id)) if r.directive), None)
    if lead.status in CLOSED_STATUSES:
        # An entry the clerk has filed stays filed while its units finish their paperwork.
        doc.status = DocumentStatus.FILED if doc.status is DocumentStatus.FILED else lead.status
    elif any(a.status is not DocumentStatus.AWAITING_HANDLING for a in current):
        doc.status = DocumentStatus.IN_PROGRESS
    else:
        doc.status = DocumentStatus.AWAITING_HANDLING


# ------------------------------------------------------------------------------------------------ routing


def _split_units(text: str | Sequence[str]) -> list[str]:
    parts = text.split(";") if isinstance(text, str) else list(text)
    return [clean(p) for p in parts if clean(p)]


@dataclass(frozen=True)
class Plan:
    """A routing step as checked, before it is written: the units found, each deadline, the cleaned texts."""

    on: date
    lead: Department
    lead_deadline: date | None  # None: the rules give none
    supports: tuple[tuple[Department, date | None], ...]  # each supporting unit and its deadline
    directive: str
    directed_by: str
    assignee: str


def check_plan(session: Session, doc: Document, lead: str, supports: str | Sequence[str] = (),
               deadline: date | None = None, directive: str = "", directed_by: str = "",
               directed_at: date | None = None, assignee: str = "",
               support_deadlines: Mapping[str, date] | None = None) -> Plan:
    """Every refusal of a routing step at once (unknown units, a unit twice, days out of order, texts too long);
    a deadline left out is the rules' default counted in working days from the directive's date."""
    on = directed_at or today()
    errors: list[FieldError] = []
    lead_department: Department | None = None
    try:
        lead_department = find_department(session, lead, "lead")
    except ValidationError as exc:
        errors += exc.errors
    support_departments: list[tuple[str, Department]] = []
    for unit in _split_units(supports):
        try:
            department = find_department(session, unit, "support")
        except ValidationError as exc:
            errors += exc.errors
            continue
        if lead_department is not None and department.id == lead_department.id:
            errors.append(_error("support", f"'{department.name}' đã là đơn vị chủ trì."))
        elif any(d.id == department.id for _u, d in support_departments):
            errors.append(_error("support", f"'{department.name}' ghi hai lần."))
        else:
            support_departments.append((unit, department))
    deadlines = {name_key(k): v for k, v in (support_deadlines or {}).items()}
    unknown = set(deadlines) - {name_key(u) for u, _d in support_departments} - {
        name_key(d.name) for _u, d in support_departments}
    if unknown:
        errors.append(_error("deadline", "có thời hạn riêng cho đơn vị không nằm trong danh sách phối hợp."))
    if doc.received_on and on < doc.received_on:
        errors.append(_error("directed_at", f"{format_date(on)} trước ngày đến {format_date(doc.received_on)}."))
    all_deadlines = [deadline, *deadlines.values()]
    for value in all_deadlines:
        if value is not None and value < on:
            errors.append(_error("deadline", f"{format_date(value)} trước ngày chỉ đạo {format_date(on)}."))
    directive, directed_by, assignee = clean(directive), clean(directed_by), clean(assignee)
    for field, value in (("directed_by", directed_by), ("assignee", assignee)):
        if len(value) > _NAME_LIMIT:
            errors.append(_error(field, f"dài {len(value)} ký tự, tối đa {_NAME_LIMIT} ký tự."))
    if len(directive) > 4000:
        errors.append(_error("directive", f"dài {len(directive)} ký tự, tối đa 4000 ký tự."))
    if errors:
        raise ValidationError(errors)
    assert lead_department is not None
    lead_deadline = deadline or default_deadline(session, doc, on)
    own = [(d, deadlines.get(name_key(u)) or deadlines.get(name_key(d.name)) or lead_deadline)
           for u, d in support_departments]
    return Plan(on, lead_department, lead_deadline, tuple(own), directive, directed_by, assignee)


def add_units(session: Session, routing: Routing, plan: Plan,
              carried: Mapping[int, RoutingAssignment] | None = None) -> None:
    """The plan's units under a routing version; a unit found in `carried` (by department) keeps its handover,
    status and completion from there (a correction does not undo what the unit already did)."""
    rows = [(plan.lead, AssignmentRole.LEAD, plan.lead_deadline),
            *((d, AssignmentRole.SUPPORT, day) for d, day in plan.supports)]
    for department, role, deadline in rows:
        before = (carried or {}).get(department.id)
        assignee = plan.assignee or None if role is AssignmentRole.LEAD else before.assignee if before else None
        session.add(RoutingAssignment(
            routing_id=routing.id, department_id=department.id, department_name=department.name, role=role,
            deadline=deadline, assignee=assignee,
            status=before.status if before else DocumentStatus.AWAITING_HANDLING,
            received_at=before.received_at if before else None, signed_by=before.signed_by if before else None,
            done_at=before.done_at if before else None))
    session.flush()


def route(session: Session, actor: str, doc_id: int, lead: str, supports: str | Sequence[str] = (),
          deadline: date | None = None, directive: str = "", directed_by: str = "", directed_at: date | None = None,
          assignee: str = "", support_deadlines: Mapping[str, date] | None = None) -> RoutingRecord:
    """Add a routing step: the leader's directive, the lead unit and supporting units, each with a deadline
    (given, or the rules' default counted in working days from the directive's date). Earlier steps are kept."""
    doc = _incoming(session, doc_id)
    plan = check_plan(session, doc, lead, supports, deadline, directive, directed_by, directed_at, assignee,
                      support_deadlines)
    before = _summary(doc)
    step = (session.scalar(select(func.max(Routing.step)).where(Routing.document_id == doc.id)) or 0) + 1
    routing = Routing(document_id=doc.id, step=step, version=1, directive=plan.directive or None,
                      directed_by=plan.directed_by or None, directed_at=plan.on, created_by=actor)
    session.add(routing)
    session.flush()
    add_units(session, routing, plan)
    _sync_document(session, doc)
    session.flush()
    record = _routing_record(session, routing, True)
    after = {**_summary(doc), "routing": record.to_dict()}
    audit.record(session, actor, "route", "document", doc.id, before, after)
    return record


def handover(session: Session, actor: str, doc_id: int, unit: str, signed_by: str,
             at: datetime | None = None) -> AssignmentRecord:
    """Record that a unit of the current step received the document and who signed for it (ký nhận)."""
    doc = _incoming(session, doc_id)
    signer = clean(signed_by)
    if not signer or len(signer) > _NAME_LIMIT:
        raise _refuse("signed_by", "không được để trống." if not signer
                      else f"dài {len(signer)} ký tự, tối đa {_NAME_LIMIT} ký tự.")
    assignment = _current_assignment(session, doc, unit)
    if assignment.received_at is not None:
        raise _refuse("unit", f"'{assignment.department_name}' đã ký nhận lúc "
                              f"{assignment.received_at:%H:%M %d/%m/%Y} ({assignment.signed_by}).")
    before = {**_summary(doc), "assignment": assignment_record(assignment).to_dict()}
    assignment.received_at, assignment.signed_by = at or _now(), signer
    if assignment.status is DocumentStatus.AWAITING_HANDLING:
        assignment.status = DocumentStatus.IN_PROGRESS
    return _settle(session, actor, "handover", doc, assignment, before)


def set_unit_status(session: Session, actor: str, doc_id: int, unit: str, status: DocumentStatus,
                    at: datetime | None = None) -> AssignmentRecord:
    """Set one unit's handling status in the current step (done ones get done_at); the entry follows its lead."""
    if status not in UNIT_STATUSES:
        raise _refuse("status", f"'{status.label}' không dùng cho đơn vị; chọn: "
                                f"{', '.join(s.label for s in UNIT_STATUSES)}.")
    doc = _incoming(session, doc_id)
    assignment = _current_assignment(session, doc, unit)
    before = {**_summary(doc), "assignment": assignment_record(assignment).to_dict()}
    if status not in CLOSED_STATUSES:
        assignment.done_at = None
    elif assignment.status not in CLOSED_STATUSES or assignment.done_at is None or at is not None:
        # Filing work already finished keeps the day it was finished: on time stays on time.
        assignment.done_at = at or _now()
    assignment.status = status
    return _settle(session, actor, "unit_status", doc, assignment, before)


def set_document_status(session: Session, actor: str, doc_id: int, status: DocumentStatus) -> DocumentStatus:
    """The entry's own status, for what is not routed (read and filed, handled by the leader in person). A routed
    entry follows its lead unit; it can only be filed (lưu hồ sơ) once the lead unit has finished."""
    if status not in INCOMING_STATUSES:
        raise _refuse("status", f"'{status.label}' không dùng cho văn bản đến; chọn: "
                                f"{', '.join(s.label for s in INCOMING_STATUSES)}.")
    doc = _incoming(session, doc_id)
    if _routings(session, doc.id):
        lead_closed = doc.status in CLOSED_STATUSES
        if status is not DocumentStatus.FILED or not lead_closed:
            raise _refuse("status", "văn bản đã chuyển xử lý: trạng thái theo tiến độ của đơn vị chủ trì (cập nhật "
                                    "tiến độ của đơn vị); chỉ lưu hồ sơ được khi đơn vị chủ trì đã xong.")
    before = {"status": doc.status}
    doc.status = status
    session.flush()
    audit.record(session, actor, "status", "document", doc.id, before, {"status": status})
    return status


def _settle(session: Session, actor: str, action: str, doc: Document, assignment: RoutingAssignment,
            before: dict[str, object]) -> AssignmentRecord:
    """After a change to one unit: the entry's summary follows, and the change is audited with both states."""
    session.flush()
    _sync_document(session, doc)
    session.flush()
    record = assignment_record(assignment)
    audit.record(session, actor, action, "document", doc.id, before,
                 {**_summary(doc), "assignment": record.to_dict()})
    return record


def close_on_reply(session: Session, actor: str, source_id: int, target_id: int) -> bool:
    """An outgoing document that replies to an incoming one closes it: the entry becomes 'Đã trả lời' and every
    unit still handling it is closed too. Returns whether anything changed."""
    source, target = session.get(Document, source_id), session.get(Document, target_id)
    if (source is None or target is None or source.direction is not Direction.OUTGOING
            or target.direction is not Direction.INCOMING or source.cancelled_at is not None
            or target.cancelled_at is not None):
        return False
    open_assignments = list(session.scalars(
        select(RoutingAssignment).join(Routing, Routing.id == RoutingAssignment.routing_id)
        .where(Routing.document_id == target.id, RoutingAssignment.status.not_in(list(CLOSED_STATUSES)),
               current_version())))  # a version a correction replaced is history: it stays as written
    if target.status is DocumentStatus.ANSWERED and not open_assignments:
        return False
    before = _summary(target)
    # The units finished when the reply was signed (a reply linked later, or registered late, is not late).
    now = _now()
    answered = now if source.registered_on >= now.date() else datetime.combine(source.registered_on, time(17, 0))
    for assignment in open_assignments:
        assignment.status, assignment.done_at = DocumentStatus.ANSWERED, answered
    target.status = DocumentStatus.ANSWERED
    session.flush()
    audit.record(session, actor, "answered", "document", target.id, before,
                 {**_summary(target), "reply_id": source.id, "reply": source.reference,
                  "closed_units": [a.department_name for a in open_assignments]})
    return True
