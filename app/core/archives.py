"""Zip archives from outside, read defensively: sizes declared and inflated, links, duplicate names, bombs."""

from __future__ import annotations

import stat
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

KIB, MIB, GIB = 1024, 1024 * 1024, 1024 * 1024 * 1024
# Deflate packs plain XML or a database about 5-30:1; only a crafted file (a run of one byte) goes far beyond.
BOMB_RATIO = 100
BOMB_FLOOR = 4 * MIB  # small members may pack better (a theme, an empty sheet) and cannot hurt
_CHUNK = 1024 * 1024
# What a broken or crafted archive raises while it is read: each becomes a clear refusal. (zipfile raises
# NotImplementedError for a compression method it does not know, RuntimeError for an encrypted member.)
READ_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError, KeyError,
               NotImplementedError, RuntimeError)


class UnsafeArchive(ValueError):
    """An archive refused before or while it is read; the message is Vietnamese, the caller names the file."""


def size_text(size: int) -> str:
    """A byte count as a clerk reads it: 3,2 GB, 200 MB, 12 KB."""
    for unit, name in ((GIB, "GB"), (MIB, "MB"), (KIB, "KB")):
        if size >= unit:
            return f"{size / unit:.1f}".replace(".", ",").removesuffix(",0") + f" {name}"
    return f"{size} byte"


def open_zip(path: Path) -> zipfile.ZipFile:
    """The archive, or UnsafeArchive when the file is not a readable zip (a renamed document, a cut download)."""
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise UnsafeArchive(f"không phải tệp nén zip đọc được ({exc})") from None


def _is_plain_file(info: zipfile.ZipInfo) -> bool:
    """A regular file: no symlink, hardlink, device or folder (the Unix mode in the high bits, when written)."""
    mode = info.external_attr >> 16
    if info.is_dir() or info.external_attr & 0x10:  # 0x10: MS-DOS directory bit
        return False
    return stat.S_IFMT(mode) in (0, stat.S_IFREG)  # 0: no type written (Windows tools, zipfile.writestr)


def check_members(archive: zipfile.ZipFile, member_cap: int, total_cap: int,
                  bomb_ratio: int | None = BOMB_RATIO) -> list[zipfile.ZipInfo]:
    """Refuse duplicate names, links and other non-files, a member declared larger than member_cap, all members
    together larger than total_cap, and a large member packed like a bomb (bomb_ratio None: not checked, for
    files such as a database whose empty pages pack as well as a bomb). Returns the members, in order."""
    infos = archive.infolist()
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        if name in seen:
            raise UnsafeArchive(f"có hai thành phần cùng tên {name}")
        seen.add(name)
        if not _is_plain_file(info):
            kind = "liên kết (symlink)" if stat.S_ISLNK(info.external_attr >> 16) else "không phải tệp thường"
            raise UnsafeArchive(f"có thành phần {name} là {kind}")
        if info.file_size > member_cap:
            raise UnsafeArchive(f"có thành phần {name} bung ra {size_text(info.file_size)}, quá giới hạn "
                                f"{size_text(member_cap)}")
        if bomb_ratio and info.file_size > BOMB_FLOOR and info.file_size > bomb_ratio * max(info.compress_size, 1):
            raise UnsafeArchive(f"có thành phần {name} nén {size_text(info.compress_size)} mà bung ra "
                                f"{size_text(info.file_size)} (hơn {bomb_ratio} lần): tệp được tạo để làm tràn bộ nhớ")
        total += info.file_size
        if total > total_cap:
            raise UnsafeArchive(f"bung ra hơn {size_text(total_cap)}, quá giới hạn")
    return infos


def read_chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int,
                chunk: int = _CHUNK) -> Iterator[bytes]:
    """A member's bytes, a chunk at a time, refused as soon as it inflates past its declared size or the cap
    (a declared size can lie; zipfile also stops at it, and its CRC check then fails)."""
    limit = min(info.file_size, cap)
    read = 0
    try:
        with archive.open(info) as member:
            while block := member.read(chunk):
                read += len(block)
                if read > limit:
                    raise UnsafeArchive(f"có thành phần {info.filename} bung ra hơn {size_text(limit)} "
                                        "(lớn hơn kích thước ghi trong tệp nén)")
                yield block
    except UnsafeArchive:
        raise
    except READ_ERRORS as exc:
        raise UnsafeArchive(f"bị hỏng ở thành phần {info.filename} ({exc})") from None
    if read != info.file_size:
        raise UnsafeArchive(f"bị hỏng ở thành phần {info.filename} (đọc được {read} byte, tệp nén ghi "
                            f"{info.file_size} byte)")


__all__ = ["BOMB_RATIO", "GIB", "KIB", "MIB", "READ_ERRORS", "UnsafeArchive", "check_members", "open_zip",
           "read_chunks", "size_text"]
