"""Following routed work up: overdue and due-soon handling, the handover list of a unit, the follow-up book's notes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from app.core.enums import AssignmentRole, Direction, DocumentStatus
from app.core.records import CLOSED_STATUSES, OverdueItem
from app.core.workdays import add_working_days, working_days_between
from app.models import Document, Organization, Routing, RoutingAssignment
from app.services.routing.holidays import holiday_days
from app.services.routing.lookups import current_step, find_department

DUE_SOON_WORKING_DAYS = 2


def overdue(session: Session, on: date) -> list[OverdueItem]:
    """Per unit of each document's current step: open handling past its deadline on that day, and handling due
    within two working days; plus entries with a deadline but no routing. Most late first."""
    holidays = holiday_days(session)
    soon = add_working_days(on, DUE_SOON_WORKING_DAYS, holidays)
    open_statuses = [s for s in DocumentStatus if s not in CLOSED_STATUSES]
    rows = session.execute(
        select(RoutingAssignment, Document, Organization.name)
        .join(Routing, Routing.id == RoutingAssignment.routing_id)
        .join(Document, Document.id == Routing.document_id)
        .outerjoin(Organization, Organization.id == Document.issuer_id)
        .where(RoutingAssignment.status.in_(open_statuses), RoutingAssignment.deadline.is_not(None),
               RoutingAssignment.deadline <= soon, Document.cancelled_at.is_(None), current_step())).tuples()
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
                       assignee, late, days_late(deadline, on, holidays),
                       working_days_between(on, deadline, holidays))


def days_late(deadline: date, on: date, holidays: set[date]) -> int:
    """Working days past the deadline on that day, as deadlines are counted; 0 when not late. A deadline missed
    with only days off since (Friday's, seen on Saturday) is late by 1: the next working day is already late."""
    if on <= deadline:
        return 0
    return max(1, working_days_between(deadline, on, holidays))


def awaiting_handover(session: Session, unit: str) -> tuple[str, list[int]]:
    """(the unit's name, ids of documents routed to it in their current step and not yet signed for), in
    số đến order: the Sổ chuyển giao the clerk takes to the unit."""
    department = find_department(session, unit)
    ids = session.scalars(
        select(Document.id)
        .join(Routing, Routing.document_id == Document.id)
        .join(RoutingAssignment, RoutingAssignment.routing_id == Routing.id)
        .where(current_step(), RoutingAssignment.department_id == department.id,
               RoutingAssignment.received_at.is_(None),
               RoutingAssignment.status.not_in(list(CLOSED_STATUSES)), Document.cancelled_at.is_(None))
        .order_by(Document.year, Document.number))
    return department.name, list(ids)


def follow_up_notes(session: Session, doc_ids: Sequence[int], on: date) -> dict[int, tuple[str, str]]:
    """For the Sổ theo dõi giải quyết: per routed document, (the units of its current step with their roles,
    each unit's progress on that day: done on time or late, or still open and how late)."""
    per_doc: dict[int, list[RoutingAssignment]] = {}
    for start in range(0, len(doc_ids), 2000):  # bound the IN list (SQLite allows 32,766 parameters)
        # The current step is the one with no later step or version: an index probe per row, where grouping
        # every routing of the register (per chunk) made a year's book quadratic.
        rows = session.execute(
            select(Routing.document_id, RoutingAssignment)
            .join(RoutingAssignment, RoutingAssignment.routing_id == Routing.id)
            .where(Routing.document_id.in_(list(doc_ids[start:start + 2000])), current_step())
            .order_by(Routing.document_id, RoutingAssignment.id)).tuples()
        for doc_id, assignment in rows:
            per_doc.setdefault(doc_id, []).append(assignment)
    notes: dict[int, tuple[str, str]] = {}
    holidays = holiday_days(session) if per_doc else set()
    for doc_id, assignments in per_doc.items():
        assignments.sort(key=lambda a: a.role is not AssignmentRole.LEAD)
        units = "; ".join(f"{a.department_name} ({a.role.label.lower()})" for a in assignments)
        notes[doc_id] = (units, "\n".join(_progress(a, on, len(assignments) > 1, holidays) for a in assignments))
    return notes


def _progress(a: RoutingAssignment, on: date, named: bool, holidays: set[date]) -> str:
    text = a.status.label
    if a.status in CLOSED_STATUSES and a.done_at is not None:
        text += f" {a.done_at:%d/%m/%Y}"
        if a.deadline is not None:
            text += ", trễ hạn" if a.done_at.date() > a.deadline else ", đúng hạn"
    elif a.status not in CLOSED_STATUSES and a.deadline is not None and a.deadline < on:
        text += f", quá hạn {days_late(a.deadline, on, holidays)} ngày làm việc"
    return f"{a.department_name}: {text}" if named else text
