"""Anchors of the audit chain kept outside the database: the chain's head, the anchor file, and the comparisons.

A hash chain proves that nothing changed only to someone who remembers a link of it: whoever holds the whole
file can rewrite every event and recompute every hash, or cut the newest events. So the chain's head (the newest
event's id, the number of events, its hash) is copied where the file's holder cannot reach: into each backup's
manifest, onto the paper register book and handover list ("Mã kiểm tra nhật ký: #N, 16 hex"), and into an anchor
file in a second folder (setting audit.anchor_dir). A chain is sound against an anchor when it *extends* it:
event #N still has the anchored hash (and, against a backup's whole chain, every earlier event too).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from app.core.files import write_atomically
from app.core.records import JsonRecord

ANCHOR_FORMAT = "sovanthu-audit-anchor"
ANCHOR_VERSION = 1
ANCHOR_DIR_SETTING = "audit.anchor_dir"
UID_SETTING = "register.uid"  # not a user setting: names this register's anchor file
ANCHOR_PREFIX = "so-van-thu-neo-"
CODE_HEX = 16
BLOCK = 5000
_CODE = re.compile(r"\s*#?\s*(\d+)\s*[,;:\s]\s*([0-9a-fA-F]{16,64})\s*")

# (after_id, limit) -> [(id, hash)] in id order: one block of a chain, from a session or from a SQLite file.
Fetch = Callable[[int, int], list[tuple[int, str]]]


@dataclass(frozen=True)
class ChainHead(JsonRecord):
    """The newest event of a chain and how many events it has (an empty chain: 0, None, None)."""

    count: int
    last_id: int | None
    last_hash: str | None

    @property
    def code(self) -> str:
        """What the paper carries: the event number and the first 16 hex characters of its hash."""
        if self.last_id is None or not self.last_hash:
            return "#0 (nhật ký trống)"
        return f"#{self.last_id}, {self.last_hash[:CODE_HEX]}"


@dataclass(frozen=True)
class AnchorEntry(JsonRecord):
    """One anchored head, as written to the anchor file (written_at: local time, ISO 8601)."""

    written_at: str
    count: int
    last_id: int
    last_hash: str


@dataclass(frozen=True)
class AnchorNote:
    """What writing the anchor did, for the status bar: a warning when the chain or the folder needs a look."""

    message: str
    warning: bool = False


@dataclass(frozen=True)
class ChainComparison(JsonRecord):
    """Whether the current chain extends an anchored one; when not, the first event that differs."""

    ok: bool
    source: str  # what was compared against, as told to the clerk
    anchored: ChainHead
    current: ChainHead
    first_difference: int | None = None  # the event number named in the message
    problem: str | None = None  # "altered" | "deleted" | "inserted" | "cut"
    message: str = ""
    notes: list[str] = field(default_factory=list)


def parse_code(text: str) -> tuple[int, str] | None:
    """'#1234, 3f9a…' (as printed on the paper) -> (1234, '3f9a…'); None when text is not such a code."""
    match = _CODE.fullmatch(text or "")
    return (int(match.group(1)), match.group(2).lower()) if match else None


# -- reading chains --------------------------------------------------------------------------------------------

def rows(fetch: Fetch, block: int = BLOCK) -> Iterator[tuple[int, str]]:
    """Every (id, hash) of a chain in id order, a block at a time (flat memory for a million events)."""
    after = 0
    while True:
        found = fetch(after, block)
        if not found:
            return
        yield from ((int(i), str(h or "")) for i, h in found)
        after = int(found[-1][0])


def sqlite_fetch(conn: sqlite3.Connection) -> Fetch:
    def fetch(after: int, limit: int) -> list[tuple[int, str]]:
        return conn.execute("SELECT id, hash FROM audit_events WHERE id > ? ORDER BY id LIMIT ?",
                            (after, limit)).fetchall()

    return fetch


def open_sqlite(path: Path) -> sqlite3.Connection:
    """A register snapshot opened read-only (a backup's database, never written while compared)."""
    return sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)


