"""Phiếu giải quyết văn bản đến (NĐ 30, Phụ lục IV mục VII): one A4 page the leader writes the routing on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Spacer, Table, TableStyle

from app.core.dates import format_date
from app.core.records import DocumentRecord
from app.core.unnumbered import shown_reference
from app.printing.common import Agency, escape, header_block, para, style
from app.printing.fonts import SERIF, register_fonts

TITLE = "PHIẾU GIẢI QUYẾT VĂN BẢN ĐẾN"
LEADER_HEADING = "1. Ý kiến của lãnh đạo cơ quan, tổ chức:"
UNIT_HEADING = "2. Ý kiến của lãnh đạo đơn vị:"
HANDLER_HEADING = "3. Ý kiến đề xuất của người giải quyết:"
DATE_BLANK = "Ngày …… tháng …… năm ……"
SIGN_HINT = "(Ký, ghi rõ họ tên)"

# NĐ 30 Phụ lục I margins: top/bottom 20-25 mm, left 30-35 mm, right 15-20 mm.
_LEFT, _RIGHT, _TOP, _BOTTOM = 30 * mm, 15 * mm, 20 * mm, 20 * mm
_SIZE = 13  # body text, as in an administrative document (13-14 pt)
_LINE = 7.5 * mm  # one handwriting line
_SIGN_SPACE = 13 * mm  # room for a signature under "(Ký, ghi rõ họ tên)"
_SIGN_LINES = 3  # half-width handwriting lines beside the date and signature place
# Minimum full-width handwriting lines per section, and how spare room is shared out (leader, unit, handler).
_MIN_LINES = (1, 0, 1)
_SHARE = (0.45, 0.25, 0.30)


@dataclass(frozen=True)
class Routing:
    """What the leader decided, as far as it is known when the slip is printed."""

    lead: str = ""  # đơn vị (người) chủ trì
    supporting: tuple[str, ...] = ()  # đơn vị phối hợp
    deadline: date | None = None  # thời hạn giải quyết
    directive: str = ""  # ý kiến chỉ đạo


def routing_of(doc: DocumentRecord) -> Routing:
    """What the register already knows: the receiving unit as the lead, the deadline and the directive."""
    return Routing(lead=(doc.recipient_text or "").strip(), deadline=doc.due_on,
                   directive=(doc.directive or "").strip())


class DottedLine(Flowable):
    """A dotted line across the frame for handwriting; with a label, the dots run from the label's end."""

    def __init__(self, label: str = "", height: float = _LINE, size: float = _SIZE) -> None:
        super().__init__()
        self.label = label
        self.line_height = height
        self.size = size
        self.width = 0.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.line_height

    def draw(self) -> None:
        canvas = self.canv
        baseline = 1.6 * mm
        start = 0.0
        if self.label:
            canvas.setFont(SERIF, self.size)
            canvas.drawString(0, baseline, self.label)
            start = stringWidth(self.label, SERIF, self.size) + 1.5
        canvas.saveState()
        canvas.setLineWidth(0.9)
        canvas.setLineCap(1)  # round caps turn the near-zero dashes into dots
        canvas.setDash([0.05, 2.6])
        canvas.line(start, baseline, self.width, baseline)
        canvas.restoreState()


def _field(label: str, value: str) -> Flowable:
    """'- Label: value', or the label followed by dots for the leader to fill in."""
    if not value:
        return DottedLine(f"- {label}: ")
    return Paragraph(f"- {escape(label)}: <b>{escape(value)}</b>",
                     style(_SIZE, leading=_SIZE * 1.35, name="slip-field"))


def _sign_block(width: float) -> Table:
    """Date and signature place on the right half; the handwriting lines go on beside it on the left."""
    right = [para(DATE_BLANK, style(_SIZE, italic=True, align=TA_CENTER)),
             para(SIGN_HINT, style(11, italic=True, align=TA_CENTER)),
             Spacer(1, _SIGN_SPACE)]
    left = [DottedLine() for _ in range(_SIGN_LINES)]
    table = Table([[left, right]], colWidths=[width * 0.48, width * 0.52])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (0, 0), 4 * mm),
                               ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (1, 0), (1, 0), 2)]))
    return table


