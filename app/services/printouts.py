"""Printing use cases: gather the records a printout needs from the register, hand them to app.printing, and
write the PDF whole or not at all. The printing modules (reportlab) are imported only when something is printed."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from app.core.dates import format_date, today
from app.core.enums import Direction
from app.core.errors import ValidationError
from app.core.records import DocumentQuery, DocumentRecord

if TYPE_CHECKING:
    from app.core.records import AttachmentRecord, RoutingRecord
    from app.printing.common import Agency
    from app.services.settings import AgencySettings

BOOK_KINDS = {"incoming": "Sổ đăng ký văn bản đến", "outgoing": "Sổ đăng ký văn bản đi",
              "follow-up": "Sổ theo dõi giải quyết văn bản đến"}
_BLOCK = 2000


class PrintSource(Protocol):
    """What a printout reads from the register (registry.printouts gives its parts' guarded reads)."""

    actor: str

    def agency(self) -> AgencySettings: ...

    def get(self, doc_id: int) -> DocumentRecord: ...

    def records(self, ids: Sequence[int]) -> list[DocumentRecord]: ...

    def search_ids(self, query: DocumentQuery) -> list[int]: ...

    def attachments(self, doc_id: int) -> list[AttachmentRecord]: ...

    def attachment_path(self, attachment_id: int) -> Path: ...

    def routing_history(self, doc_id: int) -> list[RoutingRecord]: ...

    def awaiting_handover(self, unit: str) -> tuple[str, list[int]]: ...

    def reply_references(self, target_ids: Sequence[int]) -> dict[int, str]: ...

    def follow_up_notes(self, doc_ids: Sequence[int], on: date) -> dict[int, tuple[str, str]]: ...

    def audit_code(self) -> str: ...


@dataclass(frozen=True)
class RegisterRange:
    """Which part of a book to print: a year, and optionally a date or number range within it."""

    kind: str  # one of BOOK_KINDS
    year: int
    date_from: date | None = None
    date_to: date | None = None
    number_from: int | None = None
    number_to: int | None = None
    secret: bool = False
    book_number: int = 1


def agency_of(source: PrintSource) -> Agency:
    from app.printing.common import Agency

    settings = source.agency()
    if not settings.name:
        raise ValidationError.single("agency.name", "Tên cơ quan", "chưa cài đặt, nên chưa in được dấu, phiếu và "
                                     "sổ (Cài đặt → Cơ quan, hoặc settings set agency.name …).")
    return Agency(settings.name, settings.parent, settings.place, settings.family)


def _incoming(source: PrintSource, doc_id: int) -> DocumentRecord:
    doc = source.get(doc_id)
    if doc.direction is not Direction.INCOMING:
        raise ValidationError.single("number", "Số đến", f"{doc.reference or doc.id} là văn bản đi, không có số đến "
                                     "để đóng dấu ĐẾN hay lập phiếu giải quyết.")
    return doc


def stamp_data(doc: DocumentRecord):  # type: ignore[no-untyped-def]
    from app.printing.stamp import StampData

    return StampData(number=doc.number, received_on=doc.received_on or doc.registered_on,
                     received_at=doc.received_at, routing=doc.recipient_text or "", file_code=doc.file_code)


def print_stamps(source: PrintSource, doc_ids: Sequence[int], path: str | Path, sheet: bool = False) -> Path:
    """ĐẾN stamps on 50×35 mm labels (one page each), or on A4 sheets of labels."""
    from app.printing.common import write_pdf
    from app.printing.stamp import write_stamp_labels, write_stamp_sheet

    agency = agency_of(source)
    stamps = [stamp_data(_incoming(source, i)) for i in doc_ids]
    write = write_stamp_sheet if sheet else write_stamp_labels
    return write_pdf(path, lambda out: write(out, agency.name, stamps))


def print_stamp_on_scan(source: PrintSource, doc_id: int, scan: str | Path | None, path: str | Path) -> Path:
    """A copy of the scan whose first page carries the filled stamp; by default the entry's attached PDF."""
    from app.printing.common import write_pdf
    from app.printing.stamp import stamp_scan

    agency = agency_of(source)
    doc = _incoming(source, doc_id)
    pdf = Path(scan) if scan else _attached_pdf(source, doc)
    if Path(path).resolve() == pdf.resolve():
        raise ValidationError.single("output", "Tệp kết quả", "trùng với bản quét; hãy ghi ra tệp khác.")
    return write_pdf(path, lambda out: stamp_scan(pdf, out, agency.name, stamp_data(doc)))


def _attached_pdf(source: PrintSource, doc: DocumentRecord) -> Path:
    pdfs = [a for a in source.attachments(doc.id) if a.file_name.lower().endswith(".pdf")]
    if not pdfs:
        raise ValidationError.single("scan", "Bản quét", f"số đến {doc.number}/{doc.year} chưa có bản quét PDF "
                                     "đính kèm; hãy chỉ ra tệp (--in).")
    return source.attachment_path(pdfs[-1].id)


def print_slip(source: PrintSource, doc_id: int, path: str | Path) -> Path:
    """Phiếu giải quyết văn bản đến, pre-filled with the document and what routing is known."""
    from app.printing.common import write_pdf
    from app.printing.slip import write_slip

    agency = agency_of(source)
    doc = _incoming(source, doc_id)
    routing = slip_routing(source, doc_id)
    return write_pdf(path, lambda out: write_slip(out, agency, doc, routing))


def slip_routing(source: PrintSource, doc_id: int):  # type: ignore[no-untyped-def]
    """The current routing step as the slip shows it: lead, supporting units with their deadlines, directive."""
    from app.core.dates import format_date as shown
    from app.printing.slip import Routing

    current = next((r for r in source.routing_history(doc_id) if r.current), None)
    if current is None:
        return None  # not routed yet: the slip takes what the entry carries
    lead = current.lead
    supporting = tuple(f"{a.unit} (hạn {shown(a.deadline)})" if a.deadline else a.unit
                       for a in current.assignments if a is not lead)
    lead_text = (lead.unit + (f" — {lead.assignee}" if lead.assignee else "")) if lead else ""
    return Routing(lead=lead_text, supporting=supporting, deadline=lead.deadline if lead else None,
                   directive=current.directive or "")


def print_receipt(source: PrintSource, doc_ids: Sequence[int], path: str | Path, sender: str = "") -> Path:
    """Giấy biên nhận for the sender or courier of these documents."""
    from app.printing.common import write_pdf
    from app.printing.receipts import write_receipt

    agency = agency_of(source)
    docs = [_incoming(source, i) for i in doc_ids]
    when = min(datetime.combine(d.received_on or d.registered_on, d.received_at or datetime.now().time())
               for d in docs)
    return write_pdf(path, lambda out: write_receipt(out, agency, docs, when, source.actor, sender))


def print_handover(source: PrintSource, unit: str, doc_ids: Sequence[int] | None, path: str | Path,
                   on: date | None = None) -> Path:
    """Sổ chuyển giao: the documents handed to one unit, with a Ký nhận column; without doc_ids, the documents
    routed to that unit and not yet signed for."""
    from app.printing.common import write_pdf
    from app.printing.receipts import write_handover

    if not unit.strip():
        raise ValidationError.single("unit", "Đơn vị nhận", "không được để trống.")
    if doc_ids is None:
        unit, doc_ids = source.awaiting_handover(unit)
        if not doc_ids:
            raise ValidationError.single("unit", "Đơn vị nhận", f"không có văn bản nào đang chờ '{unit}' ký nhận.")
    agency = agency_of(source)
    docs = [_incoming(source, i) for i in doc_ids]
    if not docs:
        raise ValidationError.single("range", "Văn bản", "không có văn bản nào để chuyển giao.")
    code = source.audit_code()
    return write_pdf(path, lambda out: write_handover(out, agency, unit.strip(), docs, on or today(), code,
                                                      source.actor))


def register_query(r: RegisterRange) -> DocumentQuery:
    if r.kind not in BOOK_KINDS:
        raise ValidationError.single("book", "Sổ", f"'{r.kind}' không phải là sổ in được ({', '.join(BOOK_KINDS)}).")
    c_from, c_to = (r.date_from, r.date_to), (r.number_from, r.number_to)
    for (low, high), label in ((c_from, "Từ ngày … đến ngày"), (c_to, "Từ số … đến số")):
        if low is not None and high is not None and low > high:
            shown = (format_date(low), format_date(high)) if isinstance(low, date) else (low, high)
            raise ValidationError.single("range", label, f"khoảng {shown[0]} – {shown[1]} bị ngược (đầu sau cuối).")
    for value in c_from:
        if value is not None and value.year != r.year:
            raise ValidationError.single("range", "Từ ngày … đến ngày",
                                         f"{format_date(value)} không thuộc năm {r.year} của sổ.")
    direction = Direction.OUTGOING if r.kind == "outgoing" else Direction.INCOMING
    return DocumentQuery(direction=direction, secret=r.secret, year=r.year, date_from=r.date_from,
                         date_to=r.date_to, number_from=r.number_from, number_to=r.number_to, sort="number",
                         descending=False)


HandoverDays = Callable[[Sequence[int]], dict[int, date]]


def print_register(source: PrintSource, r: RegisterRange, path: str | Path,
                   handed_over: HandoverDays | None = None) -> tuple[Path, int, int]:
    """A register book for a year and range: (file, entries, pages). Rows are read 2,000 at a time while the
    PDF is written, so memory stays flat for a busy year. `handed_over` gives a block's days of first ký nhận
    (column (8) Ngày chuyển of the incoming book; without it the column is left to be written by hand)."""
    from app.printing.common import write_pdf
    from app.printing.register_book import RegisterBookRequest, write_register_book

    agency = agency_of(source)
    ids = source.search_ids(register_query(r))
    if not ids:
        raise ValidationError.single("range", "Khoảng in", f"{BOOK_KINDS[r.kind]} năm {r.year} không có văn bản nào "
                                     "trong khoảng đã chọn.")
    # The follow-up book's replies and each unit's progress (as of the printing day) are read block by block
    # with the entries, so a busy year never waits for, or holds, all of them at once.
    replies: dict[int, str] = {}
    progress: dict[int, tuple[str, str]] = {}
    handed: dict[int, date] = {}
    request = RegisterBookRequest(kind=r.kind.replace("-", "_"), agency=agency, year=r.year,
                                  book_number=r.book_number, date_from=r.date_from, date_to=r.date_to,
                                  number_from=r.number_from, number_to=r.number_to, replies=replies,
                                  progress=progress, handed_over=handed, audit_code=source.audit_code())
    extras = (replies, progress) if r.kind == "follow-up" else None
    days = (handed, handed_over) if r.kind == "incoming" and handed_over is not None else None
    pages = 0

    def build(out) -> None:  # type: ignore[no-untyped-def]
        nonlocal pages
        pages = write_register_book(out, request, _records(source, ids, extras, days))

    return write_pdf(path, build), len(ids), pages


def _records(source: PrintSource, ids: Sequence[int],
             extras: tuple[dict[int, str], dict[int, tuple[str, str]]] | None = None,
             days: tuple[dict[int, date], HandoverDays] | None = None) -> Iterator[DocumentRecord]:
    """Entries in blocks; with extras, each block's replies and progress are looked up first, and with days its
    handover days (one aggregated query per block), and those of blocks two back (long printed by then) are
    dropped."""
    for start in range(0, len(ids), _BLOCK):
        block = ids[start:start + _BLOCK]
        if days is not None:
            handed, read = days
            for old in ids[max(0, start - 2 * _BLOCK):max(0, start - _BLOCK)]:
                handed.pop(old, None)
            handed.update(read(block))
        if extras is not None:
            replies, progress = extras
            for old in ids[max(0, start - 2 * _BLOCK):max(0, start - _BLOCK)]:
                replies.pop(old, None)
                progress.pop(old, None)
            replies.update(source.reply_references(block))
            progress.update(source.follow_up_notes(block, today()))
        yield from source.records(block)


__all__ = ["BOOK_KINDS", "RegisterRange", "print_handover", "print_receipt", "print_register", "print_slip",
           "print_stamp_on_scan", "print_stamps", "register_query"]
