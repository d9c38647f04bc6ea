"""Registering documents (vào sổ), editing them with an audit trail, and cancelling them (ĐÃ HỦY)."""

from __future__ import annotations

import re
from dataclasses import fields, replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.dates import format_date
from app.core.enums import BookCategory, Direction, DocumentStatus, Family, LinkType
from app.core.errors import DuplicateError, NotFoundError, ValidationError
from app.core.records import DocumentRecord, IncomingInput, OutgoingInput
from app.core.references import (
    COPY_TYPES,
    build_reference,
    canonical_type,
    parse_reference,
    reference_key,
)
from app.core.text import fold
from app.core.unnumbered import is_unnumbered, shown_reference
from app.core.validation import LABELS, CleanIncoming, FieldChecker, check_incoming, check_outgoing
from app.models import Document, Organization, RegisterBook
from app.models.base import utcnow
from app.services import audit, books, directory, document_types, links, numbering, queries
from app.services import settings as agency_settings
from app.services.search_text import refresh_search_text


def _category(secret: bool) -> BookCategory:
    return BookCategory.SECRET if secret else BookCategory.ORDINARY


def find_duplicates(session: Session, ref_key: str | None, issuer_id: int, issued_on: date,
                    subject: str = "") -> list[Document]:
    """Phụ lục VI: the same số/ký hiệu from the same issuer with the same date, not cancelled. A document without
    số/ký hiệu (ref_key None) is the same one only when its trích yếu is the same too: an agency sends several
    giấy mời on one day, and having no number in common says nothing."""
    same_reference = Document.reference_key.is_(None) if ref_key is None else Document.reference_key == ref_key
    found = session.scalars(select(Document).where(
        Document.direction == Direction.INCOMING, same_reference,
        Document.issuer_id == issuer_id, Document.issued_on == issued_on, Document.cancelled_at.is_(None)))
    if ref_key is not None:
        return list(found)
    if not fold(subject):  # a Tuyệt mật entry has no trích yếu: nothing to tell two of them apart, nor alike
        return []
    return [d for d in found if fold(d.subject) == fold(subject)]


def _refuse_duplicates(session: Session, reference: str | None, issuer: Organization, issued_on: date,
                       subject: str, exclude: int | None = None) -> None:
    key = reference_key(reference) if reference is not None else None
    existing = [d for d in find_duplicates(session, key, issuer.id, issued_on, subject) if d.id != exclude]
    if existing:
        entries = "; ".join(f"số đến {d.number} ngày {format_date(d.received_on)}" for d in existing)
        what = f"Văn bản {reference}" if reference is not None else "Văn bản không số cùng trích yếu"
        raise DuplicateError(f"{what} ngày {format_date(issued_on)} của {issuer.name} đã vào sổ "
                             f"({entries}).", [queries.get_document(session, d.id, False) for d in existing])


def _own_reference(data: CleanIncoming) -> tuple[str | None, str | None, int | None, str | None]:
    """(reference, its key, number, notation) as stored; all None for a document marked Không số."""
    ref = data.reference
    if is_unnumbered(ref.reference):
        return None, None, None, None
    return ref.reference, reference_key(ref.reference), ref.number, ref.notation


def register_incoming(session: Session, actor: str, raw: IncomingInput,
                      allow_duplicate: bool = False) -> DocumentRecord:
    """Check, number and record an incoming document in one transaction (the caller's)."""
    data = check_incoming(raw)
    agency = agency_settings.agency(session)
    book = books.open_book(session, actor, Direction.INCOMING, _category(data.secrecy is not None), agency.family)
    period = books.period_key(book, data.received_on, "received_on", LABELS["received_on"])
    issuer = directory.get_or_create_organization(session, actor, data.issuer, data.reference.family, data.secrecy)
    reference, ref_key, doc_number, notation = _own_reference(data)
    if not allow_duplicate:
        _refuse_duplicates(session, reference, issuer, data.issued_on, data.subject)
    doc = Document(
        book_id=book.id, direction=Direction.INCOMING, category=book.category, period_key=period, scope_key="",
        number=numbering.take_next(session, book, period, ""),
        registered_on=data.received_on, year=data.received_on.year, received_on=data.received_on,
        received_at=data.received_at, issuer_id=issuer.id, reference=reference,
        reference_key=ref_key, doc_number=doc_number, notation=notation,
        issued_on=data.issued_on, doc_type=document_types.spelled_name(session, data.doc_type, issuer.family),
        subject=data.subject, urgency=data.urgency, secrecy=data.secrecy, pages=data.pages, copies=data.copies,
        note=data.note, file_code=data.file_code, status=DocumentStatus.AWAITING_PRESENTATION, created_by=actor,
        due_on=data.due_on,
    )
    return _finish_registration(session, actor, doc)