def _document_block(doc: DocumentRecord, width: float) -> Table:
    """Tên loại, số và ký hiệu, ngày tháng năm, cơ quan ban hành, trích yếu; then số đến and ngày đến."""
    body = style(_SIZE, leading=_SIZE * 1.3, name="slip-doc")

    def cell(label: str, value: str) -> Paragraph:
        return Paragraph(f"{escape(label)}: <b>{escape(value) if value else '…………'}</b>", body)

    received = format_date(doc.received_on)
    if received and doc.received_at is not None:
        received = f"{received}, {doc.received_at.hour:02d} giờ {doc.received_at.minute:02d}"
    marks = [m.label for m in (doc.urgency, doc.secrecy) if m is not None]
    rows = [
        [cell("Tên loại", doc.doc_type), cell("Độ khẩn, độ mật", ", ".join(marks)) if marks else ""],
        [cell("Số và ký hiệu", shown_reference(doc.reference)), cell("Ngày tháng năm", format_date(doc.issued_on))],
        [cell("Cơ quan ban hành", doc.issuer or ""), ""],
        [cell("Trích yếu", doc.subject), ""],
        [cell("Số đến", str(doc.number)), cell("Ngày đến", received)],
    ]
    table = Table(rows, colWidths=[width * 0.55, width * 0.45])
    table.setStyle(TableStyle([("SPAN", (0, 2), (1, 2)), ("SPAN", (0, 3), (1, 3)),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 4), ("TOPPADDING", (0, 0), (-1, -1), 1),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    return table


def _heading(text: str) -> Paragraph:
    return para(text, style(_SIZE, bold=True, leading=_SIZE * 1.3, name="slip-heading"))


def _height(flowables: Sequence[Flowable], width: float) -> float:
    return sum(f.wrap(width, A4[1])[1] for f in flowables)


def _free_lines(fixed: float, room: float) -> tuple[int, int, int]:
    """Share the page's spare height out as handwriting lines, at least _MIN_LINES per section."""
    spare = room - fixed - sum(_MIN_LINES) * _LINE
    extra = max(0, int(spare // _LINE))
    quotas = [extra * share for share in _SHARE]
    counts = [int(q) for q in quotas]
    # Largest remainder first, so a few spare lines go to the leader and the handler before the unit.
    for index in sorted(range(3), key=lambda i: quotas[i] - counts[i], reverse=True)[:extra - sum(counts)]:
        counts[index] += 1
    return (_MIN_LINES[0] + counts[0], _MIN_LINES[1] + counts[1], _MIN_LINES[2] + counts[2])


def write_slip(out: BinaryIO, agency: Agency, doc: DocumentRecord, routing: Routing | None = None,
               on: date | None = None) -> None:
    """The slip for one incoming document, pre-filled with the document and the routing known so far
    (routing None: taken from the register entry); the rest is dotted lines to write on. One A4 page unless
    the subject or directive is very long, in which case it flows onto a second page."""
    register_fonts()
    known = routing if routing is not None else routing_of(doc)
    page_width, page_height = A4
    width = page_width - _LEFT - _RIGHT
    room = page_height - _TOP - _BOTTOM - 2 * mm  # a little slack for rounding in the layout

    top: list[Flowable] = [header_block(agency, width, on), Spacer(1, 7 * mm),
                           para(TITLE, style(14, bold=True, align=TA_CENTER, name="slip-title")), Spacer(1, 4 * mm),
                           _document_block(doc, width), Spacer(1, 3 * mm)]
    leader: list[Flowable] = [_heading(LEADER_HEADING),
                              _field("Đơn vị (người) chủ trì", known.lead),
                              _field("Đơn vị phối hợp", ", ".join(s for s in known.supporting if s.strip())),
                              _field("Thời hạn giải quyết", format_date(known.deadline)),
                              _field("Ý kiến chỉ đạo", known.directive)]
    unit: list[Flowable] = [_heading(UNIT_HEADING), _field("Giao cho", ""), _field("Thời hạn giải quyết", "")]
    handler: list[Flowable] = [_heading(HANDLER_HEADING)]
    signs = [_sign_block(width) for _ in range(3)]
    fixed = _height([*top, *leader, *unit, *handler, *signs], width) + 2 * 2 * mm
    lines = _free_lines(fixed, room)

    story: list[Flowable] = [*top]
    for index, (section, count) in enumerate(zip((leader, unit, handler), lines, strict=True)):
        if index:
            story.append(Spacer(1, 2 * mm))
        story.extend(section)
        story.extend(DottedLine() for _ in range(count))
        story.append(signs[index])

    doc_template = BaseDocTemplate(out, pagesize=A4, leftMargin=_LEFT, rightMargin=_RIGHT, topMargin=_TOP,
                                   bottomMargin=_BOTTOM, title=TITLE, author=agency.name,
                                   subject=f"Số đến {doc.number}/{doc.year}")
    frame = Frame(_LEFT, _BOTTOM, width, page_height - _TOP - _BOTTOM, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0, id="slip")
    doc_template.addPageTemplates([PageTemplate(id="slip", frames=[frame])])
    doc_template.build(story)


__all__ = ["HANDLER_HEADING", "LEADER_HEADING", "TITLE", "UNIT_HEADING", "Routing", "routing_of", "write_slip"]
