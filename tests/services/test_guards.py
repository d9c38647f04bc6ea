"""Protective triggers that cannot be lost: re-created on open, kept by every migration, required of a backup."""

from __future__ import annotations

import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from app.core.enums import Direction
from app.core.errors import ValidationError, VanThuError
from app.core.records import DocumentQuery, IncomingInput
from app.db import guards
from app.db.migrate import HEAD_REVISION, MIGRATIONS, GuardWatch, alembic_config, current_revision
from app.services import Registry
from app.services.registry import restore
from tests.conftest import run_cli
from tests.services.test_backup import rebuild, table_rows

PROTECTIVE = ["documents_no_delete", "documents_number_fixed", "sequences_no_rewind", "sequences_no_delete",
              "audit_no_update", "audit_no_delete", "audit_hash_required"]
# 0008: signature checks are kept as written; trust data is flagged out, never deleted.
SIGNATURE_GUARDS = ["signature_checks_no_update", "signature_checks_no_delete", "trusted_certificates_no_delete",
                    "revocation_lists_no_delete",
                    # 0009: the edXML messages received, sent and refused are kept as written.
                    "edxml_messages_no_update", "edxml_messages_no_delete"]
SEARCH_SYNC = ["documents_body_insert", "bodies_fts_insert", "bodies_fts_update", "bodies_fts_delete",
               "documents_body_entry"]


def triggers(db: Path) -> dict[str, str]:
    conn = sqlite3.connect(db)
    try:
        return {name: sql for name, sql in conn.execute("SELECT name, sql FROM sqlite_master WHERE type='trigger'")}
    finally:
        conn.close()


def tamper(db: Path, *statements: str) -> None:
    """Change a register file behind the app's back, as any SQLite tool could."""
    conn = sqlite3.connect(db)
    try:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def drop_all(db: Path) -> list[str]:
    names = list(triggers(db))
    tamper(db, *(f"DROP TRIGGER {name}" for name in names))
    return names


def one_entry(registry: Registry, subject: str = "Kế hoạch phòng chống dịch") -> int:
    return registry.documents.register_incoming(IncomingInput(
        issuer="SỞ Y TẾ", reference="12/SYT-VP", issued_on="01/03/2024", received_on="02/03/2024",
        doc_type="Công văn", subject=subject)).id


def refuses_delete(db: Path) -> bool:
    conn = sqlite3.connect(db)
    try:
        conn.execute("DELETE FROM documents")
        conn.rollback()
        return False
    except sqlite3.DatabaseError as exc:
        return "never deleted" in str(exc)
    finally:
        conn.close()


# (d) the frozen definitions are exactly what the migrations create ----------------------------------------------

def test_a_fresh_register_has_exactly_the_triggers_guards_expects(registry: Registry, db_path: Path) -> None:
    found = {name: guards.normalised(sql) for name, sql in triggers(db_path).items()}
    assert found == {name: guards.normalised(sql) for name, sql in guards.expected("sqlite").items()}
    assert sorted(found) == sorted(PROTECTIVE + SEARCH_SYNC + SIGNATURE_GUARDS)
    with registry.db.engine.connect() as conn:
        assert guards.missing_or_altered(conn) == []


# (a) dropped triggers come back on open, audited, with a notice -------------------------------------------------

def test_dropped_triggers_are_recreated_on_open_audited_and_announced(registry: Registry, db_path: Path) -> None:
    doc_id = one_entry(registry)
    registry.close()
    assert sorted(drop_all(db_path)) == sorted(PROTECTIVE + SEARCH_SYNC + SIGNATURE_GUARDS)
    assert not refuses_delete(db_path)  # the hole the check closes
    tamper(db_path, "INSERT INTO bodies_fts(bodies_fts) VALUES ('delete-all')")  # what the index then loses

    reopened = Registry(str(db_path), actor="van_thu_test")
    try:
        notice = reopened.upgrade_note() or ""
        assert notice.startswith("Sổ thiếu 18 cơ chế bảo vệ (documents_no_delete, documents_number_fixed, ")
        assert notice.endswith("; chương trình đã tạo lại và ghi vào nhật ký.")
        event = reopened.audit.events()[0]
        assert (event.actor, event.action, event.entity) == ("van_thu_test", "repair", "guards")
        assert event.after == {"repaired": PROTECTIVE + SEARCH_SYNC + SIGNATURE_GUARDS}
        assert event.before == {"missing": PROTECTIVE + SEARCH_SYNC + SIGNATURE_GUARDS, "altered": []}
        assert reopened.audit.verify().ok
        # the FTS index was rebuilt with the sync triggers: the entry is found again
        found = reopened.documents.search(DocumentQuery(direction=Direction.INCOMING, text="phong chong dich"))
        assert [d.id for d in found] == [doc_id]
    finally:
        reopened.close()
    assert triggers(db_path).keys() == guards.expected("sqlite").keys()
    assert refuses_delete(db_path)

    again = Registry(str(db_path), actor="van_thu_test")  # nothing missing any more: no notice, no new event
    try:
        assert again.upgrade_note() is None and again.audit.count(action="repair") == 1
    finally:
        again.close()


