"""Giấy biên nhận văn bản for the sender or courier, and the Sổ chuyển giao văn bản đến a receiving unit signs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, BinaryIO

from reportlab.lib.colors import black
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    LongTable,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.core.dates import format_date
from app.core.records import DocumentRecord
from app.core.text import fold
from app.core.unnumbered import shown_reference
from app.printing.agency_lines import NBSP, segments
from app.printing.common import Agency, agency_block, escape, header_block, para, style
from app.printing.fonts import SERIF, SERIF_ITALIC, register_fonts
from app.printing.slip import DottedLine

RECEIPT_TITLE = "GIẤY BIÊN NHẬN VĂN BẢN"
RECEIPT_COLUMNS = ("STT", "Số, ký hiệu văn bản", "Ngày tháng văn bản", "Cơ quan ban hành", "Trích yếu", "Số đến",
                   "Số trang/Số bản")
HANDOVER_TITLE = "SỔ CHUYỂN GIAO VĂN BẢN ĐẾN"
HANDOVER_COLUMNS = ("Ngày chuyển", "Số đến", "Số, ký hiệu", "Trích yếu", "Đơn vị hoặc người nhận", "Ký nhận",
                    "Ghi chú")
SIGN_HINT = "(Ký, ghi rõ họ tên)"

_PAGE_TOTAL_FORM = "vanthuPageTotal"
_FOOTER_SIZE = 11
_SIGN_SPACE = 22 * mm
_SIGN_ROW = 12 * mm  # minimum height of a handover row: room to sign in Ký nhận

# Receipt, A4 portrait: margins (left, right, top, bottom) and column widths in mm; Trích yếu takes the rest.
_RECEIPT_MARGINS = (20 * mm, 15 * mm, 18 * mm, 20 * mm)
_RECEIPT_WIDTHS = (10, 32, 21, 30, None, 14, 16)
# Handover, A4 landscape.
_HANDOVER_MARGINS = (20 * mm, 15 * mm, 15 * mm, 17 * mm)
_HANDOVER_WIDTHS = (23, 15, 36, None, 40, 30, 28)


class _PageTotalCanvas(Canvas):
    """A canvas that writes "Trang x/" on each page and y as one form XObject, defined when the document is saved:
    nothing per page is kept in memory (unlike the NumberedCanvas pattern that holds every page until the end)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pages = 0

    def draw_page_number(self, right: float, y: float) -> None:
        """'Trang x/y' ending about at `right` (the total's own width is not known yet: room is left for 3 digits)."""
        number = self.getPageNumber()
        self.pages = max(self.pages, number)
        label = f"Trang {number}/"
        x = right - stringWidth(label + "000", SERIF_ITALIC, _FOOTER_SIZE)
        self.saveState()
        self.setFont(SERIF_ITALIC, _FOOTER_SIZE)
        self.drawString(x, y, label)
        self.translate(x + stringWidth(label, SERIF_ITALIC, _FOOTER_SIZE), y)
        self.doForm(_PAGE_TOTAL_FORM)
        self.restoreState()

    def save(self) -> None:
        self.beginForm(_PAGE_TOTAL_FORM)
        self.setFont(SERIF_ITALIC, _FOOTER_SIZE)
        self.drawString(0, 0, str(self.pages))
        self.endForm()
        super().save()


def _build(out: BinaryIO, pagesize: tuple[float, float], margins: tuple[float, float, float, float],
           story: list[Flowable], title: str, author: str,
           later_pages: Callable[[Canvas], None] | None = None) -> int:
    """Lay the story out on pages with a "Trang x/y" footer; returns the number of pages."""
    left, right, top, bottom = margins
    width, height = pagesize
    canvases: list[_PageTotalCanvas] = []

    def on_page(canvas: Canvas, _doc: BaseDocTemplate) -> None:
        assert isinstance(canvas, _PageTotalCanvas)
        if not canvases:
            canvases.append(canvas)
        canvas.draw_page_number(width - right, bottom - 10 * mm)
        if later_pages is not None and canvas.getPageNumber() > 1:
            later_pages(canvas)

    template = BaseDocTemplate(out, pagesize=pagesize, leftMargin=left, rightMargin=right, topMargin=top,
                               bottomMargin=bottom, title=title, author=author)
    frame = Frame(left, bottom, width - left - right, height - top - bottom, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)
    template.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=on_page)])
    template.build(story, canvasmaker=_PageTotalCanvas)
    return canvases[0].pages if canvases else 0


