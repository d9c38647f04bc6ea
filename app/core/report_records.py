"""Plain records of the yearly report (báo cáo tình hình văn bản đến, đi và giải quyết văn bản đến)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from app.core.records import JsonRecord

# The dimensions a report can be limited to, in the order the sheets and tabs show them.
DIMENSIONS = ("month", "issuer", "type", "unit")
DIMENSION_TITLES = {"month": "Theo tháng", "issuer": "Theo cơ quan ban hành", "type": "Theo loại văn bản",
                    "unit": "Theo đơn vị"}
OTHER_ISSUERS = "Khác"
TOTAL_LABEL = "Tổng cộng"


@dataclass(frozen=True)
class MonthRow(JsonRecord):
    """Entries registered in one month (by ngày đến / ngày ký); cancelled ones are counted apart, never in the
    incoming and outgoing figures."""

    month: int  # 1–12; 0 on the total row
    incoming: int
    outgoing: int
    incoming_cancelled: int
    outgoing_cancelled: int


@dataclass(frozen=True)
class IssuerRow(JsonRecord):
    """Incoming entries from one issuer (tác giả); the `Khác` row gathers the issuers below the top N."""

    issuer: str
    incoming: int
    issuers: int = 1  # how many issuers the row stands for (more than 1 on the `Khác` row and the total)


@dataclass(frozen=True)
class TypeRow(JsonRecord):
    doc_type: str
    incoming: int
    outgoing: int


@dataclass(frozen=True)
class UnitRow(JsonRecord):
    """One unit's handling of incoming documents, from the current (latest) routing step of each document.

    assigned = lead + support = on_time + late + overdue + open_in_time (every assignment is in exactly one of
    the four outcome columns)."""

    department_id: int | None  # None on the total row
    unit: str
    assigned: int
    lead: int
    support: int
    on_time: int
    late: int
    overdue: int  # still open on the report date, deadline already past
    open_in_time: int  # still open, deadline not past (or no deadline)
    on_time_rate: float | None  # on_time / (on_time + late + overdue), None when nothing was due or done


@dataclass(frozen=True)
class UnroutedFigures(JsonRecord):
    """Incoming entries of the year that no routing step names a unit for (chưa chuyển), by their own status
    and deadline (Thời hạn giải quyết typed on the entry)."""

    total: int
    closed: int
    overdue: int
    open_in_time: int


@dataclass(frozen=True)
class Report(JsonRecord):
    """The figures of one year and one kind of book (ordinary or secret); a dimension not asked for is None."""

    year: int
    secret: bool
    on: date  # the report date: what is open and past its deadline on that day is overdue
    months: tuple[MonthRow, ...] | None = None
    month_total: MonthRow | None = None
    issuers: tuple[IssuerRow, ...] | None = None
    issuer_total: IssuerRow | None = None
    types: tuple[TypeRow, ...] | None = None
    type_total: TypeRow | None = None
    units: tuple[UnitRow, ...] | None = None
    unit_total: UnitRow | None = None
    unrouted: UnroutedFigures | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON with the dimensions asked for only (absent ones are left out, not null)."""
        data = super().to_dict()
        return {k: v for k, v in data.items() if v is not None}



# ------------------------------------------------------------------------------------------------ tables
# One layout of each dimension, shared by the terminal, the workbook and the window, so that all three show the
# same headings and the same figures.

MONTH_HEADERS = ("Tháng", "Văn bản đến", "Văn bản đi", "Văn bản đến đã hủy", "Văn bản đi đã hủy")
ISSUER_HEADERS = ("Cơ quan ban hành", "Văn bản đến")
TYPE_HEADERS = ("Tên loại văn bản", "Văn bản đến", "Văn bản đi", "Cộng")
UNIT_HEADERS = ("Đơn vị", "Được giao", "Chủ trì", "Phối hợp", "Đúng hạn", "Trễ hạn", "Quá hạn (chưa xong)",
                "Đang xử lý trong hạn", "Tỷ lệ đúng hạn")
