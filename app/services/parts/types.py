"""registry.types: the list of document types (tên loại) and their abbreviations, per family of agency."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.core.access import Permission
from app.core.enums import Family
from app.core.records import DocumentTypeRecord
from app.services import document_types
from app.services import settings as agency_settings
from app.services.parts.base import Part, requires


class Types(Part):
    """State and Party agencies have different lists (NĐ 30 Phụ lục III; HD 36-HD/VPTW)."""

    @requires(Permission.VIEW)
    def list(self, family: Family | None = None, include_inactive: bool = False) -> list[DocumentTypeRecord]:
        """The types of a family (default: the agency's), in list order; inactive ones too if asked."""
        with self._session.reading() as s:
            kind = family or agency_settings.agency(s).family
            return document_types.list_types(s, kind, include_inactive)

    @requires(Permission.SETTINGS)
    def save(self, name: str, abbreviation: str | None = None, active: bool = True,
             type_id: int | None = None, family: Family | None = None) -> DocumentTypeRecord:
        """Add a type to a family's list (default: the agency's), or edit the type with type_id."""
        def work(s: Session) -> DocumentTypeRecord:
            kind = family or agency_settings.agency(s).family
            return document_types.save_type(s, self._actor, kind, name, abbreviation, active, type_id)

        return self._session.write(work)
