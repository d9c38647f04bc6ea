"""Cells that hold text as data, never as a formula: the one guard every workbook (and CSV) the app writes uses."""

from __future__ import annotations

import re
from typing import Any

# Excel, LibreOffice and Google Sheets start a formula (or a DDE call) at any of these when a cell is typed or a
# CSV is opened; openpyxl itself types "=…" as a formula and "#N/A" and the like as error cells.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot carry: openpyxl refuses a whole workbook over one of them.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def clean_text(value: str) -> str:
    """The text without the control characters an .xlsx cannot hold (tab, line feed and CR stay)."""
    return _ILLEGAL.sub("", value)


def guard(cell: Any) -> Any:
    """Make a cell whose value is text a string cell (openpyxl's data_type "s"), whatever the text starts with; a
    text that starts like a formula is also marked quotePrefix, so that Excel keeps it text when it is edited.
    Other values (numbers, dates, None) are left as they are. Returns the cell."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if cell.value.startswith(FORMULA_TRIGGERS):
            cell.quotePrefix = True
    return cell


def put(sheet: Any, row: int, column: int, value: Any) -> Any:
    """Write a value into a cell of a normal worksheet; text always as a string cell. Returns the cell."""
    cell = sheet.cell(row, column)
    cell.value = clean_text(value) if isinstance(value, str) else value
    return guard(cell)


def stream_cell(sheet: Any, value: Any) -> Any:
    """A cell for a write-only worksheet's append(); text always as a string cell."""
    from openpyxl.cell import WriteOnlyCell

    return guard(WriteOnlyCell(sheet, value=clean_text(value) if isinstance(value, str) else value))


def csv_text(value: str) -> str:
    """A CSV field that no spreadsheet opens as a formula: a leading = + - @ tab or CR gets a "'" before it."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


__all__ = ["FORMULA_TRIGGERS", "clean_text", "csv_text", "guard", "put", "stream_cell"]