def sqlite_head(conn: sqlite3.Connection) -> ChainHead:
    last = conn.execute("SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1").fetchone()
    count = conn.execute("SELECT count(*) FROM audit_events").fetchone()[0]
    return ChainHead(int(count), int(last[0]), str(last[1])) if last else ChainHead(0, None, None)


def sqlite_setting(conn: sqlite3.Connection, key: str) -> str | None:
    try:
        row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    except sqlite3.Error:
        return None
    return str(row[0]) if row and row[0] else None


# -- comparing --------------------------------------------------------------------------------------------------

def _short(value: str | None) -> str:
    return (value or "")[:CODE_HEX] or "—"


def _cut(source: str, anchored: ChainHead, current: ChainHead, missing_from: int) -> tuple[str, str]:
    lost = max(anchored.count - current.count, 0)
    ends = f"dừng ở mục #{current.last_id}" if current.last_id is not None else "không còn mục nào"
    return "cut", (f"Nhật ký hiện tại {ends}, nhưng {source} đã có đến mục #{anchored.last_id}: từ mục "
                   f"#{missing_from} trở đi ({lost} mục) đã mất — các mục mới nhất bị xóa, hoặc sổ bị thay bằng "
                   "một bản cũ hơn.")


def compare_chains(source: str, anchored: Fetch, anchored_head: ChainHead, current: Fetch,
                   current_head: ChainHead) -> ChainComparison:
    """Event by event: every anchored event must still be in the current chain with the same hash, and no event
    may have been slipped in between them; events after the anchored head are the chain growing, as it should."""
    mine = rows(current)
    cur = next(mine, None)
    for event_id, anchored_hash in rows(anchored):
        if cur is not None and cur[0] < event_id:
            return ChainComparison(False, source, anchored_head, current_head, cur[0], "inserted",
                                   f"Mục #{cur[0]} không có trong {source} (được chèn vào giữa nhật ký).")
        if cur is None:
            problem, message = _cut(source, anchored_head, current_head, event_id)
            return ChainComparison(False, source, anchored_head, current_head, event_id, problem, message)
        if cur[0] > event_id:
            return ChainComparison(False, source, anchored_head, current_head, event_id, "deleted",
                                   f"Mục #{event_id} có trong {source} nhưng không còn trong sổ (đã bị xóa).")
        if cur[1] != anchored_hash:
            return ChainComparison(
                False, source, anchored_head, current_head, event_id, "altered",
                f"Nhật ký đã bị viết lại từ mục #{event_id}: mục này khác với {source} (mã băm khi đó "
                f"{_short(anchored_hash)}, nay {_short(cur[1])}).")
        cur = next(mine, None)
    return _extends(source, anchored_head, current_head)


def _extends(source: str, anchored: ChainHead, current: ChainHead) -> ChainComparison:
    if anchored.last_id is None:
        return ChainComparison(True, source, anchored, current, message=f"{source} chưa có mục nhật ký nào.")
    more = current.count - anchored.count
    return ChainComparison(True, source, anchored, current,
                           message=f"Nhật ký hiện tại nối tiếp {source}: mục #{anchored.last_id} vẫn mang đúng mã "
                                   f"băm ({anchored.code}); sau đó có thêm {max(more, 0)} mục.")


