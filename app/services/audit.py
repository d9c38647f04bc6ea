"""Writing, reading and verifying the audit trail; every service that changes data calls record().

The trail is a hash chain. Each event stores prev_hash (the hash of the event before it in id order, GENESIS for
the first) and hash = event_hash(...): the hex SHA-256 of the UTF-8 canonical JSON (sorted keys, no spaces,
ensure_ascii=False) of {"v": 1, "prev_hash", "at" (naive UTC, ISO 8601 with microseconds), "actor", "action",
"entity", "entity_id", "before", "after"}. The id is not hashed (it is assigned by the database at insert); the
order is, through prev_hash. Editing a row breaks its own hash, deleting or inserting one breaks the next row's
link. Deleting the newest rows leaves a shorter valid chain: note the count and last hash verify() reports to
detect that too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, exists, func, or_, select, text
from sqlalchemy.orm import Session

from app.core.records import AuditRecord, JsonRecord, jsonable
from app.db.engine import WRITE_LOCK_KEY
from app.models import AuditEvent, Document
from app.models.base import utcnow
from app.services import visibility

GENESIS = "0" * 64
HASH_VERSION = 1
# The register's write lock (app.db.engine takes it at the start of every write transaction; re-entrant).
PG_LOCK_KEY = WRITE_LOCK_KEY
VERIFY_BLOCK = 5000
_TIP = "audit_chain_tip"


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _stored(value: dict[str, Any] | None) -> Any:
    """The value exactly as it comes back from the JSON column (tuples as lists, keys as strings...)."""
    return None if value is None else json.loads(canonical(jsonable(value)))


def event_hash(prev_hash: str | None, at: datetime, actor: str, action: str, entity: str, entity_id: int | None,
               before: Any, after: Any) -> str:
    payload = {"v": HASH_VERSION, "prev_hash": prev_hash, "at": at.isoformat(timespec="microseconds"),
               "actor": actor, "action": action, "entity": entity, "entity_id": entity_id,
               "before": before, "after": after}
    return hashlib.sha256(canonical(payload).encode("utf-8")).hexdigest()


def _chain_tip(session: Session) -> str:
    """The hash of the newest event, read in the caller's transaction after taking the chain's lock."""
    transaction = session.get_transaction()
    cached = session.info.get(_TIP)
    if cached is not None:
        owner, last = cached
        # Still valid when this transaction wrote the last event and no savepoint rollback expunged it.
        if owner is transaction and last in session and last.hash:
            return str(last.hash)
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        # Held to commit: two clerks appending at once get one after the other, never the same prev_hash.
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LOCK_KEY})
    # On SQLite the write transaction began with BEGIN IMMEDIATE (app.db.engine), so it already holds the lock.
    tip = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    return tip or GENESIS


def record(session: Session, actor: str, action: str, entity: str, entity_id: int | None,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
    """Append one event in the caller's transaction, so the change and its trace commit or fail together.

    Actions in use: create, edit, cancel, link, route, settings, ...; "print" (printing a secret document) and
    "sign_in" are for the users feature and need nothing more than this call."""
    prev = _chain_tip(session)
    at = utcnow()
    stored_before, stored_after = _stored(before), _stored(after)
    event = AuditEvent(at=at, actor=actor, action=action, entity=entity, entity_id=entity_id,
                       before=stored_before, after=stored_after, prev_hash=prev,
                       hash=event_hash(prev, at, actor, action, entity, entity_id, stored_before, stored_after))
    session.add(event)  # the unit of work inserts a mapper's rows in the order added: ids follow the chain
    session.info[_TIP] = (session.get_transaction(), event)


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that differ, so an edit's audit entry says what changed and nothing else."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def local_day_start(day: date) -> datetime:
    """Midnight of a local calendar day as the naive UTC the trail stores."""
    return datetime.combine(day, time.min).astimezone().astimezone(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class AuditFilter:
    """What to show of the trail; dates are local calendar days, both ends included."""

    actor: str | None = None  # part of the user name, any case
    action: str | None = None
    entity: str | None = None
    entity_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None


def _filtered(session: Session, query: Select[Any], where: AuditFilter) -> Select[Any]:
    if visibility.restricted(session):
        # Events about an entry the user may not see are left out: the Document in this subquery is filtered
        # by the user's visibility (app.services.visibility), so the entry "does not exist" for them here too.
        query = query.where(or_(AuditEvent.entity != "document", AuditEvent.entity_id.is_(None),
                                exists(select(Document.id).where(Document.id == AuditEvent.entity_id))))
    organization = visibility.visible_organization(session, AuditEvent.entity_id)
    if organization is not None:
        # So are events about an issuer only secret documents name ("create organization …"), until an ordinary
        # document names it (app.services.directory keeps the flag the condition reads).
        query = query.where(or_(AuditEvent.entity != "organization", AuditEvent.entity_id.is_(None), organization))
    if where.actor:
        query = query.where(func.lower(AuditEvent.actor).contains(where.actor.strip().lower(), autoescape=True))
    if where.action:
        query = query.where(AuditEvent.action == where.action)
    if where.entity:
        query = query.where(AuditEvent.entity == where.entity)
    if where.entity_id is not None:
        query = query.where(AuditEvent.entity_id == where.entity_id)
    if where.date_from:
        query = query.where(AuditEvent.at >= local_day_start(where.date_from))
    if where.date_to:
        query = query.where(AuditEvent.at < local_day_start(where.date_to + timedelta(days=1)))
    return query


def events(session: Session, entity: str | None = None, entity_id: int | None = None, limit: int = 200,
           offset: int = 0, where: AuditFilter | None = None) -> list[AuditRecord]:
    """Newest first."""
    where = where or AuditFilter()
    if entity or entity_id is not None:
        where = AuditFilter(where.actor, where.action, entity or where.entity,
                            entity_id if entity_id is not None else where.entity_id, where.date_from, where.date_to)
    query = _filtered(session, select(AuditEvent), where).order_by(AuditEvent.id.desc()).limit(limit).offset(offset)
    return [AuditRecord(e.id, e.at, e.actor, e.action, e.entity, e.entity_id, e.before, e.after)
            for e in session.scalars(query)]


def count(session: Session, where: AuditFilter | None = None) -> int:
    return session.scalar(_filtered(session, select(func.count(AuditEvent.id)), where or AuditFilter())) or 0


def actions(session: Session) -> list[str]:
    """The kinds of event present, for a filter list."""
    return list(session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


@dataclass(frozen=True)
class AuditCheck(JsonRecord):
    """The result of verify(): ok with the number of events, or the first broken link."""

    ok: bool
    count: int  # events checked and found sound
    last_id: int | None  # the newest sound event, and its hash: note them to detect a later cut of the tail
    last_hash: str | None
    broken_id: int | None = None
    problem: str | None = None  # "altered" | "unlinked" | "unhashed"
    message: str = ""


def _broken(count: int, last_id: int | None, last_hash: str | None, event_id: int, problem: str,
            why: str) -> AuditCheck:
    return AuditCheck(False, count, last_id, last_hash, event_id, problem,
                      f"Nhật ký bị sửa tại mục #{event_id}: {why}")


def verify(session: Session, block: int = VERIFY_BLOCK,
           progress: Callable[[int], None] | None = None) -> AuditCheck:
    """Walk the chain in id order, a block of rows at a time, and stop at the first broken link."""
    columns = (AuditEvent.id, AuditEvent.at, AuditEvent.actor, AuditEvent.action, AuditEvent.entity,
               AuditEvent.entity_id, AuditEvent.before, AuditEvent.after, AuditEvent.prev_hash, AuditEvent.hash)
    expected, last_id, checked = GENESIS, None, 0
    while True:
        query = select(*columns).order_by(AuditEvent.id).limit(block)
        if last_id is not None:
            query = query.where(AuditEvent.id > last_id)
        rows = session.execute(query).all()
        if not rows:
            break
        for row in rows:
            tip = None if last_id is None else expected
            if not row.hash or not row.prev_hash:
                return _broken(checked, last_id, tip, row.id, "unhashed",
                               "mục này không có mã băm (được ghi thẳng vào cơ sở dữ liệu, không qua chương trình)")
            actual = event_hash(row.prev_hash, row.at, row.actor, row.action, row.entity, row.entity_id,
                                row.before, row.after)
            if actual != row.hash:
                return _broken(checked, last_id, tip, row.id, "altered",
                               "nội dung của mục không còn khớp mã băm của nó (mục đã bị sửa)")
            if row.prev_hash != expected:
                why = ("mục đầu tiên không nối với điểm khởi đầu của nhật ký (các mục trước nó đã bị xóa)"
                       if last_id is None else
                       f"mục không nối tiếp mục #{last_id} (có mục bị xóa hoặc chèn vào giữa, "
                       f"hoặc mục #{last_id} đã bị sửa)")
                return _broken(checked, last_id, tip, row.id, "unlinked", why)
            expected, last_id, checked = row.hash, row.id, checked + 1
        if progress is not None:
            progress(checked)
    return AuditCheck(True, checked, last_id, expected if last_id is not None else None,
                      message=f"Nhật ký nguyên vẹn: {checked} mục")
