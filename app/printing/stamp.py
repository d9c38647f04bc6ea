"""The "ĐẾN" stamp printouts (NĐ 30 Phụ lục IV mục V): label pages and A4 label sheets, the names callers import."""

from __future__ import annotations

from collections.abc import Sequence
from typing import BinaryIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.core.errors import ValidationError
from app.printing.fonts import register_fonts
from app.printing.stamp_draw import (
    STAMP_HEIGHT,
    STAMP_HEIGHT_MM,
    STAMP_WIDTH,
    STAMP_WIDTH_MM,
    StampData,
    draw_stamp,
)
from app.printing.stamp_scan import StampPlacement, stamp_scan


def write_stamp_labels(out: BinaryIO, agency_name: str, stamps: Sequence[StampData | None]) -> None:
    """One page of exactly 50 × 35 mm per stamp, for label printers; None (or no stamps at all) gives a blank
    stamp to fill in by hand."""
    register_fonts()
    canvas = Canvas(out, pagesize=(STAMP_WIDTH, STAMP_HEIGHT))
    canvas.setTitle("Dấu ĐẾN")
    for data in stamps or [None]:
        draw_stamp(canvas, 0, 0, agency_name, data)
        canvas.showPage()
    canvas.save()


# Default margins of an A4 sheet of 3 × 7 labels (63.5 × 38.1 mm, e.g. Avery L7160 / A-One / Tanex): the
# printable area inside the margins is split evenly and each stamp is centred in its cell.
SHEET_MARGIN_X_MM = 7.2
SHEET_MARGIN_Y_MM = 15.15


def write_stamp_sheet(out: BinaryIO, agency_name: str, stamps: Sequence[StampData | None], columns: int = 3,
                      rows: int = 7, *, margin_x_mm: float = SHEET_MARGIN_X_MM,
                      margin_y_mm: float = SHEET_MARGIN_Y_MM) -> None:
    """A4 portrait sheets of stamps in a columns × rows grid, filled row by row, as many pages as needed; no
    stamps at all gives one sheet of blank stamps."""
    register_fonts()
    page_w, page_h = A4
    cell_w = (page_w - 2 * margin_x_mm * mm) / columns if columns > 0 else 0
    cell_h = (page_h - 2 * margin_y_mm * mm) / rows if rows > 0 else 0
    if cell_w < STAMP_WIDTH - 0.01 or cell_h < STAMP_HEIGHT - 0.01:
        raise ValidationError.single("layout", "Khổ nhãn",
                                     f"Không xếp được {columns} × {rows} dấu 50 × 35 mm trên một trang A4.")
    per_page = columns * rows
    canvas = Canvas(out, pagesize=A4)
    canvas.setTitle("Dấu ĐẾN")
    items: list[StampData | None] = list(stamps) or [None] * per_page
    for start in range(0, len(items), per_page):
        for k, data in enumerate(items[start:start + per_page]):
            row, col = divmod(k, columns)
            x = margin_x_mm * mm + col * cell_w + (cell_w - STAMP_WIDTH) / 2
            top = page_h - margin_y_mm * mm - row * cell_h
            y = top - (cell_h + STAMP_HEIGHT) / 2
            draw_stamp(canvas, x, y, agency_name, data)
        canvas.showPage()
    canvas.save()


# Callers import the whole stamp from here; the drawing and the scan stamping sit below, so no cycle forms.
__all__ = ["SHEET_MARGIN_X_MM", "SHEET_MARGIN_Y_MM", "STAMP_HEIGHT", "STAMP_HEIGHT_MM", "STAMP_WIDTH", "STAMP_WIDTH_MM",
           "StampData", "StampPlacement", "draw_stamp", "stamp_scan", "write_stamp_labels", "write_stamp_sheet"]
