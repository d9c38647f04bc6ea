"""Backup and restore: one archive with the database snapshot, every attachment and a manifest."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
import time
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from app.core.errors import ValidationError, VanThuError
from app.core.records import IncomingInput
from app.services import Registry
from app.services import backup as backup_service
from app.services.registry import restore

WORKER = Path(__file__).with_name("register_worker.py")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def table_rows(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table (FTS index included), in a stable order."""
    conn = sqlite3.connect(db)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                            "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {name: sorted((tuple(row) for row in conn.execute(f'SELECT * FROM "{name}"')), key=repr)
                for name in names}
    finally:
        conn.close()


def store_files(folder: Path) -> dict[str, bytes]:
    store = folder / "attachments"
    return {str(p.relative_to(store)): p.read_bytes() for p in sorted(store.rglob("*")) if p.is_file()}


def filled(registry: Registry, tmp_path: Path, count: int = 25) -> Registry:
    registry.settings.set("agency.name", "SỞ Y TẾ TỈNH TÂY NINH")
    registry.settings.set("agency.abbreviation", "SYT")
    registry.demo.fill(count, year=2024)
    scans = tmp_path / "scans"
    scans.mkdir(exist_ok=True)
    for doc_id, name in ((1, "Công văn 1.pdf"), (2, "bản quét.pdf"), (3, "khác.pdf")):
        path = scans / name
        path.write_bytes(PDF + name.encode())
        registry.attachments.attach(doc_id, path)
    # a detached file is still part of the register's history
    registry.attachments.detach(registry.attachments.list(3)[0].id)
    return registry


