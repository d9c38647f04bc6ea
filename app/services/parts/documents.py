"""registry.documents: register, change, cancel, find, list and search the entries of the books."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from app.core.access import Permission
from app.core.dates import today
from app.core.enums import BookCategory, Direction, Secrecy
from app.core.records import AuditRecord, DocumentQuery, DocumentRecord, IncomingInput, OutgoingInput
from app.services import audit, queries, registration, search
from app.services.parts.base import Part, requires


def _category(secret: bool) -> BookCategory:
    return BookCategory.SECRET if secret else BookCategory.ORDINARY


class Documents(Part):
    """The entries of the books: each registration takes the next number of its book, gapless and never reused."""

    @requires(Permission.REGISTER)
    def register_incoming(self, data: IncomingInput, allow_duplicate: bool = False) -> DocumentRecord:
        self._session.check_clearance(data.secrecy)
        return self._session.write(lambda s: registration.register_incoming(s, self._actor, data, allow_duplicate))

    @requires(Permission.REGISTER)
    def register_outgoing(self, data: OutgoingInput) -> DocumentRecord:
        self._session.check_clearance(data.secrecy)
        return self._session.write(lambda s: registration.register_outgoing(s, self._actor, data))

    @requires(Permission.REGISTER)
    def cancel(self, doc_id: int, reason: str) -> DocumentRecord:
        """The entry keeps its number and is marked ĐÃ HỦY (the register is never emptied of a number)."""
        return self._session.write(lambda s: registration.cancel_document(s, self._actor, doc_id, reason))

    @requires(Permission.REGISTER)
    def update(self, doc_id: int, changes: dict[str, Any], allow_duplicate: bool = False) -> DocumentRecord:
        self._session.check_clearance(changes.get("secrecy"))
        return self._session.write(lambda s: registration.update_document(s, self._actor, doc_id, changes,
                                                                          allow_duplicate))

    @requires(Permission.REGISTER)
    def next_incoming_number(self, received_on: date, secret: bool = False) -> int:
        """The số đến the next incoming document would get (shown before saving; not reserved)."""
        self._session.check_clearance(Secrecy.MAT if secret else None)
        # A write transaction: the first look at a year may open its book.
        return self._session.write(lambda s: registration.next_incoming_number(s, self._actor, received_on, secret))

    @requires(Permission.REGISTER)
    def next_outgoing_number(self, doc_type: str, signed_on: date, unit: str = "", secret: bool = False) -> int:
        self._session.check_clearance(Secrecy.MAT if secret else None)
        return self._session.write(lambda s: registration.next_outgoing_number(s, self._actor, doc_type, signed_on,
                                                                               unit, secret))

    @requires(Permission.VIEW)
    def get(self, doc_id: int) -> DocumentRecord:
        with self._session.reading() as s:
            return queries.get_document(s, doc_id)

    @requires(Permission.VIEW)
    def find(self, direction: Direction, number: int, year: int, secret: bool = False) -> DocumentRecord:
        with self._session.reading() as s:
            return queries.find_by_number(s, direction, number, year, _category(secret))

    @requires(Permission.VIEW)
    def list(self, direction: Direction, year: int | None = None, secret: bool = False,
             limit: int | None = None) -> list[DocumentRecord]:
        with self._session.reading() as s:
            return queries.list_documents(s, direction, year, _category(secret), limit)

    # search and the big table: ordered ids first, then rows by id in blocks
    @requires(Permission.VIEW)
    def search_ids(self, query: DocumentQuery) -> list[int]:
        """Ids of the entries the query selects, in its order (cheap: read from indexes where possible)."""
        with self._session.reading() as s:
            return search.search_ids(s, query, today())

    @requires(Permission.VIEW)
    def records(self, ids: Sequence[int]) -> list[DocumentRecord]:
        """The entries with these ids, in that order, without their links (for table rows)."""
        with self._session.reading() as s:
            return search.records_by_ids(s, ids)

    @requires(Permission.VIEW)
    def years(self) -> list[int]:
        """Years the register has entries for, newest first."""
        with self._session.reading() as s:
            return search.register_years(s)

    @requires(Permission.VIEW)
    def search(self, query: DocumentQuery) -> list[DocumentRecord]:
        with self._session.reading() as s:
            return search.records_by_ids(s, search.search_ids(s, query, today()))

    @requires(Permission.VIEW)
    def history(self, doc_id: int, limit: int = 200) -> list[AuditRecord]:
        """One entry's own history (its audit events, newest first), for whoever may see the entry: the clerk
        needs it at the desk; reading the whole trail stays the quản trị's (registry.audit)."""
        self._session.visible([doc_id])
        with self._session.reading() as s:
            return audit.events(s, "document", doc_id, limit)