def compare_entries(source: str, entries: list[AnchorEntry], hash_at: Callable[[int], str | None],
                    current_head: ChainHead, count_upto: Callable[[int], int]) -> ChainComparison:
    """Against sparse anchors (an anchor file, a printed code, a manifest's head): each anchored event must still
    carry its hash. Between two anchors the first changed event cannot be known; the message gives the range."""
    ordered = sorted(entries, key=lambda e: e.last_id)
    newest = ordered[-1] if ordered else None
    anchored_head = ChainHead(newest.count, newest.last_id, newest.last_hash) if newest else ChainHead(0, None, None)
    previous = 0
    for entry in ordered:
        actual = hash_at(entry.last_id)
        when = f" (neo lúc {entry.written_at})" if entry.written_at else ""
        if actual is None:
            if current_head.last_id is None or current_head.last_id < entry.last_id:
                lost_from = (current_head.last_id or 0) + 1
                problem, message = _cut(source + when, ChainHead(entry.count, entry.last_id, entry.last_hash),
                                        current_head, lost_from)
                return ChainComparison(False, source, anchored_head, current_head, lost_from, problem, message)
            return ChainComparison(False, source, anchored_head, current_head, entry.last_id, "deleted",
                                   f"Mục #{entry.last_id} đã được neo trong {source}{when} nhưng không còn trong sổ "
                                   "(đã bị xóa).")
        if not actual.startswith(entry.last_hash.lower()):
            return ChainComparison(
                False, source, anchored_head, current_head, entry.last_id, "altered",
                f"Nhật ký đã bị viết lại: mục #{entry.last_id} không còn mang mã băm đã neo trong {source}{when} "
                f"(khi đó {_short(entry.last_hash)}, nay {_short(actual)}); mục khác đầu tiên nằm trong khoảng "
                f"#{previous + 1}–#{entry.last_id}.")
        if entry.count and count_upto(entry.last_id) != entry.count:
            return ChainComparison(
                False, source, anchored_head, current_head, entry.last_id, "deleted",
                f"Đến mục #{entry.last_id}, {source}{when} ghi {entry.count} mục, nay sổ có "
                f"{count_upto(entry.last_id)} mục: có mục bị xóa hoặc chèn trong khoảng #{previous + 1}–"
                f"#{entry.last_id}.")
        previous = entry.last_id
    return _extends(source, anchored_head, current_head)


# -- the anchor file ----------------------------------------------------------------------------------------------

def anchor_path(folder: Path, uid: str) -> Path:
    return folder / f"{ANCHOR_PREFIX}{uid}.json"


def read_anchor_file(path: Path) -> tuple[dict[str, Any], list[AnchorEntry]]:
    """The file's header and its anchored heads; ValueError with the reason when it is not an anchor file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"không đọc được tệp {path}: {exc.strerror or exc}") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError(f"tệp {path.name} không phải là tệp neo nhật ký (không đọc được JSON: {exc}).") from exc
    if not isinstance(data, dict) or data.get("format") != ANCHOR_FORMAT or not isinstance(data.get("anchors"), list):
        raise ValueError(f"tệp {path.name} không phải là tệp neo nhật ký của Sổ Văn Thư.")
    entries = []
    for raw in data["anchors"]:
        try:
            entries.append(AnchorEntry(str(raw.get("written_at", "")), int(raw["count"]), int(raw["last_id"]),
                                       str(raw["last_hash"]).lower()))
        except (KeyError, TypeError, ValueError, AttributeError):
            raise ValueError(f"tệp {path.name} có một mục neo không đọc được: {raw!r:.80}") from None
    return data, entries


def append_anchor(folder: Path, uid: str, location: str, head: ChainHead) -> Path | None:
    """Add the head to this register's anchor file (whole file rewritten atomically); None when unchanged."""
    if head.last_id is None or not head.last_hash:
        return None
    path = anchor_path(folder, uid)
    entries: list[AnchorEntry] = []
    if path.exists():
        _header, entries = read_anchor_file(path)
        if entries and entries[-1].last_id == head.last_id and entries[-1].last_hash == head.last_hash:
            return None
    entries.append(AnchorEntry(datetime.now().astimezone().isoformat(timespec="seconds"), head.count,
                               head.last_id, head.last_hash))
    document = {"format": ANCHOR_FORMAT, "format_version": ANCHOR_VERSION, "register": uid, "location": location,
                "anchors": [e.to_dict() for e in entries]}
    text = json.dumps(document, ensure_ascii=False, indent=1)
    write_atomically(path, lambda out: out.write(text.encode("utf-8")))
    return path
