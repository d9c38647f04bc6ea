"""Registry: the one object the UI and CLI talk to; each call is one transaction and returns plain records."""

from __future__ import annotations

import getpass
from datetime import date
from typing import Any

from app.core.enums import BookCategory, Direction, Family, LinkType, NumberingScope
from app.core.records import (
    AuditRecord,
    BookRecord,
    DocumentRecord,
    IncomingInput,
    LinkRecord,
    OrganizationRecord,
    OutgoingInput,
)
from app.core.references import canonical_type
from app.db.engine import Database, resolve_url
from app.db.migrate import upgrade
from app.services import audit, books, directory, links, numbering, queries, registration
from app.services import settings as agency_settings


def default_actor() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in some containers and services
        return "van_thu"


class Registry:
    """The register of one agency, on one database (SQLite file or PostgreSQL URL)."""

    def __init__(self, db: str | None = None, actor: str | None = None, migrate: bool = True):
        self.db = Database(resolve_url(db))
        self.actor = actor or default_actor()
        if migrate:
            upgrade(self.db.engine)

    @property
    def url(self) -> str:
        return self.db.url

    def close(self) -> None:
        self.db.dispose()

    # settings
    def settings(self) -> dict[str, str]:
        with self.db.reading() as s:
            return agency_settings.all_settings(s)

    def agency(self) -> agency_settings.AgencySettings:
        with self.db.reading() as s:
            return agency_settings.agency(s)

    def set_setting(self, key: str, value: str) -> str:
        with self.db.writing() as s:
            return agency_settings.set_setting(s, self.actor, key, value)

    # registration
    def register_incoming(self, data: IncomingInput, allow_duplicate: bool = False) -> DocumentRecord:
        with self.db.writing() as s:
            return registration.register_incoming(s, self.actor, data, allow_duplicate)

    def register_outgoing(self, data: OutgoingInput) -> DocumentRecord:
        with self.db.writing() as s:
            return registration.register_outgoing(s, self.actor, data)

    def cancel(self, doc_id: int, reason: str) -> DocumentRecord:
        with self.db.writing() as s:
            return registration.cancel_document(s, self.actor, doc_id, reason)

    def update(self, doc_id: int, changes: dict[str, Any], allow_duplicate: bool = False) -> DocumentRecord:
        with self.db.writing() as s:
            return registration.update_document(s, self.actor, doc_id, changes, allow_duplicate)

    def next_incoming_number(self, received_on: date, secret: bool = False) -> int:
        """The số đến the next incoming document would get (shown before saving; not reserved)."""
        with self.db.writing() as s:  # may create the year's book on first use
            family = agency_settings.agency(s).family
            category = BookCategory.SECRET if secret else BookCategory.ORDINARY
            book = books.open_book(s, self.actor, Direction.INCOMING, category, family)
            return numbering.peek_next(s, book.id, books.period_key(book, received_on, "received_on", "Ngày đến"), "")

    def next_outgoing_number(self, doc_type: str, signed_on: date, unit: str = "", secret: bool = False) -> int:
        with self.db.writing() as s:
            family = agency_settings.agency(s).family
            book, _abbr, scope = registration.outgoing_numbering(s, self.actor, canonical_type(doc_type), unit,
                                                                secret, family)
            return numbering.peek_next(s, book.id, books.period_key(book, signed_on, "signed_on", "Ngày ký"), scope)

    # reading
    def get(self, doc_id: int) -> DocumentRecord:
        with self.db.reading() as s:
            return queries.get_document(s, doc_id)

    def find(self, direction: Direction, number: int, year: int, secret: bool = False) -> DocumentRecord:
        with self.db.reading() as s:
            category = BookCategory.SECRET if secret else BookCategory.ORDINARY
            return queries.find_by_number(s, direction, number, year, category)

    def list_documents(self, direction: Direction, year: int | None = None, secret: bool = False,
                       limit: int | None = None) -> list[DocumentRecord]:
        with self.db.reading() as s:
            category = BookCategory.SECRET if secret else BookCategory.ORDINARY
            return queries.list_documents(s, direction, year, category, limit)

    # links
    def link(self, source_id: int, link_type: LinkType, target: int | str, target_issued_on: date | None = None,
             target_issuer: str | None = None) -> LinkRecord:
        with self.db.writing() as s:
            return links.add_link(s, self.actor, source_id, link_type, target, target_issued_on, target_issuer)

    # books and directory
    def books(self) -> list[BookRecord]:
        with self.db.reading() as s:
            return books.list_books(s)

    def add_book(self, direction: Direction, category: BookCategory, scope: NumberingScope | None = None,
                 name: str | None = None, term_start: date | None = None, term_end: date | None = None,
                 book_number: int = 1, family: Family | None = None) -> BookRecord:
        with self.db.writing() as s:
            family = family or agency_settings.agency(s).family
            book = books.add_book(s, self.actor, direction, category, family,
                                  scope or books.default_scope(direction, family), name, term_start, term_end,
                                  book_number)
            return books.to_record(book)

    def organizations(self, text: str = "", limit: int = 20) -> list[OrganizationRecord]:
        with self.db.reading() as s:
            return directory.search_organizations(s, text, limit)

    def add_department(self, name: str, code: str | None = None) -> int:
        with self.db.writing() as s:
            return directory.add_department(s, self.actor, name, code).id

    def add_person(self, full_name: str, title: str | None = None, department_id: int | None = None) -> int:
        with self.db.writing() as s:
            return directory.add_person(s, self.actor, full_name, title, department_id).id

    def audit_events(self, entity: str | None = None, entity_id: int | None = None,
                     limit: int = 200) -> list[AuditRecord]:
        with self.db.reading() as s:
            return audit.events(s, entity, entity_id, limit)
