"""Engines and sessions: where the database is, SQLite pragmas, and write transactions that lock early."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import platformdirs
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from app.db.read_only import ReadOnly
from app.db.read_only import connect as read_only_connect

# The register's write lock on PostgreSQL (any constant; the audit chain takes the same one, re-entrantly).
WRITE_LOCK_KEY = 0x5641_4E54_4855  # "VANTHU"

DB_ENV = "VANTHU_DB"
BUSY_TIMEOUT_MS = 30_000
_WRITE = "vanthu_write"


def default_db_path() -> Path:
    """The embedded register file in the user's data folder (AppData on Windows, ~/.local/share on Linux)."""
    return Path(platformdirs.user_data_dir("SoVanThu", appauthor=False)) / "sovanthu.sqlite3"


def resolve_url(db: str | None = None) -> str:
    """--db value (a path or an SQLAlchemy URL), else $VANTHU_DB, else the default file, as a URL."""
    value = db or os.environ.get(DB_ENV) or str(default_db_path())
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def open_engine(url: str, read_only: ReadOnly | None = None) -> Engine:
    """Create the engine; for SQLite: WAL, foreign keys, a busy timeout, and our own BEGIN statements. A register
    that cannot be written (app.db.read_only) is opened through a read-only URI, its journal mode left alone."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if read_only is not None and parsed.database:
        path = Path(parsed.database)
        # The URL stays the plain file (backups, attachments and messages name the file); the connection differs.
        engine = create_engine(url, creator=lambda: read_only_connect(path, read_only, BUSY_TIMEOUT_MS / 1000))
    else:
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        # Let SQLAlchemy, not pysqlite, decide when transactions begin (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if read_only is None:  # switching a read-only register to WAL would be a write
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        # FULL: a committed registration survives a power cut, not only a crash of the app.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        # A write transaction takes the write lock at BEGIN. A deferred one that reads the sequence and then
        # writes can fail with SQLITE_BUSY when another clerk commits in between; busy_timeout cannot help it.
        immediate = conn.get_execution_options().get(_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class Database:
    """One engine and its session factories; read and write sessions are separate on purpose."""

    def __init__(self, url: str, read_only: ReadOnly | None = None):
        self.url = url
        self.read_only = read_only
        self.engine = open_engine(url, read_only)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self.engine.execution_options(**{_WRITE: True}), expire_on_commit=False)

    @property
    def session_factories(self) -> tuple[sessionmaker[Session], sessionmaker[Session]]:
        """Both factories (read, write), for listeners that must see every session (app.services.visibility)."""
        return self._read, self._write

    @property
    def location(self) -> str:
        """Where the data is, for people: the file path, or the URL without its password."""
        url = self.engine.url
        return url.database or "" if url.get_backend_name() == "sqlite" else url.render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A write transaction: commits on success, rolls back everything on any error. On PostgreSQL it first
        takes the register's write lock (transaction-scoped advisory lock), as SQLite's BEGIN IMMEDIATE does:
        writers queue at the start instead of meeting halfway, one holding a counter row and the other the audit
        chain, and deadlocking. A read-only register refuses before anything starts, saying why."""
        if self.read_only is not None:
            raise self.read_only.refusal()
        with self._write() as session, session.begin():
            if self.dialect == "postgresql":
                session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._read() as session:
            yield session

    def dispose(self) -> None:
        if self.dialect == "sqlite" and self.read_only is None:
            # Keep the planner's statistics fresh as the register grows; analysis_limit bounds the cost. Run on
            # the raw connection (autocommit) so no transaction rolls it back, and never let it fail a command
            # whose work is already committed.
            try:
                raw = self.engine.raw_connection()
                try:
                    raw.driver_connection.execute("PRAGMA analysis_limit=400")
                    raw.driver_connection.execute("PRAGMA optimize")
                finally:
                    raw.close()
            except Exception:  # noqa: BLE001, S110 - statistics are an optimisation only
                pass
        self.engine.dispose()
