"""Checks and parses what a clerk typed into clean typed values, collecting every refusal with its field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from typing import Any, TypeVar

from app.core.dates import format_date, parse_date, parse_time, today
from app.core.enums import Authority, Family, LabelledEnum, Secrecy, Urgency
from app.core.errors import FieldError, ValidationError
from app.core.records import IncomingInput, OutgoingInput
from app.core.references import ParsedReference, canonical_type, parse_reference
from app.core.text import clean, fold

LABELS: dict[str, str] = {
    "issuer": "Tác giả (cơ quan ban hành)",
    "reference": "Số, ký hiệu",
    "issued_on": "Ngày văn bản",
    "doc_type": "Tên loại",
    "subject": "Trích yếu",
    "received_on": "Ngày đến",
    "received_at": "Giờ đến",
    "urgency": "Độ khẩn",
    "secrecy": "Độ mật",
    "pages": "Số trang",
    "copies": "Số bản",
    "note": "Ghi chú",
    "file_code": "Số và ký hiệu hồ sơ",
    "unit": "Đơn vị soạn thảo",
    "signer": "Người ký",
    "signer_title": "Chức vụ người ký",
    "authority": "Thẩm quyền ký",
    "recipients": "Nơi nhận",
    "signed_on": "Ngày ký",
    "archive_holder": "Đơn vị, người nhận bản lưu",
    "reply_due": "Hạn trả lời",
    "due_on": "Hạn giải quyết",
    "reason": "Lý do hủy",
    "replies_to": "Trả lời văn bản đến số",
}
# Character limits: generous for real documents, small enough that a pasted whole letter is caught.
LIMITS: dict[str, int] = {
    "issuer": 255, "reference": 100, "doc_type": 100, "subject": 2000, "note": 2000, "file_code": 50,
    "unit": 20, "signer": 150, "signer_title": 150, "recipients": 255, "archive_holder": 255, "reason": 500,
}
MAX_RECIPIENTS = 200
MAX_DOCUMENT_NUMBER = 999_999_999  # fits a 32-bit integer column on every engine
EARLIEST = date(1900, 1, 1)

E = TypeVar("E", bound=LabelledEnum)
# Lone surrogates: what a broken paste or an undecodable command-line byte becomes in a Python str. No database
# driver can store them and no console can print them.
_SURROGATES = re.compile("[\ud800-\udfff]")
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
ECHO_LIMIT = 60


def shown(value: object) -> str:
    """A typed value as an error message quotes it: printable, and cut short when long."""
    text = _UNPRINTABLE.sub("\ufffd", str(value))
    return text if len(text) <= ECHO_LIMIT else text[:ECHO_LIMIT] + "…"


@dataclass(frozen=True)
class CleanIncoming:
    issuer: str
    reference: ParsedReference
    issued_on: date
    doc_type: str
    subject: str
    received_on: date
    received_at: time | None
    urgency: Urgency | None
    secrecy: Secrecy | None
    pages: int | None
    copies: int | None
    note: str
    file_code: str
    due_on: date | None = None


@dataclass(frozen=True)
class CleanOutgoing:
    doc_type: str
    subject: str
    unit: str
    signer: str
    signer_title: str
    authority: Authority | None
    recipients: tuple[str, ...]
    copies: int | None
    signed_on: date
    archive_holder: str
    reply_due: date | None
    urgency: Urgency | None
    secrecy: Secrecy | None
    pages: int | None
    note: str
    file_code: str


class FieldChecker:
    """Collects field errors so that one pass reports all of them; raise_if_any() ends the pass."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def fail(self, field: str, message: str) -> None:
        # A message may quote what was typed: never let it carry a character that cannot be shown or printed.
        self.errors.append(FieldError(field, LABELS.get(field, field),
                                      _SURROGATES.sub("\ufffd", message).replace("\x00", "\ufffd")))

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)

    def text(self, field: str, value: str | None, required: bool = False) -> str:
        cleaned = clean(value)
        if bad := _SURROGATES.search(cleaned):
            self.fail(field, f"có ký tự lỗi (mã U+{ord(bad.group()):04X}, thường do dán từ tệp hỏng) ở vị trí "
                             f"{bad.start() + 1}; hãy gõ lại đoạn này.")
            return _SURROGATES.sub("\ufffd", cleaned)
        if required and not cleaned:
            self.fail(field, "không được để trống.")
        limit = LIMITS.get(field)
        if limit and len(cleaned) > limit:
            self.fail(field, f"dài {len(cleaned)} ký tự, tối đa {limit} ký tự.")
        return cleaned

    def date(self, field: str, value: str | date | None, required: bool = False,
             not_after_today: bool = False) -> date | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(field, "không được để trống.")
            return None
        if isinstance(value, date):
            parsed = value
        else:
            try:
                parsed = parse_date(value)
            except ValueError as exc:
                self.fail(field, str(exc).replace(f"'{value}'", f"'{shown(value)}'", 1))
                return None
        if parsed < EARLIEST:
            self.fail(field, f"{format_date(parsed)} quá xa (trước năm {EARLIEST.year}).")
            return None
        if not_after_today and parsed > today():
            self.fail(field, f"{format_date(parsed)} là ngày trong tương lai (hôm nay {format_date(today())}).")
            return None
        return parsed

    def time(self, field: str, value: str | time | None) -> time | None:
        if value is None or isinstance(value, time):
            return value
        if not value.strip():
            return None
        try:
            return parse_time(value)
        except ValueError as exc:
            self.fail(field, str(exc).replace(f"'{value}'", f"'{shown(value)}'", 1))
            return None

    def integer(self, field: str, value: str | int | None, low: int = 1, high: int = 100_000) -> int | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        try:
            number = int(value) if isinstance(value, int) else int(value.strip())
        except ValueError:
            self.fail(field, f"'{shown(value)}' không phải là số nguyên.")
            return None
        if not low <= number <= high:
            self.fail(field, f"{number} nằm ngoài khoảng cho phép ({low}–{high}).")
            return None
        return number

    def choice(self, field: str, value: str | None, enum: type[E]) -> E | None:
        if value is None or not clean(value):
            return None
        try:
            return enum.parse(value)  # type: ignore[return-value]
        except ValueError:
            self.fail(field, f"'{shown(value)}' không hợp lệ; chọn một trong: {enum.choices_text()}.")
            return None

    def authority(self, value: str | None, family: Family) -> Authority | None:
        """KT., kt, K/T are one authority; it is written the way the agency's family writes it."""
        if value is None or not clean(value):
            return None
        key = fold(value).replace(".", "").replace("/", "").replace(" ", "")
        state_forms = {"tm": Authority.TM, "kt": Authority.KT, "tl": Authority.TL, "tuq": Authority.TUQ,
                       "q": Authority.Q}
        party_forms = {"tm": Authority.PARTY_TM, "kt": Authority.PARTY_KT, "tl": Authority.PARTY_TL,
                       "q": Authority.Q}
        forms = party_forms if family is Family.PARTY else state_forms
        if key not in forms:
            allowed = ", ".join(dict.fromkeys(a.value for a in forms.values()))
            self.fail("authority", f"'{shown(value)}' không hợp lệ; chọn một trong: {allowed}.")
            return None
        return forms[key]


