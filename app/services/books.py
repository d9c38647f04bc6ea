"""Register books: the default book for a kind of document, its numbering period and sequence key."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.dates import format_date
from app.core.enums import BookCategory, Direction, Family, NumberingPeriod, NumberingScope
from app.core.errors import NotFoundError, ValidationError
from app.core.records import BookRecord
from app.core.text import clean
from app.models import RegisterBook
from app.services import audit

_DEFAULT_NAMES = {
    (Direction.INCOMING, BookCategory.ORDINARY): "Sổ đăng ký văn bản đến",
    (Direction.INCOMING, BookCategory.SECRET): "Sổ đăng ký văn bản đến (mật)",
    (Direction.OUTGOING, BookCategory.ORDINARY): "Sổ đăng ký văn bản đi",
    (Direction.OUTGOING, BookCategory.SECRET): "Sổ đăng ký văn bản đi (mật)",
    (Direction.COPY, BookCategory.ORDINARY): "Sổ đăng ký bản sao văn bản",
    (Direction.COPY, BookCategory.SECRET): "Sổ đăng ký bản sao văn bản (mật)",
}


def to_record(book: RegisterBook) -> BookRecord:
    return BookRecord(book.id, book.name, book.direction, book.category, book.family, book.period, book.scope,
                      book.term_start, book.term_end, book.book_number, book.closed)


def default_scope(direction: Direction, family: Family) -> NumberingScope:
    # State outgoing: one sequence for the year (NĐ 30 Điều 15). Party outgoing: one per type (HD 36).
    if direction is Direction.OUTGOING and family is Family.PARTY:
        return NumberingScope.PER_TYPE
    return NumberingScope.SINGLE


def open_book(session: Session, actor: str, direction: Direction, category: BookCategory,
              family: Family) -> RegisterBook:
    """The open book for this kind of document; the first registration of a kind creates it, and so does a
    change of the agency's family (state/Party), whose books number differently."""
    book = session.scalars(select(RegisterBook).where(
        RegisterBook.direction == direction, RegisterBook.category == category, RegisterBook.closed.is_(False))
    ).first()
    if book is not None and book.family is family:
        return book
    return add_book(session, actor, direction, category, family, default_scope(direction, family))


def add_book(session: Session, actor: str, direction: Direction, category: BookCategory, family: Family,
             scope: NumberingScope, name: str | None = None, term_start: date | None = None,
             term_end: date | None = None, book_number: int = 1) -> RegisterBook:
    """Create a book; one open book per kind, so opening a new one closes the previous one. Numbering goes on
    across books of a kind within a period (the sequence belongs to the kind, not to the book)."""
    if term_start and not (direction is Direction.OUTGOING and family is Family.PARTY):
        raise ValidationError.single("term", "Nhiệm kỳ", "chỉ sổ văn bản đi của cơ quan Đảng mới đánh số theo "
                                     "nhiệm kỳ; các sổ khác đánh số lại từ 01 mỗi ngày 01 tháng 01 (NĐ 30).")
    if name and len(clean(name)) > 255:
        raise ValidationError.single("name", "Tên sổ", f"dài {len(clean(name))} ký tự, tối đa 255 ký tự.")
    if (term_start is None) != (term_end is None):
        raise ValidationError.single("term", "Nhiệm kỳ", "cần cả ngày bắt đầu và ngày kết thúc.")
    if term_start and term_end and term_end <= term_start:
        raise ValidationError.single("term", "Nhiệm kỳ",
                                     f"ngày kết thúc {format_date(term_end)} không sau ngày bắt đầu.")
    for previous in session.scalars(select(RegisterBook).where(
            RegisterBook.direction == direction, RegisterBook.category == category, RegisterBook.closed.is_(False))):
        close_book(session, actor, previous)
    session.flush()  # the close must reach the database before the new open book (unique open book per kind)
    book = RegisterBook(
        name=clean(name) or _DEFAULT_NAMES[(direction, category)], direction=direction, category=category,
        family=family, scope=scope, period=NumberingPeriod.TERM if term_start else NumberingPeriod.CALENDAR_YEAR,
        term_start=term_start, term_end=term_end, book_number=book_number, closed=False,
    )
    session.add(book)
    session.flush()
    audit.record(session, actor, "create", "book", book.id, None, to_record(book).to_dict())
    return book


def close_book(session: Session, actor: str, book: RegisterBook) -> None:
    if not book.closed:
        book.closed = True
        audit.record(session, actor, "close", "book", book.id, {"closed": False}, {"closed": True})


def close_book_by_id(session: Session, actor: str, book_id: int) -> BookRecord:
    """Close a book by hand (end of a quyển); the next registration of its kind opens a new one."""
    book = session.get(RegisterBook, book_id)
    if book is None:
        raise NotFoundError(f"Không có sổ mã {book_id}.")
    close_book(session, actor, book)
    session.flush()
    return to_record(book)


def period_key(book: RegisterBook, on: date, field: str, label: str) -> str:
    """Numbering restarts each 1 January, or once per Party term for a term book."""
    if book.period is NumberingPeriod.CALENDAR_YEAR:
        return str(on.year)
    assert book.term_start and book.term_end
    if not book.term_start <= on <= book.term_end:
        raise ValidationError.single(field, label, (
            f"{format_date(on)} nằm ngoài nhiệm kỳ của {book.name} "
            f"({format_date(book.term_start)}–{format_date(book.term_end)})."))
    return f"{book.term_start.year}-{book.term_end.year}"


def list_books(session: Session) -> list[BookRecord]:
    return [to_record(b) for b in session.scalars(select(RegisterBook).order_by(RegisterBook.id))]
