"""Importing an old register, row by row: each row checked as a registration would check it, placed in its
numbering sequence, and registered through the normal service when its number's turn comes."""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from app.core.dates import format_date, today
from app.core.enums import BookCategory, Direction, DocumentStatus, Family, Secrecy
from app.core.errors import FieldError, ValidationError
from app.core.records import DocumentRecord, IncomingInput, JsonRecord, OutgoingInput
from app.core.references import build_reference, parse_reference, reference_key
from app.core.text import clean, name_key
from app.core.validation import MAX_DOCUMENT_NUMBER, FieldChecker, check_incoming, check_outgoing
from app.models import Document, RegisterBook
from app.services import audit, books, document_types, numbering, registration
from app.services import settings as agency_settings
from app.services import transfer_columns as cols
from app.spreadsheets.register_xlsx import SheetTable

MAX_ERRORS = 1000  # errors kept in a report; error_count still counts them all
_DIRECTIVE_LIMIT, _RECIPIENT_LIMIT = 4000, 255
_TRUE = {"da huy", "huy", "x", "co", "1", "true", "yes"}
_FALSE = {"", "khong", "0", "false", "no"}


@dataclass(frozen=True)
class RowError(JsonRecord):
    """One refusal in an imported file: the row as Excel numbers it, the column heading, and why."""

    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"Dòng {self.row}, {self.field}: {self.message}"


@dataclass(frozen=True)
class ImportReport(JsonRecord):
    """What an import did, or (dry run, or refused) would have done."""

    file: str
    book: str  # "incoming" | "outgoing"
    dry_run: bool
    rows_read: int
    rows_imported: int  # registered, or that a dry run would register; 0 when refused
    errors: tuple[RowError, ...]  # the first MAX_ERRORS, in the order found
    error_count: int
    ranges: tuple[str, ...]  # "năm 2026: số 1–40" per numbering sequence
    ignored_columns: tuple[str, ...]  # headings of the file that are not register fields

    @property
    def ok(self) -> bool:
        return self.error_count == 0


SeriesKey = tuple[Direction, BookCategory, str, str]


@dataclass
class _Series:
    """One numbering sequence (kind of document, category, year or term, type) as the import fills it."""

    label: str  # "năm 2026", "nhiệm kỳ 2021-2026 (mật), loại QĐ"
    start: int  # the first number the file may use: the one after what the register has
    next: int  # the number the next registration must carry
    rows: array = field(default_factory=lambda: array("q"))  # row of each number taken: rows[n - start]
    waiting: dict[int, _Row] = field(default_factory=dict)  # rows read ahead of their number's turn


@dataclass
class _Row:
    """A checked row on its way into the register."""

    row: int
    number: int
    series: SeriesKey | None
    data: IncomingInput | OutgoingInput | None  # None: a row with errors, kept only for its number's place
    extras: dict[str, Any] = field(default_factory=dict)
    cancel_reason: str = ""


