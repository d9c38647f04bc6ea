"""Routing incoming documents (directive, lead and supporting units, deadlines), handover, tracking and holidays."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session, aliased

from app.core.dates import format_date, today
from app.core.enums import AssignmentRole, Direction, DocumentStatus, Urgency
from app.core.errors import FieldError, NotFoundError, ValidationError
from app.core.records import CLOSED_STATUSES, AssignmentRecord, HolidayRecord, OverdueItem, RoutingRecord
from app.core.text import clean, fold, name_key
from app.core.workdays import add_working_days, working_days_between
from app.models import DeadlineRule, Department, Document, Holiday, Organization, Routing, RoutingAssignment
from app.services import audit

# What a unit's handling can be set to; cho_trinh and da_ban_hanh describe documents, not a unit's work.
UNIT_STATUSES = (DocumentStatus.AWAITING_HANDLING, DocumentStatus.IN_PROGRESS, DocumentStatus.HANDLED,
                 DocumentStatus.ANSWERED, DocumentStatus.FILED)
# What an incoming entry itself can be set to (Đã ban hành belongs to outgoing documents).
INCOMING_STATUSES = (DocumentStatus.AWAITING_PRESENTATION, *UNIT_STATUSES)
DUE_SOON_WORKING_DAYS = 2
_LABELS = {"document": "Văn bản", "lead": "Đơn vị chủ trì", "support": "Đơn vị phối hợp", "deadline": "Thời hạn",
           "directive": "Ý kiến chỉ đạo", "directed_by": "Người chỉ đạo", "directed_at": "Ngày chỉ đạo",
           "assignee": "Người được giao", "unit": "Đơn vị", "signed_by": "Người ký nhận",
           "received_at": "Thời điểm nhận", "status": "Trạng thái", "day": "Ngày nghỉ", "name": "Tên ngày nghỉ"}
_NAME_LIMIT = 150


def _now() -> datetime:
    """Local wall-clock time, as the clerk writes it on the handover sheet (not the UTC of created_at)."""
    return datetime.now().replace(microsecond=0)


def _error(field: str, message: str) -> FieldError:
    return FieldError(field, _LABELS.get(field, field), message)


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError(_error(field, message))


# ------------------------------------------------------------------------------------------------ lookups


def holiday_days(session: Session) -> set[date]:
    return set(session.scalars(select(Holiday.day)))


def _incoming(session: Session, doc_id: int) -> Document:
    doc = session.get(Document, doc_id)
    if doc is None:
        raise NotFoundError(f"Không có văn bản mã {doc_id}.")
    if doc.direction is not Direction.INCOMING:
        raise _refuse("document", "chỉ văn bản đến mới được chuyển xử lý.")
    if doc.cancelled_at is not None:
        raise _refuse("document", f"văn bản số đến {doc.number}/{doc.year} đã hủy.")
    return doc


def find_department(session: Session, text: str, field: str = "unit") -> Department:
    """A department by its name (with or without marks, any case) or its code; refused when unknown or inactive."""
    wanted = clean(text)
    if not wanted:
        raise _refuse(field, "chưa ghi tên đơn vị.")
    department = session.scalars(select(Department).where(Department.name_key == name_key(wanted))).first()
    if department is None:
        department = session.scalars(select(Department).where(Department.code == wanted.upper())).first()
    if department is None:
        raise _refuse(field, f"không có đơn vị '{wanted}' trong danh sách đơn vị (thêm bằng: department add).")
    if not department.active:
        raise _refuse(field, f"đơn vị '{department.name}' đã ngừng hoạt động.")
    return department


def _routings(session: Session, doc_id: int) -> list[Routing]:
    return list(session.scalars(select(Routing).where(Routing.document_id == doc_id).order_by(Routing.step)))


def _assignments(session: Session, routing_id: int) -> list[RoutingAssignment]:
    rows = session.scalars(select(RoutingAssignment).where(RoutingAssignment.routing_id == routing_id)
                           .order_by(RoutingAssignment.id))
    return sorted(rows, key=lambda a: a.role is not AssignmentRole.LEAD)


def assignment_record(a: RoutingAssignment) -> AssignmentRecord:
    return AssignmentRecord(a.id, a.routing_id, a.department_id, a.department_name, a.role, a.deadline, a.assignee,
                            a.status, a.received_at, a.signed_by, a.done_at)


def _routing_record(session: Session, routing: Routing, current: bool) -> RoutingRecord:
    return RoutingRecord(routing.id, routing.document_id, routing.step, routing.directive, routing.directed_by,
                         routing.directed_at, routing.created_at, routing.created_by,
                         tuple(assignment_record(a) for a in _assignments(session, routing.id)), current)


def history(session: Session, doc_id: int) -> list[RoutingRecord]:
    """Every routing step of a document, oldest first; the last one is current."""
    if session.get(Document, doc_id) is None:
        raise NotFoundError(f"Không có văn bản mã {doc_id}.")
    steps = _routings(session, doc_id)
    return [_routing_record(session, r, r is steps[-1]) for r in steps]


def _current_assignment(session: Session, doc: Document, unit: str) -> RoutingAssignment:
    steps = _routings(session, doc.id)
    if not steps:
        raise _refuse("unit", f"văn bản số đến {doc.number}/{doc.year} chưa được chuyển cho đơn vị nào (lệnh route).")
    department = find_department(session, unit)
    found = next((a for a in _assignments(session, steps[-1].id) if a.department_id == department.id), None)
    if found is None:
        raise _refuse("unit", f"'{department.name}' không có trong lần chuyển hiện tại của văn bản số đến "
                              f"{doc.number}/{doc.year}.")
    return found


# ------------------------------------------------------------------------------------------------ deadlines


def rule_working_days(session: Session, doc_type: str, urgency: Urgency | None) -> int | None:
    """Working days the agency's rules give: a rule naming both the type and the urgency wins, then urgency
    alone, then type alone, then the catch-all; None when no rule applies."""
    best: tuple[int, int] | None = None
    for rule in session.scalars(select(DeadlineRule).order_by(DeadlineRule.id)):
        if rule.doc_type is not None and fold(rule.doc_type) != fold(doc_type):
            continue
        if rule.urgency is not None and rule.urgency is not urgency:
            continue
        rank = (2 if rule.urgency is not None else 0) + (1 if rule.doc_type is not None else 0)
        if best is None or rank > best[0]:
            best = (rank, rule.working_days)
    return best[1] if best else None


def default_deadline(session: Session, doc: Document, on: date) -> date | None:
    """The deadline the rules give a document routed on that day (0 days: that day, or the next working day)."""
    days = rule_working_days(session, doc.doc_type, doc.urgency)
    return None if days is None else add_working_days(on, days, holiday_days(session))


def default_deadline_of(session: Session, doc_id: int, on: date) -> date | None:
    doc = session.get(Document, doc_id)
    if doc is None:
        raise NotFoundError(f"Không có văn bản mã {doc_id}.")
    return default_deadline(session, doc, on)


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
    doc.directive = next((r.directive for r in reversed(steps) if r.directive), None)
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


def route(session: Session, actor: str, doc_id: int, lead: str, supports: str | Sequence[str] = (),
          deadline: date | None = None, directive: str = "", directed_by: str = "", directed_at: date | None = None,
          assignee: str = "", support_deadlines: Mapping[str, date] | None = None) -> RoutingRecord:
    """Add a routing step: the leader's directive, the lead unit and supporting units, each with a deadline
    (given, or the rules' default counted in working days from the directive's date). Earlier steps are kept."""
    doc = _incoming(session, doc_id)
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
    before = _summary(doc)
    step = (session.scalar(select(func.max(Routing.step)).where(Routing.document_id == doc.id)) or 0) + 1
    routing = Routing(document_id=doc.id, step=step, directive=directive or None, directed_by=directed_by or None,
                      directed_at=on, created_by=actor)
    session.add(routing)
    session.flush()
    session.add(RoutingAssignment(routing_id=routing.id, department_id=lead_department.id,
                                  department_name=lead_department.name, role=AssignmentRole.LEAD,
                                  deadline=lead_deadline, assignee=assignee or None,
                                  status=DocumentStatus.AWAITING_HANDLING))
    for unit, department in support_departments:
        own = deadlines.get(name_key(unit)) or deadlines.get(name_key(department.name))
        session.add(RoutingAssignment(routing_id=routing.id, department_id=department.id,
                                      department_name=department.name, role=AssignmentRole.SUPPORT,
                                      deadline=own or lead_deadline, status=DocumentStatus.AWAITING_HANDLING))
    session.flush()
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
        .where(Routing.document_id == target.id, RoutingAssignment.status.not_in(list(CLOSED_STATUSES)))))
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


# ------------------------------------------------------------------------------------------------ tracking


def overdue(session: Session, on: date) -> list[OverdueItem]:
    """Per unit of each document's current step: open handling past its deadline on that day, and handling due
    within two working days; plus entries with a deadline but no routing. Most late first."""
    holidays = holiday_days(session)
    soon = add_working_days(on, DUE_SOON_WORKING_DAYS, holidays)
    open_statuses = [s for s in DocumentStatus if s not in CLOSED_STATUSES]
    latest = _latest_steps()
    rows = session.execute(
        select(RoutingAssignment, Document, Organization.name)
        .join(Routing, Routing.id == RoutingAssignment.routing_id)
        .join(latest, and_(latest.c.document_id == Routing.document_id, latest.c.step == Routing.step))
        .join(Document, Document.id == Routing.document_id)
        .outerjoin(Organization, Organization.id == Document.issuer_id)
        .where(RoutingAssignment.status.in_(open_statuses), RoutingAssignment.deadline.is_not(None),
               RoutingAssignment.deadline <= soon, Document.cancelled_at.is_(None))).tuples()
    items = [_item(doc, issuer, a.department_name, a.role, a.deadline, a.status, a.assignee, on, holidays)
             for a, doc, issuer in rows if a.deadline is not None]
    unrouted = session.execute(
        select(Document, Organization.name).outerjoin(Organization, Organization.id == Document.issuer_id)
        .where(Document.direction == Direction.INCOMING, Document.due_on.is_not(None), Document.due_on <= soon,
               Document.status.in_(open_statuses), Document.cancelled_at.is_(None),
               ~exists().where(Routing.document_id == Document.id))).tuples()
    items += [_item(doc, issuer, doc.recipient_text or "", None, doc.due_on, doc.status, None, on, holidays)
              for doc, issuer in unrouted if doc.due_on is not None]
    return sorted(items, key=lambda i: (not i.overdue, i.deadline, i.year, i.number, i.unit))


def _item(doc: Document, issuer: str | None, unit: str, role: AssignmentRole | None, deadline: date,
          status: DocumentStatus, assignee: str | None, on: date, holidays: set[date]) -> OverdueItem:
    late = deadline < on
    return OverdueItem(doc.id, doc.number, doc.year, doc.reference, issuer, doc.subject, unit, role, deadline, status,
                       assignee, late, (on - deadline).days if late else 0,
                       working_days_between(on, deadline, holidays))


def _latest_steps() -> Any:
    """Each routed document's current (newest) step number, as a subquery to join on."""
    return (select(Routing.document_id, func.max(Routing.step).label("step"))
            .group_by(Routing.document_id).subquery())


