"""What the users' visibility costs on a big register: the same calls as the open register (baseline, no
condition), a văn thư without clearance, one cleared for Tối mật, and a chuyên viên who sees only their unit.

Works on a copy of the routed register of bench_report (its accounts are added to the copy only).

    python bench/bench_visibility.py [--count 1000000] [--year 2026]
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.access import Permission, open_register  # noqa: E402
from app.core.enums import Direction  # noqa: E402
from app.core.records import DocumentQuery  # noqa: E402
from app.services import Registry  # noqa: E402
from bench.bench_report import median_ms, routed_copy  # noqa: E402
from bench.big_register import big_register  # noqa: E402

PASSWORD = "bench-mat-khau"
USERS = (("van_thu", "van_thu", None, None), ("toi_mat", "van_thu", "toi_mat", None),
         ("chuyen_vien", "chuyen_vien", None, "VP"))


def with_accounts(source: Path) -> Path:
    """A copy of the routed register with an administrator and the three accounts measured."""
    target = source.with_name(source.stem + "-users.sqlite3")
    if not target.exists():
        partial = target.with_suffix(".part")
        src, dst = sqlite3.connect(source), sqlite3.connect(partial)
        src.backup(dst)
        src.close()
        dst.close()
        registry = Registry(str(partial), actor="bench")
        registry.users.add("quantri", PASSWORD, "quan_tri")
        for name, role, clearance, unit in USERS:
            registry.users.add(name, PASSWORD, role, clearance, unit=unit)
        registry.close()
        shutil.move(partial, target)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--year", type=int, default=2026)
    args = parser.parse_args()
    source = routed_copy(big_register(Path(f"/tmp/vanthu-bench-{args.count}-y{args.year}.sqlite3"), args.count,
                                      args.year))
    path = with_accounts(source)
    baseline = Registry(str(path), actor="bench")
    baseline._set_principal(open_register("bench"))  # as before any account: no condition added
    sessions = {"sổ mở (gốc)": baseline}
    for name, *_ in USERS:
        reg = Registry(str(path))
        reg.sign_in(name, PASSWORD)
        sessions[name] = reg
    listing = DocumentQuery(direction=Direction.INCOMING, year=args.year)
    found = DocumentQuery(direction=Direction.INCOMING, text="sot xuat huyet", sort="registered_on",
                          descending=True, limit=50)
    on = date(args.year, 12, 31)
    calls = [
        ("danh sách sổ đến cả năm (mã)", lambda r: len(r.documents.search_ids(listing))),
        ("200 dòng của bảng", lambda r: len(r.documents.records(r.documents.search_ids(listing)[:200]))),
        ("tìm 'sot xuat huyet' (50 mới nhất)", lambda r: len(r.documents.search(found))),
        ("báo cáo theo tháng", lambda r: sum(m.incoming for m in r.reports.build(args.year, "month", on).months[:-1])),
    ]
    print(f"Sổ {args.count:,} văn bản ({path}); trung vị 3 lần, ms (số dòng thấy được trong ngoặc)")
    print(f"{'việc':36}" + "".join(f"{name:>22}" for name in sessions))
    for label, call in calls:
        cells = []
        for reg in sessions.values():
            if label.startswith("báo cáo") and not reg.can(Permission.REPORT):
                cells.append("—")
                continue
            rows = call(reg)
            cells.append(f"{median_ms(lambda reg=reg, call=call: call(reg)):.0f} ({rows:,})")
        print(f"{label:36}" + "".join(f"{c:>22}" for c in cells))
    for reg in sessions.values():
        reg.close()


if __name__ == "__main__":
    main()
