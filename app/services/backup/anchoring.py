"""A backup against the audit anchors before it replaces a register: refused when it contradicts one, losses told."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError

from app.services import chain_anchor
from app.services.backup.common import _engine_url, _refuse, _sqlite_file, _url
from app.services.chain_anchor import ChainHead


@dataclass(frozen=True)
class RegisterChain:
    """What the register about to be replaced knows of its chain: its head, its name, its anchor folder."""

    head: ChainHead | None = None
    uid: str | None = None
    folders: list[Path] = field(default_factory=list)


def _read_sqlite(path: Path) -> RegisterChain:
    if not path.is_file():
        return RegisterChain()
    try:
        conn = chain_anchor.open_sqlite(path)
    except sqlite3.Error:
        return RegisterChain()
    try:
        return _chain_of(conn)
    finally:
        conn.close()


def _chain_of(conn: sqlite3.Connection) -> RegisterChain:
    try:
        head = chain_anchor.sqlite_head(conn)
    except sqlite3.Error:
        head = None  # damaged, or older than the hash chain: nothing to compare
    folder = chain_anchor.sqlite_setting(conn, chain_anchor.ANCHOR_DIR_SETTING)
    return RegisterChain(head, chain_anchor.sqlite_setting(conn, chain_anchor.UID_SETTING),
                         [Path(folder).expanduser()] if folder else [])


def _read_pg(url: Any) -> RegisterChain:
    engine = create_engine(_engine_url(url))
    try:
        with engine.connect() as conn:
            last = conn.execute(text("SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1")).first()
            count = conn.execute(text("SELECT count(*) FROM audit_events")).scalar() or 0
            values = dict(conn.execute(text("SELECT key, value FROM settings WHERE key IN (:a, :b)"),
                                       {"a": chain_anchor.UID_SETTING, "b": chain_anchor.ANCHOR_DIR_SETTING}).all())
    except SQLAlchemyError:
        return RegisterChain()
    finally:
        engine.dispose()
    folder = values.get(chain_anchor.ANCHOR_DIR_SETTING)
    head = ChainHead(int(count), int(last[0]), str(last[1])) if last else ChainHead(0, None, None)
    return RegisterChain(head, values.get(chain_anchor.UID_SETTING), [Path(folder).expanduser()] if folder else [])


def current_chain(db: str) -> RegisterChain:
    url = _url(db)
    database = _sqlite_file(url)
    return _read_sqlite(database) if database is not None else _read_pg(url)


def _anchor_files(chains: list[RegisterChain]) -> list[Path]:
    uids = {c.uid for c in chains if c.uid}
    folders = list(dict.fromkeys(f for c in chains for f in c.folders))
    found = []
    for folder in folders:
        for uid in sorted(uids):
            path = chain_anchor.anchor_path(folder, uid)
            with contextlib.suppress(OSError):
                if path.is_file():
                    found.append(path)
    return found


def _judge(head: ChainHead, files: list[Path], hash_at: Callable[[int], str | None],
           count_upto: Callable[[int], int], head_only: bool = False) -> list[str]:
    """Refuse a backup whose chain contradicts an anchor; say what restoring it loses against a newer one."""
    notes = []
    for path in files:
        try:
            _header, entries = chain_anchor.read_anchor_file(path)
        except ValueError as exc:
            notes.append(f"Không đối chiếu được với tệp neo: {exc}")
            continue
        covered = [e for e in entries if head.last_id is not None and e.last_id <= head.last_id
                   and (not head_only or e.last_id == head.last_id)]
        later = [e for e in entries if head.last_id is None or e.last_id > head.last_id]
        check = chain_anchor.compare_entries(f"tệp neo {path}", covered, hash_at, head, count_upto)
        if covered and not check.ok:
            raise _refuse(f"bản sao lưu mâu thuẫn với tệp neo nhật ký, không dùng để phục hồi được: {check.message}")
        if later:
            newest = max(later, key=lambda e: e.last_id)
            notes.append(_loss(head, newest.last_id, newest.count, f"tệp neo {path.name} ({newest.written_at})"))
    return notes


def _loss(head: ChainHead, newer_id: int, newer_count: int, where: str) -> str:
    lost = max(newer_count - head.count, 0) if newer_count else newer_id - (head.last_id or 0)
    return (f"Bản sao lưu có nhật ký đến mục #{head.last_id or 0}; {where} đã có đến mục #{newer_id}: phục hồi sẽ "
            f"mất {lost} mục nhật ký ghi sau bản sao lưu, cùng những thay đổi (văn bản vào sổ, chuyển, sửa) của "
            "chúng.")


def check_snapshot(db: str, snapshot: Path) -> list[str]:
    """For a SQLite backup's extracted database: raises when it contradicts an anchor; returns what it loses."""
    current = current_chain(db)
    conn = chain_anchor.open_sqlite(snapshot)
    try:
        theirs = _chain_of(conn)
        if theirs.head is None:
            return []
        head = theirs.head

        def hash_at(event_id: int) -> str | None:
            row = conn.execute("SELECT hash FROM audit_events WHERE id = ?", (event_id,)).fetchone()
            return None if row is None else str(row[0] or "")

        def count_upto(event_id: int) -> int:
            return int(conn.execute("SELECT count(*) FROM audit_events WHERE id <= ?", (event_id,)).fetchone()[0])

        notes = _judge(head, _anchor_files([current, theirs]), hash_at, count_upto)
    finally:
        conn.close()
    return _against_current(current, head) + notes


def check_manifest(db: str, manifest: dict[str, Any]) -> list[str]:
    """For a PostgreSQL backup (its dump is not read): only the manifest's head can be held against anchors."""
    raw = manifest.get("audit_head") or {}
    if not raw.get("last_id"):
        return []
    head = ChainHead(int(raw["count"]), int(raw["last_id"]), str(raw["last_hash"]))
    current = current_chain(db)
    theirs = RegisterChain(head, manifest.get("register_uid"))
    anchored = {head.last_id: head.last_hash}
    notes = _judge(head, _anchor_files([current, theirs]), anchored.get, lambda _i: head.count, head_only=True)
    return _against_current(current, head) + notes


def _against_current(current: RegisterChain, head: ChainHead) -> list[str]:
    if current.head is None or current.head.last_id is None or (head.last_id or 0) >= current.head.last_id:
        return []
    return [_loss(head, current.head.last_id, current.head.count, "sổ hiện tại")]


def losses(db: str, audit_head: dict[str, Any] | None) -> list[str]:
    """Before asking to restore: what a backup made at this head loses against the current register."""
    raw = audit_head or {}
    if not raw.get("last_id"):
        return []
    head = ChainHead(int(raw["count"]), int(raw["last_id"]), str(raw["last_hash"]))
    return _against_current(current_chain(db), head)

