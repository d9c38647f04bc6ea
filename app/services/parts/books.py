"""registry.books: the register books (sổ đăng ký), their numbering scope and term, opening and closing them."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from app.core.access import Permission
from app.core.enums import BookCategory, Direction, Family, NumberingScope
from app.core.records import BookRecord
from app.services import books
from app.services import settings as agency_settings
from app.services.parts.base import Part, requires


class Books(Part):
    """Each book numbers its entries from 1; a closed book is never written again."""

    @requires(Permission.VIEW)
    def list(self) -> list[BookRecord]:
        with self._session.reading() as s:
            return books.list_books(s)

    @requires(Permission.SETTINGS)
    def add(self, direction: Direction, category: BookCategory, scope: NumberingScope | None = None,
            name: str | None = None, term_start: date | None = None, term_end: date | None = None,
            book_number: int = 1, family: Family | None = None) -> BookRecord:
        def work(s: Session) -> BookRecord:
            kind = family or agency_settings.agency(s).family
            return books.to_record(books.add_book(s, self._actor, direction, category, kind,
                                                  scope or books.default_scope(direction, kind), name, term_start,
                                                  term_end, book_number))

        return self._session.write(work)

    @requires(Permission.SETTINGS)
    def close(self, book_id: int) -> BookRecord:
        """Close a book by hand; the next registration of its kind opens a new one."""
        return self._session.write(lambda s: books.close_book_by_id(s, self._actor, book_id))
