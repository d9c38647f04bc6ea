"""INSERT ... ON CONFLICT for the two supported engines (both speak it; SQLAlchemy spells it per dialect)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def dialect_insert(session: Session, model: Any) -> Any:
    """An insert() of the session's dialect, which offers on_conflict_do_update / _do_nothing."""
    name = session.get_bind().dialect.name
    if name == "sqlite":
        return sqlite.insert(model)
    if name == "postgresql":
        return postgresql.insert(model)
    raise RuntimeError(f"unsupported database engine: {name}")
