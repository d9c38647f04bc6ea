"""A big register file for benchmarks: made once with `demo-data` and reused while its size matches."""

from __future__ import annotations

import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.services import Registry  # noqa: E402


def document_count(path: Path) -> int:
    if not path.exists():
        return -1
    try:
        con = sqlite3.connect(path)
        try:
            return int(con.execute("SELECT count(*) FROM documents").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return -1


def big_register(path: Path, count: int, year: int | None = None) -> Path:
    """The file at `path` holding exactly `count` demo documents (built now if it does not)."""
    if document_count(path) == count:
        return path
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    print(f"Tạo sổ {count:,} văn bản tại {path} …", file=sys.stderr)
    started = time.perf_counter()
    registry = Registry(str(path), actor="bench")
    if count:
        registry.demo.fill(count, year)
    registry.close()
    print(f"  xong sau {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return path
