"""Audit anchors outside the database: the attacks a holder of the file can make on the chain, each caught
against a backup and against the anchor file, with the event number in the message; and a restore refused."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.core.errors import ValidationError
from app.core.records import IncomingInput
from app.models import AuditEvent
from app.services import Registry, audit
from app.services.chain_anchor import ANCHOR_DIR_SETTING, anchor_path
from app.services.printouts import RegisterRange
from app.services.registry import restore
from tests.conftest import run_cli
from tests.printing.pdf_read import page_texts


def incoming(i: int) -> IncomingInput:
    return IncomingInput(issuer="SỞ Y TẾ", reference=f"{i}/UBND-VP", issued_on="05/03/2024",
                         received_on="05/03/2024", doc_type="Công văn", subject=f"Văn bản số {i} về tiêm chủng")


def fill(registry: Registry, count: int, start: int = 1) -> list[int]:
    return [registry.documents.register_incoming(incoming(i)).id for i in range(start, start + count)]


def anchored(registry: Registry, tmp_path: Path) -> Path:
    """An anchor folder (the USB stick) set, and the chain's head written into it."""
    folder = tmp_path / "usb"
    folder.mkdir(exist_ok=True)
    registry.settings.set(ANCHOR_DIR_SETTING, str(folder))
    note = registry.anchors.write()
    assert note is not None and not note.warning, note
    files = list(folder.glob("*.json"))
    assert len(files) == 1
    return files[0]


def _guards_off(conn: sa.Connection) -> None:
    if conn.dialect.name == "sqlite":
        for name in ("audit_no_update", "audit_no_delete", "documents_no_delete"):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    else:
        conn.exec_driver_sql("ALTER TABLE audit_events DISABLE TRIGGER USER")


def rewrite(registry: Registry, event_id: int, doc_id: int) -> None:
    """The attack: change an event's `after` and the document's subject, then recompute every hash after it
    with the documented unkeyed SHA-256, so the chain verifies again."""
    with registry.db.engine.begin() as conn:
        _guards_off(conn)
        conn.execute(sa.text("UPDATE documents SET subject = 'Trích yếu đã bị thay' WHERE id = :i"), {"i": doc_id})
        with Session(bind=conn) as s:
            events = list(s.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)))
            prev = audit.GENESIS
            for event in events:
                if event.id == event_id:
                    event.after = {**(event.after or {}), "subject": "Trích yếu đã bị thay"}
                event.prev_hash = prev
                event.hash = audit.event_hash(prev, event.at, event.actor, event.action, event.entity,
                                              event.entity_id, event.before, event.after)
                prev = event.hash
            s.flush()


def cut(registry: Registry, keep_upto: int) -> None:
    with registry.db.engine.begin() as conn:
        _guards_off(conn)
        conn.execute(sa.text("DELETE FROM audit_events WHERE id > :i"), {"i": keep_upto})


def head_id(registry: Registry) -> int:
    last = registry.anchors.head().last_id
    assert last is not None
    return last


def test_a_rewrite_with_recomputed_hashes_verifies_alone_but_not_against_its_anchors(
        registry: Registry, db_path: Path, tmp_path: Path) -> None:
    ids = fill(registry, 4)
    backup = registry.backups.create(tmp_path / "truoc.vanthu")
    anchor = anchored(registry, tmp_path)
    top = head_id(registry)
    paper = registry.anchors.head().code
    victim = registry.audit.events(document_id=ids[1], action="create")[0].id
    rewrite(registry, victim, ids[1])
    assert registry.audit.verify().ok  # the attack the chain alone cannot see

    against_backup = registry.anchors.check(backup.path)
    assert not against_backup.ok and against_backup.problem == "altered"
    assert against_backup.first_difference == victim and f"#{victim}" in against_backup.message

    against_file = registry.anchors.check(anchor)
    assert not against_file.ok and against_file.problem == "altered"
    assert against_file.first_difference == top and f"#{top}" in against_file.message
    assert f"#1–#{top}" in against_file.message  # the range where the first changed event lies

    against_paper = registry.anchors.check(paper)
    assert not against_paper.ok and f"#{top}" in against_paper.message

    note = registry.anchors.write()  # the end of the session: the anchor is not moved onto the rewritten chain
    assert note is not None and note.warning and f"#{top}" in note.message
    assert len(json.loads(anchor.read_text(encoding="utf-8"))["anchors"]) == 1

    registry.close()
    done = run_cli("audit", "verify", "--against", str(backup.path), db=db_path)
    assert done.returncode == 2 and f"mục #{victim}" in done.stderr, done.stderr
    done = run_cli("audit", "verify", "--against", str(anchor), "--json", db=db_path)
    assert done.returncode == 2
    shown = json.loads(done.stdout)
    assert shown["ok"] is True and shown["against"]["ok"] is False
    assert shown["against"]["first_difference"] == top