def awaiting_handover(session: Session, unit: str) -> tuple[str, list[int]]:
    """(the unit's name, ids of documents routed to it in their current step and not yet signed for), in
    số đến order: the Sổ chuyển giao the clerk takes to the unit."""
    department = find_department(session, unit)
    latest = _latest_steps()
    ids = session.scalars(
        select(Document.id)
        .join(Routing, Routing.document_id == Document.id)
        .join(latest, and_(latest.c.document_id == Routing.document_id, latest.c.step == Routing.step))
        .join(RoutingAssignment, RoutingAssignment.routing_id == Routing.id)
        .where(RoutingAssignment.department_id == department.id, RoutingAssignment.received_at.is_(None),
               RoutingAssignment.status.not_in(list(CLOSED_STATUSES)), Document.cancelled_at.is_(None))
        .order_by(Document.year, Document.number))
    return department.name, list(ids)


def follow_up_notes(session: Session, doc_ids: Sequence[int], on: date) -> dict[int, tuple[str, str]]:
    """For the Sổ theo dõi giải quyết: per routed document, (the units of its current step with their roles,
    each unit's progress on that day: done on time or late, or still open and how late)."""
    later = aliased(Routing)
    per_doc: dict[int, list[RoutingAssignment]] = {}
    for start in range(0, len(doc_ids), 2000):  # bound the IN list (SQLite allows 32,766 parameters)
        # The current step is the one with no later step: an index probe per row, where grouping every
        # routing of the register (per chunk) made a year's book quadratic.
        rows = session.execute(
            select(Routing.document_id, RoutingAssignment)
            .join(RoutingAssignment, RoutingAssignment.routing_id == Routing.id)
            .where(Routing.document_id.in_(list(doc_ids[start:start + 2000])),
                   ~exists().where(later.document_id == Routing.document_id, later.step > Routing.step))
            .order_by(Routing.document_id, RoutingAssignment.id)).tuples()
        for doc_id, assignment in rows:
            per_doc.setdefault(doc_id, []).append(assignment)
    notes: dict[int, tuple[str, str]] = {}
    for doc_id, assignments in per_doc.items():
        assignments.sort(key=lambda a: a.role is not AssignmentRole.LEAD)
        units = "; ".join(f"{a.department_name} ({a.role.label.lower()})" for a in assignments)
        notes[doc_id] = (units, "\n".join(_progress(a, on, len(assignments) > 1) for a in assignments))
    return notes