class Importer:
    """One pass over the rows: check each, place it in its sequence, register it when its number's turn comes.
    After the first error nothing more is registered (all will be rolled back), but every row is still checked;
    a dry run only checks (registering a million rows only to roll them back would take hours)."""

    def __init__(self, session: Session, actor: str, book: str, source: Path, table: SheetTable, dry_run: bool,
                 cleared_for: Callable[[Secrecy], bool] = lambda _level: True):
        self.session, self.actor, self.book, self.source, self.table = session, actor, book, source, table
        self.cleared_for = cleared_for  # the importing user's clearance: secret rows above it are refused
        self.dry_run = dry_run
        self.incoming = book == "incoming"
        self.agency = agency_settings.agency(session)
        if not self.incoming and not self.agency.abbreviation:
            raise ValidationError.single("agency.abbreviation", "Chữ viết tắt tên cơ quan", "chưa cài đặt, nên "
                                         "chưa đối chiếu được số, ký hiệu văn bản đi (settings set "
                                         "agency.abbreviation …).")
        self.series: dict[SeriesKey, _Series] = {}
        self.incoming_books: dict[BookCategory, RegisterBook] = {}
        self.numbering_cache: dict[tuple[str, str, bool], tuple[RegisterBook, str | None, str]] = {}
        self.errors: list[RowError] = []
        self.error_count = self.read = self.taken = 0
        headings = set(table.headings)
        self.number_heading = "Số đến" if self.incoming else (
            "Số đi" if "Số đi" in headings else "Số, ký hiệu văn bản")

    # ---------------------------------------------------------------- errors

    def fail(self, row: int, heading: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(row, heading, message))

    def fail_fields(self, row: int, errors: Sequence[FieldError]) -> None:
        for e in errors:
            # Named by the file's own column when it has one, else by the field's label.
            heading = cols.heading(self.book, e.field)
            self.fail(row, heading if heading in self.table.headings else e.label, e.message)

    # ---------------------------------------------------------------- the pass

    def run(self) -> ImportReport:
        for row, values in self.table.rows:
            self.read += 1
            self.place(self.parse(row, values))
        if self.read == 0:
            raise ValidationError.single("file", "Tệp", f"{self.source.name} không có dòng văn bản nào dưới dòng tiêu "
                                         f"đề (dòng {self.table.heading_row}).")
        for series in self.series.values():
            self.close_gaps(series)
        if self.error_count == 0 and not self.dry_run:
            audit.record(self.session, self.actor, "import", "register", None, None, {
                "file": self.source.name, "book": self.book, "rows": self.taken, "ranges": self.ranges()})
        return ImportReport(
            file=str(self.source), book=self.book, dry_run=self.dry_run, rows_read=self.read,
            rows_imported=self.taken if self.error_count == 0 else 0, errors=tuple(self.errors),
            error_count=self.error_count, ranges=tuple(self.ranges()), ignored_columns=self.table.unknown)

    def ranges(self) -> list[str]:
        return [f"{s.label}: số {s.start}–{s.start + len(s.rows) - 1}" if len(s.rows) > 1 else
                f"{s.label}: số {s.start}" for s in self.series.values() if s.rows]

    def place(self, r: _Row | None) -> None:
        """Take the row now if its number is the next of its sequence (then any rows waiting behind it), keep it
        for later if it is ahead, refuse it if its number is already taken."""
        if r is None:
            return
        series = self.series.get(r.series) if r.series else None
        if series is None:
            # A row whose sequence is unknown (its date is wrong): it still fills the gap it clearly belongs to,
            # so one bad cell does not make every later number look missing.
            fitting = [s for s in self.series.values() if s.next == r.number]
            if len(fitting) != 1:
                return
            series = fitting[0]
        if r.number < series.next:
            if r.number >= series.start:
                self.fail(r.row, self.number_heading,
                          f"số {r.number} đã ghi ở dòng {series.rows[r.number - series.start]}.")
            else:
                self.fail(r.row, self.number_heading, (
                    f"số {r.number} đã có trong sổ {series.label} (sổ đã đến số {series.start - 1}); số nhập tiếp "
                    f"phải bắt đầu từ {series.start}."))
        elif r.number > series.next:
            if r.number in series.waiting:
                self.fail(r.row, self.number_heading,
                          f"số {r.number} đã ghi ở dòng {series.waiting[r.number].row}.")
            else:
                series.waiting[r.number] = r
        else:
            self.take(series, r)
            while series.next in series.waiting:
                self.take(series, series.waiting.pop(series.next))

    def close_gaps(self, series: _Series) -> None:
        """Rows still waiting at the end sit behind missing numbers: one error per gap, at the row after it."""
        for number in sorted(series.waiting):
            r = series.waiting.pop(number)
            if number > series.next:
                missing = f"số {series.next}" if number == series.next + 1 else f"các số {series.next}–{number - 1}"
                self.fail(r.row, self.number_heading, (
                    f"thiếu {missing} trước số {number}: số trong sổ {series.label} phải liền nhau "
                    f"(số tiếp theo là {series.next})."))
                series.next = number
            self.take(series, r)

    def take(self, series: _Series, r: _Row) -> None:
        if self.error_count == 0 and r.data is not None and not self.dry_run:
            self.register(r)
        series.rows.append(r.row)
        series.next += 1
        self.taken += 1

    # ---------------------------------------------------------------- registering

    def register(self, r: _Row) -> None:
        """Register through the normal service (numbering, checks, audit), then what the old register adds."""
        try:
            with self.session.begin_nested():
                if isinstance(r.data, IncomingInput):
                    record = registration.register_incoming(self.session, self.actor, r.data, allow_duplicate=True)
                else:
                    assert isinstance(r.data, OutgoingInput)
                    record = registration.register_outgoing(self.session, self.actor, r.data)
                if record.number != r.number:
                    raise ValidationError.single("number", self.number_heading,
                                                 f"sổ cấp số {record.number}, không phải số {r.number}.")
                self.add_extras(record, r)
                if r.cancel_reason:
                    registration.cancel_document(self.session, self.actor, record.id, r.cancel_reason)
        except ValidationError as exc:
            self.fail_fields(r.row, exc.errors)

    def add_extras(self, record: DocumentRecord, r: _Row) -> None:
        """Routing result and status written in the old register (there is no routing history to replay)."""
        changes = {k: v for k, v in r.extras.items() if v is not None and v != getattr(record, k)}
        if changes:  # none of these is part of the search text, so a plain UPDATE is enough
            self.session.execute(update(Document).where(Document.id == record.id).values(**changes))
        audit.record(self.session, self.actor, "import", "document", record.id, None,
                     {"file": self.source.name, "row": r.row, **changes})

    # ---------------------------------------------------------------- reading one row

    def parse(self, row: int, values: dict[str, Any]) -> _Row | None:
        errors: list[FieldError] = []
        doc_type, subject = self.type_and_subject(values, errors)
        parsed = self.parse_incoming(row, values, doc_type, subject, errors) if self.incoming else \
            self.parse_outgoing(row, values, doc_type, subject, errors)
        if errors:
            self.fail_fields(row, errors)
            if parsed is not None:  # keep its number's place in the sequence
                parsed.data = None
        return parsed

    def type_and_subject(self, values: dict[str, Any], errors: list[FieldError]) -> tuple[str, str]:
        doc_type, subject = cols.text_cell(values.get("Tên loại")), cols.text_cell(
            values.get("Trích yếu nội dung văn bản"))
        combined = cols.text_cell(values.get(cols.COMBINED))
        if combined and not (doc_type and subject):
            head, sep, tail = combined.partition(":")
            if not sep or not head.strip() or not tail.strip():
                errors.append(FieldError("subject", cols.COMBINED, f"'{_short(combined)}' cần ghi dạng "
                                         "\"Tên loại: trích yếu\" (ví dụ \"Công văn: Về việc …\")."))
            doc_type, subject = doc_type or head.strip(), subject or tail.strip()
        return doc_type, subject

    def number(self, value: Any, errors: list[FieldError]) -> int | None:
        raw = cols.int_cell(value)
        if raw is None:
            errors.append(FieldError("number", self.number_heading, "không được để trống."))
            return None
        text = str(raw).strip()
        if not text.isdigit():
            errors.append(FieldError("number", self.number_heading, f"'{text}' không phải là số nguyên dương."))
            return None
        number = int(text)
        if not 1 <= number <= MAX_DOCUMENT_NUMBER:
            errors.append(FieldError("number", self.number_heading,
                                     f"{number} nằm ngoài khoảng cho phép (1–{MAX_DOCUMENT_NUMBER})."))
            return None
        return number

    def cancellation(self, values: dict[str, Any], errors: list[FieldError]) -> str:
        mark, reason = cols.text_cell(values.get("Đã hủy")), clean(cols.text_cell(values.get("Lý do hủy")))
        folded = name_key(mark)
        if folded not in _TRUE | _FALSE:
            errors.append(FieldError("cancelled", "Đã hủy", f"'{mark}' không hiểu được; ghi {cols.CANCELLED_MARK} "
                                     "hoặc để trống."))
        elif folded in _TRUE and not reason:
            errors.append(FieldError("cancel_reason", "Lý do hủy", "văn bản đã hủy cần ghi lý do hủy."))
        elif folded in _FALSE and reason:
            errors.append(FieldError("cancelled", "Đã hủy", f"có lý do hủy nhưng chưa ghi {cols.CANCELLED_MARK}."))
        if len(reason) > 500:
            errors.append(FieldError("cancel_reason", "Lý do hủy", f"dài {len(reason)} ký tự, tối đa 500 ký tự."))
        return reason if folded in _TRUE else ""

    def clearance(self, secrecy: str | None, errors: list[FieldError]) -> None:
        try:
            level = Secrecy.parse(secrecy) if secrecy else None
        except ValueError:
            return  # the secrecy check names the field
        if level is not None and not self.cleared_for(level):  # type: ignore[arg-type]
            errors.append(FieldError("secrecy", "Độ mật", f"tài khoản {self.actor} không được phép nhập văn bản "
                                                          f"{level.label}."))

    def parse_incoming(self, row: int, v: dict[str, Any], doc_type: str, subject: str,
                       errors: list[FieldError]) -> _Row | None:
        number = self.number(v.get("Số đến"), errors)
        self.clearance(cols.text_cell(v.get("Độ mật")) or None, errors)
        received_on = cols.date_cell(v.get("Ngày đến"))
        if received_on is None:  # the service would take today: an old register's entry has its own day
            errors.append(FieldError("received_on", "Ngày đến", "không được để trống."))
        raw = IncomingInput(
            issuer=cols.text_cell(v.get("Tác giả")), reference=cols.text_cell(v.get("Số, ký hiệu văn bản")),
            issued_on=cols.date_cell(v.get("Ngày tháng văn bản")), doc_type=doc_type, subject=subject,
            received_on=received_on, received_at=cols.time_cell(v.get("Giờ đến")),
            urgency=cols.text_cell(v.get("Độ khẩn")) or None, secrecy=cols.text_cell(v.get("Độ mật")) or None,
            pages=cols.int_cell(v.get("Số trang")), copies=cols.int_cell(v.get("Số bản")),
            note=cols.text_cell(v.get("Ghi chú")), file_code=cols.text_cell(v.get("Số và ký hiệu hồ sơ")))
        data = None
        try:
            # Without a Ngày đến the service would take today's date: check the rest against today, keep the
            # refusal of the empty date.
            data = check_incoming(raw if received_on is not None else replace(raw, received_on=today()))
        except ValidationError as exc:
            errors.extend(e for e in exc.errors if received_on is not None or e.field != "received_on")
        if received_on is None:
            data = None
        extras = self.incoming_extras(v, data.received_on if data else None, errors)
        reason = self.cancellation(v, errors)
        series = None
        if data is not None:
            category = BookCategory.SECRET if data.secrecy is not None else BookCategory.ORDINARY
            try:
                if category not in self.incoming_books:
                    self.incoming_books[category] = books.open_book(self.session, self.actor, Direction.INCOMING,
                                                                    category, self.agency.family)
                book = self.incoming_books[category]
                period = books.period_key(book, data.received_on, "received_on", "Ngày đến")
                series = self.sequence(book, period, "")
            except ValidationError as exc:
                errors.extend(exc.errors)
        if number is None:
            return None
        return _Row(row, number, series, raw, extras, reason)

    def incoming_extras(self, v: dict[str, Any], received_on: date | None,
                        errors: list[FieldError]) -> dict[str, Any]:
        c = FieldChecker()
        due_on = c.date("due_on", cols.date_cell(v.get("Thời hạn giải quyết")))
        if due_on and received_on and due_on < received_on:
            c.fail("due_on", f"{format_date(due_on)} trước ngày đến {format_date(received_on)}.")
        directive, recipient = clean(cols.text_cell(v.get("Ý kiến chỉ đạo"))), clean(
            cols.text_cell(v.get("Đơn vị hoặc người nhận")))
        for key, text, limit in (("directive", directive, _DIRECTIVE_LIMIT),
                                 ("recipient_text", recipient, _RECIPIENT_LIMIT)):
            if len(text) > limit:
                c.fail(key, f"dài {len(text)} ký tự, tối đa {limit} ký tự.")
        status_text = cols.text_cell(v.get("Trạng thái"))
        status = c.choice("status", status_text, DocumentStatus)
        if status is DocumentStatus.ISSUED:
            c.fail("status", f"'{status_text}' là trạng thái của văn bản đi.")
        errors.extend(c.errors)
        return {"status": status, "due_on": due_on, "directive": directive or None,
                "recipient_text": recipient or None}

    def parse_outgoing(self, row: int, v: dict[str, Any], doc_type: str, subject: str,
                       errors: list[FieldError]) -> _Row | None:
        reference = clean(cols.text_cell(v.get("Số, ký hiệu văn bản")))
        parsed_reference = parse_reference(reference) if reference else None
        if v.get("Số đi") is None and parsed_reference is not None and parsed_reference.number is not None:
            number = parsed_reference.number  # no separate Số column: the number is the one in its số, ký hiệu
        else:
            number = self.number(v.get("Số đi"), errors)
        signed_on = cols.date_cell(v.get("Ngày tháng văn bản"))
        if signed_on is None:
            errors.append(FieldError("signed_on", "Ngày tháng văn bản", "không được để trống."))
        unit = cols.text_cell(v.get("Đơn vị soạn thảo")) or self.unit_of(parsed_reference)
        raw = OutgoingInput(
            doc_type=doc_type, subject=subject, unit=unit, signer=cols.text_cell(v.get("Người ký")),
            signer_title=cols.text_cell(v.get("Chức vụ người ký")),
            authority=cols.text_cell(v.get("Thẩm quyền ký")) or None,
            recipients=cols.text_cell(v.get("Nơi nhận văn bản")), copies=cols.int_cell(v.get("Số lượng bản")),
            signed_on=signed_on, archive_holder=cols.text_cell(v.get("Đơn vị, người nhận bản lưu")),
            reply_due=cols.date_cell(v.get("Hạn trả lời")), urgency=cols.text_cell(v.get("Độ khẩn")) or None,
            secrecy=cols.text_cell(v.get("Độ mật")) or None, pages=cols.int_cell(v.get("Số trang")),
            note=cols.text_cell(v.get("Ghi chú")), file_code=cols.text_cell(v.get("Số và ký hiệu hồ sơ")))
        self.clearance(raw.secrecy, errors)
        reason = self.cancellation(v, errors)
        series = None
        if signed_on is not None:
            try:
                series = self.outgoing_series(raw, number, reference)
            except ValidationError as exc:
                errors.extend(exc.errors)
        if number is None:
            return None
        return _Row(row, number, series, raw, {}, reason)

    def unit_of(self, reference: Any) -> str:
        """A state công văn's drafting unit, read from its ký hiệu (05/SYT-VP → VP) when the file has no column."""
        notation = reference.notation if reference is not None else None
        if self.agency.family is Family.STATE and notation and "-" in notation:
            head, _sep, tail = notation.partition("-")
            if head.upper() == self.agency.abbreviation.upper():
                return tail
        return ""

    def outgoing_series(self, raw: OutgoingInput, number: int | None, reference: str) -> SeriesKey:
        """Check the entry as registration will, find its sequence, and compare the file's số, ký hiệu with the
        one the register builds for that number (the book's own rule, NĐ 30 Điều 15)."""
        family = self.agency.family
        data = check_outgoing(raw, family)
        doc_type = document_types.spelled_name(self.session, data.doc_type, family)
        key = (doc_type, data.unit, data.secrecy is not None)
        if key not in self.numbering_cache:
            self.numbering_cache[key] = registration.outgoing_numbering(
                self.session, self.actor, doc_type, data.unit, data.secrecy is not None, family)
        book, type_abbr, scope = self.numbering_cache[key]
        period = books.period_key(book, data.signed_on, "signed_on", "Ngày tháng văn bản")
        if number is not None and reference:
            built = build_reference(number, family, self.agency.abbreviation, type_abbr, data.unit)
            given = parse_reference(reference).reference
            if reference_key(built) != reference_key(given):
                raise ValidationError.single("reference", "Số, ký hiệu văn bản", (
                    f"'{reference}' khác số, ký hiệu sổ ghi cho số {number}: '{built}' (xem lại Số đi, Tên loại, "
                    "Đơn vị soạn thảo và chữ viết tắt tên cơ quan)."))
            if _spelling(built) != _spelling(given):
                # Same key, other letters (TTra / TTRA): importing would silently change a legal record.
                raise ValidationError.single("reference", "Số, ký hiệu văn bản", (
                    f"'{reference}' sẽ được ghi là '{built}' (chữ hoa, chữ thường khác); sửa lại trong tệp cho "
                    "đúng số, ký hiệu đã ban hành."))
        return self.sequence(book, period, scope)

    def sequence(self, book: RegisterBook, period: str, scope: str) -> SeriesKey:
        key = (book.direction, book.category, period, scope)
        if key not in self.series:
            start = numbering.peek_next(self.session, book, period, scope)
            label = f"năm {period}" if period.isdigit() else f"nhiệm kỳ {period}"
            if book.category is BookCategory.SECRET:
                label += " (mật)"
            if book.direction is Direction.COPY:
                label = f"bản sao {label}"
            if scope:
                label += f", loại {scope}"
            self.series[key] = _Series(label, start, start)
        return key


def _spelling(reference: str) -> str:
    """A số, ký hiệu as written, ignoring only spaces and a number's leading zeros (5/SYT-VP = 05/SYT-VP)."""
    return re.sub(r"(?<!\d)0+(?=\d)", "", re.sub(r"\s+", "", reference))


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


__all__ = ["MAX_ERRORS", "ImportReport", "Importer", "RowError"]
