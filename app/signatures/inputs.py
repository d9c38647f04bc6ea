"""A file the clerk named (a PDF to check, a certificate to trust), read whole, or refused with its name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app.core.errors import ValidationError


def read_whole(path: Path, max_size: int, refuse: Callable[[str], ValidationError], too_big: str) -> bytes:
    """The file's bytes; missing, empty, over `max_size` (said as `too_big`) or unreadable → refuse(reason)."""
    if not path.is_file():
        raise refuse(f"không tìm thấy tệp {path}.")
    size = path.stat().st_size
    if size == 0:
        raise refuse(f"tệp {path.name} rỗng (0 byte).")
    if size > max_size:
        raise refuse(f"tệp {path.name} {too_big}.")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise refuse(f"không đọc được tệp {path.name} ({exc.strerror or exc}).") from None
