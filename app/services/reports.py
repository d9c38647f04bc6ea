"""The yearly report: entries by month, issuer and type, and each unit's handling of incoming documents.

Every figure is one SQL GROUP BY (counts and sums of CASE expressions) over the year's entries, never a loop
over rows: a year of 1,000,000 entries is aggregated by the database, and only a few hundred result rows (one
per day, issuer, type or unit) come back to Python. Only portable SQL is used (CASE, COALESCE, `date(done_at)`
exists on SQLite and PostgreSQL alike); bench/bench_report.py measures it.

Which entries count
-------------------
* One year (`Document.year`, the year of the ngày đến / ngày ký that numbered the entry) of one kind of book:
  ordinary, or secret when asked. Copies (bản sao) are a book of their own and are not in this report.
* Cancelled entries (ĐÃ HỦY) are left out of every figure; the month table counts them in columns of their own.

Handling by unit (Theo đơn vị)
------------------------------
Each incoming entry's CURRENT routing step (the latest one: routing again replaces the units, earlier steps are
history) gives one assignment per unit named, as chủ trì (lead) or phối hợp (support). A unit that was in an
earlier step only is not counted for that document. Each assignment falls in exactly one outcome:

* on time  (Đúng hạn): closed (Đã xử lý, Đã trả lời — a linked reply closes every unit —, Lưu hồ sơ) and
  ``done_at.date() <= deadline``; also closed with no deadline (nothing to be late against).
* late     (Trễ hạn): closed and ``done_at.date() > deadline``.
* overdue  (Quá hạn, chưa xong): still open and ``deadline < report date``.
* open in time (Đang xử lý trong hạn): still open and ``deadline >= report date`` or no deadline.

done_at is the local wall-clock time the unit finished, so a document finished on the deadline day at 17:30 is
on time. Figures are the register's current state; the report date only decides which OPEN assignments are
overdue (as the overdue panel does). The on-time rate is on_time / (on_time + late + overdue): an item left
open past its deadline already counts against the unit, not only the ones closed late.

Entries with no routing step at all are not assigned to any unit: their free-text "Đơn vị hoặc người nhận"
cannot be matched to a department reliably. They are reported apart (UnroutedFigures) by their own status and
Thời hạn giải quyết, so nothing registered drops out of sight.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal_column, or_, select
from sqlalchemy.orm import Session, aliased

from app.core.enums import AssignmentRole, BookCategory, Direction
from app.core.errors import ValidationError
from app.core.records import CLOSED_STATUSES
from app.core.report_records import (
    DIMENSIONS,
    OTHER_ISSUERS,
    TOTAL_LABEL,
    IssuerRow,
    MonthRow,
    Report,
    TypeRow,
    UnitRow,
    UnroutedFigures,
)
from app.models import Department, Document, Organization, Routing, RoutingAssignment

DEFAULT_TOP = 10
NO_ISSUER = "(Không ghi cơ quan ban hành)"
_CLOSED = sorted(CLOSED_STATUSES)


def _count_if(condition: ColumnElement[bool]) -> Any:
    """SUM(CASE WHEN … THEN 1 ELSE 0 END): a conditional count inside one GROUP BY."""
    one, zero = literal_column("1"), literal_column("0")  # inline, not bound: plain integers on every database
    return func.coalesce(func.sum(case((condition, one), else_=zero)), zero)


def _year_entries(year: int, secret: bool) -> list[ColumnElement[bool]]:
    category = BookCategory.SECRET if secret else BookCategory.ORDINARY
    return [Document.year == year, Document.category == category]


def check_request(year: int, by: str | None, top: int = DEFAULT_TOP) -> None:
    """Refuse a request before any query runs, naming the field."""
    if not 1900 <= year <= 9999:
        raise ValidationError.single("year", "Năm", f"{year} không phải là năm hợp lệ (1900–9999).")
    if by is not None and by not in DIMENSIONS:
        raise ValidationError.single("by", "Báo cáo theo", f"'{by}' không có; chọn: {', '.join(DIMENSIONS)}.")
    if top < 1:
        raise ValidationError.single("top", "Số cơ quan ban hành", f"{top} phải lớn hơn 0.")


def build_report(session: Session, year: int, on: date, by: str | None = None, secret: bool = False,
                 top: int = DEFAULT_TOP) -> Report:
    """The report of a year: every dimension, or only `by` (month, issuer, type, unit)."""
    check_request(year, by, top)
    wanted = DIMENSIONS if by is None else (by,)
    parts: dict[str, Any] = {}
    if "month" in wanted:
        parts["months"] = months = by_month(session, year, secret)
        parts["month_total"] = MonthRow(0, *(sum(getattr(r, f) for r in months) for f in
                                             ("incoming", "outgoing", "incoming_cancelled", "outgoing_cancelled")))
    if "issuer" in wanted:
        parts["issuers"] = issuers = by_issuer(session, year, secret, top)
        parts["issuer_total"] = IssuerRow(TOTAL_LABEL, sum(r.incoming for r in issuers),
                                          sum(r.issuers for r in issuers))
    if "type" in wanted:
        parts["types"] = types = by_type(session, year, secret)
        parts["type_total"] = TypeRow(TOTAL_LABEL, sum(r.incoming for r in types), sum(r.outgoing for r in types))
    if "unit" in wanted:
        parts["units"] = units = by_unit(session, year, on, secret)
        parts["unit_total"] = unit_total(units)
        parts["unrouted"] = unrouted(session, year, on, secret)
    return Report(year=year, secret=secret, on=on, **parts)


# ------------------------------------------------------------------------------------------------ registration


def by_month(session: Session, year: int, secret: bool) -> tuple[MonthRow, ...]:
    """Twelve rows, January to December, zeros included (a chart needs every month).

    Grouped by day, then folded into months here: at most 2 × 366 rows come back, and the GROUP BY follows the
    (direction, registered_on) index order, so the database neither sorts nor calls a date function per entry
    (measured three times faster than GROUP BY extract('month', …) on a year of 1,000,000 entries)."""
    cancelled = Document.cancelled_at.is_not(None)
    rows = session.execute(
        select(Document.direction, Document.registered_on, _count_if(~cancelled), _count_if(cancelled))
        .where(Document.direction.in_([Direction.INCOMING, Direction.OUTGOING]),
               Document.registered_on >= date(year, 1, 1), Document.registered_on <= date(year, 12, 31),
               *_year_entries(year, secret))
        .group_by(Document.direction, Document.registered_on))
    found: dict[tuple[Direction, int], list[int]] = {}
    for direction, day, kept, dropped in rows:
        counts = found.setdefault((direction, day.month), [0, 0])
        counts[0] += int(kept)
        counts[1] += int(dropped)

    def get(direction: Direction, m: int) -> list[int]:
        return found.get((direction, m), [0, 0])

    return tuple(MonthRow(m, get(Direction.INCOMING, m)[0], get(Direction.OUTGOING, m)[0],
                          get(Direction.INCOMING, m)[1], get(Direction.OUTGOING, m)[1]) for m in range(1, 13))


def by_issuer(session: Session, year: int, secret: bool, top: int = DEFAULT_TOP) -> tuple[IssuerRow, ...]:
    """The `top` issuers that sent the most incoming entries (ties by name), then one `Khác` row for the rest."""
    # GROUP BY an expression, not the bare column: SQLite would otherwise walk the whole issuer index (every year)
    # and fetch each row from it, rather than read the year's entries and sort them. 0 stands for "no issuer".
    issuer = func.coalesce(Document.issuer_id, literal_column("0"))  # inline: PostgreSQL matches GROUP BY by text
    counts = {int(i): int(n) for i, n in session.execute(
        select(issuer, func.count())
        .where(Document.direction == Direction.INCOMING, Document.cancelled_at.is_(None),
               *_year_entries(year, secret))
        .group_by(issuer))}
    names = _names(session, Organization, [i for i in counts if i])
    named = sorted(((names.get(i, NO_ISSUER), n) for i, n in counts.items() if i),
                   key=lambda row: (-row[1], row[0]))
    rows = [IssuerRow(name, n) for name, n in named[:top]]
    rest = named[top:]
    missing = counts.get(0, 0)  # issuer left blank: kept in the total, under Khác
    if rest or missing:
        rows.append(IssuerRow(OTHER_ISSUERS, sum(n for _name, n in rest) + missing, len(rest)))
    return tuple(rows)


def _names(session: Session, model: Any, ids: list[int]) -> dict[int, str]:
    """id -> name for the few ids a GROUP BY returned (looked up once each, not joined to every entry)."""
    names: dict[int, str] = {}
    for start in range(0, len(ids), 500):  # bounded IN lists: a directory can hold thousands of issuers
        chunk = ids[start:start + 500]
        names.update({i: n for i, n in session.execute(select(model.id, model.name).where(model.id.in_(chunk)))})
    return names


def by_type(session: Session, year: int, secret: bool) -> tuple[TypeRow, ...]:
    """Per tên loại as registered (the list is open-ended), most entries first."""
    rows = session.execute(
        select(Document.doc_type, _count_if(Document.direction == Direction.INCOMING),
               _count_if(Document.direction == Direction.OUTGOING))
        .where(Document.direction.in_([Direction.INCOMING, Direction.OUTGOING]), Document.cancelled_at.is_(None),
               *_year_entries(year, secret))
        .group_by(Document.doc_type))
    found = [TypeRow(doc_type, int(i), int(o)) for doc_type, i, o in rows]
    return tuple(sorted(found, key=lambda r: (-(r.incoming + r.outgoing), r.doc_type)))


# ------------------------------------------------------------------------------------------------ handling


def _outcomes(status: Any, deadline: Any, done_at: Any, on: date) -> list[Any]:
    """The four exclusive outcome counts (on time, late, overdue, open in time) — see the module docstring."""
    closed = status.in_(_CLOSED)
    done_day = func.date(done_at)  # local wall-clock day; the same function on SQLite and PostgreSQL
    on_time = and_(closed, or_(deadline.is_(None), done_at.is_(None), done_day <= deadline))
    late = and_(closed, deadline.is_not(None), done_at.is_not(None), done_day > deadline)
    overdue = and_(~closed, deadline.is_not(None), deadline < on)
    open_in_time = and_(~closed, or_(deadline.is_(None), deadline >= on))
    return [_count_if(on_time), _count_if(late), _count_if(overdue), _count_if(open_in_time)]


def _rate(on_time: int, late: int, overdue: int) -> float | None:
    due = on_time + late + overdue
    return round(on_time / due, 4) if due else None


def by_unit(session: Session, year: int, on: date, secret: bool) -> tuple[UnitRow, ...]:
    """One row per unit named by a current routing step of the year's incoming entries, most assigned first."""
    ra = RoutingAssignment
    later = aliased(Routing)
    is_lead = ra.role == AssignmentRole.LEAD
    # GROUP BY an expression, as for issuers: grouping by the bare column makes SQLite walk the department index
    # over the assignments of EVERY year; this way it reads the year's entries from their index and sorts.
    unit = (ra.department_id + literal_column("0")).label("unit")
    rows = list(session.execute(
        select(unit, func.count(), _count_if(is_lead), _count_if(~is_lead),
               *_outcomes(ra.status, ra.deadline, ra.done_at, on))
        .select_from(Document)
        .join(Routing, Routing.document_id == Document.id)
        .join(ra, ra.routing_id == Routing.id)
        .where(Document.direction == Direction.INCOMING, Document.cancelled_at.is_(None),
               *_year_entries(year, secret),
               # The current step only: no later step (nor a correction of it) of the same document. Answered from
               # the (document_id, step, version) unique index alone (SELECT id, not SELECT *), unlike a MAX(step)
               # subquery over every year.
               ~select(later.id).where(later.document_id == Routing.document_id, or_(
                   later.step > Routing.step, and_(later.step == Routing.step, later.version > Routing.version)))
               .exists())
        .group_by(unit)))
    # Today's name of the department (one renamed since keeps its figures under the new name).
    names = _names(session, Department, [int(r[0]) for r in rows])
    units = [UnitRow(dep_id, names.get(dep_id, f"Đơn vị mã {dep_id}"), *figures, _rate(*figures[3:6]))
             for dep_id, *figures in ([int(v) for v in row] for row in rows)]
    return tuple(sorted(units, key=lambda u: (-u.assigned, u.unit)))


def unit_total(units: Sequence[UnitRow]) -> UnitRow:
    sums = [sum(getattr(u, f) for u in units) for f in
            ("assigned", "lead", "support", "on_time", "late", "overdue", "open_in_time")]
    return UnitRow(None, TOTAL_LABEL, *sums, _rate(sums[3], sums[4], sums[5]))


def unrouted(session: Session, year: int, on: date, secret: bool) -> UnroutedFigures:
    """The year's incoming entries no routing step names a unit for, by the entry's own status and deadline."""
    closed = Document.status.in_(_CLOSED)
    due = Document.due_on
    total, done, overdue, open_in_time = session.execute(
        select(func.count(), _count_if(closed), _count_if(and_(~closed, due.is_not(None), due < on)),
               _count_if(and_(~closed, or_(due.is_(None), due >= on))))
        .where(Document.direction == Direction.INCOMING, Document.cancelled_at.is_(None),
               *_year_entries(year, secret), ~select(Routing.id).where(Routing.document_id == Document.id).exists())
    ).one()
    return UnroutedFigures(int(total), int(done), int(overdue), int(open_in_time))