def test_the_cli_names_the_recreated_triggers_on_stderr(registry: Registry, db_path: Path) -> None:
    one_entry(registry)
    registry.close()
    tamper(db_path, "DROP TRIGGER documents_no_delete", "DROP TRIGGER audit_no_delete")
    done = run_cli("incoming", "list", "--year", "2024", db=db_path)
    assert done.returncode == 0, done.stderr
    assert ("Sổ thiếu 2 cơ chế bảo vệ (documents_no_delete, audit_no_delete); chương trình đã tạo lại và ghi vào "
            "nhật ký.") in done.stderr
    assert "12/SYT-VP" in done.stdout
    assert refuses_delete(db_path)


# (c) an altered trigger is found and replaced -------------------------------------------------------------------

def test_an_altered_trigger_is_detected_and_repaired(registry: Registry, db_path: Path) -> None:
    one_entry(registry)
    registry.close()
    tamper(db_path, "DROP TRIGGER documents_no_delete",
           "CREATE TRIGGER documents_no_delete BEFORE DELETE ON documents FOR EACH ROW WHEN 0 "
           "BEGIN SELECT RAISE(ABORT, 'register entries are never deleted; cancel them instead'); END")
    assert not refuses_delete(db_path)
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.connect() as conn:
        assert guards.missing_or_altered(conn) == [guards.GuardProblem("documents_no_delete", "bị sửa")]
    engine.dispose()

    reopened = Registry(str(db_path), actor="van_thu_test")
    try:
        assert reopened.upgrade_note() == ("Sổ có 1 cơ chế bảo vệ bị sửa (documents_no_delete); chương trình đã tạo "
                                           "lại và ghi vào nhật ký.")
        assert reopened.audit.events()[0].before == {"missing": [], "altered": ["documents_no_delete"]}
    finally:
        reopened.close()
    assert guards.normalised(triggers(db_path)["documents_no_delete"]) == \
        guards.normalised(guards.expected("sqlite")["documents_no_delete"])
    assert refuses_delete(db_path)


def test_whitespace_alone_is_not_an_alteration(registry: Registry, db_path: Path) -> None:
    registry.close()
    sql = guards.expected("sqlite")["sequences_no_delete"]
    tamper(db_path, "DROP TRIGGER sequences_no_delete", sql.replace(" ", "\n    "))
    reopened = Registry(str(db_path), actor="van_thu_test")
    try:
        assert reopened.upgrade_note() is None
    finally:
        reopened.close()


# (b) a backup without its triggers is refused, the register untouched ------------------------------------------

def _triggerless(registry: Registry, db_path: Path, tmp_path: Path, revision: str | None = None) -> Path:
    """A sound backup of a one-entry register whose snapshot then had every trigger dropped, manifest rehashed."""
    one_entry(registry)
    good = Path(registry.backups.create(tmp_path / "good.vanthu").path)
    registry.close()
    snapshot = tmp_path / "snapshot.sqlite3"
    snapshot.write_bytes(zipfile.ZipFile(good).read("register.sqlite3"))
    if revision:
        from alembic import command

        engine = create_engine(f"sqlite:///{snapshot}")
        command.downgrade(alembic_config(engine), revision)
        engine.dispose()
    drop_all(snapshot)
    edit = {"schema_revision": revision} if revision else None
    return rebuild(good, tmp_path / "bad.vanthu", change={"register.sqlite3": snapshot.read_bytes()},
                   manifest_edit=edit)


