"""The register's spreadsheet columns: the paper register's headings (NĐ 30 Phụ lục IV), then every other field a
faithful re-import needs, each with the headings accepted for it on import."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from app.core.dates import format_date
from app.core.records import DocumentRecord
from app.core.unnumbered import shown_reference
from app.spreadsheets.register_xlsx import SheetColumn, excel_date

BOOKS = ("incoming", "outgoing")
CANCELLED_MARK = "ĐÃ HỦY"
# The paper register's single column; accepted on import ("Công văn: Về việc …") when the file has no separate
# Tên loại and Trích yếu columns. Export writes the two apart so that nothing has to be guessed on the way back.
COMBINED = "Tên loại và trích yếu nội dung văn bản"


@dataclass(frozen=True)
class Column:
    """One column: the field it carries (an IncomingInput/OutgoingInput name or an import extra), its heading,
    width and cell type, how an entry fills it, and other headings that mean the same on import."""

    key: str
    heading: str
    width: float
    kind: str  # "text" | "int" | "date" | "time"
    value: Callable[[DocumentRecord], Any]
    aliases: tuple[str, ...] = ()


def _label(value: Any) -> str:
    return value.label if value is not None else ""


def _cancelled(d: DocumentRecord) -> str:
    return CANCELLED_MARK if d.cancelled else ""


_SHARED_TAIL = (
    Column("urgency", "Độ khẩn", 12, "text", lambda d: _label(d.urgency)),
    Column("secrecy", "Độ mật", 10, "text", lambda d: _label(d.secrecy)),
    Column("pages", "Số trang", 8, "int", lambda d: d.pages),
)
_CLOSING = (
    Column("file_code", "Số và ký hiệu hồ sơ", 14, "text", lambda d: d.file_code,
           ("Số, ký hiệu hồ sơ", "Hồ sơ", "Mã hồ sơ")),
    Column("note", "Ghi chú", 30, "text", lambda d: d.note),
    Column("cancelled", "Đã hủy", 10, "text", _cancelled, ("Hủy",)),
    Column("cancel_reason", "Lý do hủy", 30, "text", lambda d: d.cancel_reason or ""),
)
# An unnumbered entry exports as "Không số", which imports back as one (the services read it so).
_REFERENCE = Column("reference", "Số, ký hiệu văn bản", 18, "text", lambda d: shown_reference(d.reference),
                    ("Số, ký hiệu", "Số và ký hiệu văn bản", "Số ký hiệu"))
_TYPE = Column("doc_type", "Tên loại", 14, "text", lambda d: d.doc_type, ("Tên loại văn bản", "Loại văn bản"))
_SUBJECT = Column("subject", "Trích yếu nội dung văn bản", 60, "text", lambda d: d.subject,
                  ("Trích yếu nội dung", "Trích yếu"))

INCOMING_COLUMNS: tuple[Column, ...] = (
    Column("received_on", "Ngày đến", 12, "date", lambda d: d.received_on),
    Column("received_at", "Giờ đến", 8, "time", lambda d: d.received_at),
    Column("number", "Số đến", 8, "int", lambda d: d.number),
    Column("issuer", "Tác giả", 30, "text", lambda d: d.issuer or "",
           ("Cơ quan ban hành", "Tác giả (cơ quan ban hành)", "Cơ quan, tổ chức ban hành")),
    _REFERENCE,
    Column("issued_on", "Ngày tháng văn bản", 12, "date", lambda d: d.issued_on,
           ("Ngày văn bản", "Ngày ban hành")),
    _TYPE,
    _SUBJECT,
    Column("recipient_text", "Đơn vị hoặc người nhận", 24, "text", lambda d: d.recipient_text or "",
           ("Đơn vị, người nhận", "Đơn vị nhận")),
    Column("directive", "Ý kiến chỉ đạo", 30, "text", lambda d: d.directive or "",
           ("Ý kiến phân phối", "Ý kiến chỉ đạo giải quyết", "Chuyển")),
    Column("due_on", "Thời hạn giải quyết", 12, "date", lambda d: d.due_on, ("Hạn xử lý", "Hạn giải quyết")),
    Column("status", "Trạng thái", 14, "text", lambda d: d.status.label, ("Tình trạng", "Trạng thái xử lý")),
    *_SHARED_TAIL,
    Column("copies", "Số bản", 8, "int", lambda d: d.copies),
    *_CLOSING,
)
OUTGOING_COLUMNS: tuple[Column, ...] = (
    Column("number", "Số đi", 8, "int", lambda d: d.number, ("Số",)),
    _REFERENCE,
    Column("signed_on", "Ngày tháng văn bản", 12, "date", lambda d: d.registered_on,
           ("Ngày văn bản", "Ngày ký", "Ngày ban hành")),
    _TYPE,
    _SUBJECT,
    Column("signer", "Người ký", 24, "text", lambda d: d.signer or ""),
    Column("signer_title", "Chức vụ người ký", 20, "text", lambda d: d.signer_title or "", ("Chức vụ",)),
    Column("authority", "Thẩm quyền ký", 10, "text", lambda d: d.authority or ""),
    Column("recipients", "Nơi nhận văn bản", 36, "text", lambda d: "; ".join(d.recipients), ("Nơi nhận",)),
    Column("unit", "Đơn vị soạn thảo", 12, "text", lambda d: d.drafting_unit or ""),
    Column("archive_holder", "Đơn vị, người nhận bản lưu", 20, "text", lambda d: d.archive_holder or "",
           ("Bản lưu", "Nơi lưu")),
    Column("copies", "Số lượng bản", 8, "int", lambda d: d.copies, ("Số bản", "Số lượng bản phát hành")),
    Column("reply_due", "Hạn trả lời", 12, "date", lambda d: d.reply_due),
    *_SHARED_TAIL,
    *_CLOSING,
)
_BY_BOOK = {"incoming": INCOMING_COLUMNS, "outgoing": OUTGOING_COLUMNS}


def columns(book: str) -> tuple[Column, ...]:
    return _BY_BOOK[book]


def sheet_columns(book: str) -> list[SheetColumn]:
    return [SheetColumn(c.heading, c.width, c.kind) for c in columns(book)]


def row_values(book: str, record: DocumentRecord) -> list[Any]:
    return [c.value(record) for c in columns(book)]


def heading(book: str, key: str) -> str | None:
    """The heading of a field, for error messages (None: the field has no column)."""
    return next((c.heading for c in columns(book) if c.key == key), None)


def aliases(book: str) -> dict[str, str]:
    """Every heading accepted on import -> its canonical heading (compared without case, marks, punctuation)."""
    accepted = {COMBINED: COMBINED}
    for c in columns(book):
        accepted.update({alias: c.heading for alias in c.aliases})
    for c in columns(book):  # a book's own heading wins over another column's alias
        accepted[c.heading] = c.heading
    return accepted


# ------------------------------------------------------------------------------------------------ cell values
# A cell comes back as Excel typed it (text, number, date, time) or, from CSV, always as text; the service's
# validation parses text the same way as what a clerk types, so only typed values are converted here.


def text_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return format_date(value.date())
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value)


def date_cell(value: Any) -> date | str | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return excel_date(value) or text_cell(value)  # a date cell whose format was lost: a serial day
    return text_cell(value) or None


def time_cell(value: Any) -> time | str | None:
    if isinstance(value, datetime):
        return value.time()
    if isinstance(value, time):
        return value
    if isinstance(value, float) and 0 <= value < 1:  # a time cell whose format was lost: a fraction of a day
        minutes = round(value * 24 * 60)
        return time(minutes // 60 % 24, minutes % 60)
    return text_cell(value) or None


def int_cell(value: Any) -> int | str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return text_cell(value) or None
