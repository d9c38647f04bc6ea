"""Writing and reading the audit trail; every service that changes data calls record()."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.records import AuditRecord, jsonable
from app.models import AuditEvent


def record(session: Session, actor: str, action: str, entity: str, entity_id: int | None,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
    """Append one event in the caller's transaction, so the change and its trace commit or fail together."""
    session.add(AuditEvent(actor=actor, action=action, entity=entity, entity_id=entity_id,
                           before=jsonable(before), after=jsonable(after)))


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that differ, so an edit's audit entry says what changed and nothing else."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def events(session: Session, entity: str | None = None, entity_id: int | None = None,
           limit: int = 200) -> list[AuditRecord]:
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if entity:
        query = query.where(AuditEvent.entity == entity)
    if entity_id is not None:
        query = query.where(AuditEvent.entity_id == entity_id)
    return [AuditRecord(e.id, e.at, e.actor, e.action, e.entity, e.entity_id, e.before, e.after)
            for e in session.scalars(query)]
