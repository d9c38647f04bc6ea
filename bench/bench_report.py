"""Report speed on a big register: the full yearly report (month, issuer, type, unit) and each dimension, beside
a plain COUNT(*) of the same year and of the whole table on the same file.

When the big register has no routing (demo data made before routing existed), the bench works on its own copy
of it (made once, then reused) where synthetic routing steps give every presented incoming entry a lead unit, a
third of them a supporting unit and a tenth a second step; statuses and done dates follow the entry's own.

    python bench/bench_report.py [--count 1000000] [--year 2026] [--db /tmp/vanthu-bench-1000000-y2026.sqlite3]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.services import Registry  # noqa: E402
from bench.big_register import big_register  # noqa: E402

UNITS = [("Văn phòng", "VP"), ("Phòng Tổ chức cán bộ", "TCCB"), ("Phòng Kế hoạch - Tài chính", "KHTC"),
         ("Phòng Nghiệp vụ Y", "NVY"), ("Thanh tra", "TTRA"), ("Phòng Nghiệp vụ Dược", "NVD")]
CLOSED = "('da_xu_ly', 'da_tra_loi', 'luu_ho_so', 'da_ban_hanh')"


def median_ms(fn, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def routed_copy(source: Path) -> Path:
    """A copy of `source` with synthetic routing, made once (sqlite3's backup: consistent even with a WAL);
    `source` itself when it already has routing steps (demo data that routes)."""
    con = sqlite3.connect(source)
    try:
        if con.execute("SELECT count(*) FROM routings").fetchone()[0]:
            return source
    except sqlite3.OperationalError:
        pass  # made before routing existed: no routings table yet
    finally:
        con.close()
    target = source.with_name(source.stem + "-routed.sqlite3")
    if target.exists():
        return target
    print(f"Sao {source} → {target} và thêm các lần chuyển …", file=sys.stderr)
    started = time.perf_counter()
    partial = target.with_suffix(".part")
    partial.unlink(missing_ok=True)
    src, dst = sqlite3.connect(source), sqlite3.connect(partial)
    src.backup(dst)
    src.close()
    dst.close()
    registry = Registry(str(partial), actor="bench")  # brings the schema to the newest revision
    for name, code in UNITS:
        registry.directory.add_department(name, code)
    registry.close()
    con = sqlite3.connect(partial)
    with con:
        units = con.execute("SELECT id, name FROM departments ORDER BY id").fetchall()
        n = len(units)
        cases = " ".join(f"WHEN {i} THEN {dep_id}" for i, (dep_id, _name) in enumerate(units))
        names = " ".join(f"WHEN {i} THEN '{name}'" for i, (_dep_id, name) in enumerate(units))
        presented = "direction = 'incoming' AND status <> 'cho_trinh' AND cancelled_at IS NULL"
        for step, share in ((1, ""), (2, "AND id % 10 = 0")):
            con.execute(f"""INSERT INTO routings (document_id, step, directed_at, created_at, created_by)
                            SELECT id, {step}, registered_on, registered_on, 'bench' FROM documents
                            WHERE {presented} {share}""")
        # Lead of every step, one supporting unit on a third; the document's status and a done date 0–20 days
        # after it arrived (its deadline: 10 days after), so about half of the closed ones are late.
        for role, unit_of, share in (("lead", "(d.id + r.step) % {n}", ""),
                                     ("support", "(d.id + r.step + 1) % {n}", "AND d.id % 3 = 0")):
            unit = unit_of.format(n=n)
            con.execute(f"""INSERT INTO routing_assignments
                (routing_id, department_id, department_name, role, deadline, status, done_at)
                SELECT r.id, CASE {unit} {cases} END, CASE {unit} {names} END, '{role}',
                       date(d.registered_on, '+10 days'),
                       CASE WHEN d.status = 'cho_trinh' THEN 'cho_xu_ly' ELSE d.status END,
                       CASE WHEN d.status IN {CLOSED}
                            THEN datetime(d.registered_on, '+' || (d.id % 21) || ' days', '+9 hours') END
                FROM routings r JOIN documents d ON d.id = r.document_id WHERE 1 {share}""")
    con.execute("ANALYZE")
    con.close()
    partial.rename(target)
    print(f"  xong sau {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--db", type=Path, help="sổ lớn có sẵn (mặc định: /tmp/vanthu-bench-COUNT-yYEAR.sqlite3)")
    args = parser.parse_args()
    source = big_register(args.db or Path(f"/tmp/vanthu-bench-{args.count}-y{args.year}.sqlite3"), args.count,
                          args.year)
    path = routed_copy(source)
    registry = Registry(str(path), actor="bench")
    raw = sqlite3.connect(path)
    on = date(args.year, 12, 31)
    in_year = raw.execute("SELECT count(*) FROM documents WHERE year = ?", (args.year,)).fetchone()[0]
    assignments = raw.execute("SELECT count(*) FROM routing_assignments").fetchone()[0]
    print(f"Sổ: {in_year:,} văn bản năm {args.year}, {assignments:,} lượt giao đơn vị ({path}); trung vị 3 lần, ms")
    timings = [
        ("báo cáo đầy đủ (4 chiều)", lambda: registry.reports.build(args.year, on=on)),
        ("  theo tháng", lambda: registry.reports.build(args.year, "month", on)),
        ("  theo cơ quan ban hành", lambda: registry.reports.build(args.year, "issuer", on)),
        ("  theo loại văn bản", lambda: registry.reports.build(args.year, "type", on)),
        ("  theo đơn vị", lambda: registry.reports.build(args.year, "unit", on)),
        ("COUNT(*) năm (mốc)", lambda: raw.execute("SELECT count(*) FROM documents WHERE year = ?",
                                                   (args.year,)).fetchone()),
        ("COUNT(*) cả bảng (mốc)", lambda: raw.execute("SELECT count(*) FROM documents").fetchone()),
        ("quét cả bảng (mốc)", lambda: raw.execute("SELECT count(*) FROM documents WHERE subject <> ''").fetchone()),
    ]
    for label, work in timings:
        print(f"{label:28} {median_ms(work):>9.1f}")
    report = registry.reports.build(args.year, on=on)
    total = report.unit_total
    assert report.month_total is not None and total is not None
    print(f"kiểm tra: đến {report.month_total.incoming:,}, đi {report.month_total.outgoing:,}, "
          f"giao {total.assigned:,} (đúng hạn {total.on_time:,}, trễ {total.late:,}, quá hạn {total.overdue:,})")
    registry.close()


if __name__ == "__main__":
    main()
