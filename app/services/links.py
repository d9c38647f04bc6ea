"""Typed links between documents (forwards, replies_to, cites...), pending references and their resolution."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.enums import LinkType
from app.core.errors import NotFoundError, ValidationError
from app.core.records import ChainStep, ForwardChain, LinkRecord
from app.core.references import parse_reference, reference_key
from app.core.text import clean
from app.models import Document, DocumentLink, Organization
from app.services import audit, issuer_names, queries, routing

_LABEL = "Văn bản liên kết"


def _snapshot(link: DocumentLink) -> dict[str, object]:
    return {"source_id": link.source_id, "link_type": link.link_type.value, "target_id": link.target_id,
            "target_reference": link.target_reference, "target_issued_on": link.target_issued_on,
            "target_issuer": link.target_issuer}


def _forwards_ancestors(session: Session, doc_id: int) -> set[int]:
    """Every document reached by following 'forwards' links up from doc_id (the chain of parents)."""
    seen: set[int] = set()
    frontier = {doc_id}
    while frontier:
        parents = set(session.scalars(select(DocumentLink.target_id).where(
            DocumentLink.link_type == LinkType.FORWARDS, DocumentLink.source_id.in_(frontier),
            DocumentLink.target_id.is_not(None))))
        frontier = parents - seen
        seen |= frontier
    return seen


def issuer_matches(cited: str | None, registered: str | None) -> bool:
    """A cited issuer names the registered one when either folded name contains the other: "Văn phòng Tỉnh ủy"
    names "VĂN PHÒNG TỈNH ỦY TÂY NINH", but "UBND tỉnh Tây Ninh" does not name "UBND huyện Châu Thành"."""
    if not cited:
        return True
    # abbreviations spelt out: a header's "ỦY BAN NHÂN DÂN TỈNH TÂY NINH" names the directory's "UBND tỉnh Tây Ninh"
    a, b = issuer_names.comparable(cited), issuer_names.comparable(registered)
    return bool(b) and (a in b or b in a)


def _matches(session: Session, key: str, issued_on: date | None, issuer: str | None) -> list[Document]:
    query = (select(Document, Organization.name).outerjoin(Organization, Organization.id == Document.issuer_id)
             .where(Document.reference_key == key, Document.cancelled_at.is_(None)))
    if issued_on:
        query = query.where(Document.issued_on == issued_on)
    return [doc for doc, name in session.execute(query) if issuer_matches(issuer, name)]


def add_link(session: Session, actor: str, source_id: int, link_type: LinkType, target: int | str,
             target_issued_on: date | None = None, target_issuer: str | None = None) -> LinkRecord:
    """Link source to a registered document (by id, or by a reference that matches exactly one), or keep
    the reference as pending when nothing registered matches yet."""
    if session.get(Document, source_id) is None:
        raise NotFoundError(f"Không có văn bản mã {source_id}.")
    link = DocumentLink(source_id=source_id, link_type=link_type, created_by=actor,
                        target_issued_on=target_issued_on, target_issuer=clean(target_issuer) or None)
    if isinstance(target, int):
        if session.get(Document, target) is None:
            raise NotFoundError(f"Không có văn bản mã {target}.")
        link.target_id = target
    else:
        parsed = parse_reference(target)
        if not parsed.reference:
            raise ValidationError.single("target", _LABEL, "cần mã văn bản hoặc số, ký hiệu.")
        if len(parsed.reference) > 100:
            raise ValidationError.single("target", _LABEL, "số, ký hiệu dài quá 100 ký tự.")
        link.target_reference, link.target_reference_key = parsed.reference, reference_key(parsed.reference)
        found = [d for d in _matches(session, link.target_reference_key, target_issued_on, target_issuer)
                 if d.id != source_id]
        if len(found) > 1:
            raise ValidationError.single("target", _LABEL, (
                f"có {len(found)} văn bản số {parsed.reference} trong sổ (mã {', '.join(str(d.id) for d in found)}); "
                "hãy ghi thêm ngày văn bản hoặc dùng mã văn bản."))
        if found:
            link.target_id = found[0].id
    if link.target_id == source_id:
        raise ValidationError.single("target", _LABEL, "một văn bản không thể liên kết với chính nó.")
    if link.target_id is not None:
        if session.scalars(select(DocumentLink).where(
                DocumentLink.source_id == source_id, DocumentLink.link_type == link_type,
                DocumentLink.target_id == link.target_id)).first():
            raise ValidationError.single("target", _LABEL, "liên kết này đã có.")
        if link_type is LinkType.FORWARDS and source_id in _forwards_ancestors(session, link.target_id):
            raise ValidationError.single("target", _LABEL,
                                         "tạo vòng lặp: văn bản kia đã (gián tiếp) chuyển tiếp văn bản này.")
    session.add(link)
    session.flush()
    audit.record(session, actor, "link", "document", source_id, None, _snapshot(link))
    _close_if_reply(session, actor, link)
    return next(r for r in queries.links_of(session, source_id) if r.id == link.id)


def resolve_pending(session: Session, actor: str, doc: Document) -> int:
    """A newly registered document answers the pending references that name it; returns how many."""
    if not doc.reference_key:
        return 0
    pending = session.scalars(select(DocumentLink).where(
        DocumentLink.target_id.is_(None), DocumentLink.target_reference_key == doc.reference_key,
        DocumentLink.source_id != doc.id)).all()
    resolved = 0
    issuer = session.get(Organization, doc.issuer_id) if doc.issuer_id else None
    for link in pending:
        if link.target_issued_on and link.target_issued_on != doc.issued_on:
            continue  # same number, another date: a different document
        if not issuer_matches(link.target_issuer, issuer.name if issuer else None):
            continue  # every UBND has its own 15/QĐ-UBND
        before = _snapshot(link)
        link.target_id = doc.id
        audit.record(session, actor, "resolve_link", "document", link.source_id, before, _snapshot(link))
        _close_if_reply(session, actor, link)
        resolved += 1
    return resolved


def _close_if_reply(session: Session, actor: str, link: DocumentLink) -> None:
    """An outgoing reply linked to an incoming document closes the incoming item (Đã trả lời)."""
    if link.link_type is LinkType.REPLIES_TO and link.target_id is not None:
        routing.close_on_reply(session, actor, link.source_id, link.target_id)


def remove_link(session: Session, actor: str, link_id: int) -> LinkRecord:
    """Delete a link: links are annotations, not register entries; the audit event keeps what was removed."""
    link = session.get(DocumentLink, link_id)
    # The source entry must be the user's to see (app.services.visibility filters Document loads).
    if link is None or session.get(Document, link.source_id) is None:
        raise NotFoundError(f"Không có liên kết mã {link_id}.")
    removed = next(r for r in queries.links_of(session, link.source_id) if r.id == link.id)
    before = _snapshot(link)
    before["link_id"], before["target_label"] = link.id, removed.other_label  # the row goes; keep its name
    session.delete(link)
    session.flush()
    audit.record(session, actor, "unlink", "document", removed.source_id, before, None)
    return removed


MAX_CHAIN = 50  # far deeper than any real chain (Trung ương → tỉnh → sở → phòng…); a guard, not a rule


def _chain_label(session: Session, doc_id: int) -> tuple[str, bool]:
    row = session.execute(select(Document, Organization.name)
                          .outerjoin(Organization, Organization.id == Document.issuer_id)
                          .where(Document.id == doc_id)).first()
    if row is None:
        raise NotFoundError(f"Không có văn bản mã {doc_id}.")
    doc, issuer = row
    return queries.describe(doc, issuer), doc.cancelled_at is not None


def forward_chain(session: Session, doc_id: int) -> ForwardChain:
    """The documents this one forwards, up to the first issuer (doc → parent → grandparent…), cut at a cycle or at
    a pending reference; with every other link from and to the document, each labelled for people."""
    label, _cancelled = _chain_label(session, doc_id)
    all_links = queries.links_of(session, doc_id)
    steps: list[ChainStep] = []
    seen = {doc_id}
    cycle = False
    current = doc_id
    while len(steps) < MAX_CHAIN:
        link = session.scalars(select(DocumentLink).where(
            DocumentLink.source_id == current, DocumentLink.link_type == LinkType.FORWARDS)
            .order_by(DocumentLink.id)).first()
        if link is None:
            break
        if link.target_id is None:
            pending = next(r for r in queries.links_of(session, current) if r.id == link.id)
            steps.append(ChainStep(link.id, None, pending.other_label))
            break
        if link.target_id in seen:
            cycle = True
            break
        parent_label, parent_cancelled = _chain_label(session, link.target_id)
        steps.append(ChainStep(link.id, link.target_id, parent_label, parent_cancelled))
        seen.add(link.target_id)
        current = link.target_id
    first = steps[0].link_id if steps else None
    links_from = tuple(r for r in all_links if r.source_id == doc_id and r.id != first)
    links_to = tuple(r for r in all_links if r.target_id == doc_id and r.source_id != doc_id)
    return ForwardChain(doc_id, label, tuple(steps), cycle, links_from, links_to)


def reply_references(session: Session, target_ids: Sequence[int]) -> dict[int, str]:
    """For the follow-up book: incoming id -> the số, ký hiệu of the documents that reply to it ("; "-joined)."""
    found: dict[int, list[str]] = {}
    for start in range(0, len(target_ids), 2000):
        rows = session.execute(
            select(DocumentLink.target_id, Document.reference).join(Document, Document.id == DocumentLink.source_id)
            .where(DocumentLink.link_type == LinkType.REPLIES_TO, Document.cancelled_at.is_(None),
                   DocumentLink.target_id.in_(list(target_ids[start:start + 2000]))).order_by(Document.id))
        for target, reference in rows:
            if target is not None and reference:
                found.setdefault(target, []).append(reference)
    return {target: "; ".join(refs) for target, refs in found.items()}
