"""Registering an edXML document message: its fields fill the entry, its sender is matched by mã định danh first,
what it answers becomes a replies_to link, its files are attached with their signature checks, all in one go."""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import leftovers
from app.core.dates import format_date
from app.core.enums import Authority, Direction, LinkType, Urgency
from app.core.errors import DuplicateError, ValidationError, VanThuError
from app.core.records import DocumentRecord, IncomingInput
from app.core.references import reference_key
from app.core.text import clean, name_key
from app.models import Document, EdxmlMessage, Organization
from app.models.edxml import RECEIVED, SENT
from app.services import attachments as store
from app.services import audit, bodies, links, registration, signature_store
from app.services.attachment_text import AttachedText
from app.services.queries import get_document

# QCVN 102:2016 OtherInfo/Priority: 0 thường, 1 khẩn, 2 thượng khẩn, 3 hỏa tốc, 4 hỏa tốc hẹn giờ.
PRIORITY_URGENCY = {"1": Urgency.KHAN, "2": Urgency.THUONG_KHAN, "3": Urgency.HOA_TOC, "4": Urgency.HOA_TOC}
URGENCY_PRIORITY = {None: "0", Urgency.KHAN: "1", Urgency.THUONG_KHAN: "2", Urgency.HOA_TOC: "3"}
_VV = re.compile(r"^\s*(?:V/v|v/v|V/V)\s*[:.]?\s*")
_AUTHORITY = re.compile(r"^\s*(TM\.|KT\.|TL\.|TUQ\.|Q\.|T/M|K/T|T/L)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class PlannedReply:
    """The document a message answers (its ResponseFor): ours when found, else kept as a pending reference."""

    code: str
    issued_on: date | None
    target_id: int | None
    target_label: str

    def describe(self) -> str:
        on = f" ngày {format_date(self.issued_on)}" if self.issued_on else ""
        found = f" → {self.target_label}" if self.target_id else " (chưa có trong sổ, sẽ tự nối khi vào sổ)"
        return f"Trả lời văn bản {self.code}{on}{found}"


@dataclass(frozen=True)
class StoredAttachment:
    """One file of the message, copied into the store, with its text and its signature check (PDFs)."""

    stored: store.StoredFile
    text: AttachedText | None
    report: Any
    reason: str | None


def subject_of(message: Any) -> str:
    """Trích yếu as the register writes it: the "V/v" label off."""
    return clean(_VV.sub("", message.subject))


def issuer_of(session: Session, message: Any) -> Organization | None:
    """The sender in the directory: by its mã định danh (OrganId) first, then by its name."""
    organ = message.sender
    if organ.organ_id:
        found = session.scalars(select(Organization).where(Organization.organ_id == organ.organ_id)).first()
        if found is not None:
            return found
    if organ.name:
        return session.scalars(select(Organization).where(Organization.name_key == name_key(organ.name))).first()
    return None


def incoming_input(session: Session, message: Any, received_on: Any = None,
                   overrides: dict[str, Any] | None = None) -> IncomingInput:
    """The form as the message fills it; what the clerk typed (overrides) wins field by field."""
    known = issuer_of(session, message)
    urgency = PRIORITY_URGENCY.get(message.priority.strip())
    data = IncomingInput(issuer=known.name if known is not None else message.sender.name,
                         reference=message.reference, issued_on=message.promulgation_date,
                         doc_type=message.type_name, subject=subject_of(message), received_on=received_on,
                         urgency=urgency.value if urgency else None, pages=message.page_amount,
                         copies=message.promulgation_amount)
    given = {k: v for k, v in (overrides or {}).items() if v is not None and hasattr(data, k)}
    return replace(data, **given)


def extras_of(message: Any) -> dict[str, Any]:
    """The fields an incoming entry keeps beside the form: signer, thẩm quyền, nơi nhận, hạn trả lời."""
    match = _AUTHORITY.match(message.competence)
    authority = None
    if match:
        prefix = match[1].upper()
        authority = next((a for a in Authority if a.value == prefix), None)
    return {"signer": clean(message.signer) or None, "signer_title": clean(message.position) or None,
            "authority": authority, "recipients": [clean(p) for p in message.to_places] or None,
            "due_on": message.due_date}


def registered_as(session: Session, document_ids: list[str]) -> dict[str, list[Document]]:
    """The entries (not cancelled) messages with these DocumentIds were registered as, in one query."""
    wanted = [d for d in dict.fromkeys(document_ids) if d]
    found: dict[str, list[Document]] = {}
    if not wanted:
        return found
    for message_id, doc in session.execute(
            select(EdxmlMessage.message_id, Document).join(Document, EdxmlMessage.document_id == Document.id).where(
                EdxmlMessage.kind == RECEIVED, EdxmlMessage.message_id.in_(wanted),
                Document.cancelled_at.is_(None)).order_by(Document.id)):
        found.setdefault(message_id, []).append(doc)
    return found


def duplicate_message(session: Session, message: Any) -> DuplicateError | None:
    """The same DocumentId already registered (an entry not cancelled): the axis delivered it twice."""
    rows = registered_as(session, [message.document_id]).get(message.document_id)
    if not rows:
        return None
    first = rows[0]
    return DuplicateError(f"Thông điệp edXML {message.document_id} ({message.reference}) đã vào sổ: số đến "
                          f"{first.number}/{first.year}, nên không vào sổ lần nữa.", rows)


def plan_replies(session: Session, message: Any) -> list[PlannedReply]:
    """Each ResponseFor: the outgoing entry we sent with that DocumentId, else the one with that số/ký hiệu and
    date; pending when neither is found."""
    planned = []
    for item in message.response_for:
        doc = None
        if item.document_id:
            doc = session.scalars(select(Document).join(EdxmlMessage, EdxmlMessage.document_id == Document.id)
                                  .where(EdxmlMessage.kind == SENT, EdxmlMessage.message_id == item.document_id,
                                         Document.cancelled_at.is_(None))).first()
        if doc is None and item.code:
            candidates = session.scalars(select(Document).where(
                Document.direction == Direction.OUTGOING, Document.reference_key == reference_key(item.code),
                Document.cancelled_at.is_(None))).all()
            candidates = [d for d in candidates if item.promulgation_date in (None, d.issued_on, d.registered_on)]
            doc = candidates[0] if len(candidates) == 1 else None
        label = f"văn bản đi {doc.reference} (số đi {doc.number}/{doc.year})" if doc is not None else ""
        planned.append(PlannedReply(item.code or item.document_id, item.promulgation_date,
                                    doc.id if doc is not None else None, label))
    return planned


def register(session: Session, actor: str, package: Any, data: IncomingInput, files: list[StoredAttachment],
             original: store.StoredFile | None, allow_duplicate: bool,
             unsigned_reason: str | None = None) -> tuple[DocumentRecord, list[PlannedReply]]:
    """The entry, its links, its files and the message's record, in the caller's one transaction."""
    message = package.message
    duplicate = None if allow_duplicate else duplicate_message(session, message)
    if duplicate is not None:
        raise duplicate
    record = registration.register_incoming(session, actor, data, allow_duplicate)
    doc = session.get(Document, record.id)
    extras = extras_of(message)
    for key, value in extras.items():
        setattr(doc, key, value)
    _keep_organ_id(session, actor, doc.issuer_id, message.sender.organ_id)
    made = plan_replies(session, message)
    for plan in made:
        target: int | str = plan.target_id if plan.target_id is not None else plan.code
        try:
            links.add_link(session, actor, doc.id, LinkType.REPLIES_TO, target, plan.issued_on)
        except ValidationError:  # a reference that cannot be a link (no số/ký hiệu): kept in the message record
            pass
    session.add(EdxmlMessage(document_id=doc.id, kind=RECEIVED, message_id=message.document_id,
                             organ_id=message.sender.organ_id, file_name=package.source.name[:255],
                             sha256=package.sha256, size=package.size, header=message.header(), note="",
                             created_by=actor))
    session.flush()  # the body reads the message's Content
    for item in files:
        attached = store.add_attachment(session, actor, doc.id, item.stored, item.text)
        if item.report is not None:
            signature_store.store_check(session, actor, attached.id, item.report, item.reason)
    bodies.refresh_body(session, doc.id)
    audit.record(session, actor, "edxml_import", "document", doc.id, None, {
        "document_id": message.document_id, "sender": message.sender.organ_id or message.sender.name,
        "file": package.source.name, "sha256": package.sha256, "kept_as": original.file_name if original else None,
        "unsigned_reason": unsigned_reason,
        "extras": {k: (v.value if hasattr(v, "value") else v) for k, v in extras.items() if v is not None}})
    return get_document(session, doc.id), made


def _keep_organ_id(session: Session, actor: str, issuer_id: int | None, organ_id: str) -> None:
    """The first message from a sender teaches the directory its mã định danh (unless another entry has it)."""
    if not organ_id or issuer_id is None:
        return
    org = session.get(Organization, issuer_id)
    if org is None or org.organ_id:
        return
    if session.scalars(select(Organization.id).where(Organization.organ_id == organ_id)).first() is not None:
        return
    org.organ_id = organ_id
    audit.record(session, actor, "edit", "organization", org.id, {"organ_id": None}, {"organ_id": organ_id})


def keep_original(folder: Path, package: Any) -> store.StoredFile:
    """The message file as received, kept under its hash beside the attachments (edxml/<ab>/<sha256>.edxml): the
    files it carried that the register does not attach (a .docx draft) stay in it. Run outside the write lock."""
    target = folder / "edxml" / package.sha256[:2] / f"{package.sha256}.edxml"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if not (target.exists() and target.stat().st_size == package.size):
            handle, temp = leftovers.make_file(target.parent, ".incoming-")
            os.close(handle)
            try:
                shutil.copyfile(package.source, temp)
                os.replace(temp, target)
            finally:
                Path(temp).unlink(missing_ok=True)
    except OSError as exc:
        raise VanThuError(f"Không lưu được bản gốc thông điệp edXML vào {target.parent}: {exc}") from exc
    return store.StoredFile(target.name, package.sha256, package.size, ".edxml")