def test_deleting_the_newest_events_is_caught(registry: Registry, tmp_path: Path) -> None:
    fill(registry, 5)
    backup = registry.backups.create(tmp_path / "day-du.vanthu")
    anchor = anchored(registry, tmp_path)
    top = head_id(registry)
    cut(registry, top - 3)
    assert registry.audit.verify().ok  # a shorter chain is still a valid chain

    for target in (backup.path, anchor):
        check = registry.anchors.check(target)
        assert not check.ok and check.problem == "cut", check
        assert f"#{top - 3}" in check.message
    check = registry.anchors.check(backup.path)
    assert backup.audit_head is not None and backup.audit_head["last_id"] > top - 3
    assert check.first_difference == top - 2  # the first event the backup has and the register lost


def test_the_whole_file_replaced_by_an_older_copy_is_caught(registry: Registry, db_path: Path,
                                                            tmp_path: Path) -> None:
    fill(registry, 2)
    registry.close()
    shutil.copy(db_path, tmp_path / "cu.db")
    registry = Registry(str(db_path), actor="van_thu_test")
    fill(registry, 3, start=10)
    backup = registry.backups.create(tmp_path / "moi.vanthu")
    anchor = anchored(registry, tmp_path)
    top = head_id(registry)
    registry.close()
    shutil.copy(tmp_path / "cu.db", db_path)  # the attacker's older copy, with its (valid) shorter chain
    registry = Registry(str(db_path), actor="van_thu_test")
    try:
        assert registry.audit.verify().ok
        registry.settings.all()
        for target, last in ((backup.path, backup.audit_head["last_id"]), (anchor, top)):  # type: ignore[index]
            check = registry.anchors.check(target)
            assert not check.ok and check.problem == "cut" and f"đến mục #{last}" in check.message, check
        assert registry.anchors.check_newest_backup() is None  # nothing beside the register: backups went to tmp
    finally:
        registry.close()


def test_a_backup_of_the_rewritten_register_is_refused_as_the_basis_of_a_restore(
        registry: Registry, db_path: Path, tmp_path: Path) -> None:
    ids = fill(registry, 3)
    honest = registry.backups.create(tmp_path / "cu-ma-that.vanthu")
    fill(registry, 2, start=20)
    anchored(registry, tmp_path)
    top = head_id(registry)
    victim = registry.audit.events(document_id=ids[0], action="create")[0].id
    rewrite(registry, victim, ids[0])
    forged = registry.backups.create(tmp_path / "gia.vanthu")
    registry.close()
    before = db_path.read_bytes()
    with pytest.raises(ValidationError) as refused:
        restore(str(db_path), forged.path)
    assert "mâu thuẫn với tệp neo" in str(refused.value) and f"#{top}" in str(refused.value)
    assert db_path.read_bytes() == before  # nothing replaced

    # An honest older backup restores, saying how much of the trail is lost against the newer anchor.
    done = restore(str(db_path), honest.path)
    lost = [n for n in done.notes if "mất" in n]
    assert lost and f"#{top}" in " ".join(lost), done.notes


def test_every_backup_manifest_and_printout_carries_the_chain_head(registry: Registry, db_path: Path,
                                                                    tmp_path: Path) -> None:
    registry.settings.set("agency.name", "SỞ Y TẾ TỈNH TÂY NINH")
    ids = fill(registry, 2)
    head = registry.anchors.head()
    made = registry.backups.create(tmp_path / "b.vanthu")
    with zipfile.ZipFile(made.path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["audit_head"] == {"count": head.count, "last_id": head.last_id, "last_hash": head.last_hash}
    assert registry.anchors.check(made.path).ok

    book, _entries, _pages = registry.printouts.register(RegisterRange("incoming", 2024), tmp_path / "so.pdf")
    assert f"Mã kiểm tra nhật ký: {registry.anchors.head().code}" in " ".join(page_texts(book))
    registry.directory.add_department("Văn phòng")
    registry.routing.route(ids[0], "Văn phòng")
    code = registry.anchors.head().code
    sheet = registry.printouts.handover("Văn phòng", None, tmp_path / "giao.pdf")
    assert f"Mã kiểm tra nhật ký: {code}" in " ".join(page_texts(sheet))
    assert registry.anchors.check(code).ok and "sau đó có thêm 0 mục" in registry.anchors.check(code).message
    registry.directory.add_department("Phòng Kế hoạch")  # one event later, the paper still anchors the chain
    assert "sau đó có thêm 1 mục" in registry.anchors.check(code).message


def test_the_anchor_file_grows_only_when_the_chain_does(registry: Registry, tmp_path: Path) -> None:
    fill(registry, 1)
    anchor = anchored(registry, tmp_path)
    assert registry.anchors.write() is None  # nothing new
    fill(registry, 1, start=5)
    assert registry.anchors.write() is not None
    entries = json.loads(anchor.read_text(encoding="utf-8"))["anchors"]
    assert [e["last_id"] for e in entries] == sorted(e["last_id"] for e in entries) and len(entries) == 2
    assert anchor == anchor_path(anchor.parent, anchor.stem.removeprefix("so-van-thu-neo-"))
    anchor.write_text("{không phải json", encoding="utf-8")
    note = registry.anchors.write()
    assert note is not None and note.warning and "JSON" in note.message
    with pytest.raises(ValidationError, match="không phải là tệp neo"):
        registry.anchors.check(anchor)
