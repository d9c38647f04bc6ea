"""registry.text_entry: registering a document from its own text (the links it will make, then the entry)."""

from __future__ import annotations

from typing import Any

from app.core.access import Permission
from app.core.records import DocumentRecord
from app.extraction.records import ExtractedDocument, Extraction
from app.services import from_text, issuer_names
from app.services.parts.base import Part, requires


class TextEntry(Part):
    """What was read from a document's text becomes an entry with its bundle and citations linked, in one go."""

    @requires(Permission.VIEW)
    def plan_links(self, extraction: Extraction) -> list[from_text.PlannedLink]:
        """The links registering this text would make (shown before saving)."""
        with self._session.reading() as s:
            return from_text.plan_links(s, extraction)

    @requires(Permission.VIEW)
    def issuer_name(self, doc: ExtractedDocument) -> str | None:
        """The issuer the form is filled with: the full name from the header lines, as the directory spells it."""
        with self._session.reading() as s:
            return issuer_names.issuer_name(s, doc)

    @requires(Permission.REGISTER)
    def register(self, extraction: Extraction, overrides: dict[str, Any] | None = None,
                 allow_duplicate: bool = False) -> tuple[DocumentRecord, list[from_text.PlannedLink]]:
        """Register the text's first document (overrides win) and link its bundle and citations."""
        if extraction.documents:
            self._session.check_clearance(from_text.incoming_input(extraction.documents[0], overrides).secrecy)
        return self._session.write(lambda s: from_text.register_from_text(s, self._actor, extraction,
                                                                          overrides or {}, allow_duplicate))
