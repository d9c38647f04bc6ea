"""Alembic environment: runs on the engine handed over by app.db.migrate (or the URL in the config)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from app.db.migrate import include_name
from app.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine") or create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",  # SQLite needs table copies for ALTERs
            compare_type=True,
            include_name=include_name,
            # app.db.migrate.GuardWatch on an upgrade: each step must keep the protective triggers.
            on_version_apply=config.attributes.get("on_version_apply", ()),
        )
        with context.begin_transaction():
            context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
