"""Migrations: an empty file becomes the full schema, matching the models exactly, and back again."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from app.db.engine import Database
from app.db.migrate import HEAD_REVISION, alembic_config, current_revision, head_revision, include_name, upgrade
from app.models import Base

ROOT = Path(__file__).resolve().parents[2]


def test_empty_file_is_migrated_to_a_schema_equal_to_the_models(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    assert current_revision(db.engine) is None
    assert upgrade(db.engine) == (None, head_revision(db.engine))
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": include_name})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []
    assert upgrade(db.engine) == (head_revision(db.engine), head_revision(db.engine))  # idempotent
    con = sqlite3.connect(tmp_path / "new.sqlite3")
    triggers = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert {"documents_no_delete", "documents_number_fixed", "sequences_no_rewind", "audit_no_update"} <= triggers
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    db.dispose()


def test_head_constant_is_alembics_head(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'h.sqlite3'}")
    assert head_revision(db.engine) == HEAD_REVISION
    db.dispose()


def test_database_from_a_newer_version_is_refused_clearly(tmp_path: Path) -> None:
    import pytest

    from app.core.errors import VanThuError

    db = Database(f"sqlite:///{tmp_path / 'n.sqlite3'}")
    upgrade(db.engine)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(VanThuError, match="phiên bản mới hơn"):
        upgrade(db.engine)
    db.dispose()


def test_downgrade_to_empty_and_up_again(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'd.sqlite3'}")
    upgrade(db.engine)
    command.downgrade(alembic_config(db.engine), "base")
    con = sqlite3.connect(tmp_path / "d.sqlite3")
    left = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")}
    assert left == {"alembic_version"}
    con.close()
    upgrade(db.engine)
    assert current_revision(db.engine) == head_revision(db.engine)
    db.dispose()


def test_core_and_cli_do_not_load_qt() -> None:
    code = ("import sys, app.services, app.cli.commands, app.cli.parser, app.db.migrate, app.__main__; "
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'reportlab'))]; "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_layering_rules_hold_in_the_source() -> None:
    """PySide6 only under app/ui, reportlab only under app/printing, pytesseract only under app/ocr, no SQL in the
    UI."""
    import re

    def imports(source: str, package: str) -> bool:
        return re.search(rf"^\s*(from|import)\s+{package}\b", source, re.MULTILINE) is not None

    checked = 0
    for path in (ROOT / "app").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        relative = path.relative_to(ROOT).as_posix()
        in_ui = relative.startswith("app/ui/")
        assert in_ui or not imports(source, "PySide6"), relative
        assert not in_ui or not (imports(source, "sqlalchemy") or imports(source, "app.models")), relative
        assert relative.startswith("app/printing/") or not imports(source, "reportlab"), relative
        assert relative.startswith("app/ocr/") or not imports(source, "pytesseract"), relative
        checked += 1
    assert checked > 20


def test_0006_marks_the_issuers_only_secret_entries_name(tmp_path: Path) -> None:
    """Down to 0005 (the flag gone) and up again: the migration finds which issuers only secret entries name."""
    from app.core.records import IncomingInput
    from app.services import Registry

    path = tmp_path / "s.sqlite3"
    reg = Registry(str(path))
    for issuer, reference, secrecy in (("BỘ CÔNG AN", "1/BCA", "mật"), ("CỤC A", "2/CA", "tối mật"),
                                       ("CỤC A", "3/CA", "mật"), ("SỞ Y TẾ", "4/SYT", None),
                                       ("SỞ Y TẾ", "5/SYT", "mật")):
        reg.documents.register_incoming(IncomingInput(
            issuer=issuer, reference=reference, issued_on="02/01/2026", received_on="03/01/2026",
            doc_type="Công văn", subject="Về việc kiểm thử", secrecy=secrecy))
    reg.close()

    def flags() -> dict[str, str | None]:
        con = sqlite3.connect(path)
        try:
            return dict(con.execute("SELECT name, secrecy FROM organizations ORDER BY name").fetchall())
        finally:
            con.close()

    expected = {"BỘ CÔNG AN": "mat", "CỤC A": "mat", "SỞ Y TẾ": None}
    assert flags() == expected  # kept by the registrations themselves
    db = Database(f"sqlite:///{path}")
    command.downgrade(alembic_config(db.engine), "0005")
    upgrade(db.engine)
    db.dispose()
    assert flags() == expected  # and found again by the migration from the entries


def test_0010_keeps_routed_documents_and_their_ky_nhan_down_and_up(tmp_path: Path) -> None:
    """A register with routed, signed-for and corrected steps goes down to 0009 (one version per step: the
    current one stays with its ký nhận) and up again; nothing else is lost and the keys still hold."""
    from datetime import date

    from app.core.records import IncomingInput
    from app.services import Registry

    path = tmp_path / "r.sqlite3"
    reg = Registry(str(path))
    for name, code in (("Phòng Nghiệp vụ", "NV"), ("Văn phòng", "VP"), ("Thanh tra", "TTra")):
        reg.directory.add_department(name, code)
    ids = [reg.documents.register_incoming(IncomingInput(
        issuer="UBND TỈNH TÂY NINH", reference=f"{n}/UBND-VP", issued_on="02/11/2026", received_on="03/11/2026",
        doc_type="Công văn", subject="V/v báo cáo")).id for n in (1, 2)]
    reg.routing.route(ids[0], "NV", ["VP"], directive="Giao NV", directed_at=date(2026, 11, 3))
    reg.routing.handover(ids[0], "NV", "Trần Thị Hoa")
    reg.routing.route(ids[1], "VP", directive="Giao VP", directed_at=date(2026, 11, 3))
    reg.routing.handover(ids[1], "VP", "Lê Văn Minh")
    reg.routing.correct(ids[1], 1, "VP", ["TTra"], directive="Giao VP, phối hợp Thanh tra")  # version 2
    assert [r.version for r in reg.routing.history(ids[1])] == [1, 2]
    reg.close()

    def kept() -> list[tuple]:  # type: ignore[type-arg]
        con = sqlite3.connect(path)
        try:
            assert con.execute("PRAGMA foreign_key_check").fetchall() == []
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            return con.execute("SELECT r.document_id, r.step, r.directive, a.department_name, a.role, a.signed_by "
                               "FROM routings r JOIN routing_assignments a ON a.routing_id = r.id "
                               "ORDER BY r.document_id, a.role, a.department_name").fetchall()
        finally:
            con.close()

    current = [(ids[0], 1, "Giao NV", "Phòng Nghiệp vụ", "lead", "Trần Thị Hoa"),
               (ids[0], 1, "Giao NV", "Văn phòng", "support", None),
               (ids[1], 1, "Giao VP, phối hợp Thanh tra", "Văn phòng", "lead", "Lê Văn Minh"),
               (ids[1], 1, "Giao VP, phối hợp Thanh tra", "Thanh tra", "support", None)]
    db = Database(f"sqlite:///{path}")
    command.downgrade(alembic_config(db.engine), "0009")
    assert kept() == current  # the superseded version went, the current one kept its ký nhận
    upgrade(db.engine)
    db.dispose()
    assert kept() == current
    reg = Registry(str(path))
    steps = reg.routing.history(ids[0])
    assert [(s.step, s.version, s.current) for s in steps] == [(1, 1, True)]
    assert steps[0].assignments[0].signed_by == "Trần Thị Hoa"
    again = reg.routing.correct(ids[0], 1, "NV", ["VP", "TTra"])  # a correction after the round trip
    assert again.version == 2 and again.assignments[0].signed_by == "Trần Thị Hoa"
    reg.close()
