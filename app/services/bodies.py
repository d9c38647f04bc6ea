"""The searchable body of an entry: the folded text of its attachments, rebuilt whenever one comes on or off."""

from __future__ import annotations

import zlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.text import fold_long
from app.models import Attachment, Document, DocumentBody, EdxmlMessage
from app.models.edxml import RECEIVED

# A body past this many characters is cut: 2 MB of folded text is a 600-page dossier, and one row that size
# already costs the index more than every ordinary letter of a year.
MAX_BODY = 2_000_000


def pack(text: str) -> bytes:
    """An attachment's text as stored (zlib, UTF-8): a two-page letter's 5 KB takes about 1.5 KB."""
    return zlib.compress(text.encode("utf-8"), 6)


def unpack(data: bytes) -> str:
    return zlib.decompress(data).decode("utf-8")


def refresh_body(session: Session, doc_id: int) -> None:
    """Recompute the entry's body from its attached files' texts (the index follows by trigger). Every entry has
    its row (made by a trigger when it is registered); an entry with no readable attachment has an empty body. A
    searchable copy is the scan's text again and is not counted twice. The Content of the edXML message it came
    in is part of its body too."""
    contents = [str((header or {}).get("content") or "") for header in session.scalars(
        select(EdxmlMessage.header).where(EdxmlMessage.document_id == doc_id, EdxmlMessage.kind == RECEIVED))]
    texts = session.scalars(select(Attachment.text_z).where(
        Attachment.document_id == doc_id, Attachment.removed_at.is_(None), Attachment.text_z.is_not(None),
        Attachment.derived_from_id.is_(None)).order_by(Attachment.id))
    body = " ".join([fold_long(c) for c in contents if c] + [fold_long(unpack(z)) for z in texts])[:MAX_BODY]
    row = session.get(DocumentBody, doc_id)
    if row is None:  # a register repaired from a copy whose trigger was missing: the repair adds the rows too
        doc = session.get(Document, doc_id)
        session.add(DocumentBody(document_id=doc_id, entry=doc.search_text if doc is not None else "", body=body))
    elif row.body != body:
        row.body = body
    session.flush()
