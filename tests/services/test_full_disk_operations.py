"""A full disk during everything else a clerk does: attaching a scan, backing up, printing the register book,
exporting, upgrading an older register. Each is refused with a clear message, leaves no partial file or
temporary copy, and changes nothing; once space is freed the register opens and goes on with the next number."""

from __future__ import annotations

import errno
import hashlib
import os
import sqlite3
from pathlib import Path

import pytest
from alembic import command

from app.core.errors import VanThuError
from app.db.engine import Database
from app.db.migrate import HEAD_REVISION, alembic_config
from app.services import Registry
from tests.conftest import run_cli
from tests.mounts import tmpfs
from tests.services.test_bad_input import incoming, integrity

FULL = "Ổ đĩa đầy"


def _fill(disk: Path) -> Path:
    """Write a ballast file until the disk has no byte left; returns it (delete it to free the space)."""
    ballast = disk / "ballast"
    fd = os.open(ballast, os.O_WRONLY | os.O_CREAT)
    try:
        for size in (65536, 4096, 512, 1):  # then the last few pages too
            while True:
                try:
                    os.write(fd, b"\x00" * size)
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC
                    break
    finally:
        os.close(fd)
    return ballast


def _listing(disk: Path) -> dict[str, str]:
    """Every file on the disk but the ballast, with the SHA-256 of its content."""
    return {str(p.relative_to(disk)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(disk.rglob("*")) if p.is_file() and p.name != "ballast"}


@pytest.fixture
def disk(tmp_path: Path):  # type: ignore[no-untyped-def]
    with tmpfs(tmp_path / "disk", "12m") as folder:
        yield folder


def test_a_full_disk_refuses_each_operation_cleanly_and_the_register_goes_on(disk: Path, tmp_path: Path) -> None:
    path = disk / "so.sqlite3"
    reg = Registry(str(path), actor="van_thu_test")
    reg.settings.set("agency.name", "SỞ Y TẾ TỈNH TÂY NINH")
    for n in range(1, 21):
        reg.documents.register_incoming(incoming(f"{n}/SYT-VP"))
    reg.close()
    old = disk / "cu.sqlite3"  # an older register on the same disk: the next version must upgrade it
    reg = Registry(str(old), actor="van_thu_test")
    reg.documents.register_incoming(incoming("1/CU"))
    reg.close()
    db = Database(f"sqlite:///{old}")
    command.downgrade(alembic_config(db.engine), "0005")
    db.dispose()
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4\n" + os.urandom(1024 * 1024))
    ballast = _fill(disk)
    before = _listing(disk)

    reg = Registry(str(path), actor="van_thu_test")
    try:
        with pytest.raises(VanThuError) as refused:
            reg.attachments.attach(1, scan)
        assert "đã đầy" in str(refused.value) and "giải phóng chỗ trống" in str(refused.value), refused.value
        assert reg.attachments.list(1) == []
    finally:
        reg.close()
    for args, output in ((("backup", "-o", str(disk / "sao-luu.vanthu")), disk / "sao-luu.vanthu"),
                         (("print", "register", "--book", "incoming", "--year", "2025", "--output",
                           str(disk / "so.pdf")), disk / "so.pdf"),
                         (("export", "--book", "incoming", "--year", "2025", "--xlsx", str(disk / "so.xlsx")),
                          disk / "so.xlsx")):
        result = run_cli(*args, db=path)
        assert result.returncode == 2, (args, result.stderr)
        assert "Traceback" not in result.stderr and "không ghi được" in result.stderr.lower(), result.stderr
        assert not output.exists()
    with pytest.raises(VanThuError) as refused:  # the upgrade's own backup cannot be written: no upgrade
        Registry(str(old), actor="van_thu_test")
    assert "0005" in str(refused.value) and "đã đầy" in str(refused.value), refused.value
    reading = sqlite3.connect(f"{old.as_uri()}?immutable=1", uri=True)
    assert reading.execute("SELECT version_num FROM alembic_version").fetchone() == ("0005",)
    reading.close()
    assert _listing(disk) == before  # no partial file, no temporary copy, nothing changed

    ballast.unlink()  # space freed: everything goes on
    reg = Registry(str(path), actor="van_thu_test")
    try:
        assert reg.documents.register_incoming(incoming("21/SYT-VP")).number == 21
        assert reg.attachments.attach(1, scan).size == scan.stat().st_size
        assert reg.backups.create(disk / "sao-luu.vanthu").documents == 21
    finally:
        reg.close()
    reg = Registry(str(old), actor="van_thu_test")
    try:
        assert reg.schema_revision() == (HEAD_REVISION, HEAD_REVISION)
    finally:
        reg.close()
    integrity(path)
