"""Where a search hit matched: in the entry's own fields (trích yếu, số, cơ quan…) or in its attachments' body."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import and_, select, text
from sqlalchemy.orm import Session

from app.models import Document, DocumentBody
from app.services.search import MAX_BLOCK, fts_expression, search_words

ENTRY, BODY = "trích yếu", "nội dung"


def match_places(session: Session, typed: str, ids: Sequence[int]) -> dict[int, str]:
    """id → "trích yếu", "nội dung" or "trích yếu, nội dung" for the hits among `ids` (a page of results; the
    entry fields are named by the trích yếu, which clerks search most). "trích yếu, nội dung" is also said when
    the words are split between the two, since neither alone holds them all."""
    words = search_words(typed)
    if not words or not ids:
        return {}
    entry: set[int] = set()
    body: set[int] = set()
    anywhere: set[int] = set()
    for start in range(0, len(ids), MAX_BLOCK):
        block = list(ids[start:start + MAX_BLOCK])
        reader = _sqlite if session.get_bind().dialect.name == "sqlite" else _other
        found = reader(session, words, block)
        for place, hits in zip((entry, body, anywhere), found, strict=True):
            place |= hits
    places = {}
    for doc_id in ids:
        if doc_id in entry and doc_id not in body:
            places[doc_id] = ENTRY
        elif doc_id in body and doc_id not in entry:
            places[doc_id] = BODY
        elif doc_id in entry or doc_id in anywhere:
            places[doc_id] = f"{ENTRY}, {BODY}"
    return places


def _sqlite(session: Session, words: list[str], block: list[int]) -> tuple[set[int], set[int], set[int]]:
    fts = fts_expression(words)
    listed = ",".join(str(int(i)) for i in block)  # integers from the caller's id list, never typed text

    def hits(sql: str, expression: str) -> set[int]:
        return set(session.execute(text(sql + f" AND rowid IN ({listed})"), {"fts": expression}).scalars())

    return (hits("SELECT rowid FROM documents_fts WHERE documents_fts MATCH :fts", fts),
            hits("SELECT rowid FROM bodies_fts WHERE bodies_fts MATCH :fts", f"body : ({fts})"),
            hits("SELECT rowid FROM bodies_fts WHERE bodies_fts MATCH :fts", fts))


def _other(session: Session, words: list[str], block: list[int]) -> tuple[set[int], set[int], set[int]]:
    def every(column: object) -> object:
        return and_(*(column.contains(w, autoescape=True) for w in words))  # type: ignore[attr-defined]

    entry = set(session.scalars(select(Document.id).where(Document.id.in_(block), every(Document.search_text))))
    body = set(session.scalars(select(DocumentBody.document_id).where(
        DocumentBody.document_id.in_(block), every(DocumentBody.body))))
    anywhere = set(session.scalars(select(DocumentBody.document_id).where(
        DocumentBody.document_id.in_(block), every(DocumentBody.entry + " " + DocumentBody.body))))
    return entry, body, anywhere
