"""Alembic driven from code: create or upgrade a database to the newest schema."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, inspect, text

from app.core.errors import VanThuError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
# The newest revision in migrations/versions (a test keeps it equal to Alembic's head). Knowing it without
# importing Alembic saves a third of a second on every command when the schema is already current.
HEAD_REVISION = "0010"


def include_name(name: str | None, type_: str, _parents: object) -> bool:
    """What autogenerate compares: not the FTS5 indexes and their shadow tables, which no model describes."""
    return not (type_ == "table" and (name or "").startswith(("documents_fts", "bodies_fts")))


class GuardWatch:
    """Run by Alembic after each upgrade step, inside that step's transaction (migrations/env.py): a step that
    loses a protective trigger that was there, or does not create one it introduces (app.db.guards), fails and is
    rolled back. The classic way to lose one: a batch ALTER on SQLite copies the table without its triggers.
    Only presence is checked between steps, since a trigger may legitimately change in a later revision; its exact
    definition is held by the test that compares a fresh register with app.db.guards."""

    def __init__(self, engine: Engine, revision: str | None):
        from app.db import guards

        self.present: set[str] = set()  # by name: guards in the database before the next step
        if revision is not None:
            with engine.connect() as conn:
                missing = {p.name for p in guards.missing_or_altered(conn, revision) if p.state == guards.MISSING}
            self.present = set(guards.expected(engine.dialect.name, revision)) - missing

    def __call__(self, *, ctx: Any, step: Any, heads: Any, run_args: Any) -> None:
        from app.db import guards

        if not step.is_upgrade or step.up_revision_id is None:
            return
        revision, conn = step.up_revision_id, ctx.connection
        created = guards.created_by(conn.dialect.name, revision)
        lost = [p for p in guards.missing_or_altered(conn, revision)
                if p.state == guards.MISSING and p.name in self.present | created]
        if lost:
            raise VanThuError(f"Bước nâng cấp lược đồ {revision} làm sổ {guards.describe(lost)}; bước này không "
                              "được ghi. Đây là lỗi của chương trình: hãy báo cho người phát triển.")
        self.present = (self.present | created) - guards.retired_by(revision)


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    config.attributes["engine"] = engine
    return config


def head_revision(engine: Engine) -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, before_upgrading: Callable[[str], object] | None = None) -> tuple[str | None, str]:
    """Bring the schema to head; returns (revision before, revision after). Cheap when already current.
    `before_upgrading(revision)` runs first when an existing database is about to change (the backup)."""
    before = current_revision(engine)
    if before != HEAD_REVISION:
        if before is not None and before_upgrading is not None:
            before_upgrading(before)
        from alembic import command
        from alembic.util import CommandError

        config = alembic_config(engine)
        config.attributes["on_version_apply"] = [GuardWatch(engine, before)]
        try:
            command.upgrade(config, "head")
        except CommandError as exc:
            raise VanThuError(f"Không nâng cấp được cơ sở dữ liệu (phiên bản lược đồ {before}): {exc}. "
                              "Có thể dữ liệu do một phiên bản mới hơn của chương trình tạo ra.") from exc
    return before, HEAD_REVISION
