"""Read a SQLite -wal file: the database size its last valid commit gives, as SQLite's own recovery finds it.

In WAL mode a commit goes to the -wal file first; the main file gets the pages only at a checkpoint. A checkpoint
that meets a full disk may already have written page 1 (whose header then counts every page) but not the pages
that would make the file longer, so the main file is shorter than its header says while every committed page is
still in the -wal. SQLite reads those pages from the -wal, and so must the start-up check before it calls the
file cut short.

The format (https://www.sqlite.org/fileformat2.html#walformat): a 32-byte header (magic 0x377f0682 or 0x377f0683,
format version, page size, checkpoint sequence, two salts, a checksum of the first 24 bytes), then frames of a
24-byte header (page number; for a commit frame the size of the database in pages after the commit, else 0; the
two salts; a cumulative checksum over the first 8 bytes of every frame header and its page) and one page each.
A frame counts only if its salts match the header's and its checksum is valid; the first frame that fails ends
the log, and frames after the last valid commit frame are not part of the database.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

WAL_MAGICS = (0x377F0682, 0x377F0683)  # the low bit says the checksum words are big-endian
WAL_VERSION = 3007000
WAL_HEADER_SIZE = 32
FRAME_HEADER_SIZE = 24
_MASK = 0xFFFFFFFF


@dataclass(frozen=True)
class WalCommits:
    """What a -wal file holds that SQLite would use: its page size, the number of frames up to and including
    the last valid commit frame, and the database size in pages after that commit (0: no valid commit)."""

    page_size: int
    frames: int
    db_pages: int


def _checksum(data: bytes, big_endian: bool, s0: int = 0, s1: int = 0) -> tuple[int, int]:
    """SQLite's WAL checksum of `data` (a multiple of 8 bytes), continuing from (s0, s1)."""
    words = struct.unpack(f"{'>' if big_endian else '<'}{len(data) // 4}I", data)
    for first, second in zip(words[0::2], words[1::2], strict=True):
        s0 = (s0 + first + s1) & _MASK
        s1 = (s1 + second + s0) & _MASK
    return s0, s1


def _page_size_ok(page_size: int) -> bool:
    return 512 <= page_size <= 65536 and page_size & (page_size - 1) == 0


def read_commits(wal: Path) -> WalCommits | None:
    """The committed content of the -wal file `wal`, or None when SQLite would ignore it (missing, too short, not a
    WAL header, an unknown version, a bad page size or a header checksum that does not match). Reads only."""
    try:
        with wal.open("rb") as handle:
            header = handle.read(WAL_HEADER_SIZE)
            if len(header) < WAL_HEADER_SIZE:
                return None
            magic, version, page_size, _sequence = struct.unpack(">4I", header[:16])
            if magic not in WAL_MAGICS or version != WAL_VERSION or not _page_size_ok(page_size):
                return None
            big_endian = bool(magic & 1)
            s0, s1 = _checksum(header[:24], big_endian)
            if (s0, s1) != struct.unpack(">2I", header[24:32]):
                return None
            salts = header[16:24]
            frames = db_pages = 0
            index = 0
            while True:
                frame = handle.read(FRAME_HEADER_SIZE + page_size)
                if len(frame) < FRAME_HEADER_SIZE + page_size:
                    break  # a frame cut short by the crash or the full disk: the log ends before it
                page, commit_size = struct.unpack(">2I", frame[:8])
                if page == 0 or frame[8:16] != salts:
                    break
                s0, s1 = _checksum(frame[:8], big_endian, s0, s1)
                s0, s1 = _checksum(frame[FRAME_HEADER_SIZE:], big_endian, s0, s1)
                if (s0, s1) != struct.unpack(">2I", frame[16:24]):
                    break
                index += 1
                if commit_size:
                    frames, db_pages = index, commit_size
    except OSError:
        return None
    return WalCommits(page_size=page_size, frames=frames, db_pages=db_pages)
