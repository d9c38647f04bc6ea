"""Registering from a document's own text: the extracted fields fill the entry, and the bundle's forwarded documents
and the documents it cites become links, resolved to entries already in the register where they are."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.dates import format_date
from app.core.enums import LinkType
from app.core.errors import ValidationError
from app.core.records import DocumentRecord, IncomingInput
from app.core.references import parse_reference, reference_key
from app.extraction.records import ExtractedDocument, Extraction
from app.models import Document, Organization
from app.services import links, registration
from app.services.queries import describe, get_document


@dataclass(frozen=True)
class PlannedLink:
    """A link the registration will make, shown to the clerk before saving and reported after."""

    link_type: LinkType
    reference: str
    issued_on: date | None
    issuer: str | None
    target_id: int | None  # an entry already in the register, or None: kept as a pending reference
    target_label: str  # how the register names the target, when found
    note: str  # why, in Vietnamese: an OCR slip tolerated, a reference inferred from a citation, …

    def describe(self) -> str:
        text = f"{self.link_type.label}: {self.reference}"
        if self.issued_on:
            text += f" ngày {format_date(self.issued_on)}"
        text += f" → {self.target_label}" if self.target_id else " (chưa có trong sổ, sẽ tự nối khi vào sổ)"
        return f"{text}{' — ' + self.note if self.note else ''}"


def incoming_input(doc: ExtractedDocument, overrides: dict[str, Any] | None = None) -> IncomingInput:
    """The form as the text fills it; what the clerk typed (overrides) wins field by field."""
    data = IncomingInput(issuer=doc.issuer or "", reference=doc.reference or "", issued_on=doc.issued_on,
                         doc_type=doc.doc_type or "", subject=doc.subject or "", urgency=doc.urgency,
                         secrecy=doc.secrecy)
    given = {k: v for k, v in (overrides or {}).items() if v is not None and k in {f.name for f in fields(data)}}
    data = replace(data, **given)
    if "subject" not in given and str(data.secrecy or "").strip().lower() in ("tuyet_mat", "tuyệt mật", "tuyet mat"):
        data = replace(data, subject="")  # a Tuyệt mật entry carries no trích yếu in the register
    return data


def _bundle_targets(extraction: Extraction) -> list[tuple[str, date | None, str | None, str]]:
    """(reference, date, issuer, note) of each forwarded document of the bundle, in order. A forwarded document
    whose own number line was not read takes the one reference of its type that the document before it cites."""
    docs = extraction.documents
    targets: list[tuple[str, date | None, str | None, str]] = []
    for index, doc in enumerate(docs[1:], start=1):
        if doc.reference:
            targets.append((doc.reference, doc.issued_on, doc.issuer, ""))
            continue
        for earlier in (docs[index - 1], docs[0]):
            same_type = [c for c in earlier.cites if c.doc_type and c.doc_type == doc.doc_type]
            if len(same_type) == 1:
                cite = same_type[0]
                targets.append((cite.reference, cite.issued_on, doc.issuer,
                                f"số, ký hiệu lấy từ trích dẫn trong văn bản {earlier.reference or 'trước'}"))
                break
    return targets


def _same_but_number(a: str, b: str) -> bool:
    """Same ký hiệu, different số: the signature of an OCR slip in the number (3068/UBND-TH vs 5068/UBND-TH)."""
    pa, pb = parse_reference(a), parse_reference(b)
    return bool(pa.notation) and pa.notation == pb.notation and pa.number != pb.number


def plan_links(session: Session, extraction: Extraction) -> list[PlannedLink]:
    """Forwards links to the bundle's other documents, cites links to the documents the first one names."""
    if not extraction.documents:
        return []
    first = extraction.documents[0]
    wanted: list[tuple[LinkType, str, date | None, str | None, str]] = [
        (LinkType.FORWARDS, ref, on, issuer, note) for ref, on, issuer, note in _bundle_targets(extraction)]
    for cite in first.cites:
        key = reference_key(cite.reference)
        clash = next((w for w in wanted if reference_key(w[1]) == key), None)
        if clash is not None:
            continue
        slip = next((i for i, w in enumerate(wanted) if w[0] is LinkType.FORWARDS
                     and _same_but_number(cite.reference, w[1]) and cite.issued_on == w[2]), None)
        if slip is not None:  # the cover cites the attached document with a misread number: one link, and say so
            kind, ref, on, issuer, note = wanted[slip]
            mismatch = (f"văn bản dẫn ghi {cite.reference}, bản đính kèm ghi {ref} (cùng ký hiệu, cùng ngày): "
                        "kiểm tra số")
            wanted[slip] = (kind, ref, on, issuer, "; ".join(n for n in (note, mismatch) if n))
            continue
        wanted.append((LinkType.CITES, cite.reference, cite.issued_on, None, ""))
    return [_resolve(session, *w) for w in wanted]


def _resolve(session: Session, kind: LinkType, ref: str, on: date | None, issuer: str | None,
             note: str) -> PlannedLink:
    query = (select(Document, Organization.name).outerjoin(Organization, Organization.id == Document.issuer_id)
             .where(Document.cancelled_at.is_(None)))
    exact = [(d, n) for d, n in session.execute(query.where(Document.reference_key == reference_key(ref)))
             if (on is None or d.issued_on == on) and links.issuer_matches(issuer, n)]
    if len(exact) == 1:
        doc, name = exact[0]
        return PlannedLink(kind, ref, on, issuer, doc.id, describe(doc, name), note)
    parsed = parse_reference(ref)
    if on is not None and parsed.notation and not exact:
        near = [(d, n) for d, n in session.execute(query.where(Document.notation == parsed.notation,
                                                               Document.issued_on == on))
                if links.issuer_matches(issuer, n) and d.reference_key != reference_key(ref)]
        if len(near) == 1:
            doc, name = near[0]
            slip = f"trong sổ là {doc.reference} (cùng ký hiệu, ngày, cơ quan; khác số — có thể đọc nhầm số)"
            return PlannedLink(kind, ref, on, issuer, doc.id, describe(doc, name),
                               "; ".join(n for n in (note, slip) if n))
    if len(exact) > 1:
        note = "; ".join(n for n in (note, f"{len(exact)} văn bản trong sổ cùng số, ký hiệu: để chờ chọn") if n)
    return PlannedLink(kind, ref, on, issuer, None, "", note)


def register_from_text(session: Session, actor: str, extraction: Extraction, overrides: dict[str, Any],
                       allow_duplicate: bool) -> tuple[DocumentRecord, list[PlannedLink]]:
    """Register the first document of the text and make its links, all in one transaction."""
    if not extraction.documents:
        raise ValidationError.single("file", "Tệp văn bản", "không đọc được văn bản nào trong nội dung này.")
    data = incoming_input(extraction.documents[0], overrides)
    doc = registration.register_incoming(session, actor, data, allow_duplicate)
    made: list[PlannedLink] = []
    for plan in plan_links(session, extraction):
        target: int | str = plan.target_id if plan.target_id is not None else plan.reference
        if plan.target_id == doc.id or reference_key(plan.reference) == reference_key(doc.reference or ""):
            continue
        try:
            links.add_link(session, actor, doc.id, plan.link_type, target, plan.issued_on, plan.issuer)
        except ValidationError as exc:  # e.g. a loop or a link already there: keep the registration, report it
            plan = replace(plan, note="; ".join(n for n in (plan.note, f"không liên kết: {exc}") if n))
        made.append(plan)
    return get_document(session, doc.id), made
