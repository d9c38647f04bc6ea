"""A register that cannot be written (a write-locked USB stick, a CD, a read-only share, file or folder): how to
tell before opening it, and how SQLite must then open it so that it is read and never touched.

A disk so full that the -shm cannot be made is read the same way, until space is freed.

SQLite's `mode=ro` still needs the -shm file of a WAL register: it can make one when only the file is read-only,
not when the folder or the whole disk is. There `immutable=1` reads the main file alone, which is right only when
the -wal holds no committed pages (a register closed properly has none); when it does, those pages would be
silently missing, so such a register is refused with the reason instead."""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import VanThuError
from app.db.wal import read_commits

MODE_RO, IMMUTABLE = "mode=ro", "immutable=1"
# Less free space than this, and no -shm yet: the register cannot even be read normally (see detect).
FULL_DISK_BYTES = 256 * 1024


@dataclass(frozen=True)
class ReadOnly:
    """Why the register cannot be written (Vietnamese, for the banner and every refusal) and the URI flag."""

    reason: str
    flag: str
    advice: str = ("Muốn ghi, hãy chép sổ (cả thư mục của nó) sang ổ ghi được, hoặc nhờ người quản trị máy cấp "
                   "quyền ghi.")

    def refusal(self) -> VanThuError:
        return VanThuError(f"Sổ đang mở ở chế độ chỉ đọc ({self.reason}), nên không ghi được gì; chưa có gì thay "
                           f"đổi. {self.advice}")

    @property
    def banner(self) -> str:
        return (f"Sổ đang mở ở chế độ CHỈ ĐỌC: {self.reason}. Xem, tìm, in và sao lưu ra ổ khác được; vào sổ, "
                "sửa, chuyển thì không.")


def _disk_read_only(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (AttributeError, OSError):  # no statvfs on Windows: os.access below tells there
        return False


def _free_bytes(folder: Path) -> int | None:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def _shm(path: Path) -> Path:
    return path.with_name(path.name + "-shm")


def detect(path: Path) -> ReadOnly | None:
    """None when the register file can be written as usual (or does not exist yet)."""
    if not path.is_file():
        return None
    folder = path.parent
    if _disk_read_only(folder):
        return _without_writes(path, f"ổ đĩa chứa {folder} chỉ cho phép đọc (USB khóa ghi, đĩa CD hoặc ổ mạng chỉ "
                                     "đọc)")
    if not os.access(folder, os.W_OK):
        return _without_writes(path, f"không có quyền ghi vào thư mục {folder}")
    if not os.access(path, os.W_OK):
        return ReadOnly(f"tệp {path.name} chỉ cho phép đọc", MODE_RO)  # the folder takes the -shm
    free = _free_bytes(folder)
    if free is not None and free < FULL_DISK_BYTES and not _shm(path).exists():
        # SQLite must make the -shm (and -wal) of a WAL register just to read it: on a full disk it cannot.
        return _without_writes(path, f"ổ đĩa chứa {folder} đã đầy, còn {free // 1024} KB trống",
                               "Hãy giải phóng chỗ trống trên ổ đĩa rồi mở lại sổ để ghi tiếp; sổ không bị hỏng.")
    return None


def _without_writes(path: Path, reason: str, advice: str | None = None) -> ReadOnly:
    """How to read a register whose folder cannot take a new file (the -shm): see the module's doc."""
    extra = {"advice": advice} if advice else {}
    wal = path.with_name(path.name + "-wal")
    commits = read_commits(wal) if wal.exists() else None
    if commits is not None and commits.frames:
        if _shm(path).exists():
            return ReadOnly(reason, MODE_RO, **extra)  # SQLite reads the -wal through the existing -shm
        raise VanThuError(f"Không mở được sổ {path}: {reason}, và tệp {wal.name} bên cạnh còn những thay đổi đã lưu "
                          "nhưng chưa gộp vào tệp sổ (chương trình đã bị tắt đột ngột). Mở ở chế độ chỉ đọc thì "
                          "sẽ thiếu những thay đổi đó. Hãy chép cả thư mục sang ổ ghi được rồi mở từ đó. Tệp không "
                          "bị thay đổi.")
    return ReadOnly(reason, IMMUTABLE, **extra)


def connect(path: Path, read_only: ReadOnly, timeout: float = 30) -> sqlite3.Connection:
    """A connection that reads the register and can never write it."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?{read_only.flag}", uri=True, timeout=timeout,
                           check_same_thread=False)
