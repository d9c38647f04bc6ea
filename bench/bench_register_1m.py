"""One incoming registration at 1,000,000 documents, beside a raw sqlite3 INSERT + FTS row + COMMIT (target: ≤ 3×).

    python bench/bench_register_1m.py [--runs 9] [--explain]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event  # noqa: E402

from app.core.records import IncomingInput  # noqa: E402
from app.services import Registry  # noqa: E402
from bench.bench_report import median_ms  # noqa: E402
from bench.big_register import big_register, document_count  # noqa: E402

# Works on a copy of the 1M demo register (bench/big_register.py; never rebuilt here, never written), deleted at the
# end. App and baseline runs alternate on the copy; the baseline uses the app's pragmas, takes the same counter, and its
# documents row fires the same triggers (document_bodies, bodies_fts). --explain times each statement of one run.
SOURCE = Path("/tmp/vanthu-bench-1000000.sqlite3")
COPY = Path("/tmp/bench-reg-1m-copy.sqlite3")
COUNT = 1_000_000
TARGET = 3.0
SYNCHRONOUS = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}
ISSUERS = ["Sở Tư pháp tỉnh Tây Ninh", "UBND huyện Châu Thành", "Bộ Y tế", "Sở Tài chính tỉnh Tây Ninh",
           "Ban Tổ chức Tỉnh ủy Tây Ninh"]
NOTATIONS = ["STP-TTra", "UBND-VP", "BYT-KCB", "STC-NS", "QĐ/BTCTU"]
SUBJECTS = ["V/v đôn đốc báo cáo thực hành tiết kiệm, chống lãng phí năm 2026",
            "Về việc triển khai công tác phòng, chống dịch bệnh mùa đông xuân",
            "Hướng dẫn quyết toán ngân sách nhà nước năm 2026 đối với các đơn vị sự nghiệp",
            "Kế hoạch kiểm tra công tác cải cách hành chính quý IV",
            "Quyết định điều động, bổ nhiệm cán bộ lãnh đạo cấp phòng"]
# The app's counter statement (app.services.numbering.take_next), parameters instead of literals.
TAKE_NEXT = ("INSERT INTO number_sequences (direction, category, period_key, scope_key, last_number) "
             "VALUES (?, ?, ?, ?, 1) ON CONFLICT (direction, category, period_key, scope_key) "
             "DO UPDATE SET last_number = number_sequences.last_number + 1 RETURNING last_number")


def incoming(i: int) -> IncomingInput:
    """A realistic incoming document; the reference is new each time so the duplicate check passes."""
    received = date.today()
    return IncomingInput(issuer=ISSUERS[i % len(ISSUERS)], reference=f"{90_000 + i}/{NOTATIONS[i % len(NOTATIONS)]}",
                         issued_on=received - timedelta(days=2), received_on=received, doc_type="Công văn",
                         subject=f"{SUBJECTS[i % len(SUBJECTS)]} (đợt {i})", pages=2, copies=1)


def copy_register() -> Path:
    """The demo register copied to COPY (with its -wal, if any); the original is only read."""
    if document_count(SOURCE) != COUNT:  # big_register would rebuild it (an hour): refuse instead
        sys.exit(f"{SOURCE} does not hold {COUNT:,} documents; build it first (bench/big_register.py).")
    source = big_register(SOURCE, COUNT)
    remove_copy()
    for suffix in ("", "-wal"):
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{COPY}{suffix}")
    return COPY


def remove_copy() -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{COPY}{suffix}").unlink(missing_ok=True)


def app_pragmas(registry: Registry) -> dict[str, str]:
    """journal_mode, synchronous and foreign_keys as the app's own connection has them (app/db/engine.py)."""
    raw = registry.db.engine.raw_connection()
    try:
        con = raw.driver_connection
        return {"journal_mode": str(con.execute("PRAGMA journal_mode").fetchone()[0]).upper(),
                "synchronous": SYNCHRONOUS[int(con.execute("PRAGMA synchronous").fetchone()[0])],
                "foreign_keys": "ON" if con.execute("PRAGMA foreign_keys").fetchone()[0] else "OFF"}
    finally:
        raw.close()


def baseline_connection(path: Path, pragmas: dict[str, str]) -> sqlite3.Connection:
    con = sqlite3.connect(path, isolation_level=None)  # autocommit: BEGIN/COMMIT are ours, as in the app
    for name, value in pragmas.items():
        con.execute(f"PRAGMA {name}={value}")
    return con


