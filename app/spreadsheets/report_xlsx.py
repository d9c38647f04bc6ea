"""The yearly report as an Excel workbook: one sheet per dimension, bold headings, a total row, a bar chart."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.core.files import write_atomically
from app.core.report_records import Report, ReportTable, report_heading, report_tables
from app.spreadsheets.cells import put
from app.spreadsheets.page_setup import landscape_fit_width
from app.spreadsheets.saving import save

HEADER_ROW = 4  # row 1: the report's title, row 2: the sheet's, row 4: column headings, then the figures
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE7F3")
_THIN = Side(style="thin", color="999999")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_RATE_FORMAT = "0.0%"


def write_report(report: Report, path: str | Path) -> Path:
    """Write the workbook whole or not at all: a failure leaves no partial file."""
    workbook = build_workbook(report)
    return write_atomically(path, lambda out: save(workbook, out))


def build_workbook(report: Report) -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)  # the default empty sheet
    for table in report_tables(report):
        _write_sheet(workbook.create_sheet(table.title), report, table)
    workbook.properties.title = report_heading(report)
    return workbook


def _write_sheet(sheet: Worksheet, report: Report, table: ReportTable) -> None:
    """Every cell goes through cells.put: issuer, type and unit names are what senders and clerks typed, and
    stay text ("=1+2", "@SUM(A1)") however they start. The totals are figures the report counted, not formulas."""
    put(sheet, 1, 1, report_heading(report)).font = Font(bold=True, size=13)
    put(sheet, 2, 1, table.title).font = Font(bold=True, italic=True)
    for col, heading in enumerate(table.headers, start=1):
        cell = put(sheet, HEADER_ROW, col, heading)
        cell.font, cell.fill, cell.border = _BOLD, _HEADER_FILL, _BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    first = HEADER_ROW + 1
    for offset, row in enumerate(table.rows):
        _write_row(sheet, first + offset, row, table, bold=False)
    total_row = first + len(table.rows)
    _write_row(sheet, total_row, table.total, table, bold=True)
    if table.note:
        put(sheet, total_row + 2, 1, table.note).font = Font(italic=True)
    widths = [max(12, min(48, max(len(str(r[0])) for r in (*table.rows, table.total, table.headers)) + 2))]
    widths += [max(11, min(22, len(h) + 2)) for h in table.headers[1:]]
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.row_dimensions[HEADER_ROW].height = 32
    sheet.freeze_panes = sheet.cell(first, 2)
    landscape_fit_width(sheet)
    if table.rows:
        _add_chart(sheet, table, f"{table.title} năm {report.year}", first, total_row - 1, len(table.headers) + 2)


def _write_row(sheet: Worksheet, row: int, values: tuple[object, ...], table: ReportTable, bold: bool) -> None:
    for col, value in enumerate(values, start=1):
        cell = put(sheet, row, col, value)
        cell.border = _BOX
        if bold:
            cell.font = _BOLD
        if table.rate_column is not None and col == table.rate_column + 1:
            cell.number_format = _RATE_FORMAT
            cell.alignment = Alignment(horizontal="right")


def _add_chart(sheet: Worksheet, table: ReportTable, title: str, first: int, last: int, anchor_column: int) -> None:
    """A native Excel bar chart of the figure columns (the total row is left out: it would dwarf the rest)."""
    chart = BarChart()
    chart.type = "bar" if table.dimension != "month" else "col"  # long names read better on horizontal bars
    chart.title = title
    chart.y_axis.title = "Số văn bản"
    chart.height = max(7.5, min(24.0, 0.6 * (last - first + 1) + 4))
    chart.width = 18
    if table.stacked:
        chart.grouping, chart.overlap = "stacked", 100
    for col in table.chart_columns:
        data = Reference(sheet, min_col=col + 1, min_row=HEADER_ROW, max_row=last)
        chart.add_data(data, titles_from_data=True)
    # openpyxl 3.1 marks axes as deleted unless told otherwise: Excel would draw bars without labels.
    chart.x_axis.delete = chart.y_axis.delete = False
    chart.set_categories(Reference(sheet, min_col=1, min_row=first, max_row=last))
    if chart.type == "bar":
        chart.x_axis.scaling.orientation = "maxMin"  # the first (largest) row on top, as in the table
    sheet.add_chart(chart, f"{get_column_letter(anchor_column)}{HEADER_ROW}")
