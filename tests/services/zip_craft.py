"""Hostile zip files built byte by byte for the tests: bombs that hold gigabytes in a few MB, lying sizes."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Member:
    """One member as it goes into the archive: raw deflate data, its CRC and sizes (declared may differ)."""

    name: str
    data: bytes
    crc: int
    size: int
    declared: int | None = None  # a lie told in the headers; None: the true size
    external_attr: int = 0o100644 << 16


def deflated(name: str, parts: Sequence[tuple[bytes, int]], declared: int | None = None) -> Member:
    """A member made of parts (bytes, times repeated), compressed without ever holding the whole: a full flush
    after each part makes the compressed form of a repeated part the same bytes each time."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    out, crc, size = bytearray(), 0, 0
    for data, times in parts:
        packed = compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)
        out += packed * times
        for _ in range(times):
            crc = zlib.crc32(data, crc)
        size += len(data) * times
    out += compressor.flush()
    return Member(name, bytes(out), crc, size, declared)


def write_zip(path: Path, members: Sequence[Member]) -> Path:
    """A plain zip (no zip64: every size under 4 GB) with the headers each member asks for."""
    central, offset = bytearray(), 0
    with path.open("wb") as out:
        for m in members:
            name = m.name.encode()
            size = m.size if m.declared is None else m.declared
            header = struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", 20, 0, 0, 8, 0, 0x21, m.crc, len(m.data), size,
                                 len(name), 0)
            out.write(header + name + m.data)
            central += struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", 20, 3, 20, 0, 0, 8, 0, 0x21, m.crc,
                                   len(m.data), size, len(name), 0, 0, 0, 0, m.external_attr, offset) + name
            offset += len(header) + len(name) + len(m.data)
        out.write(central)
        out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(central), offset, 0))
    return path