@pytest.mark.parametrize("revision", [None, "0004"])
def test_a_backup_without_its_triggers_is_refused_and_nothing_changes(revision: str | None, registry: Registry,
                                                                      db_path: Path, tmp_path: Path) -> None:
    bad = _triggerless(registry, db_path, tmp_path, revision)
    before = table_rows(db_path)
    with pytest.raises(ValidationError, match=r"thiếu \d+ cơ chế bảo vệ \(documents_no_delete, "
                                              r"documents_number_fixed, .*sổ hiện tại giữ nguyên") as refused:
        restore(str(db_path), bad)
    assert all(name in str(refused.value) for name in PROTECTIVE)
    assert table_rows(db_path) == before
    assert triggers(db_path).keys() == guards.expected("sqlite").keys()
    assert not (db_path.parent / "backups").exists()  # refused before the current register was backed up
    assert sorted(p.name for p in db_path.parent.iterdir() if p.name.startswith(".")) == []


def test_a_backup_with_an_altered_trigger_is_refused(registry: Registry, db_path: Path, tmp_path: Path) -> None:
    one_entry(registry)
    good = Path(registry.backups.create(tmp_path / "good.vanthu").path)
    registry.close()
    snapshot = tmp_path / "snapshot.sqlite3"
    snapshot.write_bytes(zipfile.ZipFile(good).read("register.sqlite3"))
    tamper(snapshot, "DROP TRIGGER audit_no_update",
           "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_events FOR EACH ROW WHEN 0 "
           "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END")
    bad = rebuild(good, tmp_path / "bad.vanthu", change={"register.sqlite3": snapshot.read_bytes()})
    before = table_rows(db_path)
    with pytest.raises(ValidationError, match=r"có 1 cơ chế bảo vệ bị sửa \(audit_no_update\)"):
        restore(str(db_path), bad)
    assert table_rows(db_path) == before


def test_the_cli_refuses_the_triggerless_backup_with_exit_2(registry: Registry, db_path: Path,
                                                            tmp_path: Path) -> None:
    bad = _triggerless(registry, db_path, tmp_path)
    before = table_rows(db_path)
    done = run_cli("restore", str(bad), "--yes", db=db_path)
    assert done.returncode == 2, done.stderr
    assert "thiếu 18 cơ chế bảo vệ (documents_no_delete" in done.stderr and "sổ hiện tại giữ nguyên" in done.stderr
    assert table_rows(db_path) == before


# every migration step keeps the guards --------------------------------------------------------------------------

def test_a_migration_that_loses_triggers_fails_and_is_rolled_back(registry: Registry, db_path: Path,
                                                                  tmp_path: Path) -> None:
    """The real way to lose them: a batch ALTER on SQLite copies `documents` without its triggers."""
    from alembic import command

    registry.close()
    scripts = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "0099_batch_copy.py").write_text(
        '"""A careless migration: a batch ALTER of documents."""\n'
        "import sqlalchemy as sa\nfrom alembic import op\n\n"
        f"revision = '0099'\ndown_revision = '{HEAD_REVISION}'\nbranch_labels = None\ndepends_on = None\n\n\n"
        "def upgrade() -> None:\n"
        "    with op.batch_alter_table('documents', recreate='always') as batch_op:\n"
        "        batch_op.add_column(sa.Column('extra', sa.Text(), nullable=True))\n\n\n"
        "def downgrade() -> None:\n    pass\n", encoding="utf-8")
    engine = create_engine(f"sqlite:///{db_path}")
    config = alembic_config(engine)
    config.set_main_option("script_location", str(scripts))
    config.attributes["on_version_apply"] = [GuardWatch(engine, HEAD_REVISION)]
    with pytest.raises(VanThuError, match=r"Bước nâng cấp lược đồ 0099 làm sổ thiếu 4 cơ chế bảo vệ "
                                          r"\(documents_no_delete, documents_number_fixed, documents_body_insert, "
                                          r"documents_body_entry\); bước này không được ghi"):
        command.upgrade(config, "head")
    assert current_revision(engine) == HEAD_REVISION
    with engine.connect() as conn:
        assert guards.missing_or_altered(conn) == []
        assert "extra" not in [row[1] for row in conn.execute(text("PRAGMA table_info(documents)"))]
    engine.dispose()


# PostgreSQL: the same checks through pg_trigger, pg_get_triggerdef and the refusing function's body ------------

