"""Tamper-evident audit trail: prev_hash and hash on every event, the existing events chained in id order.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 02:30:00

"""
import hashlib
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | Sequence[str] | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copy of app.services.audit.event_hash (version 1): a migration must not change meaning with the app.
GENESIS = "0" * 64
BATCH = 2000

_events = sa.table(
    "audit_events",
    sa.column("id", sa.Integer), sa.column("at", sa.DateTime), sa.column("actor", sa.String),
    sa.column("action", sa.String), sa.column("entity", sa.String), sa.column("entity_id", sa.Integer),
    sa.column("before", sa.JSON), sa.column("after", sa.JSON),
    sa.column("prev_hash", sa.String), sa.column("hash", sa.String),
)

_UPDATE_GUARD = ("audit_no_update", "BEFORE UPDATE", "the audit log is append-only")
# New rows must come with their place in the chain, and on PostgreSQL TRUNCATE (no row triggers) is refused too.
_INSERT_GUARD = ("audit_hash_required", "BEFORE INSERT", "NEW.hash IS NULL OR NEW.prev_hash IS NULL",
                 "an audit event must carry its chain hashes")
_TRUNCATE_GUARD = "audit_no_truncate"


def _hash(prev_hash: str, at: datetime, actor: str, action: str, entity: str, entity_id: int | None,
          before: Any, after: Any) -> str:
    payload = {"v": 1, "prev_hash": prev_hash, "at": at.isoformat(timespec="microseconds"), "actor": actor,
               "action": action, "entity": entity, "entity_id": entity_id, "before": before, "after": after}
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _trigger(name: str, timing: str, condition: str | None, message: str) -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        when = f" WHEN {condition}" if condition else ""
        op.execute(f"CREATE TRIGGER {name} {timing} ON audit_events FOR EACH ROW{when} "
                   f"BEGIN SELECT RAISE(ABORT, '{message}'); END")
    elif dialect == "postgresql":
        when = f" WHEN ({condition})" if condition else ""
        op.execute(f"CREATE TRIGGER {name} {timing} ON audit_events FOR EACH ROW{when} "
                   f"EXECUTE FUNCTION vanthu_refuse('{message}')")


def _drop_trigger(name: str) -> None:
    on = " ON audit_events" if op.get_bind().dialect.name == "postgresql" else ""
    op.execute(f"DROP TRIGGER IF EXISTS {name}{on}")


def _backfill() -> None:
    bind = op.get_bind()
    prev, last_id = GENESIS, 0
    while True:
        rows = bind.execute(sa.select(_events).where(_events.c.id > last_id).order_by(_events.c.id)
                            .limit(BATCH)).all()
        if not rows:
            return
        updates = []
        for row in rows:
            digest = _hash(prev, row.at, row.actor, row.action, row.entity, row.entity_id, row.before, row.after)
            updates.append({"row_id": row.id, "prev_hash": prev, "hash": digest})
            prev, last_id = digest, row.id
        bind.execute(_events.update().where(_events.c.id == sa.bindparam("row_id"))
                     .values(prev_hash=sa.bindparam("prev_hash"), hash=sa.bindparam("hash")), updates)


def upgrade() -> None:
    # Plain ALTER, never a batch copy of the table: that would drop the guard triggers of 0001.
    op.add_column('audit_events', sa.Column('prev_hash', sa.String(length=64), nullable=True))
    op.add_column('audit_events', sa.Column('hash', sa.String(length=64), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        # Nobody appends while the existing events are chained (the app takes the same lock to append).
        op.execute("SELECT pg_advisory_xact_lock(94838487009365)")  # app.services.audit.PG_LOCK_KEY
    name, timing, message = _UPDATE_GUARD
    _drop_trigger(name)
    _backfill()
    _trigger(name, timing, None, message)
    _trigger(*_INSERT_GUARD)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE TRIGGER {_TRUNCATE_GUARD} BEFORE TRUNCATE ON audit_events FOR EACH STATEMENT "
                   "EXECUTE FUNCTION vanthu_refuse('the audit log is append-only')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _drop_trigger(_TRUNCATE_GUARD)
    _drop_trigger(_INSERT_GUARD[0])
    op.drop_column('audit_events', 'hash')
    op.drop_column('audit_events', 'prev_hash')