RATE_HEADER = UNIT_HEADERS[-1]


@dataclass(frozen=True)
class ReportTable:
    """One dimension as a table: label column first, then figures; `rate_column` holds a fraction (0–1)."""

    dimension: str
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    total: tuple[Any, ...]
    chart_columns: tuple[int, ...]  # figure columns drawn as bar series
    stacked: bool = False  # the series are parts of one whole (a unit's outcomes)
    note: str = ""
    rate_column: int | None = None


def month_label(month: int) -> str:
    return f"Tháng {month}"


def report_tables(report: Report) -> list[ReportTable]:
    """The tables of the dimensions the report holds, in DIMENSIONS order."""
    tables: list[ReportTable] = []
    if report.months is not None and report.month_total is not None:
        def month_row(r: MonthRow, label: str) -> tuple[Any, ...]:
            return (label, r.incoming, r.outgoing, r.incoming_cancelled, r.outgoing_cancelled)

        tables.append(ReportTable(
            "month", DIMENSION_TITLES["month"], MONTH_HEADERS,
            tuple(month_row(r, month_label(r.month)) for r in report.months),
            month_row(report.month_total, TOTAL_LABEL), (1, 2),
            note="Văn bản đã hủy không tính vào số văn bản đến, văn bản đi; ghi riêng ở hai cột cuối."))
    if report.issuers is not None and report.issuer_total is not None:
        tables.append(ReportTable(
            "issuer", DIMENSION_TITLES["issuer"], ISSUER_HEADERS,
            tuple((r.issuer, r.incoming) for r in report.issuers),
            (TOTAL_LABEL, report.issuer_total.incoming), (1,),
            note=f"Dòng \"{OTHER_ISSUERS}\": các cơ quan ban hành còn lại."))
    if report.types is not None and report.type_total is not None:
        tables.append(ReportTable(
            "type", DIMENSION_TITLES["type"], TYPE_HEADERS,
            tuple((r.doc_type, r.incoming, r.outgoing, r.incoming + r.outgoing) for r in report.types),
            (TOTAL_LABEL, report.type_total.incoming, report.type_total.outgoing,
             report.type_total.incoming + report.type_total.outgoing), (1, 2)))
    if report.units is not None and report.unit_total is not None:
        def unit_row(u: UnitRow) -> tuple[Any, ...]:
            return (u.unit, u.assigned, u.lead, u.support, u.on_time, u.late, u.overdue, u.open_in_time,
                    u.on_time_rate)

        tables.append(ReportTable(
            "unit", DIMENSION_TITLES["unit"], UNIT_HEADERS, tuple(unit_row(u) for u in report.units),
            unit_row(report.unit_total), (4, 5, 6, 7), stacked=True, note=unrouted_note(report.unrouted),
            rate_column=8))
    return tables


def unrouted_note(figures: UnroutedFigures | None) -> str:
    if figures is None or not figures.total:
        return "Mọi văn bản đến trong năm đã được chuyển cho đơn vị."
    return (f"Chưa chuyển cho đơn vị nào: {format_count(figures.total)} văn bản đến (đã xong "
            f"{format_count(figures.closed)}, quá hạn {format_count(figures.overdue)}, đang trong hạn hoặc chưa có "
            f"hạn {format_count(figures.open_in_time)}).")


def format_count(value: int) -> str:
    """1.038.439: thousands grouped with a dot, as Vietnamese writes them."""
    return f"{value:,}".replace(",", ".")


def format_rate(value: float | None) -> str:
    """85.7 % written the Vietnamese way (decimal comma); '—' when nothing was due."""
    return "—" if value is None else f"{value * 100:.1f}".replace(".", ",") + " %"


def report_heading(report: Report) -> str:
    book = "sổ mật" if report.secret else "sổ thường"
    return f"BÁO CÁO TÌNH HÌNH VĂN BẢN NĂM {report.year} ({book}), tính đến ngày {report.on:%d/%m/%Y}"
