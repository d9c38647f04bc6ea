"""The register as a spreadsheet: entries written to .xlsx as they stream in, rows read back from .xlsx or .csv."""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import IO, Any, BinaryIO

from app.core.errors import ValidationError
from app.core.text import name_key
from app.spreadsheets.cells import stream_cell
from app.spreadsheets.page_setup import landscape_fit_width
from app.spreadsheets.saving import save
from app.spreadsheets.sheet_guard import CsvLines, check_cell, check_csv_size, check_xlsx, file_error, guarded_rows

HEADING_SCAN_ROWS = 20  # a title block above the headings is common; the headings are searched this far down
DATE_FORMAT = "DD/MM/YYYY"
TIME_FORMAT = "HH:MM"
XLSX_SUFFIXES = (".xlsx", ".xlsm")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_CSV_DELIMITERS = (";", ",", "\t")
_CSV_SAMPLE = 256 * 1024


@dataclass(frozen=True)
class SheetColumn:
    """One column of the written sheet: heading, width in characters, and how its cells are typed."""

    heading: str
    width: float
    kind: str = "text"  # "text" | "int" | "date" | "time"


def write_sheet(out: BinaryIO, sheet_name: str, title: str, columns: Sequence[SheetColumn],
                rows: Iterable[Sequence[Any]]) -> int:
    """Write a one-sheet workbook: a bold title row, the bold headings (frozen, repeated on printed pages), then
    the rows. Text is always written as text, never as a formula (app.spreadsheets.cells). A write-only workbook
    streams rows to disk, so a million entries never sit in memory. Returns the number of rows written."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_sheet_name(sheet_name))
    for index, column in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A3"  # title and headings stay in view while scrolling
    landscape_fit_width(sheet, fit=False)  # the printed register is the PDF book; this is for data
    sheet.print_title_rows = "2:2"
    title_cell = stream_cell(sheet, title)
    title_cell.font = Font(bold=True, size=14)
    sheet.append([title_cell])
    bold, centred = Font(bold=True), Alignment(horizontal="center", vertical="center", wrap_text=True)
    headings = []
    for column in columns:
        cell = stream_cell(sheet, column.heading)
        cell.font, cell.alignment = bold, centred
        headings.append(cell)
    sheet.append(headings)

    def cell_of(kind: str, value: Any) -> Any:
        if value is None or value == "":
            return None
        if kind in ("date", "time") and isinstance(value, date | time):
            cell = stream_cell(sheet, value)
            cell.number_format = DATE_FORMAT if kind == "date" else TIME_FORMAT
            return cell
        if isinstance(value, str):  # "=1+2", "@SUM(A1)", "#N/A" typed by a clerk stay that text
            return stream_cell(sheet, value)
        return value

    count = 0
    try:
        for values in rows:
            sheet.append([cell_of(c.kind, v) for c, v in zip(columns, values, strict=True)])
            count += 1
    except BaseException:
        # The rows stopped (a refused entry, an interrupted read): finish and delete openpyxl's own temporary
        # part file, which would otherwise linger until exit.
        sheet.close()
        if sheet._writer is not None:
            sheet._writer.cleanup()
        raise
    save(book, out)
    return count


def _sheet_name(name: str) -> str:
    return _SHEET_FORBIDDEN.sub("-", name)[:31] or "Sheet1"


# ------------------------------------------------------------------------------------------------ reading


@dataclass
class SheetTable:
    """An opened spreadsheet: which known headings were found where, and its data rows as they are read."""

    heading_row: int  # the row number (as Excel shows it) of the headings
    headings: tuple[str, ...]  # the known headings found, canonical spelling, in file order
    unknown: tuple[str, ...]  # the file's other headings, as written (not imported)
    rows: Iterator[tuple[int, dict[str, Any]]]  # (row number as Excel shows it, canonical heading -> value)


_file_error = file_error
_HEADING_CHARS = 200  # longer is no heading; folding a huge cell (and caching it) would only cost time and memory


def heading_key(text: object) -> str:
    """Headings compared loosely: case, marks and punctuation ignored ("So den" is "Số đến")."""
    if text is None:
        return ""
    text = str(text)
    return name_key(text) if len(text) <= _HEADING_CHARS else ""


@contextmanager
def open_table(path: str | Path, aliases: Mapping[str, str]) -> Iterator[SheetTable]:
    """Open an .xlsx (first sheet) or .csv (UTF-8 with or without BOM; ';', ',' or tab) and find its heading row
    among the first rows. `aliases` maps every accepted heading to its canonical spelling; cells come back keyed
    by the canonical heading. Rows are read lazily while the context is open (blank rows are skipped)."""
    source = Path(path)
    suffix = source.suffix.lower()
    if suffix == ".xls":
        raise _file_error(f"{source.name} là tệp Excel đời cũ (.xls); hãy mở bằng Excel và lưu lại dạng .xlsx.")
    if suffix not in (*XLSX_SUFFIXES, ".csv"):
        raise _file_error(f"{source.name} không phải tệp .xlsx hoặc .csv.")
    if not source.is_file():
        raise _file_error(f"không có tệp {source}.")
    keys = {heading_key(k): v for k, v in aliases.items()}
    if suffix == ".csv":
        with _csv_rows(source, keys) as raw:
            yield _table(source, guarded_rows(source, raw), keys)
    else:
        with _xlsx_rows(source) as raw:
            yield _table(source, guarded_rows(source, raw), keys)


def _table(source: Path, raw: Iterator[tuple[int, Sequence[Any]]], keys: Mapping[str, str]) -> SheetTable:
    heading_row, cells = _find_headings(source, raw, keys)
    positions: dict[str, int] = {}
    unknown: list[str] = []
    for index, cell in enumerate(cells):
        canonical = keys.get(heading_key(cell))
        if canonical is None:
            if cell is not None and str(cell).strip():
                unknown.append(str(cell).strip())
        elif canonical in positions:
            raise ValidationError.single("file", canonical, f"có hai cột cùng tiêu đề trong dòng {heading_row} "
                                         f"(cột {_letter(positions[canonical])} và {_letter(index)}).")
        else:
            positions[canonical] = index
    return SheetTable(heading_row, tuple(positions), tuple(unknown), _data_rows(raw, positions))


def _find_headings(source: Path, raw: Iterator[tuple[int, Sequence[Any]]],
                   keys: Mapping[str, str]) -> tuple[int, Sequence[Any]]:
    """The first row with at least two known headings (one when only one heading is known)."""
    wanted = min(2, len(set(keys.values())))
    for number, cells in raw:
        if sum(1 for c in cells if heading_key(c) in keys) >= wanted:
            return number, cells
        if number >= HEADING_SCAN_ROWS:
            break
    sample = ", ".join(list(dict.fromkeys(keys.values()))[:4])
    raise _file_error(f"không tìm thấy dòng tiêu đề cột trong {HEADING_SCAN_ROWS} dòng đầu của {source.name} "
                      f"(cần các cột như {sample}…).")


def _data_rows(raw: Iterator[tuple[int, Sequence[Any]]],
               positions: Mapping[str, int]) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, cells in raw:
        if not cells:  # a row the sheet skips (openpyxl yields it empty): a million of them must cost nothing
            continue
        values = {h: _cell_value(cells[i]) if i < len(cells) else None for h, i in positions.items()}
        for heading, value in values.items():
            check_cell(number, _letter(positions[heading]), heading, value)
        if any(v is not None for v in values.values()):
            yield number, values


def _cell_value(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@contextmanager
def _xlsx_rows(source: Path) -> Iterator[Iterator[tuple[int, Sequence[Any]]]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    check_xlsx(source)  # the zip's sizes and parts, before openpyxl inflates anything
    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError, TypeError,
            AttributeError, IndexError) as exc:  # SyntaxError: the XML parsers' errors (ElementTree, lxml)
        raise _file_error(f"không đọc được {source.name} như một tệp Excel .xlsx ({exc}).") from None
    try:
        if not book.worksheets:
            raise _file_error(f"{source.name} không có trang tính nào.")
        sheet = book.worksheets[0]
        # The size written in the file is often wrong (files made by other programs); read what is there.
        sheet.reset_dimensions()

        # In read-only mode openpyxl yields the gap rows too, so the position is the sheet's row number.
        yield enumerate(sheet.iter_rows(values_only=True), 1)
    finally:
        book.close()


@contextmanager
def _csv_rows(source: Path, keys: Mapping[str, str]) -> Iterator[Iterator[tuple[int, Sequence[Any]]]]:
    check_csv_size(source)
    with source.open(encoding="utf-8-sig", newline="") as handle:
        try:
            sample = handle.read(_CSV_SAMPLE)
        except UnicodeDecodeError as exc:
            raise _not_utf8(source, exc) from None
        delimiter = _delimiter(sample, keys)
        handle.seek(0)
        yield _decoded(source, handle, delimiter)


def _delimiter(sample: str, keys: Mapping[str, str]) -> str:
    """The delimiter under which the first lines show the most known headings, then the most even columns.
    Headings such as "Số, ký hiệu văn bản" hold commas, so counting ',' alone would mislead on a ';' file."""
    lines = sample.splitlines()[:HEADING_SCAN_ROWS]

    def score(delimiter: str) -> tuple[int, int, int]:
        try:
            rows = [r for r in csv.reader(lines, delimiter=delimiter) if r]
        except csv.Error:
            return (0, 0, 0)
        known = max((sum(1 for c in r if heading_key(c) in keys) for r in rows), default=0)
        widths = [len(r) for r in rows]
        return (known, max(widths, default=0), -len(set(widths)))

    return max(_CSV_DELIMITERS, key=score)


def _decoded(source: Path, handle: IO[str], delimiter: str) -> Iterator[tuple[int, Sequence[Any]]]:
    try:
        yield from CsvLines(source, handle).rows(delimiter)
    except UnicodeDecodeError as exc:
        raise _not_utf8(source, exc) from None


def _not_utf8(source: Path, exc: UnicodeDecodeError) -> ValidationError:
    # The byte's place counts characters read so far in the text layer's buffer: say only which byte it was.
    return _file_error(f"{source.name} không phải văn bản mã UTF-8 (gặp byte 0x{exc.object[exc.start]:02X} không "
                       "đọc được); trong Excel hãy chọn Lưu thành \"CSV UTF-8 (Comma delimited)\".")


def excel_date(value: float) -> date | None:
    """An Excel serial day number (a date cell read without its format) as a date; None when not plausible."""
    if not 1 <= value < 2_958_466:  # 01/01/1900 … 31/12/9999
        return None
    return (datetime(1899, 12, 30) + timedelta(days=int(value))).date()


__all__ = ["SheetColumn", "SheetTable", "excel_date", "heading_key", "open_table", "write_sheet"]
