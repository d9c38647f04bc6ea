"""registry.audit: the tamper-evident trail of every change, filtered for reading and verified link by link."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from app.core.access import Permission
from app.core.records import AuditRecord
from app.services import audit
from app.services.parts.base import Part, requires


def _filter(actor: str | None, action: str | None, date_from: date | None, date_to: date | None,
            document_id: int | None) -> audit.AuditFilter:
    return audit.AuditFilter(actor or None, action or None, "document" if document_id is not None else None,
                             document_id, date_from, date_to)


class Audit(Part):
    """The whole trail is the quản trị's to read (an entry's own history is registry.documents.history)."""

    @requires(Permission.AUDIT)
    def events(self, entity: str | None = None, entity_id: int | None = None, limit: int = 200, *,
               actor: str | None = None, action: str | None = None, date_from: date | None = None,
               date_to: date | None = None, document_id: int | None = None,
               offset: int = 0) -> list[AuditRecord]:
        """Newest first; dates are local calendar days (both included), actor matches part of the name."""
        with self._session.reading() as s:
            return audit.events(s, entity, entity_id, limit, offset,
                                _filter(actor, action, date_from, date_to, document_id))

    @requires(Permission.AUDIT)
    def count(self, actor: str | None = None, action: str | None = None, date_from: date | None = None,
              date_to: date | None = None, document_id: int | None = None) -> int:
        with self._session.reading() as s:
            return audit.count(s, _filter(actor, action, date_from, date_to, document_id))

    @requires(Permission.AUDIT)
    def actions(self) -> list[str]:
        with self._session.reading() as s:
            return audit.actions(s)

    @requires(Permission.AUDIT)
    def verify(self, progress: Callable[[int], None] | None = None) -> audit.AuditCheck:
        """Walk the whole hash chain of the audit trail: ok with the count, or the first broken link."""
        with self._session.reading() as s:
            return audit.verify(s, progress=progress)
