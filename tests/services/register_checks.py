"""What "every record complete, no gap, no repeat" means, checked the same way on SQLite and PostgreSQL.

Used by the concurrency and crash tests after worker processes (tests/services/register_worker.py) wrote
into one database.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text

from app.core.records import DocumentQuery
from app.services import Registry

WORKER = Path(__file__).with_name("register_worker.py")


def start_workers(db: str, workers: int, per_worker: int, go: Path, first: int = 0) -> list[subprocess.Popen[str]]:
    """Worker processes worker<first>… registering per_worker incoming documents each, once `go` exists."""
    return [subprocess.Popen([sys.executable, str(WORKER), db, str(w), str(per_worker), str(go)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            for w in range(first, first + workers)]


def wait_for(condition, timeout: float = 120, step: float = 0.02) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(step)


def committed_count(registry: Registry) -> int:
    with registry.db.reading() as session:
        return int(session.execute(text("SELECT count(*) FROM documents")).scalar_one())


def check_register(registry: Registry, workers: int, per_worker: int | None = None) -> int:
    """Assert the incoming register written by the workers is whole; returns N, the number of entries.

    Numbers are exactly 1..N (no gap, no repeat), each a complete registration (every field, its issuer, its
    book, an audit 'create' event, found by full-text search), each worker's entries in its order of saving,
    and the counter stands at N. With per_worker, every worker saved all of its entries.
    """
    with registry.db.reading() as s:
        rows = s.execute(text(
            "SELECT d.id, d.number, d.reference, d.subject, d.doc_type, d.received_on, d.issued_on, d.year, "
            "d.created_by, d.search_text, d.status, o.name, b.id AS book_id "
            "FROM documents d JOIN organizations o ON o.id = d.issuer_id JOIN register_books b ON b.id = d.book_id "
            "ORDER BY d.number")).all()
        total = int(s.execute(text("SELECT count(*) FROM documents")).scalar_one())
        counters = s.execute(text("SELECT last_number FROM number_sequences")).scalars().all()
        created = s.execute(text("SELECT entity_id FROM audit_events WHERE entity = 'document' AND action = 'create'"
                                 )).scalars().all()
    n = len(rows)
    assert total == n, "an entry lost its issuer or book"
    assert [r.number for r in rows] == list(range(1, n + 1)), "numbers are not exactly 1..N"
    assert counters == ([n] if n else []), f"counter {counters} does not stand at the last number {n}"
    for r in rows:
        worker = r.created_by.removeprefix("worker")
        assert r.created_by.startswith("worker") and r.name == f"Cơ quan {worker}", r
        i = int(r.reference.split("/")[0])
        assert r.reference == f"{i}/W{worker}-VP" and r.subject == f"Văn bản {i} của tiến trình {worker}", r
        assert (r.doc_type, str(r.received_on), str(r.issued_on), r.year) == (
            "Công văn", "2024-03-02", "2024-03-01", 2024), r
        assert r.status and r.search_text and "tien trinh" in r.search_text, r
    assert len({(r.created_by, r.reference) for r in rows}) == n, "a registration was saved twice"
    ids = {r.id for r in rows}
    assert len(created) == len(set(created)) and set(created) == ids, (
        f"audit 'create' events do not match the entries: {len(created)} events, missing for "
        f"{sorted(ids - set(created))[:10]}, extra {sorted(set(created) - ids)[:10]}")
    found = registry.documents.search_ids(DocumentQuery(year=None, text="tien trinh"))
    assert sorted(found) == sorted(ids), "full-text search does not find every entry"
    for w in range(workers):
        mine = [(int(r.reference.split("/")[0]), r.number) for r in rows if r.created_by == f"worker{w}"]
        assert [i for i, _ in mine] == list(range(1, len(mine) + 1)), f"worker{w} lost an entry in the middle"
        assert [num for _, num in mine] == sorted(num for _, num in mine)
        if per_worker is not None:
            assert len(mine) == per_worker
    return n
