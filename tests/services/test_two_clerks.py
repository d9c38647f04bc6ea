"""Two clerks, signed in on two machines (two processes here), register and route into one register at the same
time: no clash, every number once, every routing whole and credited to the clerk who made it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from app.services import Registry

pytestmark = pytest.mark.both_engines

WORKER = Path(__file__).with_name("clerk_worker.py")
PER_CLERK = 60
CLERKS = {"lan": "mat-khau-lan-1", "hoa": "mat-khau-hoa-1"}


def test_two_signed_in_clerks_register_and_route_at_once(state_registry: Registry, db_url: str,
                                                          tmp_path: Path) -> None:
    reg = state_registry
    reg.directory.add_department("Văn phòng", "VP")
    reg.directory.add_department("Phòng Tổ chức", "TC")
    reg.users.add("quantri", "mat-khau-qt-1", "quan_tri")
    for name, password in CLERKS.items():
        reg.users.add(name, password, "van_thu")
    go = tmp_path / "go"
    workers = [subprocess.Popen([sys.executable, str(WORKER), db_url, name, password, str(PER_CLERK), str(go)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
               for name, password in CLERKS.items()]
    go.touch()
    for worker in workers:
        _, err = worker.communicate(timeout=600)
        assert worker.returncode == 0, err

    with reg.db.reading() as s:
        docs = s.execute(text("SELECT id, number, created_by, reference FROM documents ORDER BY number")).all()
        steps = s.execute(text("SELECT document_id, step, created_by FROM routings")).all()
        units = s.execute(text("SELECT r.document_id, a.role, a.department_name FROM routing_assignments a "
                               "JOIN routings r ON r.id = a.routing_id")).all()
        events = s.execute(text("SELECT actor, action, entity_id FROM audit_events WHERE entity = 'document'")).all()
    total = PER_CLERK * len(CLERKS)
    assert [d.number for d in docs] == list(range(1, total + 1))  # no gap, no repeat
    by_id = {d.id: d for d in docs}
    for name in CLERKS:
        mine = [d for d in docs if d.created_by == name]
        assert [int(d.reference.split("/")[0]) for d in mine] == list(range(1, PER_CLERK + 1))
        assert all(d.reference.endswith(f"/{name.upper()}-VP") for d in mine)
    assert len(steps) == total and {(s.document_id, s.step) for s in steps} == {(i, 1) for i in by_id}
    assert all(by_id[s.document_id].created_by == s.created_by for s in steps)  # each clerk routed their own
    assert len(units) == 2 * total
    assert {(e.actor, e.action) for e in events} == {(n, a) for n in CLERKS for a in ("create", "route")}
    assert sorted(e.entity_id for e in events if e.action == "create") == sorted(by_id)
    assert reg.audit.verify().ok
    signed = reg.audit.events(action="sign_in", limit=10)
    assert sorted(e.actor for e in signed) == sorted(CLERKS)
