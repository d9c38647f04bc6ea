"""Plain records that cross layer boundaries: what the UI/CLI send in and what the services give back."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time
from enum import Enum
from typing import Any

from app.core.enums import (
    AssignmentRole,
    BookCategory,
    Direction,
    DocumentStatus,
    Family,
    LinkType,
    NumberingPeriod,
    NumberingScope,
    Secrecy,
    Urgency,
)

RawDate = str | date | None
# Statuses after which a deadline no longer runs.
CLOSED_STATUSES = frozenset({DocumentStatus.HANDLED, DocumentStatus.ANSWERED, DocumentStatus.FILED,
                             DocumentStatus.ISSUED})
RawInt = str | int | None


@dataclass
class IncomingInput:
    """An incoming document as the clerk typed it (strings are parsed and checked by the service)."""

    issuer: str = ""
    reference: str = ""
    issued_on: RawDate = None
    doc_type: str = ""
    subject: str = ""
    received_on: RawDate = None  # today when empty
    received_at: str | time | None = None
    urgency: str | None = None
    secrecy: str | None = None
    pages: RawInt = None
    copies: RawInt = None
    note: str = ""
    file_code: str = ""
    due_on: RawDate = None  # thời hạn giải quyết the document itself sets ("trước ngày 15/7/2023"), if any


@dataclass
class OutgoingInput:
    """An outgoing document as the clerk typed it; số/ký hiệu are built by the service at registration."""

    doc_type: str = ""
    subject: str = ""
    unit: str = ""  # drafting unit code, e.g. VP: part of a state công văn's ký hiệu
    signer: str = ""
    signer_title: str = ""
    authority: str | None = None
    recipients: list[str] | str = field(default_factory=list)
    copies: RawInt = None
    signed_on: RawDate = None  # today when empty
    archive_holder: str = ""
    reply_due: RawDate = None
    urgency: str | None = None
    secrecy: str | None = None
    pages: RawInt = None
    note: str = ""
    file_code: str = ""
    replies_to: str = ""  # số đến of the incoming documents it answers, "125; 130/2025" (year: the signing year)


def jsonable(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    return value


class JsonRecord:
    """Mixin: a dataclass that turns into plain JSON types (ISO dates, enum values)."""

    def to_dict(self) -> dict[str, Any]:
        return jsonable(asdict(self))  # type: ignore[call-overload]


@dataclass(frozen=True)
class LinkRecord(JsonRecord):
    """One typed link from a document to another, or to a cited reference not registered yet."""

    id: int
    source_id: int
    link_type: LinkType
    target_id: int | None
    target_reference: str | None
    target_issued_on: date | None
    target_issuer: str | None
    other_label: str  # the document at the other end, readable: "3646/SYT-VP ngày 24/10/2023 (SỞ Y TẾ)"
    resolved: bool


@dataclass(frozen=True)
class DocumentRecord(JsonRecord):
    """A register entry, incoming or outgoing, as the UI and CLI see it."""

    id: int
    direction: Direction
    book_id: int
    book_name: str
    category: BookCategory
    number: int
    period: str
    registered_on: date
    year: int
    received_on: date | None
    received_at: time | None
    issuer: str | None
    issuer_id: int | None
    reference: str | None
    doc_number: int | None
    notation: str | None
    issued_on: date | None
    doc_type: str
    subject: str
    urgency: Urgency | None
    secrecy: Secrecy | None
    pages: int | None
    copies: int | None
    note: str
    file_code: str
    status: DocumentStatus
    cancelled: bool
    cancelled_at: datetime | None
    cancel_reason: str | None
    signer: str | None
    signer_title: str | None
    authority: str | None
    recipients: tuple[str, ...]
    drafting_unit: str | None
    archive_holder: str | None
    reply_due: date | None
    created_at: datetime
    created_by: str
    links: tuple[LinkRecord, ...] = ()
    due_on: date | None = None  # thời hạn giải quyết
    directive: str | None = None  # the leader's routing instruction ("Chuyển")
    recipient_text: str | None = None  # đơn vị hoặc người nhận (incoming)

    def is_overdue(self, on: date) -> bool:
        """Past its deadline, still open, and not cancelled: shown in red and chased."""
        return (self.due_on is not None and self.due_on < on and not self.cancelled
                and self.status not in CLOSED_STATUSES)


@dataclass(frozen=True)
class BookRecord(JsonRecord):
    """A register book (sổ) and how it numbers."""

    id: int
    name: str
    direction: Direction
    category: BookCategory
    family: Family
    period: NumberingPeriod
    scope: NumberingScope
    term_start: date | None
    term_end: date | None
    book_number: int
    closed: bool


@dataclass(frozen=True)
class OrganizationRecord(JsonRecord):
    """An issuer in the directory."""

    id: int
    name: str
    abbreviation: str | None
    family: Family
    parent_id: int | None
    organ_id: str | None = None  # mã định danh điện tử (edXML OrganId), once known


@dataclass(frozen=True)
class DocumentTypeRecord(JsonRecord):
    """A tên loại of one family and the abbreviation its outgoing ký hiệu carries (None: state công văn form)."""

    id: int
    family: Family
    name: str
    abbreviation: str | None
    active: bool


@dataclass(frozen=True)
class DepartmentRecord(JsonRecord):
    """A đơn vị/phòng ban of the agency."""

    id: int
    name: str
    code: str | None
    active: bool


@dataclass(frozen=True)
class PersonRecord(JsonRecord):
    """A cán bộ of the agency, with the name of the department they belong to."""

    id: int
    full_name: str
    title: str | None
    department_id: int | None
    department_name: str | None
    active: bool


@dataclass(frozen=True)
class AuditRecord(JsonRecord):
    """One line of the audit trail."""

    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


# The register table's sort keys (one per column a clerk can click) and status filters beyond DocumentStatus.
SORT_KEYS = ("number", "registered_on", "received_on", "issuer", "reference", "issued_on", "subject", "doc_type",
             "urgency", "signer", "recipients", "archive_holder", "copies", "note", "status", "due_on",
             "recipient_text")
STATUS_FILTERS = ("open", "overdue", "cancelled")


@dataclass(frozen=True)
class DocumentQuery:
    """What the register table or `search` shows: a book (direction, secret), filters, and an order."""

    direction: Direction | None = Direction.INCOMING  # None: incoming, outgoing and copies together
    secret: bool = False
    year: int | None = None
    text: str = ""  # words to find, with or without marks: "thong bao" finds "Thông báo"
    date_from: date | None = None  # on ngày đến (incoming) or ngày ký (outgoing)
    date_to: date | None = None
    number_from: int | None = None  # số đến / số đi range (register books print "Từ số … đến số …")
    number_to: int | None = None
    issuer: str = ""  # part of the issuer's name, folded
    doc_type: str = ""
    urgency: Urgency | None = None
    status: DocumentStatus | str | None = None  # a DocumentStatus, or one of STATUS_FILTERS
    sort: str = "number"
    descending: bool = True
    limit: int | None = None


@dataclass(frozen=True)
class AttachmentRecord(JsonRecord):
    """A scanned file attached to an entry; the bytes are kept in the data folder under their SHA-256."""

    id: int
    document_id: int
    file_name: str  # the name the clerk's file had, shown in the list
    sha256: str
    size: int  # bytes
    added_at: datetime
    added_by: str
    removed_at: datetime | None = None  # detached (the stored bytes are kept)
    removed_by: str | None = None
    text_source: str | None = None  # "layer" (the PDF's own text) or "ocr" (recognised); None: no text read
    text_confidence: float | None = None  # the recognition's mean word confidence, 0–100
    derived_from_id: int | None = None  # the scan this searchable PDF was made from

    @property
    def removed(self) -> bool:
        return self.removed_at is not None


@dataclass(frozen=True)
class ChainStep(JsonRecord):
    """One step up a forwarding chain: the document (or the pending reference) the previous one forwards."""

    link_id: int
    document_id: int | None  # None: a reference not registered yet, the chain stops there
    label: str  # "5068/UBND-TH ngày 02/10/2023 (UBND TỈNH TÂY NINH)"
    cancelled: bool = False


@dataclass(frozen=True)
class ForwardChain(JsonRecord):
    """A document's place among the others: its forwarding ancestors and every other link from and to it."""

    document_id: int
    label: str
    ancestors: tuple[ChainStep, ...]  # parent first, then grandparent…; the first step is this document's link
    cycle: bool  # the chain came back to a document already in it and was cut there
    links_from: tuple[LinkRecord, ...]  # this document's own links, except the first step of the chain
    links_to: tuple[LinkRecord, ...]  # documents that reply to, cite or forward this one


