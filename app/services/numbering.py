"""Gapless numbering: the next số đến/số đi comes from a counter row updated in the record's own transaction."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.upsert import dialect_insert
from app.models import NumberSequence, RegisterBook


def take_next(session: Session, book: RegisterBook, period_key: str, scope_key: str) -> int:
    """Increment and return the counter of the book's series. Must run inside the write transaction that inserts
    the document.

    The upsert locks the counter row (PostgreSQL) or runs under the database write lock taken by BEGIN
    IMMEDIATE (SQLite) until commit, so concurrent clerks queue here. If anything later in the transaction
    fails, the increment rolls back with it: no number is ever skipped or given twice. The series is the
    kind of document (direction, category), not the book, so a new book continues the year's numbering.
    """
    insert = dialect_insert(session, NumberSequence)
    statement = (
        insert.values(direction=book.direction.value, category=book.category.value, period_key=period_key,
                      scope_key=scope_key, last_number=1)
        .on_conflict_do_update(
            index_elements=["direction", "category", "period_key", "scope_key"],
            set_={"last_number": NumberSequence.last_number + 1},
        )
        .returning(NumberSequence.last_number)
    )
    return int(session.execute(statement).scalar_one())


def peek_next(session: Session, book: RegisterBook, period_key: str, scope_key: str) -> int:
    """The number the next registration would get now (for display only; another clerk may take it first)."""
    last = session.scalar(select(NumberSequence.last_number).where(
        NumberSequence.direction == book.direction, NumberSequence.category == book.category,
        NumberSequence.period_key == period_key, NumberSequence.scope_key == scope_key))
    return (last or 0) + 1
