"""Scanned files attached to a register entry; the bytes live in the data folder, named by their hash."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow


class Attachment(Base):
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(255))  # the name the clerk chose, shown in the list
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    added_by: Mapped[str] = mapped_column(String(100))
    # Attachments are detached, not deleted: the file stays in the store and the row keeps the history.
    removed_at: Mapped[datetime | None]
    removed_by: Mapped[str | None] = mapped_column(String(100))
    # The file's own text (its PDF text layer, or what text recognition read), zlib-compressed UTF-8: the entry's
    # searchable body is rebuilt from these when an attachment comes off, without reading any file again.
    text_z: Mapped[bytes | None] = mapped_column(LargeBinary)
    text_source: Mapped[str | None] = mapped_column(String(10))  # "layer" or "ocr"; None: no text was read
    text_confidence: Mapped[float | None]  # mean word confidence of the recognition, 0–100
    # The searchable PDF made from a scan points at the scan (its text is the scan's, not indexed twice).
    derived_from_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"))
