"""Demo data routes most incoming documents the way the app would: summaries in step, deadlines by the rules."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.core.enums import AssignmentRole, Direction, DocumentStatus
from app.core.records import CLOSED_STATUSES
from app.core.workdays import add_working_days, is_working_day
from app.models import Document, Routing, RoutingAssignment
from app.services import Registry, routing
from app.services import demo as demo_service

TODAY = date(2026, 11, 20)  # a Friday, so "today" does not depend on when the tests run
SO_Y_TE = ["Phòng Kế hoạch – Tài chính", "Phòng Nghiệp vụ Dược", "Phòng Nghiệp vụ Y", "Phòng Tổ chức cán bộ",
           "Thanh tra Sở", "Văn phòng"]


def _demo(path: Path, seed: int = 7) -> Registry:
    reg = Registry(str(path), actor="demo")
    reg.demo.fill(300, 2026, seed)  # the part passes the real today; the service takes it as an argument
    return reg


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    reg = Registry(str(tmp_path_factory.mktemp("demo") / "demo.sqlite3"), actor="demo")
    result = demo_service.generate(reg.db.writing, "demo", 300, 2026, TODAY, seed=11)
    assert result.routings > 0
    yield reg
    reg.close()


def test_the_demo_agency_gets_its_units(demo: Registry) -> None:
    assert [d.name for d in demo.directory.departments()] == SO_Y_TE
    assert {d.code for d in demo.directory.departments()} == {"VP", "TCCB", "KHTC", "NVY", "NVD", "TTRA"}


def test_document_columns_equal_what_routing_would_set(demo: Registry) -> None:
    with demo.db.reading() as s, s.no_autoflush:
        docs = list(s.scalars(select(Document).where(Document.direction == Direction.INCOMING)))
        routed = 0
        for doc in docs:
            stored = (doc.status, doc.recipient_text, doc.due_on, doc.directive)
            routing.writes._sync_document(s, doc)  # the app's own rule, applied again to what the demo wrote
            assert (doc.status, doc.recipient_text, doc.due_on, doc.directive) == stored, doc.number
            has_steps = s.scalar(select(Routing.id).where(Routing.document_id == doc.id).limit(1)) is not None
            routed += has_steps
            if not has_steps:
                assert stored[1:] == (None, None, None)
                assert doc.status in (DocumentStatus.AWAITING_PRESENTATION, DocumentStatus.FILED)
        s.rollback()
    assert 0.8 <= routed / len(docs) <= 0.95  # most are routed; some only filed for information, some just in


def test_routings_are_realistic(demo: Registry) -> None:
    holidays = {h.day for h in demo.holidays.list()}
    with demo.db.reading() as s:
        rows = s.execute(select(Routing, Document).join(Document, Document.id == Routing.document_id)).tuples().all()
        units = s.scalars(select(RoutingAssignment)).all()
        by_routing: dict[int, list[RoutingAssignment]] = {}
        for a in units:
            by_routing.setdefault(a.routing_id, []).append(a)
        steps = Counter(doc.id for r, doc in rows)
        assert 1 <= sum(n == 2 for n in steps.values()) <= 0.08 * len(steps)  # ~3 % routed twice
        now = datetime.combine(TODAY, time(9, 0))
        for r, doc in rows:
            assert doc.received_on is not None and doc.received_on <= r.directed_at <= TODAY
            assert r.directed_by and (r.directive is None or "chủ trì" in r.directive or "Chuyển" in r.directive
                                      or "dự" in r.directive or "nghiên cứu" in r.directive)
            found = by_routing[r.id]
            lead = [a for a in found if a.role is AssignmentRole.LEAD]
            assert len(lead) == 1 and len(found) <= 3  # the lead and 0–2 supporting units
            days = routing.rule_working_days(s, doc.doc_type, doc.urgency)
            assert days is not None and lead[0].deadline == add_working_days(r.directed_at, days, holidays)
            for a in found:
                assert a.deadline is not None and r.directed_at <= a.deadline <= lead[0].deadline
                assert is_working_day(a.deadline, holidays)
                if a.received_at is not None:
                    assert a.signed_by and r.directed_at <= a.received_at.date() and a.received_at <= now
                if a.done_at is not None:
                    assert a.status in CLOSED_STATUSES and a.done_at.date() < TODAY
                    assert a.received_at is None or a.done_at > a.received_at
                else:
                    assert a.status not in CLOSED_STATUSES
        current = [(doc, by_routing[r.id]) for r, doc in rows if r.step == steps[doc.id]]
        leads = [next(a for a in found if a.role is AssignmentRole.LEAD) for _doc, found in current]
        old = [a for a in leads if a.deadline is not None and a.deadline < TODAY - timedelta(days=60)]
        assert sum(a.done_at is not None for a in old) >= 0.95 * len(old)  # old ones mostly done…
        late = [a for a in old if a.done_at is not None and a.done_at.date() > a.deadline]  # type: ignore[operator]
        assert 0 < len(late) < 0.2 * len(old)  # … some of them late
        recent = [a for a in leads if a.deadline is not None and a.deadline >= TODAY]
        assert recent and sum(a.done_at is None for a in recent) >= 0.4 * len(recent)  # recent ones: many open
        overdue = [a for a in leads if a.done_at is None and a.deadline is not None and a.deadline < TODAY]
        assert 0 < len(overdue) < 0.1 * len(leads)  # and a few are open past their deadline


def test_same_seed_same_routings(tmp_path: Path) -> None:
    def dump(reg: Registry) -> list[tuple[object, ...]]:
        with reg.db.reading() as s:
            return [tuple(row) for row in s.execute(
                select(Routing.document_id, Routing.step, Routing.directive, Routing.directed_by,
                       Routing.directed_at, RoutingAssignment.department_name, RoutingAssignment.role,
                       RoutingAssignment.deadline, RoutingAssignment.status, RoutingAssignment.received_at,
                       RoutingAssignment.done_at)
                .join(RoutingAssignment, RoutingAssignment.routing_id == Routing.id)
                .order_by(RoutingAssignment.id))]

    first, second = _demo(tmp_path / "a.sqlite3"), _demo(tmp_path / "b.sqlite3")
    try:
        assert dump(first) == dump(second) and dump(first)
    finally:
        first.close()
        second.close()
