"""Registry: the one object the UI and CLI talk to; each call is one transaction and returns plain records."""

from __future__ import annotations

import getpass
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from app.core.dates import today
from app.core.enums import BookCategory, Direction, Family, LinkType, NumberingScope
from app.core.errors import VanThuError
from app.core.records import (
    AuditRecord,
    BookRecord,
    DocumentQuery,
    DocumentRecord,
    IncomingInput,
    LinkRecord,
    OrganizationRecord,
    OutgoingInput,
)
from app.db.engine import Database, resolve_url
from app.db.migrate import HEAD_REVISION, current_revision, upgrade
from app.services import audit, books, directory, links, queries, registration, search
from app.services import settings as agency_settings

T = TypeVar("T")


def default_actor() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in some containers and services
        return "van_thu"


class Registry:
    """The register of one agency, on one database (SQLite file or PostgreSQL URL)."""

    def __init__(self, db: str | None = None, actor: str | None = None, migrate: bool = True):
        url = resolve_url(db)
        try:
            self.db = Database(url)
            if migrate:
                upgrade(self.db.engine)
        except (OSError, SQLAlchemyError) as exc:
            raise VanThuError(f"Không mở được cơ sở dữ liệu {url}: {exc}") from exc
        self.actor = actor or default_actor()

    @property
    def location(self) -> str:
        """Where the register is, for people (file path, or URL without password)."""
        return self.db.location

    def schema_revision(self) -> tuple[str | None, str]:
        """(revision of this database, newest revision this app knows)."""
        return current_revision(self.db.engine), HEAD_REVISION

    def _write(self, work: Callable[[Session], T]) -> T:
        """Run one write transaction. On PostgreSQL two clerks can race to create the same first row (a year's
        book); the loser's transaction is rolled back whole and is simply run again once."""
        for attempt in (1, 2):
            try:
                with self.db.writing() as session:
                    return work(session)
            except IntegrityError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

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
        return self._write(lambda s: agency_settings.set_setting(s, self.actor, key, value))

    # registration
    def register_incoming(self, data: IncomingInput, allow_duplicate: bool = False) -> DocumentRecord:
        return self._write(lambda s: registration.register_incoming(s, self.actor, data, allow_duplicate))

    def register_outgoing(self, data: OutgoingInput) -> DocumentRecord:
        return self._write(lambda s: registration.register_outgoing(s, self.actor, data))

    def cancel(self, doc_id: int, reason: str) -> DocumentRecord:
        return self._write(lambda s: registration.cancel_document(s, self.actor, doc_id, reason))

    def update(self, doc_id: int, changes: dict[str, Any], allow_duplicate: bool = False) -> DocumentRecord:
        return self._write(lambda s: registration.update_document(s, self.actor, doc_id, changes, allow_duplicate))

    def next_incoming_number(self, received_on: date, secret: bool = False) -> int:
        """The số đến the next incoming document would get (shown before saving; not reserved)."""
        # A write transaction: the first look at a year may open its book.
        return self._write(lambda s: registration.next_incoming_number(s, self.actor, received_on, secret))

    def next_outgoing_number(self, doc_type: str, signed_on: date, unit: str = "", secret: bool = False) -> int:
        return self._write(lambda s: registration.next_outgoing_number(s, self.actor, doc_type, signed_on, unit,
                                                                       secret))

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

    # search and the big table: ordered ids first, then rows by id in blocks
    def search_ids(self, query: DocumentQuery) -> list[int]:
        """Ids of the entries the query selects, in its order (cheap: read from indexes where possible)."""
        with self.db.reading() as s:
            return search.search_ids(s, query, today())

    def records(self, ids: Sequence[int]) -> list[DocumentRecord]:
        """The entries with these ids, in that order, without their links (for table rows)."""
        with self.db.reading() as s:
            return search.records_by_ids(s, ids)

    def search(self, query: DocumentQuery) -> list[DocumentRecord]:
        with self.db.reading() as s:
            return search.records_by_ids(s, search.search_ids(s, query, today()))

    # links
    def link(self, source_id: int, link_type: LinkType, target: int | str, target_issued_on: date | None = None,
             target_issuer: str | None = None) -> LinkRecord:
        return self._write(lambda s: links.add_link(s, self.actor, source_id, link_type, target, target_issued_on,
                                                    target_issuer))

    # books and directory
    def books(self) -> list[BookRecord]:
        with self.db.reading() as s:
            return books.list_books(s)

    def add_book(self, direction: Direction, category: BookCategory, scope: NumberingScope | None = None,
                 name: str | None = None, term_start: date | None = None, term_end: date | None = None,
                 book_number: int = 1, family: Family | None = None) -> BookRecord:
        def work(s: Session) -> BookRecord:
            kind = family or agency_settings.agency(s).family
            return books.to_record(books.add_book(s, self.actor, direction, category, kind,
                                                  scope or books.default_scope(direction, kind), name, term_start,
                                                  term_end, book_number))

        return self._write(work)

    def organizations(self, text: str = "", limit: int = 20) -> list[OrganizationRecord]:
        with self.db.reading() as s:
            return directory.search_organizations(s, text, limit)

    def add_department(self, name: str, code: str | None = None) -> int:
        return self._write(lambda s: directory.add_department(s, self.actor, name, code).id)

    def add_person(self, full_name: str, title: str | None = None, department_id: int | None = None) -> int:
        return self._write(lambda s: directory.add_person(s, self.actor, full_name, title, department_id).id)

    def audit_events(self, entity: str | None = None, entity_id: int | None = None,
                     limit: int = 200) -> list[AuditRecord]:
        with self.db.reading() as s:
            return audit.events(s, entity, entity_id, limit)
