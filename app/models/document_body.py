"""The folded whole text of an entry's attachments, kept beside the entry so full-text search reads the body too."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class DocumentBody(Base):
    __tablename__ = "document_bodies"

    # One row per entry, made by a trigger when the entry is registered; the body is empty until a readable file
    # is attached.
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    # The entry's own search text again (kept equal by a trigger on documents): a query whose words fall partly
    # in the trích yếu and partly in the body still matches one row of the body index.
    entry: Mapped[str] = mapped_column(Text, default="", server_default="")
    body: Mapped[str] = mapped_column(Text, default="", server_default="")  # folded: marks off, đ→d, lower case
