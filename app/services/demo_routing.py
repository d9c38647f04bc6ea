"""Demo routings in bulk: directives, lead and supporting units, deadlines by the rules, handover and statuses."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import Enum
from typing import Any, TypeVar

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from app.core.dates import format_date
from app.core.enums import AssignmentRole, DocumentStatus, Family, Urgency
from app.core.records import CLOSED_STATUSES
from app.core.text import fold, name_key
from app.core.workdays import add_working_days
from app.models import Routing, RoutingAssignment
from app.services import directory, routing

# A Sở Y tế's own units (the demo agency), a generic state agency's, and a Party committee's (name, code).
SO_Y_TE_UNITS = [("Văn phòng", "VP"), ("Phòng Tổ chức cán bộ", "TCCB"), ("Phòng Kế hoạch – Tài chính", "KHTC"),
                 ("Phòng Nghiệp vụ Y", "NVY"), ("Phòng Nghiệp vụ Dược", "NVD"), ("Thanh tra Sở", "TTRA")]
STATE_UNITS = [("Văn phòng", "VP"), ("Phòng Tổ chức cán bộ", "TCCB"), ("Phòng Kế hoạch – Tài chính", "KHTC"),
               ("Phòng Nghiệp vụ", "NV"), ("Thanh tra", "TTRA")]
PARTY_UNITS = [("Văn phòng", "VP"), ("Ban Tổ chức", "BTC"), ("Ban Tuyên giáo và Dân vận", "BTGDV"),
               ("Ủy ban Kiểm tra", "UBKT"), ("Ban Nội chính", "BNC")]
# Which unit usually leads on a topic (by code); other units take the rest.
TOPIC_LEADS = {
    "phòng, chống dịch sốt xuất huyết": "NVY", "chuyển đổi số trong cơ quan nhà nước": "VP",
    "cải cách hành chính": "VP", "công tác thi đua, khen thưởng": "TCCB", "phòng cháy, chữa cháy": "VP",
    "tuyển dụng viên chức": "TCCB", "bảo hiểm y tế toàn dân": "KHTC", "an toàn vệ sinh thực phẩm": "NVD",
    "tiêm chủng mở rộng": "NVY", "công tác dân vận": "BTGDV", "học tập và làm theo tư tưởng Hồ Chí Minh": "BTGDV",
    "thực hành tiết kiệm, chống lãng phí": "KHTC", "quyết toán ngân sách": "KHTC",
    "đào tạo, bồi dưỡng cán bộ": "TCCB", "an ninh mạng": "VP", "quản lý tài sản công": "KHTC",
    "kiểm tra, giám sát của Đảng": "UBKT", "đại hội Đảng bộ các cấp": "BTC", "xây dựng nông thôn mới": "NV",
    "phòng, chống tham nhũng, tiêu cực": "TTRA", "công tác bảo vệ bí mật nhà nước": "VP",
    "lưu trữ hồ sơ điện tử": "VP",
}
# Units that handle more of a Sở Y tế's mail when the topic does not decide (the professional ones).
UNIT_WEIGHTS = {"NVY": 4, "NVD": 3, "KHTC": 2, "TCCB": 2, "NV": 3}
STAFF = ["Nguyễn Thị Lan", "Trần Văn Hùng", "Lê Thị Thu Trang", "Phạm Minh Tuấn", "Võ Thị Hồng", "Huỳnh Văn Phúc",
         "Đặng Thị Mai", "Bùi Quốc Bảo", "Đỗ Thị Ngọc Hân", "Hồ Văn Tài", "Ngô Thị Kim Yến", "Dương Văn Lộc",
         "Lý Thị Bích Ngọc", "Trương Công Danh", "Phan Thị Diễm", "Mai Văn Khoa", "Tạ Thị Như Ý", "Châu Văn Đức"]
# Trích yếu of the leader's directive by document type; {d} is "trước ngày 15/05/2026" (or "trong ngày …").
DIRECTIVES: dict[str, list[str]] = {
    "Công văn": ["Giao {lead} chủ trì{sup} tham mưu trả lời {d}.",
                 "Giao {lead} chủ trì{sup} nghiên cứu, tham mưu {head} văn bản trả lời {d}.",
                 "{lead} chủ trì{sup} tham mưu thực hiện, báo cáo kết quả {d}."],
    "plan": ["Giao {lead} chủ trì{sup} tham mưu kế hoạch triển khai thực hiện; trình {head} {d}.",
             "Giao {lead} chủ trì{sup} tổ chức triển khai, báo cáo kết quả {d}."],
    "Thông báo": ["Giao {lead} nghiên cứu{sup}, tham mưu triển khai thực hiện {d}.",
                  "Chuyển {lead} theo dõi{sup}; tham mưu nội dung liên quan {d}."],
    "Báo cáo": ["Chuyển {lead} nghiên cứu{sup}, tham mưu {head} ý kiến (nếu có) {d}."],
    "Giấy mời": ["Giao {lead} cử lãnh đạo dự họp{sup}; báo cáo {head} kết quả {d}.",
                 "Đề nghị lãnh đạo {lead} dự họp{sup}, báo cáo kết quả {d}."],
    "Tờ trình": ["Giao {lead} chủ trì thẩm định{sup}, trình {head} {d}."],
    "Công điện": ["Giao {lead} chủ trì{sup} khẩn trương triển khai, báo cáo {head} kết quả {d}."],
}
_PLAN_TYPES = {"Kế hoạch", "Quyết định", "Hướng dẫn", "Chỉ thị", "Nghị quyết"}
REROUTE = "Chuyển lại: văn bản thuộc lĩnh vực {lead} (thay {old}); giao {lead} chủ trì{sup} tham mưu giải quyết {d}."
_TWICE, _NO_DIRECTIVE, _UNROUTED = 0.03, 0.06, 0.10
_DONE = (DocumentStatus.HANDLED,) * 6 + (DocumentStatus.FILED,)
_SUPPORT_COUNTS = (0, 0, 1, 1, 1, 2, 2)
_DIRECTED_AFTER = (0, 0, 0, 1, 1, 2)  # working days between arrival and the leader's directive
_UTC_OFFSET = timedelta(hours=7)  # created_at is stored in UTC; Việt Nam is UTC+7
T = TypeVar("T")


# Cheap draws: a million documents make tens of millions of them, and Random.choice/randint cost several
# times more than Random.random(). Each is a pure function of the stream, so a seed still gives the same data.
def _pick(rng: random.Random, items: Sequence[T]) -> T:
    return items[int(rng.random() * len(items))]


def _int(rng: random.Random, low: int, high: int) -> int:
    return low + int(rng.random() * (high - low + 1))


def _clock(rng: random.Random, low_hour: int, high_hour: int) -> time:
    return time(_int(rng, low_hour, high_hour), 5 * int(rng.random() * 12))


@dataclass
class Unit:
    id: int
    name: str
    code: str
    staff: tuple[str, ...]


@dataclass
class RoutingContext:
    """What routing the demo needs, read once: units, leaders, the agency's rules and holiday table."""

    actor: str
    units: list[Unit]
    leaders: list[str]
    head: str  # who the units report to, as directives name them: "Giám đốc"
    holidays: set[date]
    rule_days: dict[tuple[str, Urgency | None], int | None]
    weighted: list[Unit] = field(default_factory=list)  # each unit repeated by its share of the mail
    topic_lead: dict[str, Unit] = field(default_factory=dict)
    _workdays: dict[tuple[date, int], date] = field(default_factory=dict)
    _written: dict[date, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.weighted = [u for u in self.units for _ in range(UNIT_WEIGHTS.get(u.code, 1))]
        by_code = {u.code: u for u in self.units}
        self.topic_lead = {t: by_code[c] for t, c in TOPIC_LEADS.items() if c in by_code}

    def add(self, start: date, days: int) -> date:
        """add_working_days, cached: a million documents ask for the same few thousand (day, n) pairs."""
        key = (start, days)
        found = self._workdays.get(key)
        if found is None:
            found = self._workdays[key] = add_working_days(start, days, self.holidays)
        return found

    def written(self, day: date) -> str:
        """format_date, cached (strftime is slow next to a dict lookup)."""
        text = self._written.get(day)
        if text is None:
            text = self._written[day] = format_date(day)
        return text


def prepare(session: Session, actor: str, agency_name: str, family: Family, doc_types: list[str],
            leaders: list[str]) -> RoutingContext:
    """Create the agency's units if it has none yet (a real register keeps its own), read rules and holidays."""
    existing = directory.list_departments(session)
    if not existing:
        units = PARTY_UNITS if family is Family.PARTY else SO_Y_TE_UNITS if "y te" in fold(agency_name) \
            else STATE_UNITS
        every = directory.list_departments(session, include_inactive=True)
        known, taken = {name_key(d.name) for d in every}, {d.code for d in every}
        for name, code in units:
            if name_key(name) not in known:
                directory.add_department(session, actor, name, None if code in taken else code)
        existing = directory.list_departments(session)
    units = [Unit(d.id, d.name, d.code or "", tuple(STAFF[(i * 3 + k) % len(STAFF)] for k in range(3)))
             for i, d in enumerate(existing)]
    head = "Thường trực" if family is Family.PARTY else "Giám đốc" if fold(agency_name).startswith("so ") \
        else "Lãnh đạo cơ quan"
    rule_days = {(t, u): routing.rule_working_days(session, t, u) for t in set(doc_types)
                 for u in (None, *Urgency)}
    return RoutingContext(actor, units, leaders, head, routing.holiday_days(session), rule_days)


@dataclass(slots=True)
class _Assignment:
    unit: Unit
    role: AssignmentRole
    deadline: date | None
    status: DocumentStatus = DocumentStatus.AWAITING_HANDLING
    assignee: str | None = None
    received_at: datetime | None = None
    signed_by: str | None = None
    done_at: datetime | None = None


@dataclass(slots=True)
class Step:
    directive: str | None
    directed_by: str
    directed_at: date
    assignments: list[_Assignment]


def plan_document(rng: random.Random, ctx: RoutingContext, row: dict[str, object], topic: str,
                  today: date) -> list[Step]:
    """Decide the routing of one incoming row and write its summary columns the way routing.writes._sync_document
    would (lead unit, its deadline, latest directive, status led by the lead). [] when it is not routed."""
    received = row["received_on"]
    assert isinstance(received, date)
    urgency = row["urgency"]
    directed = ctx.add(received, 0 if urgency is not None else _pick(rng, _DIRECTED_AFTER))
    row["recipient_text"] = row["directive"] = row["due_on"] = None
    if row["cancelled_at"] is not None or not ctx.units or directed > today or rng.random() < _UNROUTED:
        # Not presented yet, or kept for information only (để biết, lưu): no unit handles it.
        recent = (today - received).days <= 3
        row["status"] = DocumentStatus.AWAITING_PRESENTATION if recent or directed > today else DocumentStatus.FILED
        return []
    doc_type = str(row["doc_type"])
    days = ctx.rule_days.get((doc_type, urgency))  # type: ignore[arg-type]
    lead = ctx.topic_lead.get(topic)
    if lead is None or rng.random() >= 0.7:
        lead = _pick(rng, ctx.weighted)
    if rng.random() < _TWICE and len(ctx.units) > 1 and ctx.add(directed, 3) <= today:
        # The first unit sent it back as not its own; that step stays as history, handed over and open.
        first = _step(rng, ctx, doc_type, days, directed, lead, today, None)
        for a in first.assignments:
            a.status, a.done_at = DocumentStatus.AWAITING_HANDLING, None
            a.received_at = a.signed_by = None
        first_lead = first.assignments[0]
        first_lead.status, first_lead.signed_by = DocumentStatus.IN_PROGRESS, _pick(rng, lead.staff)
        first_lead.received_at = datetime.combine(directed, _clock(rng, 8, 10))
        again = ctx.add(directed, _int(rng, 1, 3))
        other = _pick(rng, [u for u in ctx.units if u.id != lead.id])
        steps = [first, _step(rng, ctx, doc_type, days, again, other, today, lead)]
    else:
        steps = [_step(rng, ctx, doc_type, days, directed, lead, today, None)]
    _summarise(row, steps)
    return steps


def _summarise(row: dict[str, object], steps: list[Step]) -> None:
    """The entry's columns from its current step, by the same rule as routing.writes._sync_document."""
    current = steps[-1].assignments
    lead = next(a for a in current if a.role is AssignmentRole.LEAD)
    row["recipient_text"], row["due_on"] = lead.unit.name, lead.deadline
    row["directive"] = next((s.directive for s in reversed(steps) if s.directive), None)
    if lead.status in CLOSED_STATUSES:
        row["status"] = lead.status
    elif any(a.status is not DocumentStatus.AWAITING_HANDLING for a in current):
        row["status"] = DocumentStatus.IN_PROGRESS
    else:
        row["status"] = DocumentStatus.AWAITING_HANDLING


def _step(rng: random.Random, ctx: RoutingContext, doc_type: str, days: int | None, directed: date, lead: Unit,
          today: date, reroute_of: Unit | None) -> Step:
    deadline = None if days is None else ctx.add(directed, days)
    supports: list[Unit] = []
    wanted = _pick(rng, _SUPPORT_COUNTS)
    while len(supports) < wanted:
        unit = _pick(rng, ctx.units)
        if unit is lead or unit is reroute_of or unit in supports:
            if len(ctx.units) <= 2 + len(supports):
                break  # a tiny agency: no other unit left to add
            continue
        supports.append(unit)
    assignments = [_Assignment(lead, AssignmentRole.LEAD, deadline,
                               assignee=_pick(rng, lead.staff) if rng.random() < 0.5 else None)]
    for unit in supports:
        # Some supporting units must give their part a few days before the lead unit's deadline.
        own = ctx.add(directed, max(0, days - 3)) if days is not None and rng.random() < 0.25 else deadline
        assignments.append(_Assignment(unit, AssignmentRole.SUPPORT, own))
    _progress(rng, ctx, assignments, directed, today)
    directive = None if rng.random() < _NO_DIRECTIVE else _directive(rng, ctx, doc_type, lead, supports, deadline,
                                                                     days, reroute_of)
    return Step(directive, _pick(rng, ctx.leaders), directed, assignments)


def _directive(rng: random.Random, ctx: RoutingContext, doc_type: str, lead: Unit, supports: list[Unit],
               deadline: date | None, days: int | None, reroute_of: Unit | None) -> str:
    names = [u.name for u in supports]
    sup = "" if not names else f", phối hợp {names[0]}" if len(names) == 1 else f", phối hợp {names[0]} và {names[1]}"
    when = "kịp thời" if deadline is None else (f"trong ngày {ctx.written(deadline)}" if days == 0
                                                else f"trước ngày {ctx.written(deadline)}")
    if reroute_of is not None:
        return REROUTE.format(lead=lead.name, old=reroute_of.name, sup=sup, d=when)
    key = "plan" if doc_type in _PLAN_TYPES else doc_type if doc_type in DIRECTIVES else "Công văn"
    return _pick(rng, DIRECTIVES[key]).format(lead=lead.name, sup=sup, d=when, head=ctx.head)


def _progress(rng: random.Random, ctx: RoutingContext, assignments: list[_Assignment], directed: date,
              today: date) -> None:
    """Handover and status by age: old items mostly done (some late), recent ones open, a few open past due."""
    lead = assignments[0]
    due = lead.deadline or directed + timedelta(days=14)  # without a rule, still settle old items
    past = (today - due).days
    for a in assignments:
        received = ctx.add(directed, 0 if rng.random() < 0.7 else 1)
        if received <= today and rng.random() < (0.97 if past > 0 else 0.85):
            # On today itself only early morning, so no handover lies in the future.
            a.received_at = datetime.combine(received, _clock(rng, 7, 7 if received >= today else 16))
            a.signed_by, a.status = _pick(rng, a.unit.staff), DocumentStatus.IN_PROGRESS
    if past > 0:
        lead_done = rng.random() >= (0.12 if past <= 15 else 0.03 if past <= 60 else 0.003)
    else:
        lead_done = rng.random() < 0.6 * (today - directed).days / max(1, (due - directed).days)
    if lead_done:
        lead.done_at = _done_at(rng, ctx, lead, directed, due, today, past > 0 and rng.random() < 0.08)
        if lead.done_at is None:
            return
        lead.status = _pick(rng, _DONE)
    for a in assignments[1:]:
        if rng.random() < (0.995 if lead.done_at is not None else 0.3):  # a finished lead rarely leaves help open
            limit = lead.done_at.date() if lead.done_at is not None else min(a.deadline or due, today)
            a.done_at = _done_at(rng, ctx, a, directed, limit, today, False)
            if a.done_at is None and lead.done_at is not None:
                # It received the document after the lead had already finished: it closes the same day.
                a.done_at = max(lead.done_at, a.received_at + timedelta(hours=2) if a.received_at else lead.done_at)
                if a.done_at.date() >= today:
                    a.done_at = None
            if a.done_at is not None:
                a.status = DocumentStatus.HANDLED


def _done_at(rng: random.Random, ctx: RoutingContext, a: _Assignment, directed: date, due: date, today: date,
             late: bool) -> datetime | None:
    """When a unit finished: a working day up to its deadline (or a few working days after it when late),
    never before it received the document and never today or later; None when no such day exists."""
    start = a.received_at.date() if a.received_at is not None else directed
    if late:
        day = ctx.add(due, _int(rng, 1, 8))
    else:
        day = min(ctx.add(start + timedelta(days=_int(rng, 0, max(0, (due - start).days))), 0), due)
    if day >= today:
        day = today - timedelta(days=1)
    if day < start:
        return None
    moment = datetime.combine(day, _clock(rng, 9, 16))
    return max(moment, a.received_at + timedelta(minutes=30)) if a.received_at is not None else moment


def insert_routings(session: Session, ctx: RoutingContext, plans: list[tuple[int, list[Step]]]) -> int:
    """Bulk-insert the steps, then their units with the new routing ids; returns the steps written."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    day, stamp, code = (_sqlite_date, _sqlite_datetime, _value) if sqlite else (_same, _same, _same)
    routings = [(doc_id, n, s.directive, s.directed_by, day(s.directed_at), ctx.actor,
                 stamp(datetime.combine(s.directed_at, time(9, 30)) - _UTC_OFFSET))
                for doc_id, steps in plans for n, s in enumerate(steps, start=1)]
    if not routings:
        return 0
    _executemany(session, sqlite, Routing.__table__, (
        "document_id", "step", "directive", "directed_by", "directed_at", "created_by", "created_at"), routings)
    ids = {(d, n): i for i, d, n in session.execute(
        select(Routing.id, Routing.document_id, Routing.step)
        .where(Routing.document_id.between(plans[0][0], plans[-1][0])))}
    _executemany(session, sqlite, RoutingAssignment.__table__, (
        "routing_id", "department_id", "department_name", "role", "deadline", "assignee", "status", "received_at",
        "signed_by", "done_at"), [
        (ids[(doc_id, n)], a.unit.id, a.unit.name, code(a.role), day(a.deadline), a.assignee, code(a.status),
         stamp(a.received_at), a.signed_by, stamp(a.done_at))
        for doc_id, steps in plans for n, s in enumerate(steps, start=1) for a in s.assignments])
    return len(routings)


def _executemany(session: Session, sqlite: bool, table: Table, columns: Sequence[str],
                 rows: list[tuple[Any, ...]]) -> None:
    """One executemany. On SQLite the rows go straight to the driver, already written as SQLAlchemy writes
    them (ISO dates, 'YYYY-MM-DD HH:MM:SS.ffffff', enum values): its per-value conversion would cost more than
    SQLite's own insert here. Other engines get a Core insert of the Python values."""
    if sqlite:
        marks = ", ".join("?" * len(columns))
        session.connection().exec_driver_sql(f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})",
                                             rows)
    else:
        session.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])


def _same(value: Any) -> Any:
    return value


def _value(member: Enum) -> Any:
    return member.value


def _sqlite_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _sqlite_datetime(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(" ", "microseconds")
