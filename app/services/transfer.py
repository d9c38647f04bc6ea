"""The register to Excel and back: export a book as .xlsx, import an old register (.xlsx or .csv) keeping its
legal numbers, all rows or none."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol

from app.core.enums import BookCategory, Direction
from app.core.errors import FieldError, NotFoundError, ValidationError
from app.core.files import write_atomically
from app.core.records import DocumentQuery
from app.services import transfer_columns as cols
from app.services.transfer_import import Importer, ImportReport, RowError
from app.spreadsheets.register_xlsx import SheetTable, open_table, write_sheet

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.core.records import DocumentRecord
    from app.services.settings import AgencySettings


class ExportSource(Protocol):
    """What an export reads from the register (registry.transfer gives its parts' guarded reads)."""

    def agency(self) -> AgencySettings: ...

    def records(self, ids: Sequence[int]) -> list[DocumentRecord]: ...

    def search_ids(self, query: DocumentQuery) -> list[int]: ...

BOOK_TITLES = {"incoming": "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN", "outgoing": "SỔ ĐĂNG KÝ VĂN BẢN ĐI"}
_SHEET_NAMES = {"incoming": "Sổ đến", "outgoing": "Sổ đi"}
_BLOCK = 2000  # entries read per query while the sheet is written
# Columns without which a row cannot be registered (Tên loại and Trích yếu may come as the paper register's
# single combined column; an outgoing number may be read from its số, ký hiệu).
_REQUIRED = {"incoming": ("received_on", "number", "issuer", "reference", "issued_on"),
             "outgoing": ("signed_on", "signer")}


# ------------------------------------------------------------------------------------------------ export


def export_register(source: ExportSource, selection: DocumentQuery | Sequence[int],
                    path: str | Path) -> tuple[Path, int]:
    """Write the selected entries (a query, or ids in the order given) to an .xlsx file: (file, rows written).
    Entries are read 2,000 at a time while the sheet streams to a temporary file, which replaces the target only
    when complete: a refusal or failure leaves no file behind."""
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise ValidationError.single("output", "Tệp kết quả", f"{target.name} cần có đuôi .xlsx.")
    if target.is_dir():
        raise ValidationError.single("output", "Tệp kết quả", f"{target} là một thư mục.")
    if isinstance(selection, DocumentQuery):
        if selection.direction is None:
            raise ValidationError.single("book", "Sổ", "chọn sổ văn bản đến hoặc sổ văn bản đi để xuất.")
        ids, direction, year, secret = source.search_ids(selection), selection.direction, selection.year, \
            selection.secret
    else:
        ids = list(selection)
        first = source.records(ids[:1])
        if not first:
            raise NotFoundError("Chưa chọn văn bản nào để xuất." if not ids else f"Không có văn bản mã {ids[0]}.")
        direction, year, secret = first[0].direction, None, first[0].category is BookCategory.SECRET
    book = "incoming" if direction is Direction.INCOMING else "outgoing"
    title = _title(source, book, year, secret)
    sheet = f"{_SHEET_NAMES[book]}{' mật' if secret else ''}{f' {year}' if year else ''}"

    def rows() -> Iterator[list[Any]]:
        for start in range(0, len(ids), _BLOCK):
            for record in source.records(ids[start:start + _BLOCK]):
                if (record.direction is Direction.INCOMING) != (book == "incoming"):
                    raise ValidationError.single("selection", "Văn bản", (
                        f"mã {record.id} là {record.direction.label.lower()}, không cùng sổ với văn bản đầu tiên; "
                        "văn bản đến và văn bản đi xuất ra hai tệp riêng."))
                yield cols.row_values(book, record)

    written = 0

    def build(out: BinaryIO) -> None:
        nonlocal written
        written = write_sheet(out, sheet, title, cols.sheet_columns(book), rows())

    return write_atomically(target, build), written


def _title(source: ExportSource, book: str, year: int | None, secret: bool) -> str:
    agency = source.agency().name
    text = BOOK_TITLES[book] + (" (MẬT)" if secret else "") + (f" NĂM {year}" if year else "")
    return f"{agency.upper()} — {text}" if agency else text


# ------------------------------------------------------------------------------------------------ import


class _Discard(Exception):
    """Leaves the import's transaction so that it rolls back (errors found, or a dry run), carrying the report."""

    def __init__(self, report: ImportReport):
        super().__init__("import discarded")
        self.report = report


def import_register(writing: Callable[[], AbstractContextManager[Session]], actor: str,
                    cleared_for: Callable[[Any], bool], path: str | Path, book: str | None = None,
                    dry_run: bool = False) -> ImportReport:
    """Register every row of an old register file in number order, in ONE transaction: any error in any row and
    nothing is kept (the report lists every error). A dry run makes every check a registration makes (fields,
    type list, book and year, số/ký hiệu, numbering against the register) without registering, and writes
    nothing. Problems with the file itself raise ValidationError."""
    source = Path(path)
    chosen = _book_of(source, book)
    with open_table(source, cols.aliases(chosen)) as table:
        _require_columns(source, chosen, table)
        try:
            with writing() as session:
                report = Importer(session, actor, chosen, source, table, dry_run, cleared_for).run()
                if not report.ok or dry_run:
                    raise _Discard(report)
                return report
        except _Discard as discarded:
            return discarded.report


def _book_of(source: Path, book: str | None) -> str:
    """The book named, or the one the headings show: Số đến / Ngày đến are incoming, Số đi / Người ký outgoing."""
    if book is not None:
        if book not in cols.BOOKS:
            raise ValidationError.single("book", "Sổ", f"'{book}' không hợp lệ; chọn incoming (sổ văn bản đến) "
                                         "hoặc outgoing (sổ văn bản đi).")
        return book
    with open_table(source, {**cols.aliases("outgoing"), **cols.aliases("incoming")}) as table:
        found = set(table.headings)
    incoming = bool(found & {"Số đến", "Ngày đến", "Tác giả"})
    outgoing = bool(found & {"Số đi", "Người ký", "Nơi nhận văn bản"})
    if incoming != outgoing:
        return "incoming" if incoming else "outgoing"
    raise ValidationError.single("book", "Sổ", f"không rõ {source.name} là sổ văn bản đến hay sổ văn bản đi (cần cột "
                                 "Số đến hoặc Người ký); hãy ghi rõ --book incoming hoặc --book outgoing.")


def _require_columns(source: Path, book: str, table: SheetTable) -> None:
    found = set(table.headings)
    needed = [cols.heading(book, key) or key for key in _REQUIRED[book]]
    if book == "outgoing" and not found & {"Số đi", "Số, ký hiệu văn bản"}:
        needed.append("Số đi")
    if not {"Tên loại", "Trích yếu nội dung văn bản"} <= found and cols.COMBINED not in found:
        needed += [h for h in ("Tên loại", "Trích yếu nội dung văn bản") if h not in found]
    missing = [h for h in needed if h not in found]
    if missing:
        raise ValidationError([FieldError("column", f"Cột {h}", f"không có trong dòng tiêu đề (dòng "
                                          f"{table.heading_row}) của {source.name}.") for h in missing])


__all__ = ["BOOK_TITLES", "ImportReport", "RowError", "export_register", "import_register"]
