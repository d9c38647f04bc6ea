"""PDF pages as pixels (pypdfium2), for the app's print preview and for printing through the system printer."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium


@dataclass(frozen=True)
class PageImage:
    """One rendered page: 8-bit grey pixels, row by row (stride bytes per row)."""

    width: int
    height: int
    stride: int
    pixels: bytes
    width_pt: float
    height_pt: float


def page_count(path: str | Path) -> int:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def render_pages(path: str | Path, dpi: float, first: int = 0, last: int | None = None) -> Iterator[PageImage]:
    """Render pages first..last (inclusive, 0-based) one at a time, so printing a 700-page register holds one page
    in memory, never the whole book."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        end = len(pdf) - 1 if last is None else min(last, len(pdf) - 1)
        for index in range(first, end + 1):
            page = pdf[index]
            width_pt, height_pt = page.get_size()
            bitmap = page.render(scale=dpi / 72, grayscale=True)
            try:
                yield PageImage(bitmap.width, bitmap.height, bitmap.stride, bytes(bitmap.buffer), width_pt, height_pt)
            finally:
                bitmap.close()
                page.close()
    finally:
        pdf.close()
