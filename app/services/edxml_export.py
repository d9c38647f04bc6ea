"""The edXML messages the register writes: an outgoing entry as a document message, and status messages
(QCVN 102:2016 §2.3) about an incoming one."""

from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.enums import Direction, LinkType
from app.core.errors import ValidationError
from app.core.records import DocumentRecord
from app.core.text import fold, name_key
from app.edxml.message import Attachment, DocumentMessage, Organ, ResponseFor, StatusMessage
from app.edxml.writer import edxml_date
from app.models import Attachment as AttachmentRow
from app.models import Document, EdxmlMessage, Organization
from app.models.edxml import RECEIVED
from app.services import attachments as store
from app.services import bodies
from app.services.edxml_import import URGENCY_PRIORITY
from app.services.settings import agency, all_settings

_LEADING_NUMBER = re.compile(r"^\d+")
# QCVN 102:2016 status codes (the axis's Status message; the same list in the Văn phòng Chính phủ's SDK).
STATUS_CODES = {"01": "Đã đến", "02": "Từ chối tiếp nhận", "03": "Đã tiếp nhận", "04": "Phân công",
                "05": "Đang xử lý", "06": "Hoàn thành"}


@dataclass(frozen=True)
class Attached:
    """A file to send: its name as the recipients will see it, and where its bytes are."""

    name: str
    path: Path
    sha256: str
    size: int


def status_code(text: str) -> str:
    """"03", "3", "đã tiếp nhận" or "da-tiep-nhan" → "03"; an unknown code is refused, naming the known ones."""
    value = fold(text).replace("-", " ").replace("_", " ").strip()
    if value.isdigit() and f"{int(value):02d}" in STATUS_CODES:
        return f"{int(value):02d}"
    for code, label in STATUS_CODES.items():
        if value == fold(label):
            return code
    known = ", ".join(f"{c} {label.lower()}" for c, label in STATUS_CODES.items())
    raise ValidationError.single("code", "Mã trạng thái", f"'{text}' không phải mã trạng thái của QCVN 102:2016 "
                                 f"({known}).")


def our_organ(session: Session) -> Organ:
    """The agency as the sender: its mã định danh is required (the axis routes by it)."""
    values = all_settings(session)
    organ_id = values.get("agency.organ_id", "")
    ours = agency(session)
    if not organ_id or not ours.name:
        raise ValidationError.single("agency.organ_id", "Mã định danh cơ quan", (
            "chưa ghi tên cơ quan và mã định danh điện tử (OrganId) của cơ quan trong Cài đặt › Cơ quan (hoặc "
            "`settings set agency.organ_id …`): thông điệp edXML phải ghi nơi gửi."))
    return Organ(organ_id=organ_id, name=ours.name, in_charge=ours.parent)


def _organ_named(session: Session, name: str) -> Organ:
    org = session.scalars(select(Organization).where(Organization.name_key == name_key(name))).first()
    return Organ(organ_id=(org.organ_id or "") if org is not None else "", name=name)


def document_id(organ_id: str, on: date | None, reference: str) -> str:
    """DocumentId as the axis writes it: "<OrganId>,<YYYY/MM/DD>,<số/ký hiệu>"."""
    return f"{organ_id},{edxml_date(on)},{reference}"


def received_header(session: Session, doc_id: int) -> dict[str, Any] | None:
    """The header of the message an entry came in, if it came by edXML."""
    return session.scalars(select(EdxmlMessage.header).where(EdxmlMessage.document_id == doc_id,
                                                             EdxmlMessage.kind == RECEIVED)
                           .order_by(EdxmlMessage.id)).first()


def _answered(session: Session, record: DocumentRecord) -> tuple[ResponseFor, ...]:
    """ResponseFor of each incoming entry this outgoing one answers."""
    found = []
    for link in record.links:
        if link.link_type is not LinkType.REPLIES_TO or link.target_id is None or link.source_id != record.id:
            continue
        target = session.get(Document, link.target_id)
        if target is None or target.direction is not Direction.INCOMING:
            continue
        found.append(_response_for(session, target))
    return tuple(found)


def _response_for(session: Session, doc: Document) -> ResponseFor:
    """An incoming entry as a ResponseFor: what its own message said, or its số/ký hiệu and issuer."""
    header = received_header(session, doc.id)
    if header is not None:
        sender = header.get("sender") or {}
        on = header.get("promulgation_date")
        return ResponseFor(sender.get("organ_id", ""), doc.reference or "",
                           date.fromisoformat(on) if on else doc.issued_on, header.get("document_id", ""))
    issuer = session.get(Organization, doc.issuer_id) if doc.issuer_id else None
    organ_id = (issuer.organ_id or "") if issuer is not None else ""
    return ResponseFor(organ_id, doc.reference or "", doc.issued_on,
                       document_id(organ_id, doc.issued_on, doc.reference or "") if organ_id else "")


