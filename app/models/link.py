"""Typed links between documents, or from a document to a cited reference not registered yet."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.enums import LinkType
from app.models.base import Base, enum_column, utcnow


class DocumentLink(Base):
    """source --link_type--> target; e.g. a cover letter 'forwards' its parent. target_id is NULL until resolved."""

    __tablename__ = "document_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    link_type: Mapped[LinkType] = mapped_column(enum_column(LinkType, "link_type"))
    target_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), index=True)
    # What the citing text says, kept even after resolution: "1737-TB/VPTU ngày 22/9/2023, Văn phòng Tỉnh ủy".
    target_reference: Mapped[str | None] = mapped_column(String(100))
    target_reference_key: Mapped[str | None] = mapped_column(String(100), index=True)
    target_issued_on: Mapped[date | None]
    target_issuer: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))
