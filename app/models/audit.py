"""The audit trail: one append-only row per change, with the record before and after, chained by hashes.

Each row carries the SHA-256 of the row before it (prev_hash) and its own hash over prev_hash and its content
(see app.services.audit.event_hash), so altering, deleting or inserting a row breaks the chain at that row."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Hex SHA-256. Nullable only because SQLite cannot add a NOT NULL column without copying the table (which
    # would drop the guard triggers); a trigger refuses new rows without them, and verify() flags old ones.
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))
