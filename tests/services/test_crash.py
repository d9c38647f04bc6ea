"""Crash safety: worker processes killed with SIGKILL in the middle of a bulk registration leave a sound register.

Each round starts two workers registering without end into one database and kills them (SIGKILL: no cleanup,
no rollback by the client) once more entries were committed; a process is almost always inside a transaction
or waiting for the write lock at that moment. After every round: the database is intact, the committed entries
are numbered 1..N without a gap, each is whole (fields, issuer, book, audit event, search index), the counter
stands at N, and the next registration gets N + 1.
"""

from __future__ import annotations

import os
import signal
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from app.core.records import IncomingInput
from app.services import Registry
from tests.services.register_checks import check_register, committed_count, start_workers, wait_for

pytestmark = pytest.mark.both_engines

ROUNDS, WORKERS, COMMITS_PER_ROUND = 3, 2, 25


def _check_sqlite_file(path: str) -> None:
    con = sqlite3.connect(path)  # opening recovers from the WAL the killed writers left behind
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        con.execute("INSERT INTO bodies_fts(bodies_fts) VALUES ('integrity-check')")  # raises if out of step
        assert con.execute("SELECT count(*) FROM bodies_fts").fetchone() == con.execute(
            "SELECT count(*) FROM documents").fetchone()
    finally:
        con.close()


def test_killed_registrations_leave_a_gapless_whole_register(
        state_registry: Registry, db_url: str, engine: str, tmp_path: Path) -> None:
    go = tmp_path / "go"
    go.touch()
    if engine == "sqlite":  # the app's own connections: WAL and foreign keys on
        with state_registry.db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    n = 0
    for round_ in range(ROUNDS):
        processes = start_workers(db_url, WORKERS, 1_000_000, go, first=round_ * WORKERS)
        target = n + COMMITS_PER_ROUND
        try:
            wait_for(lambda: committed_count(state_registry) >= target  # noqa: B023
                     or any(p.poll() is not None for p in processes))  # noqa: B023
        finally:
            for p in processes:
                if p.poll() is None:
                    os.kill(p.pid, signal.SIGKILL)
            errors = [p.communicate(timeout=60)[1] for p in processes]
        assert all(p.returncode == -signal.SIGKILL for p in processes), errors  # none stopped on its own
        if engine == "sqlite":
            _check_sqlite_file(db_url)
        n = check_register(state_registry, workers=(round_ + 1) * WORKERS)
        assert n >= target
    after = Registry(db_url, actor="van_thu_test")  # a fresh process-like start: reopen and go on
    try:
        if engine == "sqlite":
            with after.db.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        else:  # the server notices the killed clients and rolls their transactions back: none stays open
            def no_open_transaction() -> bool:
                with after.db.reading() as s:
                    return s.execute(text(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                        "AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'")).scalar_one() == 0
            wait_for(no_open_transaction, timeout=30)
        doc = after.documents.register_incoming(IncomingInput(
            issuer="Bộ Y tế", reference="1/BYT-VP", issued_on="01/03/2024", received_on="02/03/2024",
            doc_type="Công văn", subject="Sau sự cố"))
        assert (doc.number, doc.year) == (n + 1, 2024)
    finally:
        after.close()
    if engine == "sqlite":
        _check_sqlite_file(db_url)
