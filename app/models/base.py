"""Declarative base, naming convention (stable constraint names for Alembic) and shared column helpers."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import Enum, MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def enum_column(enum: type[StrEnum], name: str) -> Enum:
    """Store an enum as its value in a VARCHAR with a CHECK constraint: portable to SQLite and PostgreSQL."""
    return Enum(
        enum, name=name, native_enum=False, create_constraint=True, length=20,
        values_callable=lambda members: [m.value for m in members], validate_strings=True,
    )


def utcnow() -> datetime:
    """Naive UTC timestamp: the same meaning on SQLite (no time zones) and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)
