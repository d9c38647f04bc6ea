"""Reading the register: documents as records, lookups by id, number or reference, and lists."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from app.core.dates import format_date
from app.core.enums import BookCategory, Direction, Secrecy
from app.core.errors import NotFoundError
from app.core.records import DocumentRecord, LinkRecord
from app.models import Document, DocumentLink, Organization, RegisterBook


def _base_query() -> Select[tuple[Document, str | None, RegisterBook]]:
    return (select(Document, Organization.name, RegisterBook)
            .join(RegisterBook, RegisterBook.id == Document.book_id)
            .outerjoin(Organization, Organization.id == Document.issuer_id))


def _register_subject(doc: Document) -> str:
    """A Tuyệt mật entry shows no trích yếu, only its type (validation refuses one now; entries from before
    that rule are masked here, wherever the register is read)."""
    return "" if doc.secrecy is Secrecy.TUYET_MAT else doc.subject


def to_record(doc: Document, issuer: str | None, book: RegisterBook,
              links: Sequence[LinkRecord] = ()) -> DocumentRecord:
    return DocumentRecord(
        id=doc.id, direction=doc.direction, book_id=book.id, book_name=book.name, category=book.category,
        number=doc.number, period=doc.period_key, registered_on=doc.registered_on, year=doc.year,
        received_on=doc.received_on, received_at=doc.received_at, issuer=issuer, issuer_id=doc.issuer_id,
        reference=doc.reference, doc_number=doc.doc_number, notation=doc.notation, issued_on=doc.issued_on,
        doc_type=doc.doc_type, subject=_register_subject(doc), urgency=doc.urgency, secrecy=doc.secrecy,
        pages=doc.pages,
        copies=doc.copies, note=doc.note, file_code=doc.file_code, status=doc.status,
        cancelled=doc.cancelled_at is not None, cancelled_at=doc.cancelled_at, cancel_reason=doc.cancel_reason,
        signer=doc.signer, signer_title=doc.signer_title,
        authority=doc.authority.value if doc.authority else None, recipients=tuple(doc.recipients or ()),
        drafting_unit=doc.drafting_unit, archive_holder=doc.archive_holder, reply_due=doc.reply_due,
        created_at=doc.created_at, created_by=doc.created_by, links=tuple(links), due_on=doc.due_on,
        directive=doc.directive, recipient_text=doc.recipient_text,
    )


def describe(doc: Document, issuer: str | None) -> str:
    """How a clerk names a document: '3646/SYT-VP ngày 24/10/2023 (SỞ Y TẾ)'."""
    text = doc.reference or f"{doc.doc_type} số đến {doc.number}"
    if doc.issued_on:
        text += f" ngày {format_date(doc.issued_on)}"
    return f"{text} ({issuer})" if issuer else text


def links_of(session: Session, doc_id: int) -> list[LinkRecord]:
    """Links from and to the document, each with a readable label of the other end."""
    rows = session.scalars(select(DocumentLink).where(
        or_(DocumentLink.source_id == doc_id, DocumentLink.target_id == doc_id)).order_by(DocumentLink.id)).all()
    other_ids = {r.target_id if r.source_id == doc_id else r.source_id for r in rows} - {None}
    others = {d.id: describe(d, name) for d, name, _ in session.execute(
        _base_query().where(Document.id.in_(other_ids)))} if other_ids else {}
    result = []
    for r in rows:
        other = r.target_id if r.source_id == doc_id else r.source_id
        if other is not None:
            if other not in others:
                continue  # the other end is an entry this user may not see (a secret one): so is the link
            label = others[other]
        else:
            label = r.target_reference or ""
            if r.target_issued_on:
                label += f" ngày {format_date(r.target_issued_on)}"
            if r.target_issuer:
                label += f" ({r.target_issuer})"
            label += " — chưa có trong sổ"
        result.append(LinkRecord(r.id, r.source_id, r.link_type, r.target_id, r.target_reference,
                                 r.target_issued_on, r.target_issuer, label, r.target_id is not None))
    return result


def get_document(session: Session, doc_id: int, with_links: bool = True) -> DocumentRecord:
    row = session.execute(_base_query().where(Document.id == doc_id)).first()
    if row is None:
        raise NotFoundError(f"Không có văn bản mã {doc_id}.")
    doc, issuer, book = row
    return to_record(doc, issuer, book, links_of(session, doc.id) if with_links else ())


def find_by_number(session: Session, direction: Direction, number: int, year: int,
                   category: BookCategory = BookCategory.ORDINARY) -> DocumentRecord:
    """Số đến/số đi N of year Y. With a per-type sequence several documents share N: the caller gets an error."""
    rows = session.execute(_base_query().where(
        Document.direction == direction, Document.year == year, Document.number == number,
        Document.category == category).order_by(Document.id.desc())).all()
    kind = direction.label.lower()
    if not rows:
        raise NotFoundError(f"Không có {kind} số {number} năm {year}.")
    if len(rows) > 1:
        refs = ", ".join(r[0].reference or str(r[0].id) for r in rows)
        raise NotFoundError(f"Có {len(rows)} {kind} số {number} năm {year} ({refs}); hãy dùng mã văn bản (ID).")
    doc, issuer, book = rows[0]
    return to_record(doc, issuer, book, links_of(session, doc.id))


def list_documents(session: Session, direction: Direction, year: int | None = None,
                   category: BookCategory = BookCategory.ORDINARY, limit: int | None = None) -> list[DocumentRecord]:
    """A year's register in number order (the CLI and simple views; big tables page by ids instead)."""
    query = _base_query().where(Document.direction == direction, Document.category == category)
    if year is not None:
        query = query.where(Document.year == year)
    query = query.order_by(Document.year, Document.period_key, Document.scope_key, Document.number)
    if limit is not None:
        query = query.limit(limit)
    return [to_record(doc, issuer, book) for doc, issuer, book in session.execute(query)]
