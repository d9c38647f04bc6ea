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
from app.extraction.records import Citation, ExtractedDocument, Extraction
from app.models import Document, Organization
from app.services import issuer_names, links, registration
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
    # Who makes the link: None for the entry being registered, else the reference of the bundle's document that
    # forwards this one (3646/SYT-VP forwards 5068/UBND-TH, which forwards 1737-TB/VPTU), with its register id.
    source: str | None = None
    source_id: int | None = None
    depth: int = 0  # 0: made by the entry; 1: by a document the entry forwards; …

    def describe(self) -> str:
        text = f"{self.link_type.label}: {self.reference}"
        if self.issued_on:
            text += f" ngày {format_date(self.issued_on)}"
        text += f" → {self.target_label}" if self.target_id else " (chưa có trong sổ, sẽ tự nối khi vào sổ)"
        return f"{text}{' — ' + self.note if self.note else ''}"

    @property
    def makeable(self) -> bool:
        """Whether saving can make it now: a forwarded document's own link needs that document in the register."""
        return self.source is None or self.source_id is not None


def incoming_input(doc: ExtractedDocument, overrides: dict[str, Any] | None = None,
                   issuer: str | None = None) -> IncomingInput:
    """The form as the text fills it (`issuer`: the full name matched in the directory, else the one read); what the
    clerk typed (overrides) wins field by field."""
    data = IncomingInput(issuer=issuer or doc.issuer or "", reference=doc.reference or "", issued_on=doc.issued_on,
                         doc_type=doc.doc_type or "", subject=doc.subject or "", urgency=doc.urgency,
                         secrecy=doc.secrecy, due_on=doc.deadline)
    given = {k: v for k, v in (overrides or {}).items() if v is not None and k in {f.name for f in fields(data)}}
    data = replace(data, **given)
    if "subject" not in given and str(data.secrecy or "").strip().lower() in ("tuyet_mat", "tuyệt mật", "tuyet mat"):
        data = replace(data, subject="")  # a Tuyệt mật entry carries no trích yếu in the register
    return data


@dataclass(frozen=True)
class _Target:
    """A forwarded document of the bundle, and which document of the bundle forwards it (0: the cover letter)."""

    reference: str
    issued_on: date | None
    issuer: str | None
    note: str
    parent: int


def _cited_by(doc_ref: str, doc_date: date | None, cites: list[Citation]) -> Citation | None:
    """The citation naming the document: same số, ký hiệu, or same ký hiệu and date with a misread số."""
    key = reference_key(doc_ref)
    return next((c for c in cites if reference_key(c.reference) == key), None) or next(
        (c for c in cites if _same_but_number(c.reference, doc_ref) and c.issued_on == doc_date and doc_date), None)


def _bundle_targets(extraction: Extraction) -> list[_Target | None]:
    """Each forwarded document of the bundle in order (None where no reference is known). A forwarded document
    whose own number line was not read takes the one reference of its type that the document before it cites.
    Its parent is the nearest document before it that cites it: a cover letter forwards a letter that forwards a
    notice, and each forwards its own; one that no document names is taken as forwarded by the cover letter."""
    docs = extraction.documents
    targets: list[_Target | None] = [None]
    for index, doc in enumerate(docs[1:], start=1):
        found: _Target | None = None
        if doc.reference:
            found = _Target(doc.reference, doc.issued_on, doc.issuer, "", 0)
        else:
            for earlier in (index - 1, 0):
                same_type = [c for c in docs[earlier].cites if c.doc_type and c.doc_type == doc.doc_type]
                if len(same_type) == 1:
                    cite = same_type[0]
                    found = _Target(cite.reference, cite.issued_on, doc.issuer,
                                    f"số, ký hiệu lấy từ trích dẫn trong văn bản {docs[earlier].reference or 'trước'}",
                                    earlier)
                    break
        if found is not None:
            citing = [j for j in range(index - 1, -1, -1) if (j == 0 or targets[j] is not None)
                      and _cited_by(found.reference, found.issued_on, docs[j].cites) is not None]
            found = replace(found, parent=citing[0] if citing else found.parent)
        targets.append(found)
    return targets


