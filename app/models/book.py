"""Register books (sổ) and the number sequences they hand out."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.enums import BookCategory, Direction, Family, NumberingPeriod, NumberingScope
from app.models.base import Base, enum_column, utcnow


class RegisterBook(Base):
    """A sổ: which documents it holds and how it numbers them (per year or per Party term; one or per-type)."""

    __tablename__ = "register_books"
    # One open book per kind, even when two clerks register the first document of a kind at once.
    __table_args__ = (Index("uq_register_books_open_kind", "direction", "category", unique=True,
                            sqlite_where=text("closed = 0"), postgresql_where=text("NOT closed")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    direction: Mapped[Direction] = mapped_column(enum_column(Direction, "direction"))
    category: Mapped[BookCategory] = mapped_column(enum_column(BookCategory, "category"))
    family: Mapped[Family] = mapped_column(enum_column(Family, "family"))
    period: Mapped[NumberingPeriod] = mapped_column(enum_column(NumberingPeriod, "period"))
    scope: Mapped[NumberingScope] = mapped_column(enum_column(NumberingScope, "scope"))
    term_start: Mapped[date | None]
    term_end: Mapped[date | None]
    book_number: Mapped[int] = mapped_column(default=1)
    closed: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class NumberSequence(Base):
    """Last number given in one series: a kind of document (direction, category), a period and a scope.

    Not per book: when quyển số 2 is opened mid-year, or the agency's family changes, numbering goes on
    from where the year stands. Its row is locked by the registering transaction.
    """

    __tablename__ = "number_sequences"
    __table_args__ = (UniqueConstraint("direction", "category", "period_key", "scope_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    direction: Mapped[Direction] = mapped_column(enum_column(Direction, "direction"))
    category: Mapped[BookCategory] = mapped_column(enum_column(BookCategory, "category"))
    period_key: Mapped[str] = mapped_column(String(30))
    scope_key: Mapped[str] = mapped_column(String(20))
    last_number: Mapped[int] = mapped_column(default=0)
