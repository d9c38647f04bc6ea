"""A register on a disk that cannot be written (a real read-only mount): it opens for reading with a notice, every
write is refused with the reason, nothing on the disk changes, and a -wal it could not read is refused."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.enums import Direction
from app.core.errors import VanThuError
from app.core.records import DocumentQuery, IncomingInput
from app.services import Registry
from tests.conftest import run_cli
from tests.mounts import lock, tmpfs

PASSWORD = "mat-khau-2026"


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    with tmpfs(tmp_path / "usb") as folder:
        yield folder


def _incoming(n: int, subject: str = "Về việc kiểm tra") -> IncomingInput:
    return IncomingInput(issuer="SỞ Y TẾ", reference=f"{n}/SYT-VP", issued_on="02/03/2026", received_on="03/03/2026",
                         doc_type="Công văn", subject=subject)


def _fingerprint(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_read_only_register_is_read_and_never_written(disk: Path, tmp_path: Path) -> None:
    path = disk / "so.sqlite3"
    scan = tmp_path / "cong-van.pdf"
    scan.write_bytes(b"%PDF-1.4 scan\n")
    reg = Registry(str(path), actor="van_thu_test")
    reg.settings.set("agency.name", "SỞ Y TẾ TỈNH TÂY NINH")
    for n in (1, 2):
        doc = reg.documents.register_incoming(_incoming(n, "Về việc tiêm chủng mở rộng" if n == 2 else "Về việc A"))
    reg.attachments.attach(doc.id, scan)
    reg.close()
    lock(disk)
    before = _fingerprint(disk)

    reg = Registry(str(path), actor="van_thu_test")
    try:
        assert reg.read_only is not None and "chỉ cho phép đọc" in reg.read_only.reason
        assert "CHỈ ĐỌC" in (reg.upgrade_note() or "")
        # Reading, searching, printing elsewhere: as usual.
        assert [d.number for d in reg.documents.list(doc.direction, 2026)] == [1, 2]
        assert [r.id for r in reg.documents.search(DocumentQuery(text="tiem chung"))] == [doc.id]
        [attached] = reg.attachments.list(doc.id)
        assert reg.attachments.path(attached.id).read_bytes() == scan.read_bytes()
        # Every write: refused before anything starts, with the reason.
        writes = {
            "vào sổ": lambda: reg.documents.register_incoming(_incoming(3)),
            "hủy": lambda: reg.documents.cancel(doc.id, "Nhầm"),
            "sửa": lambda: reg.documents.update(doc.id, {"subject": "Về việc khác"}),
            "cài đặt": lambda: reg.settings.set("agency.name", "SỞ Y TẾ"),
            "đính kèm": lambda: reg.attachments.attach(doc.id, scan),
            "đơn vị": lambda: reg.directory.add_department("Phòng Kế hoạch"),
        }
        for what, write in writes.items():
            with pytest.raises(VanThuError, match="chế độ chỉ đọc") as refused:
                write()
            assert "chỉ cho phép đọc" in str(refused.value), what
        assert reg.anchors.write() is None  # nothing to anchor, nothing tried
    finally:
        reg.close()
    assert _fingerprint(disk) == before  # not a byte changed, no -wal or -shm made

    # The command line: reads work with the notice on stderr; a write exits 2 with the reason.
    listed = run_cli("incoming", "list", "--year", "2026", db=path)
    assert listed.returncode == 0 and "Về việc tiêm chủng mở rộng" in listed.stdout
    assert "CHỈ ĐỌC" in listed.stderr
    added = run_cli("incoming", "add", "--issuer", "SỞ Y TẾ", "--reference", "9/SYT", "--issued-on",
                    "02/03/2026", "--type", "Công văn", "--subject", "Về việc B", db=path)
    assert added.returncode == 2 and "chế độ chỉ đọc" in added.stderr and "Traceback" not in added.stderr
    printed = run_cli("print", "register", "--book", "incoming", "--year", "2026", "--output",
                      str(tmp_path / "so.pdf"), db=path)
    assert printed.returncode == 0, printed.stderr
    assert (tmp_path / "so.pdf").stat().st_size > 1000
    assert _fingerprint(disk) == before


def test_signing_in_to_a_read_only_register_checks_the_password(disk: Path) -> None:
    path = disk / "so.sqlite3"
    reg = Registry(str(path), actor="van_thu_test")
    reg.users.add("quantri", PASSWORD, ["quan_tri", "van_thu"], None, "Quản Trị")
    reg.close()
    lock(disk)
    reg = Registry(str(path))
    try:
        with pytest.raises(VanThuError, match="Sai tên đăng nhập hoặc mật khẩu"):
            reg.sign_in("quantri", "sai-mat-khau")
        assert reg.sign_in("quantri", PASSWORD).signed_in
        assert reg.documents.list(Direction.INCOMING, 2026) == []
    finally:
        reg.close()


def test_committed_pages_left_in_the_wal_of_a_read_only_register_are_not_silently_dropped(disk: Path,
                                                                                        tmp_path: Path) -> None:
    made = tmp_path / "so.sqlite3"
    reg = Registry(str(made), actor="van_thu_test")
    reg.documents.register_incoming(_incoming(1))
    reg.close()
    # The app killed with changes only in the -wal: a connection that never checkpoints, copied while open.
    keep = sqlite3.connect(made)
    keep.execute("PRAGMA wal_autocheckpoint=0")
    keep.execute("INSERT INTO holidays (day, name) VALUES ('2026-11-20', 'Ngày Nhà giáo')")
    keep.commit()
    for suffix in ("", "-wal"):
        shutil.copy(made.with_name(made.name + suffix), disk / f"so.sqlite3{suffix}")
    keep.close()
    lock(disk)
    with pytest.raises(VanThuError, match="so.sqlite3-wal") as refused:
        Registry(str(disk / "so.sqlite3"))
    assert "chép cả thư mục sang ổ ghi được" in str(refused.value)