def _or_today(value: str | date | None) -> str | date:
    """An empty date field means today; a blank one (spaces, a tab pasted in) is empty too."""
    return value if value is not None and not (isinstance(value, str) and not value.strip()) else today()


def _shared_fields(c: FieldChecker, raw: IncomingInput | OutgoingInput) -> dict[str, Any]:
    """Fields that incoming and outgoing entries both carry, checked the same way."""
    return dict(urgency=c.choice("urgency", raw.urgency, Urgency), secrecy=c.choice("secrecy", raw.secrecy, Secrecy),
                pages=c.integer("pages", raw.pages), note=c.text("note", raw.note),
                file_code=c.text("file_code", raw.file_code))


def _is_top_secret(value: Secrecy | str | None) -> bool:
    if isinstance(value, Secrecy) or not isinstance(value, str) or not value.strip():
        return value is Secrecy.TUYET_MAT
    try:
        return Secrecy.parse(value) is Secrecy.TUYET_MAT
    except ValueError:
        return False  # reported by the secrecy field itself


def _subject(c: FieldChecker, raw: IncomingInput | OutgoingInput) -> str:
    """Trích yếu: required, except that a Tuyệt mật entry carries none in the register, only its type (DOMAIN.md,
    secrecy). Refused rather than dropped: nothing typed is ever lost without a word."""
    if not _is_top_secret(raw.secrecy):
        return c.text("subject", raw.subject, required=True)
    if c.text("subject", raw.subject):
        c.fail("subject", "văn bản Tuyệt mật không ghi trích yếu vào sổ (chỉ ghi tên loại văn bản); để trống.")
    return ""


