"""edXML messages received into, or sent from, the register: each one's file, its DocumentId and its header."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow

RECEIVED, SENT, STATUS, REFUSED = "received", "sent", "status", "refused"


class EdxmlMessage(Base):
    """One message as it came or went: append-only, the legal trace of the exchange (NĐ 30 Điều 21, 26)."""

    __tablename__ = "edxml_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The entry it registered (received), came from (sent) or is about (status); none for a message refused
    # before it was registered.
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # received, sent, status, refused
    message_id: Mapped[str] = mapped_column(String(255), index=True, default="")  # its DocumentId
    organ_id: Mapped[str] = mapped_column(String(50), default="")  # the other side: the sender, or who we answer
    status_code: Mapped[str | None] = mapped_column(String(4))
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    header: Mapped[dict] = mapped_column(JSON)  # everything but the attachments' bytes (app.edxml.message)
    note: Mapped[str] = mapped_column(String(1000), default="")  # a refusal's reason
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))