def rebuild(source: Path, target: Path, change: dict[str, bytes] | None = None, drop: str | None = None,
            manifest_edit: dict | None = None, rehash: bool = True) -> Path:
    """Copy an archive with members changed or dropped; rehash: keep the manifest's hashes matching."""
    change = change or {}
    with zipfile.ZipFile(source) as old:
        members = {n: old.read(n) for n in old.namelist()}
    manifest = json.loads(members.pop(backup_service.MANIFEST))
    for name, data in change.items():
        members[name] = data
        if rehash:
            manifest["members"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    manifest.update(manifest_edit or {})
    with zipfile.ZipFile(target, "w") as new:
        for name, data in members.items():
            if name != drop:
                new.writestr(name, data)
        if drop != backup_service.MANIFEST:
            new.writestr(backup_service.MANIFEST, json.dumps(manifest))
    return target


def test_a_backup_restores_to_the_identical_register(registry: Registry, db_path: Path, tmp_path: Path) -> None:
    filled(registry, tmp_path)
    archive = tmp_path / "usb" / "so-van-thu.vanthu"
    info = registry.backups.create(archive)
    assert (info.documents, info.attachments, info.schema_revision) == (25, 3, registry.schema_revision()[1])
    registry.close()
    with zipfile.ZipFile(archive) as z:
        names = set(z.namelist())
        manifest = json.loads(z.read("manifest.json"))
    assert {"manifest.json", "register.sqlite3"} <= names and len(names) == 5
    assert manifest["format"] == "sovanthu-backup" and manifest["documents"] == 25
    assert [p.name for p in archive.parent.iterdir()] == [archive.name]  # no temporary file left behind

    target = tmp_path / "elsewhere" / "register.sqlite3"
    result = restore(str(target), archive)
    assert result.previous_backup is None and result.attachments_written == 3
    assert table_rows(target) == table_rows(db_path)
    assert store_files(target.parent) == store_files(db_path.parent)
    restored = Registry(str(target))
    try:
        assert restored.documents.get(1).id == 1
        assert restored.attachments.path(restored.attachments.list(1)[0].id).read_bytes().startswith(PDF)
        assert restored.settings.agency().abbreviation == "SYT"
    finally:
        restored.close()


def test_restore_replaces_the_register_and_keeps_a_backup_of_it(registry: Registry, db_path: Path,
                                                                tmp_path: Path) -> None:
    filled(registry, tmp_path, count=5)
    archive = registry.backups.create(tmp_path / "five.vanthu").path
    before = table_rows(db_path)
    registry.demo.fill(7, year=2025, allow_existing=True)
    after_more = table_rows(db_path)
    registry.close()

    result = restore(str(db_path), archive)
    assert table_rows(db_path) == before
    assert not Path(f"{db_path}-wal").exists() or Path(f"{db_path}-wal").stat().st_size == 0
    kept = Path(result.previous_backup or "")
    assert kept.parent == db_path.parent / "backups" and kept.name.startswith("truoc-phuc-hoi-")
    assert backup_service.inspect_backup(kept).documents == 12
    # the saved register comes back whole too
    restore(str(db_path), kept)
    assert table_rows(db_path) == after_more
    reopened = Registry(str(db_path))
    try:
        assert len(reopened.documents.list(reopened.documents.get(1).direction, 2025)) >= 1
    finally:
        reopened.close()


def test_restore_refuses_while_the_register_is_open_and_changes_nothing(registry: Registry, db_path: Path,
                                                                         tmp_path: Path) -> None:
    filled(registry, tmp_path, count=3)
    archive = registry.backups.create(tmp_path / "b.vanthu").path
    registry.demo.fill(2, year=2025, allow_existing=True)
    before = table_rows(db_path)
    with pytest.raises(VanThuError, match="đang được mở"):
        restore(str(db_path), archive)
    assert table_rows(db_path) == before
    assert registry.documents.get(5).id == 5  # the open register still works


@pytest.mark.parametrize("case", ["random", "text", "no-manifest", "tampered", "unlisted", "bad-name",
                                  "not-a-register", "newer-schema", "newer-format"])
def test_restore_refuses_what_is_not_a_sound_backup(case: str, registry: Registry, db_path: Path,
                                                     tmp_path: Path) -> None:
    filled(registry, tmp_path, count=3)
    good = Path(registry.backups.create(tmp_path / "good.vanthu").path)
    registry.close()
    bad = tmp_path / "bad.vanthu"
    expected = {"random": "không phải là bản sao lưu", "text": "không phải là bản sao lưu",
                "no-manifest": "không có manifest.json", "tampered": "mã băm của register.sqlite3 không khớp",
                "unlisted": "không có trong bảng kê", "bad-name": "thành phần lạ",
                "not-a-register": "không phải là sổ đăng ký", "newer-schema": "mới hơn",
                "newer-format": "phiên bản mới hơn"}[case]
    snapshot = zipfile.ZipFile(good).read("register.sqlite3")
    if case == "random":
        bad.write_bytes(bytes(range(256)) * 40)
    elif case == "text":
        bad.write_text("Sổ đăng ký văn bản đến\n", encoding="utf-8")
    elif case == "no-manifest":
        rebuild(good, bad, drop=backup_service.MANIFEST)
    elif case == "tampered":
        rebuild(good, bad, change={"register.sqlite3": snapshot[:-1] + b"\x01"}, rehash=False)
    elif case == "unlisted":
        with zipfile.ZipFile(rebuild(good, bad), "a") as z:
            z.writestr("attachments/00/evil.pdf", b"x")
    elif case == "bad-name":
        rebuild(good, bad, change={"../../evil.sh": b"rm -rf /"})
    elif case == "not-a-register":
        other = tmp_path / "other.sqlite3"
        conn = sqlite3.connect(other)
        conn.execute("CREATE TABLE contacts (name TEXT)")
        conn.commit()
        conn.close()
        rebuild(good, bad, change={"register.sqlite3": other.read_bytes()})
    elif case == "newer-schema":
        newer = tmp_path / "newer.sqlite3"
        newer.write_bytes(snapshot)
        conn = sqlite3.connect(newer)
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
        conn.commit()
        conn.close()
        rebuild(good, bad, change={"register.sqlite3": newer.read_bytes()})
    elif case == "newer-format":
        rebuild(good, bad, manifest_edit={"format_version": 99})
    before = table_rows(db_path)
    with pytest.raises(ValidationError, match=expected):
        restore(str(db_path), bad)
    assert table_rows(db_path) == before
    assert not (db_path.parent / "backups").exists()  # refused before the current register was even touched
    assert sorted(p.name for p in db_path.parent.iterdir() if p.name.startswith(".")) == []


def test_newer_schema_in_the_manifest_alone_is_refused_too(registry: Registry, tmp_path: Path) -> None:
    good = Path(registry.backups.create(tmp_path / "good.vanthu").path)
    bad = rebuild(good, tmp_path / "bad.vanthu", manifest_edit={"schema_revision": "9999"})
    with pytest.raises(ValidationError, match="lược đồ 9999, mới hơn"):
        backup_service.inspect_backup(bad)


def test_backup_refuses_to_overwrite_the_database_or_a_missing_register(registry: Registry, db_path: Path,
                                                                          tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="chính tệp cơ sở dữ liệu"):
        registry.backups.create(db_path)
    with pytest.raises(ValidationError, match="là một thư mục"):
        registry.backups.create(tmp_path)
    with pytest.raises(ValidationError, match="không có sổ đăng ký"):
        backup_service.backup(str(tmp_path / "none.sqlite3"), tmp_path / "x.vanthu")
    assert not (tmp_path / "x.vanthu").exists()


def test_backup_while_another_process_writes_is_consistent(registry: Registry, db_path: Path,
                                                           tmp_path: Path) -> None:
    go = tmp_path / "go"
    worker = subprocess.Popen([sys.executable, str(WORKER), str(db_path), "1", "120", str(go)])
    go.touch()
    archives = []
    try:
        deadline = time.monotonic() + 60
        while not registry.documents.years() and time.monotonic() < deadline:  # wait for the worker's first entry
            time.sleep(0.01)
        while worker.poll() is None and len(archives) < 60:
            archives.append(Path(registry.backups.create(tmp_path / f"b{len(archives)}.vanthu").path))
    finally:
        assert worker.wait(timeout=120) == 0
    archives.append(Path(registry.backups.create(tmp_path / "last.vanthu").path))
    counts = []
    for archive in archives:
        info = backup_service.inspect_backup(archive)
        target = tmp_path / "check" / archive.stem / "r.sqlite3"
        restore(str(target), archive)
        conn = sqlite3.connect(target)
        numbers = sorted(r[0] for r in conn.execute("SELECT number FROM documents"))
        last = conn.execute("SELECT coalesce(max(last_number), 0) FROM number_sequences").fetchone()[0]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
        assert numbers == list(range(1, len(numbers) + 1)) and last == len(numbers) == info.documents
        counts.append(len(numbers))
    assert counts[-1] == 120 and counts == sorted(counts)
    assert any(0 < c < 120 for c in counts)  # some were really taken in the middle of the writing


def test_auto_backup_makes_one_a_day_and_keeps_the_last_n(registry: Registry, db_path: Path) -> None:
    registry.documents.register_incoming(IncomingInput(issuer="SỞ Y TẾ", reference="1/SYT-VP", issued_on="01/03/2024",
                                             received_on="02/03/2024", doc_type="Công văn", subject="Thử"))
    db = str(db_path)
    folder = db_path.parent / "backups"
    first = backup_service.auto_backup(db, keep=3, now=datetime(2025, 5, 1, 8, 0))
    assert first and first.startswith("Đã tự động sao lưu sổ (1 văn bản")
    assert backup_service.auto_backup(db, keep=3, now=datetime(2025, 5, 1, 17, 30)) is None  # one a day
    for day in range(2, 7):
        assert backup_service.auto_backup(db, keep=3, now=datetime(2025, 5, day, 8, 0))
    assert sorted(p.name for p in folder.iterdir()) == [
        "auto-20250504-080000.vanthu", "auto-20250505-080000.vanthu", "auto-20250506-080000.vanthu"]
    listed = backup_service.list_backups(db)
    assert len(listed) == 3 and all(b.documents == 1 for b in listed)
    # the agency's setting, when no keep is given
    registry.settings.set("backup.keep", "2")
    assert registry.backups.auto() is not None  # today (real clock) has none yet
    assert len(list(folder.iterdir())) == 2
    with pytest.raises(ValidationError):
        registry.settings.set("backup.keep", "0")


def test_auto_backup_never_fails_the_start(registry: Registry, db_path: Path, tmp_path: Path) -> None:
    (db_path.parent / "backups").write_text("a file where the folder should be")
    message = backup_service.auto_backup(str(db_path))
    assert message is not None and message.startswith("Không tự động sao lưu được sổ")
    assert backup_service.auto_backup(str(tmp_path / "missing.sqlite3")) is None  # no register yet: nothing to do


def test_postgres_without_pg_dump_says_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(backup_service.databases.shutil, "which", lambda _name: None)
    with pytest.raises(VanThuError, match="Không tìm thấy chương trình pg_dump"):
        backup_service.backup("postgresql+psycopg://van_thu:secret@localhost:5432/sovanthu", tmp_path / "x.vanthu")
    assert not (tmp_path / "x.vanthu").exists()


def test_postgres_backup_restores_into_another_database(postgres, monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
                                                        tmp_path: Path) -> None:
    """pg_dump -Fc into the archive, pg_restore --clean into another database: the same register."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # attachments and backups of a server database
    first_name, first = postgres.new_database()
    second_name, second = postgres.new_database()
    try:
        source = Registry(first, actor="van_thu_test")
        source.demo.fill(8, year=2024)
        archive = source.backups.create(tmp_path / "pg.vanthu")
        expected = [d.reference for d in source.documents.list(source.documents.get(1).direction, 2024)]
        source.close()
        assert archive.dialect == "postgresql" and archive.documents == 8
        Registry(second, actor="van_thu_test").close()  # an existing (empty) register gets replaced
        result = restore(second, archive.path)
        assert result.previous_backup is not None
        target = Registry(second, actor="van_thu_test")
        try:
            assert [d.reference for d in target.documents.list(target.documents.get(1).direction, 2024)] == expected
        finally:
            target.close()
    finally:
        postgres.drop_database(first_name)
        postgres.drop_database(second_name)


def older_register(db_path: Path, revision: str = "0004") -> None:
    """A register left by an older version of the app: one document, schema at `revision`."""
    from alembic import command

    from app.db.migrate import alembic_config

    reg = Registry(str(db_path), actor="ban_cu")
    reg.documents.register_incoming(IncomingInput(issuer="SỞ Y TẾ", reference="7/SYT-VP", issued_on="01/03/2024",
                                        received_on="02/03/2024", doc_type="Công văn", subject="Trước nâng cấp"))
    command.downgrade(alembic_config(reg.db.engine), revision)
    reg.close()


def test_opening_an_older_register_backs_it_up_before_migrating(db_path: Path) -> None:
    from app.db.migrate import HEAD_REVISION

    older_register(db_path)
    reg = Registry(str(db_path))
    try:
        assert reg.schema_revision() == (HEAD_REVISION, HEAD_REVISION)
        backup = Path(reg.upgrade_backup or "")
        assert backup.parent == db_path.parent / "backups" and backup.name.startswith("truoc-nang-cap-0004-")
        assert "bản sao lưu trước khi nâng cấp" in (reg.upgrade_note() or "")
        info = backup_service.inspect_backup(backup)
        assert (info.schema_revision, info.documents) == ("0004", 1)  # the register as it was, not as it became
        assert reg.documents.get(1).subject == "Trước nâng cấp"
    finally:
        reg.close()
    again = Registry(str(db_path))  # already current: no second backup
    assert again.upgrade_backup is None and again.upgrade_note() is None
    again.close()
    assert len(list((db_path.parent / "backups").iterdir())) == 1


def test_no_backup_no_upgrade_and_the_register_is_untouched(db_path: Path) -> None:
    older_register(db_path)
    (db_path.parent / "backups").write_text("a file where the folder should be")
    with pytest.raises(VanThuError, match=r"Chưa nâng cấp cơ sở dữ liệu \(lược đồ 0004.*Sổ chưa bị thay đổi"):
        Registry(str(db_path))
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0004"
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    conn.close()


def test_cli_says_where_the_pre_upgrade_backup_is(db_path: Path) -> None:
    older_register(db_path)
    done = subprocess.run([sys.executable, "-m", "app", "--db", str(db_path), "incoming", "list", "--year", "2024"],
                          capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr
    assert "bản sao lưu trước khi nâng cấp:" in done.stderr and "truoc-nang-cap-0004-" in done.stderr
    assert "7/SYT-VP" in done.stdout
