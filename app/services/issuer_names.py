"""The issuer a document read from text is registered under: its full name, as the directory spells it when known."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.text import name_key
from app.extraction.issuer_names import full_issuer
from app.extraction.records import ExtractedDocument
from app.models import Organization
from app.services import visibility

# Abbreviations a directory name may use for words a header prints in full (or the other way round).
_SHORT = {"ubnd": "uy ban nhan dan", "hdnd": "hoi dong nhan dan", "tp": "thanh pho", "ub": "uy ban"}
_SPELT = {*_SHORT, *(w for long in _SHORT.values() for w in long.split())}
_WORD = re.compile(r"\S+")
_CANDIDATES = 200  # names containing the issuer's own words: a handful in a real directory, bounded all the same


def comparable(name: str | None) -> str:
    """A name's key with abbreviations spelt out: "UBND tỉnh Tây Ninh" == "ỦY BAN NHÂN DÂN TỈNH TÂY NINH"."""
    return _WORD.sub(lambda m: _SHORT.get(m.group(0), m.group(0)), name_key(name))


def directory_name(session: Session, name: str, contains: str | None = None) -> str | None:
    """The directory's spelling of `name` (marks, case and abbreviations aside), among the names containing the
    words of `contains` (the issuer's own line); None when the directory has no such name or more than one."""
    wanted = comparable(name)
    if not wanted:
        return None
    query = select(Organization.name).order_by(Organization.id).limit(_CANDIDATES)
    # The directory's key column narrows the search to names holding each word of the issuer's own line that no
    # abbreviation can stand for ("y", "te" of "Sở Y tế"); the names are then compared whole.
    for word in set(name_key(contains or name).split()) - _SPELT:
        query = query.where(Organization.name_key.contains(word, autoescape=True))
    if (visible := visibility.organizations(session)) is not None:  # not those only secret entries name
        query = query.where(visible)
    found = {n for n in session.scalars(query) if comparable(n) == wanted}
    return next(iter(found)) if len(found) == 1 else None


def issuer_name(session: Session, doc: ExtractedDocument) -> str | None:
    """The issuer to register: the full name built from the header ("SỞ Y TẾ" under "UBND TỈNH TÂY NINH" → "Sở Y tế
    tỉnh Tây Ninh"), written as the directory already has it when it does; else the issuer line as read."""
    if not doc.issuer:
        return None
    full = full_issuer(doc.issuer, doc.issuer_parent)
    # Only the full name is looked up when there is one: a short "Sở Y tế" in the directory names no province.
    name = full or doc.issuer
    return directory_name(session, name, doc.issuer) or name
