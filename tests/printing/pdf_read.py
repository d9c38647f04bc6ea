"""Reading printouts back: text per page and page sizes, from the real PDF bytes (pypdf)."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

PT_PER_MM = 72 / 25.4


def page_texts(path: Path) -> list[str]:
    """The text of each page, whitespace collapsed so headings can be matched word for word."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(str(path)).pages]


def page_sizes_mm(path: Path) -> list[tuple[float, float]]:
    """(width, height) of each page in millimetres, rounded to 0.1 mm."""
    return [(round(float(p.mediabox.width) / PT_PER_MM, 1), round(float(p.mediabox.height) / PT_PER_MM, 1))
            for p in PdfReader(str(path)).pages]
