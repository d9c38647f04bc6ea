"""The audit chain against its anchors, read in a register session: its head, the anchor file, a backup, a code."""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.errors import ValidationError
from app.core.validation import shown
from app.models import AuditEvent, Setting
from app.services import audit
from app.services.chain_anchor import (
    ANCHOR_DIR_SETTING,
    UID_SETTING,
    AnchorEntry,
    ChainComparison,
    ChainHead,
    Fetch,
    compare_chains,
    compare_entries,
    open_sqlite,
    parse_code,
    read_anchor_file,
    sqlite_fetch,
    sqlite_head,
)

_FIELD, _LABEL = "against", "Đối chiếu với"


def head(session: Session) -> ChainHead:
    last = session.execute(select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)).first()
    if last is None:
        return ChainHead(0, None, None)
    return ChainHead(session.scalar(select(func.count(AuditEvent.id))) or 0, int(last[0]), str(last[1] or ""))


def _fetch(session: Session) -> Fetch:
    def fetch(after: int, limit: int) -> list[tuple[int, str]]:
        query = select(AuditEvent.id, AuditEvent.hash).where(AuditEvent.id > after).order_by(AuditEvent.id)
        return [(int(i), str(h or "")) for i, h in session.execute(query.limit(limit))]

    return fetch


def _hash_at(session: Session, event_id: int) -> str | None:
    found = session.execute(select(AuditEvent.hash).where(AuditEvent.id == event_id)).first()
    return None if found is None else str(found[0] or "")


def _count_upto(session: Session, event_id: int) -> int:
    return session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.id <= event_id)) or 0


def register_uid(session: Session) -> str | None:
    row = session.get(Setting, UID_SETTING)
    return row.value if row is not None and row.value else None


def ensure_uid(session: Session, actor: str) -> str:
    """The register's own name for its anchor file, made once (in a write transaction) and audited."""
    found = register_uid(session)
    if found:
        return found
    made = uuid.uuid4().hex
    session.add(Setting(key=UID_SETTING, value=made))
    audit.record(session, actor, "settings", "setting", None, {UID_SETTING: None}, {UID_SETTING: made})
    return made


def anchor_folder(session: Session) -> Path | None:
    row = session.get(Setting, ANCHOR_DIR_SETTING)
    return Path(row.value).expanduser() if row is not None and row.value.strip() else None


def against_entries(session: Session, source: str, entries: list[AnchorEntry]) -> ChainComparison:
    return compare_entries(source, entries, lambda i: _hash_at(session, i), head(session),
                           lambda i: _count_upto(session, i))


def against_code(session: Session, code: str) -> ChainComparison | None:
    parsed = parse_code(code)
    if parsed is None:
        return None
    # The paper carries no count: it is the number of events up to the anchored one in this chain (when the
    # chain was cut there, the comparison says so before the count matters).
    event_id, short_hash = parsed
    return against_entries(session, f"mã kiểm tra trên giấy #{event_id}",
                           [AnchorEntry("", _count_upto(session, event_id), event_id, short_hash)])


def against_backup(session: Session, path: Path) -> ChainComparison:
    """Every event of the backup's chain against this register's, the first that differs named."""
    from app.services.backup.snapshot import snapshot_of  # the backup machinery only when a backup is compared

    source = f"bản sao lưu {path.name}"
    with snapshot_of(path) as snap:
        notes = []
        theirs, mine = snap.manifest.get("register_uid"), register_uid(session)
        if theirs and mine and theirs != mine:
            notes.append(f"{source} là của một sổ khác (mã sổ {theirs[:8]}…, sổ này {mine[:8]}…).")
        if snap.database is None:  # PostgreSQL: its dump is not read here; its manifest holds the head
            anchored = snap.manifest.get("audit_head") or {}
            if not anchored.get("last_id"):
                raise ValidationError.single(_FIELD, _LABEL, f"{source} không ghi đầu chuỗi nhật ký (bản cũ).")
            entry = AnchorEntry(str(snap.manifest.get("created_at", "")), int(anchored["count"]),
                                int(anchored["last_id"]), str(anchored["last_hash"]))
            result = against_entries(session, source, [entry])
        else:
            conn = open_sqlite(snap.database)
            try:
                result = compare_chains(source, sqlite_fetch(conn), sqlite_head(conn), _fetch(session), head(session))
            finally:
                conn.close()
    return ChainComparison(result.ok, result.source, result.anchored, result.current, result.first_difference,
                           result.problem, result.message, notes + result.notes)


def against(session: Session, target: str | Path) -> ChainComparison:
    """Compare the chain with a backup (.vanthu), an anchor file (.json) or a code as printed on paper."""
    text = str(target).strip()
    if not text:
        raise ValidationError.single(_FIELD, _LABEL, "chưa ghi tệp sao lưu, tệp neo hay mã kiểm tra để đối chiếu.")
    by_code = against_code(session, text)
    if by_code is not None:
        return by_code
    path = Path(text).expanduser()
    try:
        found = path.is_file()
    except OSError:  # a name too long for the file system, a folder it may not read
        found = False
    if not found:
        raise ValidationError.single(_FIELD, _LABEL, f"không tìm thấy tệp {shown(path)} (cần tệp sao lưu .vanthu, "
                                                     "tệp neo .json, hoặc mã kiểm tra dạng '#123, 0123456789abcdef').")
    if path.suffix.lower() == ".json":
        try:
            _header, entries = read_anchor_file(path)
        except ValueError as exc:
            raise ValidationError.single(_FIELD, _LABEL, str(exc)) from None
        return against_entries(session, f"tệp neo {path.name}", entries)
    return against_backup(session, path)


def newest_backup(session: Session, db: str) -> ChainComparison | None:
    """Against the newest readable backup beside the register (what the audit view shows on open)."""
    from app.services import backup

    for info in backup.list_backups(db):
        try:
            return against_backup(session, Path(info.path))
        except ValidationError:
            continue  # a damaged or foreign file: the next one
    return None