def _finish_registration(session: Session, actor: str, doc: Document) -> DocumentRecord:
    refresh_search_text(session, doc)
    session.add(doc)
    session.flush()
    links.resolve_pending(session, actor, doc)
    record = queries.get_document(session, doc.id)
    audit.record(session, actor, "create", "document", doc.id, None, _audit_view(record))
    return record


def outgoing_numbering(session: Session, actor: str, doc_type: str, unit: str, secret: bool,
                       family: Family) -> tuple[RegisterBook, str | None, str]:
    """Which book an outgoing document goes to, its type abbreviation and its sequence key. The type and its
    abbreviation come from the agency's editable list for its family (Cài đặt › Loại văn bản)."""
    known = document_types.find_type(session, doc_type, family)
    type_abbr = known.abbreviation if known is not None else None
    c = FieldChecker()
    if known is None:
        source = "HD 36-HD/VPTW" if family is Family.PARTY else "NĐ 30 Phụ lục III"
        c.fail("doc_type", f"'{doc_type}' không có trong danh mục loại văn bản của cơ quan ({source} và các loại "
                           "đã thêm trong Cài đặt › Loại văn bản), nên không có chữ viết tắt để ghi ký hiệu.")
    elif not known.active:
        c.fail("doc_type", f"'{known.name}' đã ngừng dùng trong danh mục loại văn bản (Cài đặt › Loại văn bản); "
                           "không cấp số mới cho loại này.")
    elif type_abbr is None and family is Family.PARTY:
        c.fail("doc_type", f"'{known.name}' chưa có chữ viết tắt (Cài đặt › Loại văn bản), nên chưa ghi được ký hiệu.")
    elif type_abbr is None and not unit:
        c.fail("unit", f"{doc_type} ghi ký hiệu theo đơn vị soạn thảo: cần mã đơn vị (ví dụ VP).")
    c.raise_if_any()
    direction = Direction.COPY if doc_type in COPY_TYPES else Direction.OUTGOING
    book = books.open_book(session, actor, direction, _category(secret), family)
    scope_key = (type_abbr or fold(doc_type)) if book.scope.value == "per_type" else ""
    return book, type_abbr, scope_key


def _refuse_reissued_reference(session: Session, book: RegisterBook, reference: str, year: int) -> None:
    """Số + ký hiệu are unique within the year (NĐ 30 Điều 15). The series guarantees it, except across a
    change of numbering scheme (a Party term book opened mid-year): that is refused, never issued twice."""
    clash = session.scalars(select(Document).where(
        Document.direction == book.direction, Document.category == book.category, Document.year == year,
        Document.reference_key == reference_key(reference))).first()
    if clash is not None:
        raise ValidationError.single("doc_type", LABELS["doc_type"], (
            f"số, ký hiệu {reference} đã cấp trong năm {year} (mã {clash.id}); cách đánh số của sổ mới trùng với "
            "số đã cấp, cần điều chỉnh sổ (book add) trước khi vào sổ."))


def next_incoming_number(session: Session, actor: str, received_on: date, secret: bool) -> int:
    """The số đến the next incoming document received on that day would get (not reserved)."""
    agency = agency_settings.agency(session)
    book = books.open_book(session, actor, Direction.INCOMING, _category(secret), agency.family)
    return numbering.peek_next(session, book, books.period_key(book, received_on, "received_on",
                                                               LABELS["received_on"]), "")


def next_outgoing_number(session: Session, actor: str, doc_type: str, signed_on: date, unit: str,
                         secret: bool) -> int:
    """The number the next outgoing document of that type signed that day would get (not reserved)."""
    agency = agency_settings.agency(session)
    book, _abbr, scope = outgoing_numbering(session, actor, canonical_type(doc_type), unit, secret, agency.family)
    return numbering.peek_next(session, book, books.period_key(book, signed_on, "signed_on", LABELS["signed_on"]),
                               scope)


