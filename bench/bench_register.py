"""Registration speed, and lookups on a big register, each printed beside a raw-SQLite baseline.

    python bench/bench_register.py [--count 500] [--scale 200000]

1. register COUNT incoming documents, one transaction each (number + duplicate check + audit), against
   the baseline of a bare sqlite3 INSERT + COMMIT per row with the same pragmas (the disk's commit cost);
2. fill the register to SCALE rows, then time: registering one more, finding by number, the duplicate
   check, against the baseline of a primary-key lookup.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.enums import Direction  # noqa: E402
from app.core.records import IncomingInput  # noqa: E402
from app.services import Registry  # noqa: E402

ISSUERS = ["SỞ Y TẾ", "ỦY BAN NHÂN DÂN TỈNH TÂY NINH", "VĂN PHÒNG TỈNH ỦY", "SỞ TÀI CHÍNH", "BỘ NỘI VỤ"]


def doc(i: int, received: date) -> IncomingInput:
    return IncomingInput(issuer=ISSUERS[i % len(ISSUERS)], reference=f"{i}/BENCH-VP", issued_on=received,
                         received_on=received, doc_type="Công văn", subject=f"Về việc thử nghiệm số {i}")


def timed(fn, repeat: int = 1) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def raw_baseline(path: Path, count: int) -> float:
    con = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
        con.execute(f"PRAGMA {pragma}")
    con.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, ref TEXT, subject TEXT)")
    start = time.perf_counter()
    for i in range(count):
        con.execute("BEGIN IMMEDIATE")
        con.execute("INSERT INTO t (n, ref, subject) VALUES (?, ?, ?)", (i, f"{i}/X", "Về việc"))
        con.execute("COMMIT")
    return (time.perf_counter() - start) / count


def fill(path: Path, rows: int) -> None:
    """Bulk rows straight into the documents table (a register of SCALE entries spread over ten years)."""
    con = sqlite3.connect(path)
    book_id, org_id = con.execute("SELECT book_id, issuer_id FROM documents LIMIT 1").fetchone()
    start_number = con.execute("SELECT max(number) FROM documents WHERE year = 2015").fetchone()[0] or 0
    per_year = rows // 10
    batch = []
    for i in range(rows):
        year = 2015 + i // per_year if per_year else 2015
        number = i % per_year + 1 if per_year else i + 1
        if year == 2015:
            number += start_number
        day = date(year, 1, 1) + timedelta(days=(number * 365) // max(per_year, 1) % 365)
        batch.append((book_id, "incoming", "ordinary", str(year), "", number, day.isoformat(), year,
                      day.isoformat(), org_id, f"{i}/FILL-VP", f"{i}/fill-vp", i, "FILL-VP", day.isoformat(),
                      "Công văn", f"Nội dung {i}", "Tiếng Việt", "", "", "cho_trinh", "2026-01-01 00:00:00", "bench"))
    con.executemany(
        "INSERT INTO documents (book_id, direction, category, period_key, scope_key, number, registered_on, year, "
        "received_on, issuer_id, reference, reference_key, doc_number, notation, issued_on, doc_type, subject, "
        "language, note, file_code, status, created_at, created_by) VALUES "
        "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", batch)
    for year in range(2015, 2025):
        last = con.execute("SELECT max(number) FROM documents WHERE year = ?", (year,)).fetchone()[0]
        con.execute("INSERT INTO number_sequences (direction, category, period_key, scope_key, last_number) "
                    "VALUES ('incoming', 'ordinary', ?, '', ?) "
                    "ON CONFLICT DO UPDATE SET last_number = excluded.last_number", (str(year), last))
    con.commit()
    con.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--scale", type=int, default=200_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = raw_baseline(Path(tmp) / "raw.sqlite3", args.count)
        path = Path(tmp) / "bench.sqlite3"
        reg = Registry(str(path), actor="bench")
        start = time.perf_counter()
        for i in range(args.count):
            reg.documents.register_incoming(doc(i, date(2015, 3, 1)))
        ours = (time.perf_counter() - start) / args.count
        print(f"register one incoming document      {ours * 1000:8.2f} ms   "
              f"(baseline bare INSERT+COMMIT {base * 1000:.2f} ms; x{ours / base:.1f})")

        fill(path, args.scale)
        total = sqlite3.connect(path).execute("SELECT count(*) FROM documents").fetchone()[0]
        print(f"register now holds                  {total:8d} documents")
        con = sqlite3.connect(path)
        pk = timed(lambda: con.execute("SELECT * FROM documents WHERE id = ?", (total // 2,)).fetchone(), 200)
        by_number = timed(lambda: reg.documents.find(Direction.INCOMING, 12_345 % (args.scale // 10) + 1, 2020), 50)
        counter = [10_000_000]

        def register_one() -> None:
            counter[0] += 1
            reg.documents.register_incoming(doc(counter[0], date(2024, 6, 1)))

        one_more = timed(register_one, 50)
        dup = timed(lambda: con.execute(
            "SELECT id FROM documents WHERE direction='incoming' AND reference_key=? AND issued_on=? "
            "AND issuer_id=1 AND cancelled_at IS NULL", ("77/fill-vp", "2015-01-01")).fetchall(), 200)
        print(f"baseline: primary-key lookup        {pk * 1000:8.3f} ms")
        print(f"find by number (service, +links)    {by_number * 1000:8.3f} ms")
        print(f"duplicate-check query               {dup * 1000:8.3f} ms")
        print(f"register one more at this size      {one_more * 1000:8.2f} ms")
        reg.close()


if __name__ == "__main__":
    main()
