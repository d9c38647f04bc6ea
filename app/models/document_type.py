"""The agency's list of document types (tên loại) and their abbreviations in ký hiệu, editable in settings."""

from __future__ import annotations

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.enums import Family
from app.models.base import Base, enum_column


class DocumentType(Base):
    __tablename__ = "document_types"
    __table_args__ = (UniqueConstraint("family", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    family: Mapped[Family] = mapped_column(enum_column(Family, "family"))
    name: Mapped[str] = mapped_column(String(100))
    name_key: Mapped[str] = mapped_column(String(100))  # folded name: "cong van"
    # None: numbered without a type abbreviation (a state công văn carries the drafting unit instead).
    abbreviation: Mapped[str | None] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(default=True)