def _same_but_number(a: str, b: str) -> bool:
    """Same ký hiệu, different số: the signature of an OCR slip in the number (3068/UBND-TH vs 5068/UBND-TH)."""
    pa, pb = parse_reference(a), parse_reference(b)
    return bool(pa.notation) and pa.notation == pb.notation and pa.number != pb.number


def plan_links(session: Session, extraction: Extraction) -> list[PlannedLink]:
    """Forwards links down the bundle's nesting (each document forwards the ones it cites), then cites links to the
    documents the first one names; in the order of a tree, each forwarded document under the one forwarding it."""
    if not extraction.documents:
        return []
    first = extraction.documents[0]
    targets = _bundle_targets(extraction)
    notes = {i: t.note for i, t in enumerate(targets) if t is not None}
    for cite in first.cites:  # the cover cites an attached document with a misread number: one link, and say so
        for i, t in enumerate(targets):
            if t is not None and t.parent == 0 and reference_key(cite.reference) != reference_key(t.reference) \
                    and _same_but_number(cite.reference, t.reference) and cite.issued_on == t.issued_on:
                mismatch = (f"văn bản dẫn ghi {cite.reference}, bản đính kèm ghi {t.reference} (cùng ký hiệu, cùng "
                            "ngày): kiểm tra số")
                notes[i] = "; ".join(n for n in (notes[i], mismatch) if n)
    planned: dict[int, PlannedLink] = {}

    def visit(parent: int, depth: int) -> None:
        for i, t in enumerate(targets):
            if t is None or t.parent != parent or i in planned:
                continue
            source = planned.get(parent)
            plan = _resolve(session, LinkType.FORWARDS, t.reference, t.issued_on, t.issuer, notes[i])
            if source is not None:
                plan = replace(plan, source=source.reference, source_id=source.target_id, depth=depth)
                if source.target_id is None:
                    plan = replace(plan, note="; ".join(n for n in (plan.note, (
                        f"chỉ ghi được khi {source.reference} có trong sổ (văn bản đó chuyển tiếp văn bản này)")) if n))
            planned[i] = plan
            visit(i, depth + 1)

    visit(0, 0)
    order: list[PlannedLink] = list(planned.values())
    own = {reference_key(p.reference) for p in order if p.source is None}
    slips = {reference_key(c.reference) for c in first.cites for p in order
             if p.source is None and _same_but_number(c.reference, p.reference) and c.issued_on == p.issued_on}
    for cite in first.cites:
        key = reference_key(cite.reference)
        if key in own or key in slips:
            continue
        own.add(key)
        order.append(_resolve(session, LinkType.CITES, cite.reference, cite.issued_on, None, ""))
    return order


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
    first = extraction.documents[0]
    data = incoming_input(first, overrides, issuer_names.issuer_name(session, first))
    doc = registration.register_incoming(session, actor, data, allow_duplicate)
    made: list[PlannedLink] = []
    for plan in plan_links(session, extraction):
        if not plan.makeable:
            continue  # its source is not in the register: no entry to hang the link on (shown before saving)
        source = plan.source_id if plan.source_id is not None else doc.id
        target: int | str = plan.target_id if plan.target_id is not None else plan.reference
        if plan.target_id in (doc.id, source) or reference_key(plan.reference) == reference_key(doc.reference or ""):
            continue
        try:
            links.add_link(session, actor, source, plan.link_type, target, plan.issued_on, plan.issuer)
        except ValidationError as exc:  # e.g. a loop or a link already there: keep the registration, report it
            plan = replace(plan, note="; ".join(n for n in (plan.note, f"không liên kết: {exc}") if n))
        made.append(plan)
    return get_document(session, doc.id), made