def entry_files(session: Session, folder: Path, doc_id: int) -> list[Attached]:
    """The entry's attached files (not the searchable copies made from scans), each checked against its hash."""
    rows = session.scalars(select(AttachmentRow).where(
        AttachmentRow.document_id == doc_id, AttachmentRow.removed_at.is_(None),
        AttachmentRow.derived_from_id.is_(None)).order_by(AttachmentRow.id)).all()
    return [Attached(r.file_name, store.attachment_path(session, folder, r.id), r.sha256, r.size) for r in rows]


def _content(session: Session, doc_id: int) -> str:
    """The text of the entry's first attached file that has one (its PDF text layer): the message's Content."""
    row = session.scalars(select(AttachmentRow.text_z).where(
        AttachmentRow.document_id == doc_id, AttachmentRow.removed_at.is_(None),
        AttachmentRow.derived_from_id.is_(None), AttachmentRow.text_z.is_not(None))
        .order_by(AttachmentRow.id)).first()
    return bodies.unpack(row).strip() if row is not None else ""


def outgoing_message(session: Session, record: DocumentRecord, files: list[Attached]) -> DocumentMessage:
    """An outgoing entry as the document message the recipients' registers will read."""
    if record.direction is not Direction.OUTGOING:
        raise ValidationError.single("book", "Sổ", f"{record.reference or 'văn bản'} không phải văn bản đi: chỉ "
                                     "gửi được văn bản đi dưới dạng edXML.")
    if record.cancelled:
        raise ValidationError.single("document", "Văn bản", f"{record.reference} đã hủy: không gửi đi được.")
    if not files:
        raise ValidationError.single("attach", "Tệp gửi kèm", (
            f"{record.reference} chưa có tệp đính kèm: hãy ký số và đính kèm văn bản (Ký số và phát hành…, hoặc "
            "lệnh sign) hoặc chỉ ra tệp bằng --attach; thông điệp edXML phải mang văn bản."))
    sender = our_organ(session)
    ours = agency(session)
    number = _LEADING_NUMBER.match(record.reference or "")  # as written: "01", not 1 (NĐ 30 Phụ lục I)
    number = number[0] if number and record.doc_number else ""
    attachments = tuple(Attachment(content_id=f.sha256[:32], name=f.name,
                                   content_type=mimetypes.guess_type(f.name)[0] or "application/octet-stream",
                                   description="", path=f.path, sha256=f.sha256, size=f.size) for f in files)
    return DocumentMessage(
        sender=sender, recipients=tuple(_organ_named(session, name) for name in record.recipients),
        document_id=document_id(sender.organ_id, record.registered_on, record.reference or ""),
        code_number=number, code_notation=record.notation or "", place=ours.place,
        promulgation_date=record.registered_on, type_name=record.doc_type, subject=record.subject,
        content=_content(session, record.id), competence=record.authority or "",
        position=record.signer_title or "", signer=record.signer or "", due_date=record.reply_due,
        to_places=tuple(record.recipients), priority=URGENCY_PRIORITY.get(record.urgency, "0"),
        promulgation_amount=record.copies, page_amount=record.pages, response_for=_answered(session, record),
        attachments=attachments)


def status_message(session: Session, doc: Document, code: str, description: str, staff: str,
                   department: str) -> StatusMessage:
    """A status message about an incoming entry, to the one who sent it."""
    if doc.direction is not Direction.INCOMING:
        raise ValidationError.single("book", "Sổ", "thông điệp trạng thái chỉ gửi cho văn bản đến.")
    return StatusMessage(response_for=_response_for(session, doc), sender=our_organ(session), code=code,
                         description=description or STATUS_CODES[code], timestamp=edxml_timestamp(),
                         department=department, staff=staff)


def refusal_message(session: Session, message: DocumentMessage, reason: str, staff: str) -> StatusMessage:
    """Từ chối tiếp nhận (02) for a message not registered: it answers the message itself."""
    about = ResponseFor(message.sender.organ_id, message.reference, message.promulgation_date, message.document_id)
    return StatusMessage(response_for=about, sender=our_organ(session), code="02", description=reason,
                         timestamp=edxml_timestamp(), staff=staff)


def edxml_timestamp(at: datetime | None = None) -> str:
    """"YYYY/MM/DD HH:MM:SS", local time (the office's clock), as TraceHeader and Status write it."""
    return (at or datetime.now()).strftime("%Y/%m/%d %H:%M:%S")