def register_outgoing(session: Session, actor: str, raw: OutgoingInput) -> DocumentRecord:
    """Number an outgoing (signed) document, build its số/ký hiệu and record it, in one transaction."""
    agency = agency_settings.agency(session)
    if not agency.abbreviation:
        raise ValidationError.single("agency.abbreviation", "Chữ viết tắt tên cơ quan",
                                     "chưa cài đặt, nên chưa ghi được ký hiệu (settings set agency.abbreviation …).")
    data = check_outgoing(raw, agency.family)
    targets = reply_targets(session, raw.replies_to, data.signed_on.year)
    data = replace(data, doc_type=document_types.spelled_name(session, data.doc_type, agency.family))
    book, type_abbr, scope_key = outgoing_numbering(session, actor, data.doc_type, data.unit,
                                                    data.secrecy is not None, agency.family)
    period = books.period_key(book, data.signed_on, "signed_on", LABELS["signed_on"])
    number = numbering.take_next(session, book, period, scope_key)
    reference = build_reference(number, agency.family, agency.abbreviation, type_abbr, data.unit)
    _refuse_reissued_reference(session, book, reference, data.signed_on.year)
    doc = Document(
        book_id=book.id, direction=book.direction, category=book.category, period_key=period, scope_key=scope_key,
        number=number,
        registered_on=data.signed_on, year=data.signed_on.year, reference=reference,
        reference_key=reference_key(reference), doc_number=number, notation=parse_reference(reference).notation,
        issued_on=data.signed_on, doc_type=data.doc_type, subject=data.subject,
        urgency=data.urgency, secrecy=data.secrecy, pages=data.pages, copies=data.copies, note=data.note,
        file_code=data.file_code, status=DocumentStatus.ISSUED, signer=data.signer,
        signer_title=data.signer_title or None, authority=data.authority, recipients=list(data.recipients),
        drafting_unit=data.unit or None, archive_holder=data.archive_holder or None, reply_due=data.reply_due,
        created_by=actor,
    )
    record = _finish_registration(session, actor, doc)
    if not targets:
        return record
    for target in targets:  # each reply link closes the incoming item it answers (Đã trả lời)
        links.add_link(session, actor, doc.id, LinkType.REPLIES_TO, target.id)
    return queries.get_document(session, doc.id)


_SO_DEN = re.compile(r"^\s*(\d{1,9})\s*(?:/\s*(\d{4}))?\s*$")


def reply_targets(session: Session, text: str, year: int) -> list[Document]:
    """The incoming entries named by their số đến ('125; 130/2025'; the year defaults to the reply's own),
    which must be registered, live and not the same one twice; refused as a whole, naming each problem."""
    c = FieldChecker()
    found: list[Document] = []
    for part in [p for p in re.split(r"[;,]", text or "") if p.strip()]:
        match = _SO_DEN.match(part)
        if match is None:
            c.fail("replies_to", f"'{part.strip()}' không phải là số đến (ví dụ 125 hoặc 125/2026).")
            continue
        number, in_year = int(match[1]), int(match[2] or year)
        docs = list(session.scalars(select(Document).where(
            Document.direction == Direction.INCOMING, Document.category == BookCategory.ORDINARY,
            Document.year == in_year, Document.number == number)))
        if len(docs) != 1:
            c.fail("replies_to", f"không có văn bản đến số {number} năm {in_year}." if not docs
                   else f"có {len(docs)} văn bản đến số {number} năm {in_year}; dùng lệnh link với mã văn bản.")
        elif docs[0].cancelled_at is not None:
            c.fail("replies_to", f"văn bản đến số {number}/{in_year} đã hủy.")
        elif any(d.id == docs[0].id for d in found):
            c.fail("replies_to", f"số đến {number}/{in_year} ghi hai lần.")
        else:
            found.append(docs[0])
    c.raise_if_any()
    return found


def cancel_document(session: Session, actor: str, doc_id: int, reason: str) -> DocumentRecord:
    """Mark an entry ĐÃ HỦY; it keeps its number and row, and the number is never given again."""
    c = FieldChecker()
    reason = c.text("reason", reason, required=True)
    c.raise_if_any()
    doc = _get(session, doc_id)
    if doc.cancelled_at is not None:
        raise ValidationError.single("reason", LABELS["reason"],
                                     f"văn bản đã bị hủy ngày {format_date(doc.cancelled_at.date())}.")
    doc.cancelled_at, doc.cancelled_by, doc.cancel_reason = utcnow(), actor, reason
    audit.record(session, actor, "cancel", "document", doc.id, {"cancelled": False},
                 {"cancelled": True, "reason": reason})
    return queries.get_document(session, doc.id)


# Fields fixed once a number is given: changing them would change the number, the book or the ký hiệu.
_OUTGOING_FIXED = {"doc_type", "unit", "signed_on"}


