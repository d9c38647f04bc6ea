"""The tamper-evident audit trail: a hash chain built on every write, verified, and broken by any tampering."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from alembic import command

from app.core.records import IncomingInput
from app.db.engine import Database, resolve_url
from app.db.migrate import HEAD_REVISION, alembic_config, current_revision, upgrade
from app.services import Registry, audit
from tests.conftest import run_cli

pytestmark = pytest.mark.both_engines


def incoming(ref: str) -> IncomingInput:
    return IncomingInput(issuer="SỞ Y TẾ", reference=ref, issued_on="05/03/2024", received_on="05/03/2024",
                         doc_type="Công văn", subject=f"Văn bản {ref} — trích yếu có dấu")


def chained(registry: Registry) -> list[tuple[int, str | None, str | None]]:
    with registry.db.reading() as s:
        return [tuple(r) for r in s.execute(sa.text("SELECT id, prev_hash, hash FROM audit_events ORDER BY id"))]


def tamper(registry: Registry, statement: str) -> None:
    """What someone with the database in hand can do: switch the guards off and change rows directly."""
    engine = registry.db.engine
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_no_update")
            conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_no_delete")
        else:
            conn.exec_driver_sql("ALTER TABLE audit_events DISABLE TRIGGER USER")
        conn.exec_driver_sql(statement)


def filled(registry: Registry) -> list[int]:
    registry.settings.set("agency.name", "SỞ Y TẾ TỈNH TÂY NINH")
    ids = [registry.documents.register_incoming(incoming(f"{i}/UBND-VP")).id for i in range(1, 4)]
    registry.documents.update(ids[0], {"subject": "Trích yếu đã sửa: “ngoặc kép”, đ, ồ"})
    registry.documents.cancel(ids[1], "Vào sổ nhầm")
    return ids


def test_every_write_extends_the_chain_and_verifies(registry: Registry) -> None:
    assert registry.audit.verify().ok and registry.audit.verify().count == 0
    filled(registry)
    rows = chained(registry)
    assert len(rows) >= 6
    assert rows[0][1] == audit.GENESIS
    for (_i, _p, previous), (_j, prev_hash, _h) in zip(rows, rows[1:], strict=False):
        assert prev_hash == previous
    assert all(h and len(h) == 64 for _i, _p, h in rows)
    check = registry.audit.verify()
    assert check.ok and check.count == len(rows) and check.last_id == rows[-1][0] and check.last_hash == rows[-1][2]
    assert check.message == f"Nhật ký nguyên vẹn: {len(rows)} mục"


def test_verify_walks_in_blocks(registry: Registry) -> None:
    filled(registry)
    with registry.db.reading() as s:
        assert audit.verify(s, block=2) == audit.verify(s)


def test_the_database_still_refuses_changes_and_unhashed_rows(registry: Registry) -> None:
    filled(registry)
    for statement in ("UPDATE audit_events SET actor = 'x'", "DELETE FROM audit_events",
                      "INSERT INTO audit_events (at, actor, action, entity) VALUES (CURRENT_TIMESTAMP, 'x', 'y', 'z')"):
        with pytest.raises(sa.exc.DBAPIError), registry.db.engine.begin() as conn:
            conn.exec_driver_sql(statement)
    if registry.db.dialect == "postgresql":
        with pytest.raises(sa.exc.DBAPIError), registry.db.engine.begin() as conn:
            conn.exec_driver_sql("TRUNCATE audit_events")
    assert registry.audit.verify().ok


def test_an_altered_row_is_reported(registry: Registry) -> None:
    filled(registry)
    target = chained(registry)[3][0]
    # The JSON text itself, as an editor of the file would change it.
    tamper(registry, f"UPDATE audit_events SET after = '{{\"subject\": \"khác\"}}' WHERE id = {target}")
    check = registry.audit.verify()
    assert not check.ok and check.broken_id == target and check.problem == "altered"
    assert check.count == 3 and check.message.startswith(f"Nhật ký bị sửa tại mục #{target}:")


def test_a_rehashed_row_breaks_the_next_link(registry: Registry) -> None:
    filled(registry)
    rows = chained(registry)
    victim, follower = rows[2][0], rows[3][0]
    with registry.db.reading() as s:
        row = s.execute(sa.select(audit.AuditEvent).where(audit.AuditEvent.id == victim)).scalar_one()
        forged = audit.event_hash(row.prev_hash, row.at, "ke_gian", row.action, row.entity, row.entity_id,
                                  row.before, row.after)
    tamper(registry, f"UPDATE audit_events SET actor = 'ke_gian', hash = '{forged}' WHERE id = {victim}")
    check = registry.audit.verify()
    assert (check.ok, check.broken_id, check.problem) == (False, follower, "unlinked")
    assert f"#{victim}" in check.message


def test_a_deleted_middle_row_is_reported(registry: Registry) -> None:
    filled(registry)
    rows = chained(registry)
    tamper(registry, f"DELETE FROM audit_events WHERE id = {rows[2][0]}")
    check = registry.audit.verify()
    assert (check.ok, check.broken_id, check.problem, check.count) == (False, rows[3][0], "unlinked", 2)


def test_deleting_the_first_rows_is_reported(registry: Registry) -> None:
    filled(registry)
    rows = chained(registry)
    tamper(registry, f"DELETE FROM audit_events WHERE id = {rows[0][0]}")
    check = registry.audit.verify()
    assert (check.ok, check.broken_id, check.problem) == (False, rows[1][0], "unlinked")


def test_concurrent_writers_do_not_fork_the_chain(db_url: str, registry: Registry) -> None:
    registry.settings.set("agency.name", "SỞ Y TẾ")
    errors: list[BaseException] = []

    def work(n: int) -> None:
        other = Registry(db_url, actor=f"van_thu_{n}")
        try:
            for i in range(12):
                other.settings.set("agency.place", f"Tây Ninh {n}-{i}")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            other.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    check = registry.audit.verify()
    assert check.ok and check.count == 1 + 3 * 12


def test_filters(registry: Registry) -> None:
    ids = filled(registry)
    other = Registry(registry.db.url, actor="Truong_Phong")
    try:
        other.documents.update(ids[2], {"subject": "Sửa bởi trưởng phòng"})
    finally:
        other.close()
    assert [e.actor for e in registry.audit.events(actor="truong")] == ["Truong_Phong"]
    assert {e.action for e in registry.audit.events(action="cancel")} == {"cancel"}
    assert [e.entity_id for e in registry.audit.events(action="edit")] == [ids[2], ids[0]]
    assert {e.entity_id for e in registry.audit.events(document_id=ids[0])} == {ids[0]}
    assert [e.action for e in registry.audit.events(document_id=ids[0])] == ["edit", "create"]
    everything = registry.audit.events()
    assert registry.audit.count() == len(everything)
    page = registry.audit.events(limit=2, offset=1)
    assert [e.id for e in page] == [e.id for e in everything[1:3]]
    today = datetime.now(UTC).astimezone().date()
    assert len(registry.audit.events(date_from=today, date_to=today)) == len(everything)
    assert registry.audit.events(date_to=today - timedelta(days=1)) == []
    assert registry.audit.events(date_from=today + timedelta(days=1)) == []
    assert registry.audit.count(action="edit", document_id=ids[0]) == 1
    assert {"create", "edit", "cancel", "settings"} <= set(registry.audit.actions())
    assert registry.audit.events("document", ids[0], 1)[0].action == "edit"  # the old positional call


def test_print_and_sign_in_events_are_chained(registry: Registry) -> None:
    doc = registry.documents.register_incoming(incoming("9/UBND-VP")).id
    with registry.db.writing() as s:
        audit.record(s, "van_thu", "sign_in", "user", None, None, {"user": "van_thu"})
        audit.record(s, "van_thu", "print", "document", doc, None, {"what": "phiếu trình", "secrecy": "mat"})
    assert [e.action for e in registry.audit.events(limit=2)] == ["print", "sign_in"]
    assert registry.audit.verify().ok


def test_savepoint_rollback_keeps_the_chain(registry: Registry) -> None:
    with registry.db.writing() as s:
        audit.record(s, "a", "settings", "setting", None, None, {"k": 1})
        nested = s.begin_nested()
        audit.record(s, "a", "settings", "setting", None, None, {"k": 2})
        nested.rollback()
        audit.record(s, "a", "settings", "setting", None, None, {"k": 3})
    assert [e.after for e in registry.audit.events()] == [{"k": 3}, {"k": 1}]
    assert registry.audit.verify().ok


def test_migration_0004_chains_the_events_of_an_older_database(db_url: str) -> None:
    db = Database(resolve_url(db_url))
    config = alembic_config(db.engine)
    if current_revision(db.engine) is None:
        command.upgrade(config, "0003")
    else:  # the PostgreSQL test databases are copies of a migrated template
        command.downgrade(config, "0003")
    old = sa.table("audit_events", sa.column("id", sa.Integer), sa.column("at", sa.DateTime),
                   sa.column("actor", sa.String), sa.column("action", sa.String), sa.column("entity", sa.String),
                   sa.column("entity_id", sa.Integer), sa.column("before", sa.JSON), sa.column("after", sa.JSON))
    start = datetime(2025, 1, 2, 3, 4, 5, 678901)
    with db.engine.begin() as conn:
        conn.execute(old.insert(), [
            {"at": start + timedelta(seconds=i), "actor": "văn_thư", "action": "edit" if i % 2 else "create",
             "entity": "document", "entity_id": i, "before": None if i % 3 == 0 else {"subject": f"cũ {i}"},
             "after": {"subject": f"Trích yếu “{i}” — đ", "pages": i, "ratio": i / 3, "tags": [1, "hai"]}}
            for i in range(1, 2501)])  # more than one batch of the migration
    assert upgrade(db.engine)[1] == HEAD_REVISION
    db.dispose()
    reg = Registry(db_url, actor="sau_nang_cap")
    try:
        check = reg.audit.verify()
        assert check.ok and check.count == 2500
        reg.settings.set("agency.name", "SỞ Y TẾ")  # new events follow the backfilled ones
        assert reg.audit.verify().count == 2501
        tamper(reg, "UPDATE audit_events SET actor = 'x' WHERE id = 1200")
        assert reg.audit.verify().broken_id == 1200
    finally:
        reg.close()


@pytest.mark.sqlite_only
def test_cli_verify_and_listing(registry: Registry, db_path) -> None:  # type: ignore[no-untyped-def]
    filled(registry)
    result = run_cli("audit", "verify", db=db_path)
    assert result.returncode == 0 and result.stdout.startswith("Nhật ký nguyên vẹn: ")
    listing = run_cli("audit", "--action", "cancel", "--from", date.today().strftime("%d/%m/%Y"), db=db_path)
    assert listing.returncode == 0 and len(listing.stdout.strip().splitlines()) == 1 and "cancel" in listing.stdout
    listing = run_cli("audit", "--actor", "nobody", db=db_path)
    assert listing.returncode == 0 and listing.stdout.strip() == ""
    victim = chained(registry)[1][0]
    tamper(registry, f"UPDATE audit_events SET actor = 'x' WHERE id = {victim}")
    result = run_cli("audit", "verify", db=db_path)
    assert result.returncode == 2 and f"Nhật ký bị sửa tại mục #{victim}:" in result.stderr
    result = run_cli("audit", "verify", "--json", db=db_path)
    assert result.returncode == 2 and '"broken_id": ' + str(victim) in result.stdout
    bad = run_cli("audit", "--from", "32/13/2026", db=db_path)
    assert bad.returncode == 2
