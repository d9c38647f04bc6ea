"""The yearly report: every figure checked against counts made by hand from a small register built below."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import update

from app.core.enums import DocumentStatus, LinkType
from app.core.errors import ValidationError
from app.core.records import IncomingInput, OutgoingInput
from app.core.report_records import IssuerRow, MonthRow, TypeRow, UnitRow, UnroutedFigures, report_tables
from app.models import Document
from app.services import Registry

pytestmark = pytest.mark.both_engines

NV, KHTC, VP = "Phòng Nghiệp vụ", "Phòng Kế hoạch - Tài chính", "Văn phòng"
UBND, SNV, BYT = "UBND tỉnh Tây Ninh", "Sở Nội vụ tỉnh Tây Ninh", "Bộ Y tế"
ON = date(2026, 6, 15)  # the report date of most checks


@dataclass
class Register:
    reg: Registry
    ids: dict[str, int]


def _in(reg: Registry, issuer: str, reference: str, received: str, doc_type: str = "Công văn",
        secrecy: str | None = None) -> int:
    return reg.documents.register_incoming(IncomingInput(
        issuer=issuer, reference=reference, issued_on=received, received_on=received, doc_type=doc_type,
        subject="V/v báo cáo", secrecy=secrecy)).id


def _out(reg: Registry, signed: str, doc_type: str = "Công văn") -> int:
    return reg.documents.register_outgoing(OutgoingInput(doc_type=doc_type, subject="V/v trả lời", unit="VP",
                                               signer="Trần Văn B", signed_on=signed, recipients="UBND tỉnh")).id


def _at(text: str) -> datetime:
    return datetime.strptime(text, "%d/%m/%Y %H:%M")


def build_register(path: Path | str) -> Register:
    """The small register every report test reads (CLI and window tests too). Hand counts beside each step."""
    reg = Registry(str(path), actor="van_thu_test")
    for key, value in (("agency.name", "SỞ Y TẾ TỈNH TÂY NINH"), ("agency.abbreviation", "SYT"),
                       ("agency.family", "state")):
        reg.settings.set(key, value)
    for name, code in ((NV, "NV"), (KHTC, "KHTC"), (VP, "VP")):
        reg.directory.add_department(name, code)
    ids = {
        "d1": _in(reg, UBND, "01/UBND-VX", "05/01/2026"),                      # Jan, Công văn
        "d2": _in(reg, UBND, "02/UBND-VX", "20/01/2026"),                      # Jan, Công văn
        "d3": _in(reg, SNV, "03/QĐ-SNV", "10/02/2026", "Quyết định"),           # Feb
        "d4": _in(reg, BYT, "04/TB-BYT", "03/03/2026", "Thông báo"),            # Mar
        "d5": _in(reg, SNV, "05/SNV-TCCB", "16/03/2026"),                      # Mar, cancelled below
        "d6": _in(reg, UBND, "06/KH-UBND", "01/04/2026", "Kế hoạch"),           # Apr, answered by o4
        "d7": _in(reg, BYT, "07/BYT-KHTC", "04/05/2026"),                      # May, never routed
        "old": _in(reg, UBND, "99/UBND-VX", "30/12/2025"),                     # another year
        "secret": _in(reg, BYT, "08/BYT-VP", "12/05/2026", secrecy="mật"),      # the secret book
        "o1": _out(reg, "12/01/2026"),                                         # Jan, Công văn
        "o2": _out(reg, "12/02/2026", "Quyết định"),                           # Feb
        "o3": _out(reg, "02/03/2026"),                                         # Mar, cancelled below
        "o4": _out(reg, "20/04/2026"),                                         # Apr, replies to d6
    }
    # d1: first routed to NV + VP, then routed again to KHTC + VP: only the second (current) step counts.
    reg.routing.route(ids["d1"], NV, VP, deadline=date(2026, 1, 20), directed_at=date(2026, 1, 5))
    reg.routing.route(ids["d1"], KHTC, VP, deadline=date(2026, 1, 30), directed_at=date(2026, 1, 12))
    reg.routing.set_unit_status(ids["d1"], KHTC, DocumentStatus.HANDLED, _at("29/01/2026 17:30"))   # KHTC on time
    reg.routing.set_unit_status(ids["d1"], VP, DocumentStatus.HANDLED, _at("02/02/2026 08:00"))     # VP late
    # d2: NV leads (done on the deadline day, at 16:00: on time), KHTC supports with its own deadline, still open.
    reg.routing.route(ids["d2"], NV, KHTC, deadline=date(2026, 2, 10), directed_at=date(2026, 1, 20),
              support_deadlines={KHTC: date(2026, 2, 5)})
    reg.routing.handover(ids["d2"], NV, "Nguyễn Thị Lan", _at("20/01/2026 09:00"))
    reg.routing.set_unit_status(ids["d2"], NV, DocumentStatus.HANDLED, _at("10/02/2026 16:00"))      # NV on time
    # d3: VP leads, deadline 30/06, signed for and in progress: open, not yet due on 15/06.
    reg.routing.route(ids["d3"], VP, deadline=date(2026, 6, 30), directed_at=date(2026, 2, 10))
    reg.routing.handover(ids["d3"], VP, "Lê Văn C", _at("11/02/2026 08:00"))
    # d4: NV leads, deadline 20/03, filed on 25/03: late.
    reg.routing.route(ids["d4"], NV, deadline=date(2026, 3, 20), directed_at=date(2026, 3, 3))
    reg.routing.set_unit_status(ids["d4"], NV, DocumentStatus.FILED, _at("25/03/2026 10:00"))        # NV late
    # d5: routed, then cancelled: in no figure but the cancelled column of March.
    reg.routing.route(ids["d5"], NV, deadline=date(2026, 3, 31), directed_at=date(2026, 3, 16))
    reg.documents.cancel(ids["d5"], "Vào sổ nhầm")
    reg.documents.cancel(ids["o3"], "Ký nhầm số")
    # d6: NV leads, KHTC supports, far deadline; the reply o4 closes both units (done now, before 2099).
    reg.routing.route(ids["d6"], NV, KHTC, deadline=date(2099, 12, 31), directed_at=date(2026, 4, 1))
    reg.links.add(ids["o4"], LinkType.REPLIES_TO, ids["d6"])                                     # NV, KHTC on time
    return Register(reg, ids)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def register(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[Register]:
    """Built once for the module and engine: reports only read."""
    name, where = "", tmp_path_factory.mktemp("report") / "r.sqlite3"
    if request.param == "postgresql":
        name, where = request.getfixturevalue("postgres").new_database()
    built = build_register(where)
    yield built
    built.reg.close()
    if name:
        request.getfixturevalue("postgres").drop_database(name)


# Hand counts (report date 15/06/2026):
#   NV:   d2 lead on time, d4 lead late, d6 lead on time (reply)          → 3 = 3 lead; 2 on time, 1 late
#   KHTC: d1 lead on time, d2 support overdue (05/02), d6 support on time → 3 = 1 lead + 2 support; 2, 0, 1 overdue
#   VP:   d1 support late, d3 lead open until 30/06                       → 2 = 1 + 1; 0 on time, 1 late, 1 open
EXPECTED_UNITS = (
    UnitRow(None, KHTC, 3, 1, 2, 2, 0, 1, 0, 0.6667),
    UnitRow(None, NV, 3, 3, 0, 2, 1, 0, 0, 0.6667),
    UnitRow(None, VP, 2, 1, 1, 0, 1, 0, 1, 0.0),
)


def _without_ids(rows: tuple[UnitRow, ...]) -> tuple[UnitRow, ...]:
    return tuple(UnitRow(None, *(getattr(r, f) for f in list(r.__dataclass_fields__)[1:])) for r in rows)


def test_months_count_registrations_and_cancellations_apart(register: Register) -> None:
    report = register.reg.reports.build(2026, "month", ON)
    assert report.months is not None and len(report.months) == 12
    assert report.months[:5] == (MonthRow(1, 2, 1, 0, 0), MonthRow(2, 1, 1, 0, 0), MonthRow(3, 1, 0, 1, 1),
                                 MonthRow(4, 1, 1, 0, 0), MonthRow(5, 1, 0, 0, 0))
    assert all(m == MonthRow(m.month, 0, 0, 0, 0) for m in report.months[5:])
    assert report.month_total == MonthRow(0, 6, 3, 1, 1)
    assert report.issuers is None and report.units is None  # only the dimension asked for


def test_issuers_top_n_then_others(register: Register) -> None:
    report = register.reg.reports.build(2026, "issuer", ON, top=2)
    assert report.issuers == (IssuerRow(UBND, 3), IssuerRow(BYT, 2), IssuerRow("Khác", 1, 1))
    assert report.issuer_total == IssuerRow("Tổng cộng", 6, 3)
    assert register.reg.reports.build(2026, "issuer", ON).issuers == (IssuerRow(UBND, 3), IssuerRow(BYT, 2),
                                                              IssuerRow(SNV, 1))


def test_types_incoming_and_outgoing(register: Register) -> None:
    report = register.reg.reports.build(2026, "type", ON)
    assert report.types == (TypeRow("Công văn", 3, 2), TypeRow("Quyết định", 1, 1), TypeRow("Kế hoạch", 1, 0),
                            TypeRow("Thông báo", 1, 0))
    assert report.type_total == TypeRow("Tổng cộng", 6, 3)


def test_units_from_the_current_step_with_outcomes_on_the_report_date(register: Register) -> None:
    report = register.reg.reports.build(2026, "unit", ON)
    assert report.units is not None and _without_ids(report.units) == EXPECTED_UNITS
    assert report.unit_total == UnitRow(None, "Tổng cộng", 8, 5, 3, 4, 2, 1, 1, 0.5714)
    for u in report.units:  # every assignment in exactly one outcome
        assert u.assigned == u.lead + u.support == u.on_time + u.late + u.overdue + u.open_in_time
    assert report.unrouted == UnroutedFigures(total=1, closed=0, overdue=0, open_in_time=1)  # d7


def test_report_date_only_moves_open_items_between_overdue_and_in_time(register: Register) -> None:
    early = register.reg.reports.build(2026, "unit", date(2026, 2, 1))
    khtc = next(u for u in early.units or () if u.unit == KHTC)
    assert (khtc.overdue, khtc.open_in_time) == (0, 1)  # d2's support deadline 05/02 not yet past
    late = register.reg.reports.build(2026, "unit", date(2026, 7, 1))
    vp = next(u for u in late.units or () if u.unit == VP)
    assert (vp.overdue, vp.open_in_time, vp.on_time_rate) == (1, 0, 0.0)  # d3 past 30/06


def test_unrouted_entries_follow_their_own_deadline(register: Register) -> None:
    reg = register.reg
    # Entries with a deadline but no routing exist (older data, demo data): set one directly, as they would be.
    with reg.db.writing() as s:
        s.execute(update(Document).where(Document.id == register.ids["d7"]).values(due_on=date(2026, 6, 1)))
    try:
        assert reg.reports.build(2026, "unit", ON).unrouted == UnroutedFigures(1, 0, 1, 0)
        assert reg.reports.build(2026, "unit", date(2026, 6, 1)).unrouted == UnroutedFigures(1, 0, 0, 1)
    finally:
        with reg.db.writing() as s:
            s.execute(update(Document).where(Document.id == register.ids["d7"]).values(due_on=None))


def test_secret_book_and_other_years_are_apart(register: Register) -> None:
    secret = register.reg.reports.build(2026, secret=True, on=ON)
    assert secret.month_total == MonthRow(0, 1, 0, 0, 0) and secret.months and secret.months[4].incoming == 1
    assert secret.issuers == (IssuerRow(BYT, 1),) and secret.units == ()
    before = register.reg.reports.build(2025, on=ON)
    assert before.month_total == MonthRow(0, 1, 0, 0, 0) and before.months and before.months[11].incoming == 1
    assert register.reg.reports.build(2024, on=ON).month_total == MonthRow(0, 0, 0, 0, 0)


def test_full_report_tables_and_json(register: Register) -> None:
    report = register.reg.reports.build(2026, on=ON)
    tables = {t.dimension: t for t in report_tables(report)}
    assert list(tables) == ["month", "issuer", "type", "unit"]
    assert tables["unit"].headers[:3] == ("Đơn vị", "Được giao", "Chủ trì")
    assert tables["unit"].total == ("Tổng cộng", 8, 5, 3, 4, 2, 1, 1, 0.5714)
    assert "Chưa chuyển cho đơn vị nào: 1 văn bản đến" in tables["unit"].note
    data = report.to_dict()
    assert data["on"] == "2026-06-15" and data["month_total"]["incoming"] == 6
    assert data["unit_total"]["on_time_rate"] == 0.5714 and data["unrouted"]["total"] == 1
    assert register.reg.reports.build(2026, "type", ON).to_dict().keys() == {"year", "secret", "on", "types",
                                                                             "type_total"}


def test_bad_requests_are_refused(register: Register) -> None:
    with pytest.raises(ValidationError, match="Báo cáo theo"):
        register.reg.reports.build(2026, "week")
    with pytest.raises(ValidationError, match="Năm"):
        register.reg.reports.build(20260)
    with pytest.raises(ValidationError, match="Số cơ quan ban hành"):
        register.reg.reports.build(2026, top=0)
