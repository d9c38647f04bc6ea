"""The printed typeface: Liberation Serif (metric-compatible with Times New Roman) with every Vietnamese glyph."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.resources import resource

SERIF = "VNSerif"
SERIF_BOLD = "VNSerif-Bold"
SERIF_ITALIC = "VNSerif-Italic"
SERIF_BOLD_ITALIC = "VNSerif-BoldItalic"
_FILES = {SERIF: "LiberationSerif-Regular.ttf", SERIF_BOLD: "LiberationSerif-Bold.ttf",
          SERIF_ITALIC: "LiberationSerif-Italic.ttf", SERIF_BOLD_ITALIC: "LiberationSerif-BoldItalic.ttf"}


def fonts_dir() -> Path:
    """resources/fonts from source or inside the installed bundle."""
    return resource("fonts")


@cache
def register_fonts() -> str:
    """Register the family once per process (embedded, subset, in every PDF); returns the regular font name."""
    folder = fonts_dir()
    for name, file in _FILES.items():
        path = folder / file
        if not path.is_file():
            raise FileNotFoundError(f"Thiếu phông chữ {path} (cần để in tiếng Việt có dấu).")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    # <b> and <i> inside Paragraph markup pick the right face.
    addMapping(SERIF, 0, 0, SERIF)
    addMapping(SERIF, 1, 0, SERIF_BOLD)
    addMapping(SERIF, 0, 1, SERIF_ITALIC)
    addMapping(SERIF, 1, 1, SERIF_BOLD_ITALIC)
    return SERIF