class Baseline:
    """BEGIN IMMEDIATE; take the next number; INSERT the row the app last wrote (new number); COMMIT."""

    def __init__(self, con: sqlite3.Connection):
        self.con = con

    def copy_row(self, doc_id: int) -> None:
        cursor = self.con.execute("SELECT * FROM documents WHERE id = ?", (doc_id,))
        values = {d[0]: v for d, v in zip(cursor.description, cursor.fetchone(), strict=True) if d[0] != "id"}
        self.insert = f"INSERT INTO documents ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})"
        self.series = tuple(values[k] for k in ("direction", "category", "period_key", "scope_key"))
        self.params, self.at = list(values.values()), list(values).index("number")

    def register(self) -> None:
        con = self.con
        con.execute("BEGIN IMMEDIATE")
        self.params[self.at] = con.execute(TAKE_NEXT, self.series).fetchall()[0][0]
        # The documents_body_insert trigger writes document_bodies, whose bodies_fts_insert writes the FTS row.
        con.execute(self.insert, self.params)
        con.execute("COMMIT")


def explain(registry: Registry, data: IncomingInput) -> None:
    """Every statement of one registration with its time (SQLAlchemy cursor events), then the slowest."""
    engine, log, started = registry.db.engine, [], {}

    def before(*_args) -> None:  # type: ignore[no-untyped-def]
        started["sql"] = time.perf_counter()

    def after(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        log.append(((time.perf_counter() - started["sql"]) * 1000, " ".join(statement.split())))

    def commit(_conn) -> None:  # type: ignore[no-untyped-def]
        started["commit"] = time.perf_counter()

    hooks = (("before_cursor_execute", before), ("after_cursor_execute", after), ("commit", commit))
    for name, fn in hooks:
        event.listen(engine, name, fn)
    try:
        start = time.perf_counter()
        registry.documents.register_incoming(data)
        end = time.perf_counter()
    finally:
        for name, fn in hooks:
            event.remove(engine, name, fn)
    log.append(((end - started["commit"]) * 1000, "COMMIT (pysqlite commit(), until register returns)"))
    total, sql = (end - start) * 1000, sum(ms for ms, _ in log)
    print(f"\n--explain: one registration issued {len(log)} statements (BEGIN and COMMIT included; "
          "INSERT INTO documents includes its triggers: document_bodies, bodies_fts)")
    for i, (ms, statement) in enumerate(log, 1):
        print(f"  {i:2d}. {ms:7.3f} ms  {statement[:110]}")
    print(f"  total {total:.2f} ms = SQL {sql:.2f} ms + Python {total - sql:.2f} ms")
    print("slowest:")
    for ms, statement in sorted(log, reverse=True)[:4]:
        print(f"  {ms:7.3f} ms  {statement[:110]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="timed runs of each (at least 7)")
    parser.add_argument("--explain", action="store_true", help="list the statements of one registration")
    args = parser.parse_args()
    runs = max(args.runs, 7)
    path = copy_register()
    registry = con = None
    try:
        registry = Registry(str(path), actor="bench")
        pragmas = app_pragmas(registry)
        con = baseline_connection(path, pragmas)
        baseline = Baseline(con)
        counter, written = [0], [0]

        def app_once() -> None:
            counter[0] += 1
            written[0] = registry.documents.register_incoming(incoming(counter[0])).id

        app_once()  # warm-up (parts built, statements compiled)
        baseline.copy_row(written[0])
        baseline.register()
        app_ms, base_ms = [], []
        for _ in range(runs):  # alternate, so drift (WAL growth, checkpoints, cache) hits both alike
            app_ms.append(median_ms(app_once, 1))
            baseline.copy_row(written[0])  # untimed: the baseline inserts the row the app just wrote
            base_ms.append(median_ms(baseline.register, 1))
        app, base = statistics.median(app_ms), statistics.median(base_ms)
        total = con.execute("SELECT count(*) FROM documents").fetchone()[0]
        print(f"machine        {platform.platform()}, {platform.machine()}, {os.cpu_count()} CPU, "
              f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}")
        print(f"documents      {COUNT:,} in the demo register ({total:,} in the copy after the runs)")
        print("pragmas        " + " ".join(f"{k}={v}" for k, v in pragmas.items()))
        print(f"app            {app:8.2f} ms  median of {runs} registry.documents.register_incoming(...)")
        print(f"baseline       {base:8.2f} ms  median of {runs} BEGIN IMMEDIATE + counter upsert + INSERT documents "
              "(→ document_bodies → bodies_fts) + COMMIT")
        print(f"ratio          {app / base:8.2f}×  target {TARGET:g}×:", "đạt" if app <= TARGET * base else "chưa đạt")
        if args.explain:
            counter[0] += 1
            explain(registry, incoming(counter[0]))
    finally:
        if con is not None:
            con.close()
        if registry is not None:
            registry.close()
        remove_copy()


if __name__ == "__main__":
    main()