def update_document(session: Session, actor: str, doc_id: int, changes: dict[str, Any],
                    allow_duplicate: bool = False) -> DocumentRecord:
    """Edit a registered entry: re-validated whole, numbering fields protected, the change audited."""
    doc = _get(session, doc_id)
    current = queries.get_document(session, doc_id, with_links=False)
    if doc.cancelled_at is not None:
        raise ValidationError.single("cancelled", "Trạng thái", "văn bản đã hủy thì không sửa được.")
    incoming = doc.direction is Direction.INCOMING
    form = IncomingInput if incoming else OutgoingInput
    allowed = {f.name for f in fields(form)} - (set() if incoming else _OUTGOING_FIXED)
    c = FieldChecker()
    for key in changes.keys() - allowed:
        c.fail(key, "không sửa được sau khi đã cấp số (hủy và đăng ký lại, hoặc ban hành văn bản đính chính)."
               if key in _OUTGOING_FIXED else "không có trường này.")
    for key in ("received_on", "signed_on", "issued_on"):
        if key in changes and not str(changes[key] or "").strip():
            c.fail(key, "không được để trống.")
    c.raise_if_any()
    before = _audit_view(current)
    if incoming:
        data = check_incoming(replace(_incoming_form(current), **changes))
        book = session.get(RegisterBook, doc.book_id)
        assert book is not None
        if books.period_key(book, data.received_on, "received_on", LABELS["received_on"]) != doc.period_key:
            raise ValidationError.single("received_on", LABELS["received_on"],
                                         f"số đến {doc.number} thuộc năm {doc.period_key}; không chuyển sang năm khác.")
        if (data.secrecy is None) != (book.category is BookCategory.ORDINARY):
            raise ValidationError.single("secrecy", LABELS["secrecy"],
                                         "văn bản mật và văn bản thường thuộc hai sổ khác nhau; "
                                         "hãy hủy và đăng ký lại.")
        issuer = directory.get_or_create_organization(session, actor, data.issuer, data.reference.family,
                                                      data.secrecy)
        reference, ref_key, doc_number, notation = _own_reference(data)
        if not allow_duplicate:
            _refuse_duplicates(session, reference, issuer, data.issued_on, data.subject, exclude=doc.id)
        values: dict[str, Any] = dict(
            received_on=data.received_on, registered_on=data.received_on, received_at=data.received_at,
            issuer_id=issuer.id, reference=reference, doc_number=doc_number, reference_key=ref_key, notation=notation,
            issued_on=data.issued_on, doc_type=document_types.spelled_name(session, data.doc_type, issuer.family),
            subject=data.subject, urgency=data.urgency, secrecy=data.secrecy, pages=data.pages, copies=data.copies,
            note=data.note, file_code=data.file_code, due_on=data.due_on)
    else:
        agency = agency_settings.agency(session)
        out = check_outgoing(replace(_outgoing_form(current), **changes), agency.family)
        if (out.secrecy is None) != (current.category is BookCategory.ORDINARY):
            raise ValidationError.single("secrecy", LABELS["secrecy"],
                                         "văn bản mật và văn bản thường thuộc hai sổ khác nhau.")
        values = dict(subject=out.subject, signer=out.signer, signer_title=out.signer_title or None,
                      authority=out.authority, recipients=list(out.recipients), copies=out.copies,
                      archive_holder=out.archive_holder or None, reply_due=out.reply_due, urgency=out.urgency,
                      secrecy=out.secrecy, pages=out.pages, note=out.note, file_code=out.file_code)
    for key, value in values.items():
        setattr(doc, key, value)
    refresh_search_text(session, doc)
    session.flush()
    record = queries.get_document(session, doc.id)
    old, new = audit.changed_fields(before, _audit_view(record))
    if new:
        audit.record(session, actor, "edit", "document", doc.id, old, new)
    return record


def _get(session: Session, doc_id: int) -> Document:
    doc = session.get(Document, doc_id)
    if doc is None:
        raise NotFoundError(f"Không có văn bản mã {doc_id}.")
    return doc


def _audit_view(record: DocumentRecord) -> dict[str, Any]:
    data = record.to_dict()
    data.pop("links", None)
    return data


def _incoming_form(r: DocumentRecord) -> IncomingInput:
    return IncomingInput(
        issuer=r.issuer or "", reference=shown_reference(r.reference), issued_on=r.issued_on, doc_type=r.doc_type,
        subject=r.subject, received_on=r.received_on, received_at=r.received_at,
        urgency=r.urgency.value if r.urgency else None, secrecy=r.secrecy.value if r.secrecy else None,
        pages=r.pages, copies=r.copies, note=r.note, file_code=r.file_code, due_on=r.due_on)


def _outgoing_form(r: DocumentRecord) -> OutgoingInput:
    return OutgoingInput(
        doc_type=r.doc_type, subject=r.subject, unit=r.drafting_unit or "", signer=r.signer or "",
        signer_title=r.signer_title or "", authority=r.authority, recipients=list(r.recipients),
        copies=r.copies, signed_on=r.registered_on, archive_holder=r.archive_holder or "",
        reply_due=r.reply_due, urgency=r.urgency.value if r.urgency else None,
        secrecy=r.secrecy.value if r.secrecy else None, pages=r.pages, note=r.note, file_code=r.file_code)

