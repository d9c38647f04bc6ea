"""What a clerk is told about a signature: one Vietnamese line per reason, and the time as it is read in Việt Nam."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

VIETNAM = timezone(timedelta(hours=7), "+07:00")  # no daylight saving: a fixed offset is the law's time (ISO 8601)

# The state of a file as a whole, stored with an attachment and shown as the table's icon.
VALID, UNTRUSTED, INVALID, MISSING, NONE = "valid", "untrusted", "invalid", "missing", "none"
STATUS_LABELS = {VALID: "Chữ ký số hợp lệ", UNTRUSTED: "Chữ ký số chưa được tin cậy",
                 INVALID: "Chữ ký số không hợp lệ", MISSING: "Chữ ký số bị hỏng hoặc thiếu",
                 NONE: "Không có chữ ký số"}
NEEDS_CONFIRMATION = frozenset({UNTRUSTED, INVALID, MISSING})

# pyHanko's modification levels, as the JSON names them and as the clerk reads them.
MODIFICATIONS = {"none": "không thay đổi", "lta_updates": "chỉ thêm dữ liệu kiểm tra (dấu thời gian, CRL/OCSP)",
                 "form_filling": "điền biểu mẫu hoặc ký thêm", "annotations": "thêm chú thích",
                 "other": "sửa nội dung (thêm, bớt trang hoặc đối tượng)"}


def local(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(VIETNAM)


def shown(moment: datetime | None) -> str:
    """"24/10/2023 09:15:02 (+07:00)"."""
    if moment is None:
        return "không rõ thời điểm"
    return local(moment).strftime("%d/%m/%Y %H:%M:%S (+07:00)")


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 with the Vietnamese offset, as Phụ lục I writes the signing time: 2026-12-07T09:15:02+07:00."""
    return None if moment is None else local(moment).isoformat(timespec="seconds")


def day(moment: datetime) -> str:
    return local(moment).strftime("%d/%m/%Y")