def _progress(a: RoutingAssignment, on: date, named: bool) -> str:
    text = a.status.label
    if a.status in CLOSED_STATUSES and a.done_at is not None:
        text += f" {a.done_at:%d/%m/%Y}"
        if a.deadline is not None:
            text += ", trễ hạn" if a.done_at.date() > a.deadline else ", đúng hạn"
    elif a.status not in CLOSED_STATUSES and a.deadline is not None and a.deadline < on:
        text += f", quá hạn {(on - a.deadline).days} ngày"
    return f"{a.department_name}: {text}" if named else text


# ------------------------------------------------------------------------------------------------ holidays


def holiday_record(h: Holiday) -> HolidayRecord:
    return HolidayRecord(h.id, h.day, h.name)


def list_holidays(session: Session, year: int | None = None) -> list[HolidayRecord]:
    query = select(Holiday).order_by(Holiday.day)
    if year is not None:
        query = query.where(Holiday.day >= date(year, 1, 1), Holiday.day <= date(year, 12, 31))
    return [holiday_record(h) for h in session.scalars(query)]


def add_holiday(session: Session, actor: str, day: date, name: str) -> HolidayRecord:
    """Add a day off; deadlines already given are not recomputed (they were told to the units)."""
    cleaned = clean(name)
    if not cleaned or len(cleaned) > _NAME_LIMIT:
        raise _refuse("name", "không được để trống." if not cleaned
                      else f"dài {len(cleaned)} ký tự, tối đa {_NAME_LIMIT} ký tự.")
    existing = session.scalars(select(Holiday).where(Holiday.day == day)).first()
    if existing is not None:
        raise _refuse("day", f"{format_date(day)} đã có trong bảng ngày nghỉ ({existing.name}).")
    holiday = Holiday(day=day, name=cleaned)
    session.add(holiday)
    session.flush()
    record = holiday_record(holiday)
    audit.record(session, actor, "create", "holiday", holiday.id, None, record.to_dict())
    return record


def remove_holiday(session: Session, actor: str, day: date) -> HolidayRecord:
    holiday = session.scalars(select(Holiday).where(Holiday.day == day)).first()
    if holiday is None:
        raise NotFoundError(f"Ngày {format_date(day)} không có trong bảng ngày nghỉ.")
    record = holiday_record(holiday)
    session.delete(holiday)
    session.flush()
    audit.record(session, actor, "delete", "holiday", record.id, record.to_dict(), None)
    return record
