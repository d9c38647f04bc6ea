"""Files the register writes or keeps: an output written whole or not at all, and a file's SHA-256."""

from __future__ import annotations

import errno
import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from app.core import leftovers
from app.core.errors import VanThuError


def write_atomically(path: str | Path, build: Callable[[BinaryIO], None]) -> Path:
    """Build into a temporary file beside the target, then move it into place only when complete: a failure
    leaves no partial file, and an existing file is replaced whole or not at all."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        leftovers.sweep_parts(target.parent)
        fd, temp = leftovers.make_file(target.parent, f".{target.name}.", ".part")
    except OSError as exc:
        raise output_error(target, exc) from exc
    try:
        with os.fdopen(fd, "wb") as out:
            build(out)
        # mkstemp makes the file private (0600); a clerk's printout or export gets the usual permissions.
        os.chmod(temp, target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask())
        os.replace(temp, target)
    except BaseException as exc:
        Path(temp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.errno in _DISK_REASONS:
            raise output_error(target, exc) from exc
        raise
    return target


_DISK_REASONS = {
    errno.ENOSPC: "ổ đĩa đầy; hãy giải phóng chỗ trống hoặc chọn ổ khác",
    errno.EDQUOT: "đã hết dung lượng được cấp trên ổ đĩa; hãy giải phóng chỗ trống hoặc chọn ổ khác",
    errno.EROFS: "ổ đĩa chỉ cho phép đọc (USB khóa ghi, đĩa CD); hãy chọn ổ khác",
    errno.EACCES: "không có quyền ghi vào thư mục đó; hãy chọn thư mục khác",
    errno.EPERM: "không có quyền ghi vào thư mục đó; hãy chọn thư mục khác",
}


def output_error(target: Path, exc: OSError) -> VanThuError:
    """A clear refusal for a file the app could not write: what stopped it, and that nothing was written."""
    reason = _DISK_REASONS.get(exc.errno or 0, exc.strerror or str(exc))
    return VanThuError(f"Không ghi được tệp {target}: {reason}. Chưa có tệp nào được ghi.")


def _umask() -> int:
    current = os.umask(0)  # the only way to read it is to set it: put it straight back
    os.umask(current)
    return current


def sha256_of(path: str | Path, chunk: int = 1024 * 1024) -> str:
    """The hex SHA-256 of a file, read a chunk at a time (scans and backups can be large)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()
