"""The folded words of a register entry that full-text search indexes (marks removed, đ→d, lower case)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy.orm import Session

from app.core.text import fold
from app.core.unnumbered import shown_reference
from app.models import Document, Organization

_LEADING_ZEROS = re.compile(r"\b0+(\d)")


def document_search_text(*, reference: str | None, issuer: str | None, doc_type: str | None, subject: str | None,
                         note: str | None = None, signer: str | None = None, recipients: Iterable[str] = (),
                         file_code: str | None = None, drafting_unit: str | None = None) -> str:
    """One line of folded text; the index and every query are folded by the same function, so "dang uy"
    meets "Đảng ủy" whichever database engine does the matching."""
    parts = [reference, issuer, doc_type, subject, note, signer, *recipients, file_code, drafting_unit]
    text = " ".join(fold(p) for p in parts if p)
    # "05/SYT-VP" is also found as "5/SYT-VP": clerks rarely type the leading zero of a số.
    unpadded = _LEADING_ZEROS.sub(r"\1", fold(reference)) if reference else ""
    return f"{text} {unpadded}" if unpadded and unpadded != fold(reference) else text


def refresh_search_text(session: Session, doc: Document) -> None:
    """Recompute doc.search_text from its current fields (called before every insert and after edits)."""
    issuer = session.get(Organization, doc.issuer_id) if doc.issuer_id else None
    doc.search_text = document_search_text(
        # An entry without số, ký hiệu is found by "không số", as the register shows it.
        reference=shown_reference(doc.reference), issuer=issuer.name if issuer else None, doc_type=doc.doc_type,
        subject=doc.subject,
        note=doc.note, signer=doc.signer, recipients=doc.recipients or (), file_code=doc.file_code,
        drafting_unit=doc.drafting_unit)
