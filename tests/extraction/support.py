"""Helpers for the extraction tests: comparing with expected JSON and checking that nothing was invented."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from app.extraction.records import Extraction

# What the extractor may drop when it normalises a reference: spaces, OCR marks ('^{*}', '*'), stray quotes.
_DROPPED = re.compile(r"\s|\^\{[^{}\n]{0,12}\}|[\^*'’`\"\u200b-\u200d\u2060\ufeff]")


def squeezed(text: str) -> str:
    """The input as a reference can be found in it: NFC, without what normalising drops, case-folded."""
    return _DROPPED.sub("", unicodedata.normalize("NFC", text)).casefold()


def all_references(extraction: Extraction) -> list[str]:
    refs = []
    for doc in extraction.documents:
        if doc.reference:
            refs.append(doc.reference)
        refs.extend(c.reference for c in doc.cites)
    return refs


def invented_references(extraction: Extraction, text: str) -> list[str]:
    """References in the result that do not occur in the input (there must be none)."""
    haystack = squeezed(text)
    return [ref for ref in all_references(extraction) if squeezed(ref) not in haystack]


def field_mismatches(got: dict[str, Any], expected: dict[str, Any], where: str = "") -> list[str]:
    """Every expected field that differs, and every extra non-empty field, as readable lines."""
    problems = []
    for name, value in expected.items():
        if got.get(name) != value:
            problems.append(f"{where}{name}: got {got.get(name)!r}, expected {value!r}")
    for name, value in got.items():
        if name not in expected and value not in (None, [], {}):
            problems.append(f"{where}{name}: got {value!r}, expected nothing")
    return problems