@dataclass(frozen=True)
class AssignmentRecord(JsonRecord):
    """A unit named by a routing step: lead (chủ trì) or support (phối hợp), its deadline, handover and status."""

    id: int
    routing_id: int
    department_id: int
    unit: str  # the department's name when it was routed
    role: AssignmentRole
    deadline: date | None
    assignee: str | None  # the person the unit assigned
    status: DocumentStatus
    received_at: datetime | None  # handover: when the unit received the document…
    signed_by: str | None  # … and who signed for it (ký nhận)
    done_at: datetime | None


@dataclass(frozen=True)
class RoutingRecord(JsonRecord):
    """One version of a routing step of an incoming document; the newest version of the newest step is the current
    one, the rest is history (a corrected version names who corrected it and when)."""

    id: int
    document_id: int
    step: int
    directive: str | None
    directed_by: str | None
    directed_at: date
    created_at: datetime
    created_by: str
    assignments: tuple[AssignmentRecord, ...]  # the lead unit first, then supporting units
    current: bool
    version: int = 1  # 2, 3, … for a corrected step
    corrected_at: datetime | None = None  # this version was replaced by a correction (UTC, like created_at) …
    corrected_by: str | None = None  # … made by this clerk

    @property
    def lead(self) -> AssignmentRecord | None:
        return next((a for a in self.assignments if a.role is AssignmentRole.LEAD), None)


