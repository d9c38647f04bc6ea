"""SIGKILL in the middle of a backup, a restore and a migration: the register is the old one or the new one, whole
(integrity_check ok, the audit chain intact), a killed backup leaves no half archive under its name, and what a
killed run left behind (its temporary copies, which hold the whole register) is swept by the next run."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from alembic import command

from app.core.errors import VanThuError
from app.db.engine import Database
from app.db.migrate import HEAD_REVISION, alembic_config
from app.services import Registry
from app.services.backup import inspect_backup
from tests.conftest import ROOT

# Every revision from 0003 (where the test starts) to the newest, as the migrations folder holds them.
WHOLE_STEPS = tuple(sorted(p.name[:4] for p in (ROOT / "app" / "db" / "migrations" / "versions").glob("0*.py")
                           if "0003" <= p.name[:4] <= HEAD_REVISION))

pytestmark = pytest.mark.sqlite_only
KILLS = 8  # moments spread over the operation's own running time


def _cli(db: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    return subprocess.Popen([sys.executable, "-m", "app", "--db", str(db), *args], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _duration(db: Path, *args: str) -> float:
    started = time.monotonic()
    process = _cli(db, *args)
    _out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return time.monotonic() - started


def _kill_after(db: Path, delay: float, *args: str) -> bool:
    """Run the command and SIGKILL it after `delay` seconds; True when it was killed (not already done)."""
    process = _cli(db, *args)
    time.sleep(delay)
    killed = process.poll() is None
    if killed:
        os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=120)
    return killed


def _whole(path: Path) -> tuple[int, str | None]:
    """(entries, schema revision) of a register the app finds whole: integrity_check and the audit chain."""
    con = sqlite3.connect(path)  # recovers what a killed writer left in the -wal, as the app's next open does
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        count = con.execute("SELECT count(*) FROM documents").fetchone()[0]
        revision = con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        con.close()
    return count, revision


def _verify_chain(path: Path) -> None:
    reg = Registry(str(path), actor="van_thu_test")
    try:
        assert reg.audit.verify().ok
    finally:
        reg.close()


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob(".*") if ".vanthu" in p.name or p.name.endswith(".part"))


@pytest.fixture
def register(tmp_path: Path) -> Path:
    """2,000 entries and a 24 MB scan: long enough that a kill lands inside the work, not only in start-up."""
    path = tmp_path / "so" / "so.sqlite3"
    path.parent.mkdir()
    reg = Registry(str(path), actor="van_thu_test")
    reg.demo.fill(2000, year=2026)
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4\n" + os.urandom(24 * 1024 * 1024))
    reg.attachments.attach(1, scan)
    reg.close()
    return path


def test_a_killed_backup_leaves_the_register_and_no_half_archive(register: Path, tmp_path: Path) -> None:
    usb = tmp_path / "usb"
    target = usb / "sao-luu.vanthu"
    took = _duration(register, "backup", "-o", str(target))
    target.unlink()
    killed = 0
    for i in range(KILLS):
        killed += _kill_after(register, took * (i + 1) / (KILLS + 1), "backup", "-o", str(target))
        assert _whole(register)[0] == 2000
        if target.exists():  # only ever a whole archive under the name
            assert inspect_backup(target).documents == 2000
            target.unlink()
    assert killed >= KILLS // 2, "the kills came too late to test anything"
    done = _cli(register, "backup", "-o", str(target))
    assert done.communicate(timeout=120) and done.returncode == 0
    assert inspect_backup(target).documents == 2000
    assert _leftovers(usb) == []  # the killed runs' temporary copies are gone
    _verify_chain(register)


def test_a_killed_restore_leaves_the_old_register_or_the_new_one(register: Path, tmp_path: Path) -> None:
    backup = tmp_path / "cu.vanthu"
    reg = Registry(str(register), actor="van_thu_test")
    reg.backups.create(backup)  # 2,000 entries
    reg.demo.fill(25, year=2026, allow_existing=True)  # and then 25 more: the register now differs from its backup
    reg.close()
    pristine = tmp_path / "pristine"
    shutil.copytree(register.parent, pristine)
    took = _duration(register, "restore", str(backup), "--yes")
    outcomes: set[int] = set()
    for i in range(KILLS):
        shutil.rmtree(register.parent)
        shutil.copytree(pristine, register.parent)
        _kill_after(register, took * (i + 1) / (KILLS + 1), "restore", str(backup), "--yes")
        count, revision = _whole(register)
        assert count in (2025, 2000) and revision == HEAD_REVISION
        outcomes.add(count)
        _verify_chain(register)
    assert 2025 in outcomes, "every kill came after the restore had finished"
    done = _cli(register, "restore", str(backup), "--yes")
    assert done.communicate(timeout=120) and done.returncode == 0
    assert _whole(register)[0] == 2000
    assert _leftovers(register.parent) == []


def test_a_killed_migration_leaves_the_old_schema_or_the_new_one(register: Path, tmp_path: Path) -> None:
    db = Database(f"sqlite:///{register}")
    command.downgrade(alembic_config(db.engine), "0003")  # before the audit hash chain: 0004 hashes every event
    db.dispose()
    pristine = tmp_path / "pristine"
    shutil.copytree(register.parent, pristine)
    took = _duration(register, "init")
    seen: set[str | None] = set()
    for i in range(KILLS):
        shutil.rmtree(register.parent)
        shutil.copytree(pristine, register.parent)
        _kill_after(register, took * (i + 1) / (KILLS + 1), "init")
        count, revision = _whole(register)
        # a whole revision: each one commits on its own, so a kill may land after any of them
        assert count == 2000 and revision in WHOLE_STEPS, revision
        seen.add(revision)
        try:  # the next start finishes the upgrade
            _verify_chain(register)
        except VanThuError as exc:
            pytest.fail(f"after a kill at revision {revision}: {exc}")
        assert _whole(register) == (2000, HEAD_REVISION)
    assert "0003" in seen, "every kill came after the migration had finished"
    assert _leftovers(register.parent) == []


def test_a_part_file_of_a_dead_process_is_swept_whatever_its_name(tmp_path: Path) -> None:
    from app.core import leftovers
    from app.core.files import write_atomically

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True).stdout.strip()
    stale = tmp_path / f".truoc-phuc-hoi-20261207-003812.vanthu.{dead}-abc123.part"
    mine = tmp_path / f".so.pdf.{os.getpid()}-xyz.part"
    for path in (stale, mine):
        path.write_bytes(b"a copy of the register")
    write_atomically(tmp_path / "truoc-phuc-hoi-20261207-004500.vanthu", lambda out: out.write(b"new"))
    assert not stale.exists() and mine.exists()  # a live process's file is left to it
    assert leftovers.sweep_parts(tmp_path) == []