def check_incoming(raw: IncomingInput) -> CleanIncoming:
    """Validate an incoming entry; raise ValidationError listing every bad field."""
    c = FieldChecker()
    issuer = c.text("issuer", raw.issuer, required=True)
    reference_text = c.text("reference", raw.reference, required=True)
    doc_type = c.text("doc_type", raw.doc_type, required=True)
    subject = _subject(c, raw)
    received_on = c.date("received_on", _or_today(raw.received_on), not_after_today=True)
    issued_on = c.date("issued_on", raw.issued_on, required=True, not_after_today=True)
    if issued_on and received_on and issued_on > received_on:
        c.fail("issued_on", f"{format_date(issued_on)} sau ngày đến {format_date(received_on)}.")
    due_on = c.date("due_on", raw.due_on)
    if due_on and issued_on and due_on < issued_on:
        c.fail("due_on", f"{format_date(due_on)} trước ngày văn bản {format_date(issued_on)}.")
    values = dict(
        due_on=due_on,
        received_at=c.time("received_at", raw.received_at),
        copies=c.integer("copies", raw.copies),
        **_shared_fields(c, raw),
    )
    reference = parse_reference(reference_text)
    if reference_text and not reference.reference:
        c.fail("reference", f"'{reference_text}' không có số, ký hiệu.")
    if reference.number is not None and reference.number > MAX_DOCUMENT_NUMBER:
        c.fail("reference", f"số {reference.number} quá lớn (tối đa {MAX_DOCUMENT_NUMBER}).")
    c.raise_if_any()
    assert issued_on and received_on
    return CleanIncoming(issuer=issuer, reference=reference, issued_on=issued_on,
                         doc_type=canonical_type(doc_type), subject=subject, received_on=received_on, **values)


def split_recipients(value: list[str] | str) -> list[str]:
    """'Như trên; Lưu: VT, VP.' -> ['Như trên', 'Lưu: VT, VP.']: recipients are separated by ';' or new lines."""
    items = value.replace("\n", ";").split(";") if isinstance(value, str) else value
    return [cleaned for item in items if (cleaned := clean(item).lstrip("-+• ").strip())]


def check_outgoing(raw: OutgoingInput, family: Family) -> CleanOutgoing:
    """Validate an outgoing entry for an agency of the given family."""
    c = FieldChecker()
    doc_type = c.text("doc_type", raw.doc_type, required=True)
    subject = _subject(c, raw)
    unit = c.text("unit", raw.unit)
    if unit and not unit.replace("-", "").replace(".", "").isalnum():
        c.fail("unit", f"'{unit}' chỉ được gồm chữ và số (ví dụ VP, TCCB).")
    signer = c.text("signer", raw.signer, required=True)
    signed_on = c.date("signed_on", _or_today(raw.signed_on), not_after_today=True)
    reply_due = c.date("reply_due", raw.reply_due)
    if reply_due and signed_on and reply_due < signed_on:
        c.fail("reply_due", f"{format_date(reply_due)} trước ngày ký {format_date(signed_on)}.")
    recipients = split_recipients(raw.recipients)
    for item in recipients:
        c.text("recipients", item)
    if len(recipients) > MAX_RECIPIENTS:
        c.fail("recipients", f"có {len(recipients)} nơi nhận, tối đa {MAX_RECIPIENTS}.")
    values = dict(
        signer_title=c.text("signer_title", raw.signer_title),
        authority=c.authority(raw.authority, family),
        copies=c.integer("copies", raw.copies),
        archive_holder=c.text("archive_holder", raw.archive_holder),
        **_shared_fields(c, raw),
    )
    c.raise_if_any()
    assert signed_on
    return CleanOutgoing(doc_type=canonical_type(doc_type), subject=subject, unit=unit.upper(), signer=signer,
                         signed_on=signed_on, reply_due=reply_due, recipients=tuple(recipients), **values)
