"""Opening the main window on an empty register and on a 1,000,000-document one, side by side: time to the first
painted rows, to the whole id list, and the slowest of 40 jumps while scrolling (each jump fetches new rows).

    python bench/bench_open.py [--count 1000000] [--year 2026]   (offscreen Qt unless QT_QPA_PLATFORM is set)
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.core.dates import today  # noqa: E402
from app.services import Registry  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402
from bench.big_register import big_register  # noqa: E402


def measure(path: Path) -> dict[str, float]:
    _app = QApplication.instance() or QApplication([])  # kept alive for the measurement
    started = time.perf_counter()
    registry = Registry(str(path), actor="bench")
    window = MainWindow(registry)
    window.show()
    model = window.pages[0].model
    marks: dict[str, float] = {}
    loop = QEventLoop()

    def first_rows() -> None:
        if "first_paint" not in marks:
            window.grab()  # paint the visible rows now, as the screen would
            marks["first_paint"] = time.perf_counter() - started

    def all_rows(_direction: object) -> None:
        first_rows()
        marks["full"] = time.perf_counter() - started
        loop.quit()

    # Wait inside Qt's own event loop, as the app does: a Python polling loop would hold the GIL and slow the
    # background query down.
    model.modelReset.connect(first_rows)
    window.loaded.connect(all_rows)
    QTimer.singleShot(120_000, loop.quit)
    loop.exec()
    first_paint, full = marks.get("first_paint"), marks.get("full")
    rows = model.rowCount()
    view = window.pages[0].view
    jumps = []
    rng = random.Random(1)
    for _ in range(40 if rows else 0):
        t = time.perf_counter()
        view.scrollTo(model.index(rng.randrange(rows), 0))
        window.grab()
        jumps.append(time.perf_counter() - t)
    result = {"rows": rows, "first_paint": first_paint or 0.0, "full": full or 0.0,
              "max_jump": max(jumps, default=0.0), "fetches": model.fetches}
    window.close()
    registry.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--year", type=int, default=today().year, help="all documents in this year (the worst case)")
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    big = big_register(args.db or Path(f"/tmp/vanthu-bench-{args.count}-y{args.year}.sqlite3"), args.count, args.year)
    with tempfile.TemporaryDirectory() as tmp:
        empty = big_register(Path(tmp) / "empty.sqlite3", 0)
        results = [("0 văn bản", measure(empty)), (f"{args.count:,} văn bản".replace(",", "."), measure(big))]
    print(f"Mở cửa sổ chính (năm {args.year}, sổ văn bản đến), giây; bước cuộn = chậm nhất trong 40 lần nhảy")
    print(f"{'':18} {'dòng':>9} {'vẽ dòng đầu':>12} {'đủ danh sách':>13} {'bước cuộn':>10} {'lần đọc khối':>13}")
    for name, r in results:
        print(f"{name:18} {r['rows']:>9,} {r['first_paint']:>12.3f} {r['full']:>13.3f} {r['max_jump']:>10.3f} "
              f"{r['fetches']:>13}")


if __name__ == "__main__":
    main()
