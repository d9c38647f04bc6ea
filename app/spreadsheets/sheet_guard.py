"""A spreadsheet from outside, read within bounds: the .xlsx zip checked before openpyxl opens it, CSV lines and
cells capped, every row counted, and whatever a broken file raises while it is read turned into one refusal."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from app.core.archives import MIB, READ_ERRORS, UnsafeArchive, check_members, open_zip, read_chunks, size_text
from app.core.errors import ValidationError

# An export of this app is about 1.6 KB of sheet XML per entry, so 512 MB is some 300,000 entries: far more than
# one register holds, and still read in seconds.
MAX_XLSX_UNPACKED = 512 * MIB
MAX_CSV_BYTES = 512 * MIB
MAX_CELL_CHARS = 10_000  # the longest register field takes 4,000 (Ý kiến chỉ đạo)
MAX_SHEET_ROWS = 1_048_576  # Excel's own last row
# Rows written but empty (styled, or a stray space) cost openpyxl as much as full ones: a million take half a
# minute. A real sheet has a few hundred at its foot; a run this long is a crafted or broken file.
MAX_EMPTY_RUN = 50_000
# A run of text with no tag between becomes one string in memory: a crafted sheet holds gigabytes of spaces.
MAX_MARKUP_GAP = 8 * MIB
MAX_CSV_LINE = 1 * MIB  # characters of one physical line; a field is capped at 131,072 by the csv module itself
MAX_CSV_ROW = 4 * MIB  # characters of one record, however many lines its quoted fields span
# The elements that hold a cell's value, with or without a namespace prefix (<v>, <x:v>, inline <is>).
_VALUE_TAGS = (b"<v>", b":v>", b"<is>", b":is>")
_PARSE_ERRORS = (SyntaxError, TypeError, IndexError, AttributeError, UnsafeArchive, *READ_ERRORS)


def file_error(message: str) -> ValidationError:
    return ValidationError.single("file", "Tệp", message)


def thousands(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def broken(source: Path, exc: BaseException) -> ValidationError:
    return file_error(f"Tệp Excel bị hỏng hoặc không đọc hết được: {source.name} ({exc}).")


def check_xlsx(source: Path) -> None:
    """Before openpyxl opens the workbook: a zip whose members are plain files of sane declared sizes, none packed
    like a bomb, and which inflate to what they declare (read once, each XML part checked for a gap between tags)."""
    try:
        with open_zip(source) as archive:
            for info in check_members(archive, MAX_XLSX_UNPACKED, MAX_XLSX_UNPACKED):
                gap = 0  # bytes since the last '<'; within a 1 MB chunk a gap cannot pass the limit
                rows = values = 0
                for chunk in read_chunks(archive, info, MAX_XLSX_UNPACKED):
                    if not info.filename.endswith((".xml", ".rels")):
                        continue
                    if info.filename.startswith("xl/worksheets/"):
                        rows += chunk.count(b"<row") + chunk.count(b":row")
                        values += sum(chunk.count(tag) for tag in _VALUE_TAGS)
                    first = chunk.find(b"<")
                    if first < 0:
                        gap += len(chunk)
                    elif gap + first <= MAX_MARKUP_GAP:
                        gap = len(chunk) - chunk.rfind(b"<") - 1
                    else:
                        gap += first
                    if gap > MAX_MARKUP_GAP:
                        raise UnsafeArchive(f"có thành phần {info.filename} chứa một đoạn hơn "
                                            f"{size_text(MAX_MARKUP_GAP)} không có thẻ XML nào")
                if rows - values > MAX_EMPTY_RUN:  # each value sits in one row: at least this many are empty
                    raise file_error(_too_many_empty(source, rows - values, None))
    except UnsafeArchive as exc:
        raise file_error(f"không đọc được {source.name} như một tệp Excel .xlsx: tệp {exc}.") from None


def guarded_rows(source: Path, raw: Iterator[tuple[int, Sequence[Any]]]) -> Iterator[tuple[int, Sequence[Any]]]:
    """The rows as read, refused past Excel's last row or after a very long run of written empty rows; an error
    of the parser while reading (a sheet cut short, a missing part) becomes a ValidationError."""
    empty_run = 0
    try:
        for number, cells in raw:
            if number > MAX_SHEET_ROWS:
                raise file_error(f"{source.name} có dòng {thousands(number)}, quá số dòng tối đa của một trang "
                                 f"Excel ({thousands(MAX_SHEET_ROWS)}).")
            if cells:  # openpyxl yields () for a row number the sheet skips: free to pass over
                if any(c is not None and (not isinstance(c, str) or c.strip()) for c in cells):
                    empty_run = 0
                else:
                    empty_run += 1
                    if empty_run > MAX_EMPTY_RUN:
                        raise file_error(_too_many_empty(source, empty_run, number))
            yield number, cells
    except _PARSE_ERRORS as exc:
        raise broken(source, exc) from None


def _too_many_empty(source: Path, count: int, last: int | None) -> str:
    """Counted while reading (a run, up to its last row), or estimated from the XML before (about)."""
    found = f"{thousands(count)} dòng trống liền nhau (đến dòng {thousands(last)})" if last is not None else \
        f"khoảng {thousands(count)} dòng trống"
    return (f"{source.name} có {found}, quá {thousands(MAX_EMPTY_RUN)} dòng; hãy xóa các dòng trống thừa (trong "
            "Excel: chọn các dòng, Delete) rồi nhập lại.")


def check_cell(row: int, column: str, heading: str, value: Any) -> None:
    """A cell longer than any field can take: refused before its text is cleaned, folded or checked."""
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        raise ValidationError.single("file", heading, f"dòng {row}, cột {column}: ô dài {thousands(len(value))} ký "
                                     f"tự, một ô tối đa {thousands(MAX_CELL_CHARS)} ký tự.")


def check_csv_size(source: Path) -> None:
    size = source.stat().st_size
    if size > MAX_CSV_BYTES:
        raise file_error(f"{source.name} nặng {size_text(size)}, tệp CSV tối đa {size_text(MAX_CSV_BYTES)}.")


class CsvLines:
    """The lines csv.reader reads, each capped, and the record being read capped (multi-line quoted fields)."""

    def __init__(self, source: Path, handle: IO[str]):
        self.source, self.handle, self.pending = source, handle, 0

    def __iter__(self) -> Iterator[str]:
        while line := self.handle.readline(MAX_CSV_LINE + 1):
            self.pending += len(line)
            if len(line) > MAX_CSV_LINE:
                raise file_error(f"{self.source.name} có một dòng dài hơn {thousands(MAX_CSV_LINE)} ký tự; tệp "
                                 "không phải bảng CSV của sổ.")
            if self.pending > MAX_CSV_ROW:
                raise file_error(f"{self.source.name} có một bản ghi (nhiều dòng nối nhau trong ngoặc kép) dài hơn "
                                 f"{thousands(MAX_CSV_ROW)} ký tự; tệp không phải bảng CSV của sổ.")
            yield line

    def rows(self, delimiter: str) -> Iterator[tuple[int, list[str]]]:
        reader = csv.reader(self, delimiter=delimiter)
        try:
            for number, row in enumerate(reader, 1):
                self.pending = 0
                yield number, row
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise file_error(f"{self.source.name}, dòng {reader.line_num}: có ô dài hơn "
                                 f"{thousands(csv.field_size_limit())} ký tự.") from None
            raise file_error(f"{self.source.name} không đúng dạng CSV ở dòng {reader.line_num} ({exc}).") from None


__all__ = ["MAX_CELL_CHARS", "MAX_CSV_BYTES", "MAX_EMPTY_RUN", "MAX_SHEET_ROWS", "MAX_XLSX_UNPACKED", "CsvLines",
           "broken", "check_cell", "check_csv_size", "check_xlsx", "file_error", "guarded_rows", "thousands"]
