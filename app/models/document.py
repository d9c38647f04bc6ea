"""A register entry: one incoming or outgoing document with its number in a book (DOMAIN.md §6 fields)."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.enums import Authority, BookCategory, Direction, DocumentStatus, Secrecy, Urgency
from app.models.base import Base, enum_column, utcnow


class Document(Base):
    __tablename__ = "documents"
    __table_args__ = (
        # The last line of defence for the legal numbering: one number per book, period and sequence.
        UniqueConstraint("direction", "category", "period_key", "scope_key", "number"),
        # Lookups by "số đến N of year Y" and the Phụ lục VI duplicate check; composite so that SQLite picks
        # them over the single-column issuer index even before ANALYZE has gathered statistics.
        Index("ix_documents_direction_year_number", "direction", "year", "number"),
        Index("ix_documents_book_id", "book_id"),
        Index("ix_documents_direction_registered_on", "direction", "registered_on"),
        Index("ix_documents_reference_key_issued_on_issuer_id", "reference_key", "issued_on", "issuer_id"),
        # The register table's default order (newest number first within a book and year) read from the index
        # alone: listing a year of 1,000,000 entries never touches the rows.
        Index("ix_documents_listing", "direction", "category", "year", "number", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("register_books.id"))
    direction: Mapped[Direction] = mapped_column(enum_column(Direction, "direction"))
    category: Mapped[BookCategory] = mapped_column(enum_column(BookCategory, "category"))  # copied from the book
    period_key: Mapped[str] = mapped_column(String(30))
    scope_key: Mapped[str] = mapped_column(String(20))
    number: Mapped[int]  # số đến (incoming) or số đi (outgoing)
    registered_on: Mapped[date]  # ngày đến for incoming, ngày ký for outgoing: decides the period
    year: Mapped[int]

    # Incoming: when it arrived and who issued it (tác giả).
    received_on: Mapped[date | None]
    received_at: Mapped[time | None]
    issuer_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)

    # The document's own số and ký hiệu (built by the app for outgoing ones).
    reference: Mapped[str | None] = mapped_column(String(100))
    reference_key: Mapped[str | None] = mapped_column(String(100))
    doc_number: Mapped[int | None]
    notation: Mapped[str | None] = mapped_column(String(100))
    issued_on: Mapped[date | None]
    doc_type: Mapped[str] = mapped_column(String(100))
    subject: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(50), default="Tiếng Việt")
    urgency: Mapped[Urgency | None] = mapped_column(enum_column(Urgency, "urgency"))
    secrecy: Mapped[Secrecy | None] = mapped_column(enum_column(Secrecy, "secrecy"))
    pages: Mapped[int | None]
    copies: Mapped[int | None]  # số bản (incoming) / số lượng bản phát hành (outgoing)
    note: Mapped[str] = mapped_column(Text, default="")
    file_code: Mapped[str] = mapped_column(String(50), default="")  # số và ký hiệu hồ sơ
    status: Mapped[DocumentStatus] = mapped_column(enum_column(DocumentStatus, "status"))

    # Handling (filled by routing): who received it, the leader's directive, the deadline.
    recipient_text: Mapped[str | None] = mapped_column(String(255))
    directive: Mapped[str | None] = mapped_column(Text)
    due_on: Mapped[date | None]

    # Outgoing.
    signer: Mapped[str | None] = mapped_column(String(150))
    signer_title: Mapped[str | None] = mapped_column(String(150))
    authority: Mapped[Authority | None] = mapped_column(enum_column(Authority, "authority"))
    recipients: Mapped[list[str] | None] = mapped_column(JSON)
    drafting_unit: Mapped[str | None] = mapped_column(String(20))
    archive_holder: Mapped[str | None] = mapped_column(String(255))
    reply_due: Mapped[date | None]

    # Cancellation keeps the number and the row (ĐÃ HỦY); nothing is ever deleted.
    cancelled_at: Mapped[datetime | None]
    cancelled_by: Mapped[str | None] = mapped_column(String(100))
    cancel_reason: Mapped[str | None] = mapped_column(String(500))

    # Folded copy (no marks, đ→d, lower case) of the words a clerk searches by; indexed by FTS5 on SQLite.
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime | None] = mapped_column(onupdate=utcnow)