@dataclass(frozen=True)
class OverdueItem(JsonRecord):
    """One unit's open handling of a document that is past its deadline or due within two working days."""

    document_id: int
    number: int
    year: int
    reference: str | None
    issuer: str | None
    subject: str
    unit: str  # the unit (or the register's "đơn vị hoặc người nhận" for an entry never routed)
    role: AssignmentRole | None  # None: a deadline written on the entry without routing
    deadline: date
    status: DocumentStatus
    assignee: str | None
    overdue: bool  # False: due soon
    days_late: int  # working days past the deadline, at least 1 when late (0 when not late)
    working_days_left: int  # working days until the deadline (negative when late)


@dataclass(frozen=True)
class HolidayRecord(JsonRecord):
    """A day off besides the weekend (lễ, Tết, nghỉ bù), from the agency's editable holiday table."""

    id: int
    day: date
    name: str


@dataclass(frozen=True)
class DeadlineRuleRecord(JsonRecord):
    """A deadline rule: working days to handle a document of this type and/or urgency (None: any)."""

    id: int
    doc_type: str | None
    urgency: Urgency | None
    working_days: int


@dataclass(frozen=True)
class TrustedCertificateRecord(JsonRecord):
    """A certificate of the register's trust store (Cài đặt → Chứng thư số tin cậy)."""

    id: int
    fingerprint: str
    subject: str
    organization: str
    issuer: str
    not_before: datetime
    not_after: datetime
    added_at: datetime
    added_by: str
    removed_at: datetime | None = None


@dataclass(frozen=True)
class SignatureCheckRecord(JsonRecord):
    """One stored check of an attachment's signatures, as the detail pane and `verify --id` show it."""

    id: int
    attachment_id: int
    document_id: int
    file_name: str
    checked_at: datetime
    checked_by: str
    status: str  # valid | untrusted | invalid | missing | none (app.signatures.verdicts)
    verdict: str
    signer: str | None
    organization: str | None
    signed_at: str | None
    confirmed_reason: str | None
    signatures: tuple[dict[str, Any], ...] = ()
