"""Không số: an incoming document that carries no số, ký hiệu (giấy mời, thư …), kept with no reference at all."""

from __future__ import annotations

from app.core.text import fold

# What the clerk ticks or types, what a cell of an exported register holds, and what the screens show. The entry
# itself stores no reference (NULL), so two unnumbered documents never share a "số, ký hiệu" to be matched on.
UNNUMBERED = "Không số"
_FOLDED = {"khong so", "khong co so", "k/s"}


def is_unnumbered(text: str | None) -> bool:
    """'Không số', 'không số.', 'KHONG SO' or 'K/S': the document was marked as having no số, ký hiệu."""
    return fold(text).strip(" .:;,()") in _FOLDED


def shown_reference(reference: str | None) -> str:
    """The Số, ký hiệu cell of an entry: its reference, or 'Không số' when it has none."""
    return UNNUMBERED if not reference or is_unnumbered(reference) else reference


def number_phrase(reference: str | None) -> str:
    """How a sentence names the document's own number: 'số 12/UBND-VP', or 'không số' (never 'số Không số')."""
    return "không số" if not reference or is_unnumbered(reference) else f"số {reference}"
