"""Alembic on PostgreSQL: an empty database becomes the full schema, equal to the models, and back again.

The SQLite side of the same checks is tests/services/test_migrations.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from app.db.engine import Database
from app.db.migrate import alembic_config, current_revision, head_revision, include_name, upgrade
from app.models import Base
from tests.pg_server import PostgresServer

GUARDS = {"documents_no_delete", "documents_number_fixed", "sequences_no_rewind", "audit_no_update"}


@pytest.fixture
def empty_db(postgres: PostgresServer) -> Iterator[Database]:
    name, url = postgres.empty_database()
    db = Database(url)
    yield db
    db.dispose()
    postgres.drop_database(name)


def _tables_and_triggers(db: Database) -> tuple[set[str], set[str]]:
    with db.engine.connect() as conn:
        tables = set(conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars())
        triggers = set(conn.execute(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")).scalars())
    return tables, triggers


def test_empty_postgres_database_is_migrated_to_the_models_and_back(empty_db: Database) -> None:
    assert current_revision(empty_db.engine) is None
    assert upgrade(empty_db.engine) == (None, head_revision(empty_db.engine))
    with empty_db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": include_name})
        assert compare_metadata(context, Base.metadata) == []
    assert upgrade(empty_db.engine) == (head_revision(empty_db.engine), head_revision(empty_db.engine))
    tables, triggers = _tables_and_triggers(empty_db)
    assert {"documents", "number_sequences", "audit_events"} <= tables and GUARDS <= triggers
    command.downgrade(alembic_config(empty_db.engine), "base")
    assert _tables_and_triggers(empty_db) == ({"alembic_version"}, set())
    upgrade(empty_db.engine)
    assert current_revision(empty_db.engine) == head_revision(empty_db.engine)
