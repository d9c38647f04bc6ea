"""After a full disk the register opens and goes on: the start-up length check counts the committed pages still
in the -wal file (a checkpoint stopped by the full disk leaves the main file shorter than its header says), while
a register that really was cut short is still refused, with the sizes found and without a bare "restore"."""

from __future__ import annotations

import shutil
import sqlite3
import struct
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.errors import VanThuError
from app.db.safety import check_database_file
from app.db.wal import read_commits
from app.services import Registry
from tests.mounts import run as _run
from tests.services.test_bad_input import incoming, integrity, state

FILES = ("", "-wal", "-shm")
LOSS_WARNING = "sẽ bị mất"  # every refusal that mentions a restore says what a restore loses


def copy_register(source: Path, target: Path, suffixes: tuple[str, ...] = FILES) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in suffixes:
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")
    return target


def header_bytes(path: Path) -> int:
    """The size the main file's header says the database has (page count × page size)."""
    header = path.read_bytes()[:100]
    return int.from_bytes(header[28:32], "big") * int.from_bytes(header[16:18], "big")


def sqlite_sees(path: Path) -> tuple[int, str, int]:
    """(page_count, integrity_check, documents) as SQLite itself finds them, on a scratch copy of the files."""
    scratch = copy_register(path, path.parent / "scratch" / path.name, ("", "-wal"))
    conn = sqlite3.connect(scratch)
    try:
        return (conn.execute("PRAGMA page_count").fetchone()[0], conn.execute("PRAGMA integrity_check").fetchone()[0],
                conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    finally:
        conn.close()
        shutil.rmtree(scratch.parent)


def files_of(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(path.parent.iterdir()) if p.name.startswith(path.name)}


@pytest.fixture(scope="module")
def stopped_checkpoint(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """A register in the state a checkpoint stopped by a full disk leaves (and the number of its documents): page 1
    of the main file already counts every page, the main file still has its old length, and every page past that
    length is only in the -wal.

    Made for real: a reader keeps its snapshot open so that nothing registered after it leaves the -wal; the files
    are copied aside, checkpointed there (the -wal stays, as after a checkpoint that has not yet restarted the log)
    and copied again, and the main file is cut back to the length it had — what a checkpoint that could write page
    1 but not extend the file leaves behind."""
    base = tmp_path_factory.mktemp("stopped")
    live = base / "live" / "so.sqlite3"
    live.parent.mkdir()
    registry = Registry(str(live), actor="van_thu_test")
    reader = sqlite3.connect(live, isolation_level=None)
    try:
        for i in range(3):
            registry.documents.register_incoming(incoming(f"{i + 1}/SYT-VP"))
        with registry.db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        old_size = live.stat().st_size
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM documents").fetchone()  # the snapshot: no checkpoint passes it
        for i in range(3, 150):
            registry.documents.register_incoming(incoming(f"{i + 1}/SYT-VP", subject="Trích yếu " * 40))
        registry.close()
        assert live.stat().st_size == old_size and Path(f"{live}-wal").stat().st_size > 100 * 4096
        aside = copy_register(live, base / "aside" / "so.sqlite3", ("", "-wal"))
    finally:
        reader.close()
    checkpointer = sqlite3.connect(aside)
    try:
        assert checkpointer.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[0] == 0  # 0: not blocked
        cut = copy_register(aside, base / "cut" / "so.sqlite3", ("", "-wal"))
    finally:
        checkpointer.close()
    with cut.open("r+b") as handle:
        handle.truncate(old_size)
    return cut, 150


def test_a_register_whose_pages_are_still_in_the_wal_opens_and_goes_on(stopped_checkpoint: tuple[Path, int],
                                                                        tmp_path: Path) -> None:
    path = copy_register(stopped_checkpoint[0], tmp_path / "so.sqlite3")
    count = stopped_checkpoint[1]
    assert path.stat().st_size < header_bytes(path)  # the shape the issue met: "225280 byte, cần 430080 byte"
    pages, verdict, documents = sqlite_sees(path)
    assert (verdict, documents) == ("ok", count) and pages * 4096 == header_bytes(path)  # SQLite: whole
    commits = read_commits(Path(f"{path}-wal"))
    assert commits is not None and commits.db_pages == pages and commits.page_size == 4096
    check_database_file(f"sqlite:///{path}")
    registry = Registry(str(path), actor="van_thu_test")
    try:
        assert registry.documents.register_incoming(incoming("sau/SYT-VP")).number == count + 1
    finally:
        registry.close()
    integrity(path)


def _rewrite_checksums(data: bytearray, magic: int, frames: int | None = None) -> bytearray:
    """The -wal `data` with the checksum byte order of `magic`, keeping its first `frames` frames (all valid ones
    when None); an independent implementation of the format's checksum, checked below by SQLite itself."""
    page_size = int.from_bytes(data[8:12], "big")
    order = ">" if magic & 1 else "<"

    def checksum(chunk: bytes, s0: int, s1: int) -> tuple[int, int]:
        words = struct.unpack(f"{order}{len(chunk) // 4}I", chunk)
        for i in range(0, len(words), 2):
            s0 = (s0 + words[i] + s1) & 0xFFFFFFFF
            s1 = (s1 + words[i + 1] + s0) & 0xFFFFFFFF
        return s0, s1

    data[:4] = magic.to_bytes(4, "big")
    sums = checksum(bytes(data[:24]), 0, 0)
    data[24:32] = struct.pack(">2I", *sums)
    end, kept = 32, 0
    while end + 24 + page_size <= len(data) and data[end + 8:end + 16] == data[16:24] and kept != frames:
        sums = checksum(bytes(data[end:end + 8]) + bytes(data[end + 24:end + 24 + page_size]), *sums)
        data[end + 16:end + 24] = struct.pack(">2I", *sums)
        end, kept = end + 24 + page_size, kept + 1
    return data[:end]


def test_big_endian_wal_checksums_are_read_too(stopped_checkpoint: tuple[Path, int], tmp_path: Path) -> None:
    """A -wal written on a big-endian machine (magic 0x377f0683) is read as SQLite reads it."""
    path = copy_register(stopped_checkpoint[0], tmp_path / "so.sqlite3", ("", "-wal"))
    wal = Path(f"{path}-wal")
    wal.write_bytes(_rewrite_checksums(bytearray(wal.read_bytes()), 0x377F0683))
    pages, verdict, documents = sqlite_sees(path)
    assert (verdict, documents) == ("ok", stopped_checkpoint[1])
    commits = read_commits(wal)
    assert commits is not None and commits.db_pages == pages
    check_database_file(f"sqlite:///{path}")


def _refused(path: Path) -> str:
    before = files_of(path)
    with pytest.raises(VanThuError) as refusal:
        Registry(str(path), actor="van_thu_test")
    message = str(refusal.value)
    assert files_of(path) == before  # nothing written, no -shm made
    assert f"Không mở được cơ sở dữ liệu {path}: tệp SQLite bị cắt cụt" in message, message
    assert "khôi phục từ bản sao lưu" in message and LOSS_WARNING in message and "chép tệp này" in message, message
    return message


def test_a_really_truncated_register_is_refused_with_what_was_found(stopped_checkpoint: tuple[Path, int],
                                                                    tmp_path: Path) -> None:
    path = copy_register(stopped_checkpoint[0], tmp_path / "so.sqlite3", ("",))  # its -wal lost
    message = _refused(path)
    assert f"({path.stat().st_size} byte, cần {header_bytes(path)} byte" in message, message
    assert "không có tệp nhật ký so.sqlite3-wal" in message, message


def test_a_register_cut_in_half_without_a_wal_is_refused(tmp_path: Path) -> None:
    whole = tmp_path / "whole.sqlite3"
    registry = Registry(str(whole), actor="van_thu_test")
    for i in range(60):
        registry.documents.register_incoming(incoming(f"{i + 1}/SYT-VP", subject="Trích yếu " * 40))
    registry.close()
    assert not Path(f"{whole}-wal").exists()
    path = tmp_path / "cut.sqlite3"
    path.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    message = _refused(path)
    assert f"({path.stat().st_size} byte, cần {whole.stat().st_size} byte" in message, message
    tiny = tmp_path / "tiny.sqlite3"
    tiny.write_bytes(whole.read_bytes()[:60])
    assert "chỉ còn 60 byte" in _refused(tiny)


@pytest.mark.parametrize("damage", ["tail_lost", "bad_salt", "bad_checksum", "bad_header"])
def test_a_wal_without_the_missing_pages_does_not_make_a_cut_file_whole(
        damage: str, stopped_checkpoint: tuple[Path, int], tmp_path: Path) -> None:
    """The -wal counts only up to its last valid commit: frames after one with other salts or a wrong checksum, and
    a -wal whose header checksum is wrong, do not make up for the pages missing from the main file."""
    path = copy_register(stopped_checkpoint[0], tmp_path / "so.sqlite3", ("", "-wal"))
    wal = Path(f"{path}-wal")
    data = bytearray(wal.read_bytes())
    page_size = int.from_bytes(data[8:12], "big")
    middle = 32 + (len(data) // (24 + page_size) // 2) * (24 + page_size)  # a frame halfway through the log
    if damage == "tail_lost":  # an interrupted copy of the -wal: its newer half is missing
        data = data[:middle]
    elif damage == "bad_salt":  # a frame left from an older log
        data[middle + 8] ^= 0xFF
    elif damage == "bad_checksum":  # a bad sector in a page
        data[middle + 24 + 100] ^= 0xFF
    else:
        data[24] ^= 0xFF
    wal.write_bytes(bytes(data))
    commits = read_commits(wal)
    if damage == "bad_header":
        assert commits is None
    else:
        assert commits is not None and 0 < commits.db_pages * page_size < header_bytes(path)
    message = _refused(path)
    if damage != "bad_header":
        assert f"chỉ có dữ liệu đã ghi tới trang {commits.db_pages}" in message, message  # type: ignore[union-attr]


# ---------------------------------------------------------------------------------------- a real full disk


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB filesystem: tmpfs, else an ext4 loop file; skipped where neither can be mounted (not root)."""
    if not sys.platform.startswith("linux"):
        pytest.skip("mounting a small filesystem needs Linux")
    disk = tmp_path / "disk"
    disk.mkdir()
    if not _run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)):
        image = tmp_path / "disk.img"
        with image.open("wb") as handle:
            handle.truncate(2 * 1024 * 1024)
        if not (_run("mkfs.ext4", "-q", "-F", str(image)) and _run("mount", "-o", "loop", str(image), str(disk))):
            pytest.skip("cannot mount a size-limited filesystem here (tmpfs and loop mounts refused)")
    try:
        yield disk
    finally:
        _run("umount", "-l", str(disk))


def test_a_register_filled_to_a_full_disk_opens_again_and_goes_on(small_disk: Path) -> None:
    path = small_disk / "so.sqlite3"
    ballast = small_disk / "ballast"
    ballast.write_bytes(b"\x00" * 600 * 1024)  # what the clerk deletes to free space
    registry = Registry(str(path), actor="van_thu_test")
    saved, refusals = 0, []
    try:
        while len(refusals) < 3:  # until the disk is full, then a few more: each is refused and writes nothing
            before = state(path)
            try:
                registry.documents.register_incoming(incoming(f"{saved + 1}/SYT-VP", subject="Trích yếu " * 150))
                saved += 1
            except VanThuError as exc:
                refusals.append(str(exc))
                assert state(path) == before
            assert saved < 1000, "the disk never filled"
    finally:
        registry.close()
    assert saved > 5 and all(m.startswith(f"Ổ đĩa đầy: không ghi được vào {path}") for m in refusals), refusals
    assert path.stat().st_size < header_bytes(path)  # the checkpoint at close met the full disk
    registry = Registry(str(path), actor="van_thu_test")  # still full: it opens, and a save says why it cannot
    try:
        with pytest.raises(VanThuError, match="^Ổ đĩa đầy"):
            registry.documents.register_incoming(incoming("day/SYT-VP"))
    finally:
        registry.close()
    ballast.unlink()  # space freed
    for extra in (1, 2):  # the first reopen finds the pages in the -wal, the second after a checkpoint ran
        registry = Registry(str(path), actor="van_thu_test")
        try:
            assert registry.documents.register_incoming(incoming(f"sau-{extra}/SYT-VP")).number == saved + extra
        finally:
            registry.close()
        integrity(path)
