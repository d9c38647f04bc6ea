"""What a register book is (NĐ 30 Phụ lục IV): its kinds, titles, fixed wording, columns, page and print request."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm

from app.printing.common import Agency

KINDS = ("incoming", "outgoing", "follow_up")
TITLES = {
    "incoming": "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN",
    "outgoing": "SỔ ĐĂNG KÝ VĂN BẢN ĐI",
    "follow_up": "SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN",
}
CANCELLED = "ĐÃ HỦY"
CLERK_TITLE = "NGƯỜI LẬP SỔ (VĂN THƯ)"
LEADER_TITLE = "THỦ TRƯỞNG CƠ QUAN"
SIGN_HINT = "(Ký, ghi rõ họ tên)"
EMPTY_BOOK = "Không có văn bản nào trong phạm vi đã chọn."


@dataclass(frozen=True)
class Column:
    """One column of a register: its heading word for word (DOMAIN.md), share of the width, alignment."""

    heading: str
    width: float  # mm on A4 landscape with the book's margins; scaled to the frame
    align: str = "LEFT"


# Widths in mm add up to the 267 mm between the margins; the trích yếu (or its equivalent) is the widest.
COLUMNS: dict[str, tuple[Column, ...]] = {
    "incoming": (
        Column("Ngày đến", 19, "CENTER"),
        Column("Số đến", 12, "CENTER"),
        Column("Tác giả", 30),
        Column("Số, ký hiệu văn bản", 28),
        Column("Ngày tháng văn bản", 19, "CENTER"),
        Column("Tên loại và trích yếu nội dung văn bản", 78),
        Column("Đơn vị hoặc người nhận", 28),
        Column("Ngày chuyển", 19, "CENTER"),  # as wide as Ngày đến: a printed DD/MM/YYYY stays on one line
        Column("Ký nhận", 17),
        Column("Ghi chú", 17),
    ),
    "outgoing": (
        Column("Số, ký hiệu văn bản", 26),
        Column("Ngày tháng văn bản", 19, "CENTER"),
        Column("Tên loại và trích yếu nội dung văn bản", 72),
        Column("Người ký", 30),
        Column("Nơi nhận văn bản", 38),
        Column("Đơn vị, người nhận bản lưu", 22),
        Column("Số lượng bản", 12, "CENTER"),
        Column("Ngày chuyển", 16, "CENTER"),
        Column("Ký nhận", 17),
        Column("Ghi chú", 15),
    ),
    "follow_up": (
        Column("Số đến", 13, "CENTER"),
        Column("Tên loại, số, ký hiệu, ngày, tháng và tên cơ quan, tổ chức ban hành văn bản", 100),
        Column("Đơn vị hoặc người nhận", 38),
        Column("Thời hạn giải quyết", 20, "CENTER"),
        Column("Tiến độ giải quyết", 26),
        Column("Số, ký hiệu văn bản trả lời", 40),
        Column("Ghi chú", 30),
    ),
}

# The page the columns are ruled on; the column widths above are shares of the frame between these margins.
PAGE = landscape(A4)
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 20 * mm, 10 * mm, 12 * mm, 15 * mm  # the left edge is bound
FRAME_WIDTH = PAGE[0] - MARGIN_LEFT - MARGIN_RIGHT


def column_widths(kind: str) -> list[float]:
    """The book's column widths in points: the mm shares of COLUMNS scaled to fill the frame."""
    columns = COLUMNS[kind]
    scale = FRAME_WIDTH / sum(c.width for c in columns)  # mm shares to points
    return [c.width * scale for c in columns]


@dataclass(frozen=True)
class RegisterBookRequest:
    """Which book to print and for whom. The caller picks the entries; the ranges are what the cover states
    (the dates as asked, else the first and last printed; the numbers as printed, else as asked)."""

    kind: str  # "incoming" | "outgoing" | "follow_up"
    agency: Agency
    year: int
    book_number: int = 1
    date_from: date | None = None
    date_to: date | None = None
    number_from: int | None = None
    number_to: int | None = None
    replies: Mapping[int, str] = field(default_factory=dict)  # incoming id -> "số, ký hiệu văn bản trả lời"
    # incoming id -> (units of the current routing step with their roles, each unit's progress), follow-up book
    progress: Mapping[int, tuple[str, str]] = field(default_factory=dict)
    # incoming id -> the day it was handed over (its first ký nhận), for column (8) Ngày chuyển of the incoming book
    handed_over: Mapping[int, date] = field(default_factory=dict)
    # "#N, 16 hex" of the audit chain's head when printed: the signed book anchors the trail (chain_anchor.py).
    audit_code: str = ""
