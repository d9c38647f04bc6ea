"""Searching the whole text: a register whose every entry carries about two pages of attachment text, searched
by the app (entry + body indexes, newest first, records) beside a raw FTS5 MATCH of the body index on the same
file.

    python bench/bench_body_search.py [--count 1000000] [--chars 4500]

The bodies are written into each entry's document_bodies row (its triggers index them as an attach would); the
sentences come from a fixed pool with rare words mixed in, so some queries hit a few entries and some most of them.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.records import DocumentQuery  # noqa: E402
from app.core.text import fold  # noqa: E402
from app.services import Registry  # noqa: E402
from app.services.demo import TOPICS  # noqa: E402
from app.services.search import fts_expression, search_words  # noqa: E402
from bench.bench_report import median_ms  # noqa: E402
from bench.big_register import big_register  # noqa: E402

OPENINGS = ["Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh về", "Căn cứ kết quả kiểm tra công tác",
            "Để kịp thời triển khai nhiệm vụ", "Nhằm nâng cao hiệu quả", "Theo đề nghị của các phòng chuyên môn về",
            "Trên cơ sở báo cáo của các đơn vị về", "Đề nghị các cơ quan, đơn vị khẩn trương rà soát"]
CLOSINGS = ["và báo cáo kết quả về Văn phòng trước ngày 15 hằng tháng.", "đảm bảo đúng tiến độ, chất lượng.",
            "trong quá trình thực hiện nếu có vướng mắc, phản ánh kịp thời để được hướng dẫn.",
            "theo đúng quy định hiện hành của Nhà nước.", "đồng thời gửi bản mềm qua hệ thống quản lý văn bản."]
RARE = ["trạm bơm tiêu úng", "đê bao ngăn mặn", "kè chống sạt lở", "giống lúa chịu mặn", "cầu treo dân sinh"]
QUERIES = ["tram bom tieu ung", "de bao ngan man", "ke chong sat lo tien do", "chuyen doi so bao cao ket qua",
           "van phong", "so y te tram bom"]


def sentence_pool(rng: random.Random) -> tuple[list[str], list[str]]:
    """Folded sentences: the common ones, and those carrying a rare phrase (about one body in a thousand)."""
    topics = list(TOPICS)
    common = [fold(f"{rng.choice(OPENINGS)} {rng.choice(topics)}, {rng.choice(CLOSINGS)}") for _ in range(4000)]
    rare = [fold(f"{rng.choice(OPENINGS)} {phrase} thuộc {rng.choice(topics)}.") for phrase in RARE
            for _ in range(20)]
    return common, rare


def with_bodies(source: Path, chars: int) -> Path:
    """A copy of the big register with a body for every entry (made once, kept while the count matches)."""
    target = source.with_name(f"{source.stem}-bodies-{chars}{source.suffix}")
    con = sqlite3.connect(target) if target.exists() else None
    if con is not None:
        have = con.execute("SELECT (SELECT count(*) FROM document_bodies WHERE body != '') = "
                           "(SELECT count(*) FROM documents)")
        done = bool(have.fetchone()[0])
        con.close()
        if done:
            return target
    print(f"Chép sổ và ghi nội dung ~{chars} ký tự cho mỗi văn bản → {target} …", file=sys.stderr)
    started = time.perf_counter()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    src.backup(dst)
    src.close()
    rng = random.Random(7)
    common, rare = sentence_pool(rng)
    per_body = max(1, chars // (sum(map(len, common[:200])) // 200))
    dst.execute("PRAGMA journal_mode=WAL")
    dst.execute("PRAGMA synchronous=OFF")
    ids = [row for (row,) in dst.execute("SELECT id FROM documents ORDER BY id")]
    for start in range(0, len(ids), 20_000):
        rows = []
        for doc_id in ids[start:start + 20_000]:
            parts = rng.choices(common, k=per_body)
            if rng.random() < 0.001:
                parts[rng.randrange(per_body)] = rng.choice(rare)
            rows.append((" ".join(parts), doc_id))
        dst.executemany("UPDATE document_bodies SET body = ? WHERE document_id = ?", rows)
        dst.commit()
        print(f"  … {start + len(rows):,}/{len(ids):,}", file=sys.stderr)
    dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    dst.execute("ANALYZE")
    dst.close()
    print(f"  xong sau {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--chars", type=int, default=4500, help="folded characters of body per entry (≈ 2 pages)")
    parser.add_argument("--limit", type=int, default=50)
    args = parser.parse_args()
    path = with_bodies(big_register(Path(f"/tmp/vanthu-bench-{args.count}.sqlite3"), args.count), args.chars)
    registry = Registry(str(path), actor="bench")
    raw = sqlite3.connect(path)
    size = path.stat().st_size / 1024 ** 3
    bodies = raw.execute("SELECT count(*), avg(length(body)) FROM document_bodies").fetchone()
    print(f"Sổ: {args.count:,} văn bản, {bodies[0]:,} nội dung (trung bình {bodies[1]:,.0f} ký tự), tệp {size:.1f} GB;"
          f" {args.limit} kết quả mới nhất mỗi lần tìm; trung vị 5 lần, ms")
    print(f"{'tìm':28} {'kết quả':>9} {'app search':>11} {'FTS5 MATCH':>11} {'tỉ lệ':>6} {'MATCH 50':>9}")
    for typed in QUERIES:
        query = DocumentQuery(direction=None, text=typed, sort="registered_on", descending=True, limit=args.limit)
        fts = fts_expression(search_words(typed))
        hits = len(raw.execute("SELECT rowid FROM bodies_fts WHERE bodies_fts MATCH ?", (fts,)).fetchall())

        def app_search(q: DocumentQuery = query, typed: str = typed) -> None:
            docs = registry.documents.search(q)
            registry.fulltext.places(typed, [d.id for d in docs])

        app_ms = median_ms(app_search, 5)
        all_ms = median_ms(lambda f=fts: raw.execute(
            "SELECT rowid FROM bodies_fts WHERE bodies_fts MATCH ?", (f,)).fetchall(), 5)
        first_ms = median_ms(lambda f=fts: raw.execute(
            "SELECT rowid FROM bodies_fts WHERE bodies_fts MATCH ? LIMIT ?", (f, args.limit)).fetchall(), 5)
        print(f"{typed:28} {hits:>9,} {app_ms:>11.1f} {all_ms:>11.1f} {app_ms / all_ms:>6.2f} {first_ms:>9.1f}")
    print("app search = folded words → the FTS5 index → filters → newest first → 50 records + where each matched; "
          "FTS5 MATCH = every matching rowid of the body index, unordered (the baseline; tỉ lệ = app / MATCH); "
          "MATCH 50 = the first 50 rowids only.")
    registry.close()


if __name__ == "__main__":
    main()
