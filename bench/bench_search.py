"""Search speed on a big register: the app's search (folded FTS5, newest first) beside a raw FTS5 MATCH on the
same file and a plain LIKE scan of the subject.

    python bench/bench_search.py [--count 1000000] [--db /tmp/vanthu-bench-1m.sqlite3]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.records import DocumentQuery  # noqa: E402
from app.services import Registry  # noqa: E402
from app.services.search import fts_expression, search_words  # noqa: E402
from bench.bench_report import median_ms  # noqa: E402
from bench.big_register import big_register  # noqa: E402

# (what a clerk types, the subject phrase a LIKE scan would look for)
QUERIES = [("sot xuat huyet", "sốt xuất huyết"), ("dang uy khoi", "Đảng ủy Khối"),
           ("thong bao ket luan", "Thông báo kết luận"),
           ("chuyen doi so 2024", "chuyển đổi số"), ("1737", "1737")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--limit", type=int, default=50)
    args = parser.parse_args()
    path = big_register(args.db or Path(f"/tmp/vanthu-bench-{args.count}.sqlite3"), args.count)
    registry = Registry(str(path), actor="bench")
    raw = sqlite3.connect(path)
    print(f"Sổ: {args.count:,} văn bản ({path}); {args.limit} kết quả mới nhất mỗi lần tìm; trung vị 5 lần, ms")
    print(f"{'tìm':24} {'kết quả':>9} {'app search':>11} {'FTS5 MATCH':>11} {'LIKE scan':>10}")
    for typed, phrase in QUERIES:
        query = DocumentQuery(direction=None, text=typed, sort="registered_on", descending=True, limit=args.limit)
        hits = len(registry.documents.search_ids(DocumentQuery(direction=None, text=typed)))
        app_ms = median_ms(lambda q=query: registry.documents.search(q), 5)
        fts = fts_expression(search_words(typed))
        fts_ms = median_ms(lambda f=fts: raw.execute(
            "SELECT rowid FROM bodies_fts WHERE bodies_fts MATCH ? LIMIT ?", (f, args.limit)).fetchall(), 5)
        like_ms = median_ms(lambda p=phrase: raw.execute(
            "SELECT id FROM documents WHERE subject LIKE ? OR reference LIKE ? ORDER BY registered_on DESC LIMIT ?",
            (f"%{p}%", f"%{p}%", args.limit)).fetchall(), repeat=3)
        print(f"{typed:24} {hits:>9,} {app_ms:>11.1f} {fts_ms:>11.1f} {like_ms:>10.1f}")
    print("app search = folded words → FTS5 → filters → newest first → full records; FTS5 MATCH = rowids only, "
          "unordered; LIKE = case-sensitive with marks as typed, no folding (what the app would do without FTS).")
    registry.close()


if __name__ == "__main__":
    main()
