"""An attachment's name as the sender wrote it: a file name only, never a path (../, C:\\, /etc/…)."""

from __future__ import annotations

import re
import unicodedata

_DRIVE = re.compile(r"^[A-Za-z]:")
MAX_NAME = 200


def check_attachment_name(name: str, index: int) -> str:
    """The name NFC-normalised, or the reason it is refused (ValueError, Vietnamese, naming the Attachment)."""
    value = unicodedata.normalize("NFC", name.strip())
    where = f"AttachmentName của Attachment thứ {index}"
    if not value:
        raise ValueError(f"thiếu {where}")
    if "/" in value or "\\" in value or _DRIVE.match(value) or value in (".", ".."):
        raise ValueError(f"{where} «{value}» là một đường dẫn (có / \\ .. hoặc ổ đĩa), không phải tên tệp: có thể "
                         "là tệp độc hại ghi đè tệp khác trên máy")
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in value):
        raise ValueError(f"{where} có ký tự điều khiển")
    if len(value) > MAX_NAME:
        raise ValueError(f"{where} dài quá {MAX_NAME} ký tự")
    return value
