"""What every printout shares: paragraph styles, the official header block, and writing a PDF without leaving
a partial file behind."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.colors import black
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, HRFlowable, Paragraph, Table, TableStyle

from app.core.dates import date_line, format_date
from app.core.enums import Family
from app.core.files import write_atomically
from app.printing.agency_lines import CentredLines, fit_name
from app.printing.fonts import SERIF, SERIF_BOLD, register_fonts

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
PARTY_TITLE = "ĐẢNG CỘNG SẢN VIỆT NAM"
DOTS = "…" * 3
_MIN_HEADER_SIZE = 10.0  # the smallest type an agency's name is shrunk to before it goes on two lines


@dataclass(frozen=True)
class Agency:
    """Who prints: shown on the stamp, the headers and the covers."""

    name: str
    parent: str = ""
    place: str = ""
    family: Family = Family.STATE


def style(size: float = 13, bold: bool = False, align: int = TA_LEFT, leading: float | None = None,
          italic: bool = False, name: str = "") -> ParagraphStyle:
    register_fonts()
    font = SERIF_BOLD if bold else SERIF
    if italic:
        font = "VNSerif-BoldItalic" if bold else "VNSerif-Italic"
    return ParagraphStyle(name or f"s{size}{bold}{align}{italic}", fontName=font, fontSize=size,
                          leading=leading or size * 1.2, alignment=align)


def para(text: str, st: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped: a trích yếu may contain '<' or '&')."""
    return Paragraph(escape(text), st)


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")


def header_block(agency: Agency, width: float, on: date | None = None) -> Table:
    """The two-column head of an administrative form: parent body and agency (left, the agency in bold with a
    short rule), the national title or ĐẢNG CỘNG SẢN VIỆT NAM (right), and the place/date line."""
    left_parts: list[Flowable] = agency_block(agency, width * 0.42)
    name = left_parts[-1]
    assert isinstance(name, CentredLines)
    if agency.family is Family.PARTY:
        # Party documents mark the committee's name with an asterisk and underline the Party's name (HD 36).
        left_parts.append(para("*", style(12, align=TA_CENTER)))
        right_parts = [para(PARTY_TITLE, style(13, bold=True, align=TA_CENTER)),
                       _rule(stringWidth(PARTY_TITLE, SERIF_BOLD, 13))]
    else:
        # NĐ 30: a rule 1/3 of the agency name's length under it, and one as long as the motto under the motto.
        left_parts.append(_rule(min(name.widest(), width * 0.42) / 3))
        right_parts = [para(NATIONAL_TITLE, style(12, bold=True, align=TA_CENTER)),
                       para(NATIONAL_MOTTO, style(13, bold=True, align=TA_CENTER)),
                       _rule(stringWidth(NATIONAL_MOTTO, SERIF_BOLD, 13))]
    line = date_line(agency.place or DOTS, on) if on else f"{agency.place or DOTS}, ngày {DOTS} tháng {DOTS} năm {DOTS}"
    right_parts.append(para(line, style(13, italic=True, align=TA_CENTER)))
    table = Table([[left_parts, right_parts]], colWidths=[width * 0.42, width * 0.58])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def agency_block(agency: Agency, width: float, size: float = 12) -> list[Flowable]:
    """The parent body and the agency (bold), each on one line shrunk to fit down to 10 pt, or broken only between
    the bodies and places its name is made of: never "…HUYỆN HÒA / THÀNH"."""
    register_fonts()
    parts: list[Flowable] = []
    if agency.parent.strip():
        lines, fitted = fit_name(agency.parent.upper(), SERIF, width, size, _MIN_HEADER_SIZE)
        parts.append(CentredLines(lines, SERIF, fitted))
    lines, fitted = fit_name(agency.name.upper() or DOTS, SERIF_BOLD, width, size, _MIN_HEADER_SIZE)
    parts.append(CentredLines(lines, SERIF_BOLD, fitted))
    return parts


def _rule(length: float) -> HRFlowable:
    return HRFlowable(width=length, thickness=0.6, color=black, spaceBefore=1.5, spaceAfter=3, hAlign="CENTER")


def date_text(value: date | None) -> str:
    return format_date(value) if value else ""


def write_pdf(path: str | Path, build: Callable[[BinaryIO], None]) -> Path:
    """A PDF written whole or not at all (no partial file on a refusal or a crash)."""
    return write_atomically(path, build)


MM = mm