def test_postgres_guards_are_checked_and_repaired(postgres) -> None:  # noqa: ANN001
    name, url = postgres.new_database()
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            assert guards.missing_or_altered(conn) == []
        with engine.begin() as conn:
            conn.execute(text("DROP TRIGGER documents_no_delete ON documents"))
            conn.execute(text("ALTER TABLE number_sequences DISABLE TRIGGER sequences_no_delete"))
            conn.execute(text("DROP TRIGGER sequences_no_rewind ON number_sequences"))
            conn.execute(text("CREATE TRIGGER sequences_no_rewind BEFORE UPDATE ON number_sequences FOR EACH ROW "
                              "WHEN (NEW.last_number < 0) EXECUTE FUNCTION vanthu_refuse('a number sequence never "
                              "goes back')"))
            conn.execute(text("CREATE OR REPLACE FUNCTION vanthu_refuse() RETURNS trigger LANGUAGE plpgsql AS "
                              "$$ BEGIN RETURN NEW; END $$"))
        with engine.connect() as conn:
            assert guards.missing_or_altered(conn) == [
                guards.GuardProblem("vanthu_refuse", "bị sửa"), guards.GuardProblem("documents_no_delete", "thiếu"),
                guards.GuardProblem("sequences_no_rewind", "bị sửa"),
                guards.GuardProblem("sequences_no_delete", "bị sửa")]
        reopened = Registry(url, actor="van_thu_test")
        try:
            assert "Sổ thiếu 1 cơ chế bảo vệ (documents_no_delete) và có 3 cơ chế bảo vệ bị sửa" in \
                (reopened.upgrade_note() or "")
            one_entry(reopened)
        finally:
            reopened.close()
        with engine.connect() as conn:
            assert guards.missing_or_altered(conn) == []
            with pytest.raises(Exception, match="never deleted"):
                conn.execute(text("DELETE FROM documents"))
    finally:
        engine.dispose()
        postgres.drop_database(name)


def test_postgres_body_functions_are_checked_and_repaired(postgres) -> None:  # noqa: ANN001
    name, url = postgres.new_database()
    engine = create_engine(url)
    try:
        Registry(url, actor="van_thu_test").close()
        with engine.begin() as conn:  # the search sync disarmed two ways: a function gone, one made a no-op
            conn.execute(text("DROP FUNCTION vanthu_body_insert() CASCADE"))
            conn.execute(text("CREATE OR REPLACE FUNCTION vanthu_body_entry() RETURNS trigger LANGUAGE plpgsql AS "
                              "$$ BEGIN RETURN NEW; END $$"))
        with engine.connect() as conn:
            assert guards.missing_or_altered(conn) == [
                guards.GuardProblem("vanthu_body_insert", "thiếu"), guards.GuardProblem("vanthu_body_entry", "bị sửa"),
                guards.GuardProblem("documents_body_insert", "thiếu")]
        reopened = Registry(url, actor="van_thu_test")
        try:
            assert "vanthu_body_insert" in (reopened.upgrade_note() or "")
            doc = one_entry(reopened)
            assert reopened.documents.search_ids(DocumentQuery(direction=Direction.INCOMING, text="phong chong")) \
                == [doc]
        finally:
            reopened.close()
        with engine.connect() as conn:
            assert guards.missing_or_altered(conn) == []
            # the new entry got its body row from the re-created trigger, with its own text
            assert "phong chong" in conn.execute(text("SELECT entry FROM document_bodies WHERE document_id = :d"),
                                                 {"d": doc}).scalar_one()
    finally:
        engine.dispose()
        postgres.drop_database(name)


def test_a_postgres_dump_without_its_triggers_is_refused_before_anything_changes(  # noqa: ANN001
        postgres, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from sqlalchemy.engine import make_url

    from app.services.backup.databases import _dump_pg

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    first_name, first = postgres.new_database()
    second_name, second = postgres.new_database()
    try:
        source = Registry(first, actor="van_thu_test")
        one_entry(source)
        good = Path(source.backups.create(tmp_path / "pg.vanthu").path)
        source.close()
        engine = create_engine(first)
        with engine.begin() as conn:
            conn.execute(text("DROP TRIGGER documents_no_delete ON documents"))
            conn.execute(text("DROP TRIGGER audit_no_truncate ON audit_events"))
        engine.dispose()
        dump = tmp_path / "register.pgdump"
        _dump_pg(make_url(first), dump)
        bad = rebuild(good, tmp_path / "bad.vanthu", change={"register.pgdump": dump.read_bytes()})
        Registry(second, actor="van_thu_test").close()
        with pytest.raises(ValidationError, match=r"thiếu 2 cơ chế bảo vệ \(documents_no_delete, "
                                                  r"audit_no_truncate\).*sổ hiện tại giữ nguyên"):
            restore(second, bad)
        target = create_engine(second)
        with target.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM documents")).scalar() == 0
            assert guards.missing_or_altered(conn) == []
        target.dispose()
        assert not (tmp_path / "data").exists() or not any((tmp_path / "data").rglob("*.vanthu"))
    finally:
        postgres.drop_database(first_name)
        postgres.drop_database(second_name)