def _widths(spec: Sequence[float | None], total: float) -> list[float]:
    fixed = sum(w * mm for w in spec if w is not None)
    return [w * mm if w is not None else total - fixed for w in spec]


def summary(doc: DocumentRecord) -> str:
    """Tên loại and trích yếu as one line: 'Quyết định về việc …', 'Công văn V/v …' where the subject reads on
    from the type, else 'Công văn: Tham mưu …' (a colon, as the register writes it); no repeat when the subject
    already starts with the type."""
    subject = doc.subject.strip()
    kind = doc.doc_type.strip()
    if not kind or fold(subject).startswith(fold(kind)):
        return subject
    if not subject:
        return kind
    if subject.startswith("Về "):
        return f"{kind} về {subject[3:]}"
    if fold(subject).startswith(("v/v", "ve ")):
        return f"{kind} {subject}"
    return f"{kind}: {subject}"


def _pages_copies(doc: DocumentRecord) -> str:
    if not doc.pages and not doc.copies:
        return ""
    return f"{doc.pages or '-'}/{doc.copies or '-'}"


def _grid(data: list[list[Any]], widths: list[float], long: bool = False) -> Table:
    """A ruled table whose first row is the (bold, centred) heading repeated on every page."""
    table = (LongTable if long else Table)(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, black),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ("VALIGN", (0, 1), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def _signatures(left: str, right: str, width: float, right_name: str = "", left_name: str = "") -> Table:
    """Two signature places side by side, each with '(Ký, ghi rõ họ tên)', room to sign and the name when known."""
    title = style(12, bold=True, align=TA_CENTER, name="sign-title")
    hint = style(11, italic=True, align=TA_CENTER, name="sign-hint")
    name = style(12, bold=True, align=TA_CENTER, name="sign-name")
    cells = [[para(left, title), para(SIGN_HINT, hint), Spacer(1, _SIGN_SPACE)],
             [para(right, title), para(SIGN_HINT, hint), Spacer(1, _SIGN_SPACE)]]
    for cell, known in ((cells[0], left_name), (cells[1], right_name)):
        if known:
            cell.append(para(known, name))
    table = Table([cells], colWidths=[width / 2, width / 2])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _received_from(agency: Agency, sender: str, width: float) -> list[Flowable]:
    """'Văn thư <agency> đã nhận của: <sender>', or dots to write the sender's name on."""
    # No-break spaces inside each body or place of the name: the sentence wraps only between them.
    label = f"Văn thư {' '.join(part.replace(' ', NBSP) for part in segments(agency.name))} đã nhận của:"
    body = style(13, leading=13 * 1.35, name="receipt-body")
    if sender.strip():
        return [Paragraph(f"{escape(label)} <b>{escape(sender.strip())}</b>", body)]
    if stringWidth(label, SERIF, 13) < width * 0.7:
        return [DottedLine(label + " ")]
    return [para(label, body), DottedLine()]


def write_receipt(out: BinaryIO, agency: Agency, docs: Sequence[DocumentRecord], received_at: datetime, clerk: str,
                  sender: str = "") -> None:
    """Giấy biên nhận: what the clerk received from a sender or courier, one row per document, signed by both.

    A4 portrait, not A5: the seven columns (with a wrapping trích yếu) need the width, every office printer
    holds A4, and it files with the other papers; a long batch continues on further pages under the same
    column headings, numbered "Trang x/y"."""
    register_fonts()
    page = A4
    left, right, _top, _bottom = _RECEIPT_MARGINS
    width = page[0] - left - right
    head = style(11, bold=True, align=TA_CENTER, leading=13, name="receipt-head")
    cell = style(11, leading=13, name="receipt-cell")
    middle = style(11, leading=13, align=TA_CENTER, name="receipt-mid")
    # Break the narrow headings after the slash rather than inside a word.
    rows: list[list[Any]] = [[Paragraph(escape(h).replace("/", "/<br/>"), head) for h in RECEIPT_COLUMNS]]
    for index, doc in enumerate(docs, start=1):
        rows.append([para(str(index), middle), para(shown_reference(doc.reference), cell),
                     para(format_date(doc.issued_on), middle), para(doc.issuer or "", cell),
                     para(summary(doc), cell), para(str(doc.number), middle), para(_pages_copies(doc), middle)])
    when = f"{received_at.hour:02d} giờ {received_at.minute:02d}, ngày {format_date(received_at.date())}"
    body = style(13, leading=13 * 1.35, name="receipt-body")
    story: list[Flowable] = [
        header_block(agency, width, received_at.date()), Spacer(1, 8 * mm),
        para(RECEIPT_TITLE, style(14, bold=True, align=TA_CENTER, name="receipt-title")), Spacer(1, 5 * mm),
        *_received_from(agency, sender, width),
        para(f"các văn bản sau (tổng số: {len(docs)} văn bản):", body), Spacer(1, 2 * mm),
        _grid(rows, _widths(_RECEIPT_WIDTHS, width), long=len(rows) > 60),
        Spacer(1, 4 * mm),
        KeepTogether([para(f"Thời gian nhận: {when}", body), Spacer(1, 6 * mm),
                      _signatures("NGƯỜI GIAO", "NGƯỜI NHẬN (VĂN THƯ)", width, clerk.strip())]),
    ]
    _build(out, page, _RECEIPT_MARGINS, story, RECEIPT_TITLE, agency.name)


def _handover_note(doc: DocumentRecord) -> str:
    marks = [m.label for m in (doc.urgency, doc.secrecy) if m is not None]
    if doc.cancelled:
        marks.insert(0, "Đã hủy đăng ký")
    if doc.note.strip():
        marks.append(doc.note.strip())
    return "; ".join(marks)


def write_handover(out: BinaryIO, agency: Agency, unit: str, docs: Sequence[DocumentRecord], on: date,
                   audit_code: str = "", clerk: str = "") -> int:
    """Sổ chuyển giao văn bản đến for one receiving unit, A4 landscape: one row per document with a blank Ký nhận
    cell tall enough to sign, column headings on every page, "Trang x/y", and both signatures at the end (the
    clerk who hands over named under NGƯỜI GIAO).
    Returns the number of pages."""
    register_fonts()
    page = landscape(A4)
    left, right, top, bottom = _HANDOVER_MARGINS
    width = page[0] - left - right
    head = style(12, bold=True, align=TA_CENTER, leading=14, name="handover-head")
    cell = style(12, leading=14, name="handover-cell")
    middle = style(12, leading=14, align=TA_CENTER, name="handover-mid")
    handed = format_date(on)
    rows: list[list[Any]] = [[para(h, head) for h in HANDOVER_COLUMNS]]
    for doc in docs:
        receiver = (doc.recipient_text or "").strip() or unit
        rows.append([para(handed, middle), para(str(doc.number), middle), para(shown_reference(doc.reference), cell),
                     para(summary(doc), cell), para(receiver, cell), Spacer(1, _SIGN_ROW - 5),
                     para(_handover_note(doc), cell)])
    body = style(13, leading=13 * 1.35, name="handover-body")
    head_block = Table([[agency_block(agency, 95 * mm), ""]], colWidths=[95 * mm, width - 95 * mm])
    head_block.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                      ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story: list[Flowable] = [
        head_block, Spacer(1, 5 * mm),
        para(HANDOVER_TITLE, style(14, bold=True, align=TA_CENTER, name="handover-title")), Spacer(1, 3 * mm),
        Paragraph(f"Đơn vị nhận: <b>{escape(unit)}</b>", style(13, align=TA_CENTER, name="handover-unit")),
        para(f"Ngày chuyển: {handed} — Số văn bản: {len(docs)}", style(12, italic=True, align=TA_CENTER)),
        Spacer(1, 4 * mm),
        _grid(rows, _widths(_HANDOVER_WIDTHS, width), long=True),
        Spacer(1, 4 * mm),
        KeepTogether([para(f"Tổng số: {len(docs)} văn bản.", body),
                      *([para(f"Mã kiểm tra nhật ký: {audit_code}", style(11, italic=True))] if audit_code else []),
                      Spacer(1, 4 * mm), _signatures("NGƯỜI GIAO", "NGƯỜI NHẬN", width, left_name=clerk.strip())]),
    ]

    def running_head(canvas: Canvas) -> None:
        canvas.saveState()
        canvas.setFont(SERIF_ITALIC, 10)
        canvas.drawString(left, page[1] - top + 4 * mm, f"{HANDOVER_TITLE.capitalize()} — Đơn vị nhận: {unit}")
        canvas.restoreState()

    return _build(out, page, _HANDOVER_MARGINS, story, HANDOVER_TITLE, agency.name, later_pages=running_head)


__all__ = ["HANDOVER_COLUMNS", "HANDOVER_TITLE", "RECEIPT_COLUMNS", "RECEIPT_TITLE", "summary", "write_handover",
           "write_receipt"]
