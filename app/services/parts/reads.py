"""The guarded reads that printouts and exports compose from other parts (each read checks its own permission)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from app.core.records import AttachmentRecord, DocumentQuery, DocumentRecord, RoutingRecord
from app.services.parts.anchors import Anchors
from app.services.parts.attachments import Attachments
from app.services.parts.base import RegisterSession
from app.services.parts.documents import Documents
from app.services.parts.links import Links
from app.services.parts.routing import Routing
from app.services.parts.settings import Settings
from app.services.settings import AgencySettings


class Reads:
    """A printout or an export sees the register through the same guarded operations as the window does."""

    def __init__(self, session: RegisterSession, documents: Documents, attachments: Attachments, routing: Routing,
                 links: Links, settings: Settings, anchors: Anchors):
        self._session, self._documents, self._attachments = session, documents, attachments
        self._routing, self._links, self._settings, self._anchors = routing, links, settings, anchors

    @property
    def actor(self) -> str:
        """The person printed as the clerk: the signed-in account's full name, or the register's clerk name."""
        principal = self._session.principal  # read now: the principal may change after the parts are made
        return principal.full_name if principal.signed_in and principal.full_name else self._session.actor

    def agency(self) -> AgencySettings:
        return self._settings.agency()

    def audit_code(self) -> str:
        """'#N, 16 hex' of the audit chain's head: printed, signed paper anchors the chain (chain_anchor.py)."""
        return self._anchors.head().code

    def get(self, doc_id: int) -> DocumentRecord:
        return self._documents.get(doc_id)

    def records(self, ids: Sequence[int]) -> list[DocumentRecord]:
        return self._documents.records(ids)

    def search_ids(self, query: DocumentQuery) -> list[int]:
        return self._documents.search_ids(query)

    def attachments(self, doc_id: int) -> list[AttachmentRecord]:
        return self._attachments.list(doc_id)

    def attachment_path(self, attachment_id: int) -> Path:
        return self._attachments.path(attachment_id)

    def routing_history(self, doc_id: int) -> list[RoutingRecord]:
        return self._routing.history(doc_id)

    def awaiting_handover(self, unit: str) -> tuple[str, list[int]]:
        return self._routing.awaiting_handover(unit)

    def reply_references(self, target_ids: Sequence[int]) -> dict[int, str]:
        return self._links.reply_references(target_ids)

    def follow_up_notes(self, doc_ids: Sequence[int], on: date) -> dict[int, tuple[str, str]]:
        return self._routing.follow_up_notes(doc_ids, on)
