"""The table of days off and the deadlines the agency's rules give, counted in working days that skip them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.dates import format_date
from app.core.enums import Urgency
from app.core.errors import NotFoundError
from app.core.records import HolidayRecord
from app.core.text import clean, fold
from app.core.workdays import add_working_days
from app.models import DeadlineRule, Document, Holiday
from app.services import audit
from app.services.routing.lookups import _NAME_LIMIT, _refuse


def holiday_days(session: Session) -> set[date]:
    return set(session.scalars(select(Holiday.day)))


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
