"""On open: re-create the protective triggers a register lacks, with an audit event and a notice for the clerk."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.db import guards
from app.db.engine import Database
from app.services import audit


def _repair(session: Session, actor: str) -> list[guards.GuardProblem]:
    # Checked again under the write lock: another clerk opening the same register may have repaired it already.
    problems = guards.missing_or_altered(session.connection())
    if problems:
        guards.repair(session.connection(), problems)
        # After the repair, so the event itself passes audit_hash_required again.
        audit.record(session, actor, "repair", "guards", None,
                     before={"missing": [p.name for p in problems if p.state == guards.MISSING],
                             "altered": [p.name for p in problems if p.state == guards.ALTERED]},
                     after={"repaired": [p.name for p in problems]})
    return problems


def ensure(db: Database, actor: str) -> str | None:
    """Repair every missing or altered guard in one write transaction; returns the start-up notice (None when
    all were in place, the common case, which costs one read of the schema)."""
    with db.reading() as session:
        if not guards.missing_or_altered(session.connection()):
            return None
    with db.writing() as session:
        problems = _repair(session, actor)
    if not problems:
        return None
    return f"Sổ {guards.describe(problems)}; chương trình đã tạo lại và ghi vào nhật ký."
