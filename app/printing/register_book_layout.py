"""The register book's layout: page templates, cover, column headings, ruled rows, footer and closing signatures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, BinaryIO

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app.core.dates import format_date
from app.printing.agency_lines import fit_name
from app.printing.common import DOTS, para, style
from app.printing.fonts import SERIF, SERIF_BOLD, SERIF_ITALIC
from app.printing.register_book_columns import (
    CLERK_TITLE,
    FRAME_WIDTH,
    LEADER_TITLE,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    PAGE,
    SIGN_HINT,
    TITLES,
    RegisterBookRequest,
)
from app.printing.register_book_rows import (
    PAD_TOP,
    PAD_X,
    ROW_LEADING,
    ROW_SIZE,
    Row,
    RowSource,
    nfc,
    number_text,
)

_FOOTER_Y = 8 * mm
_GREY = colors.Color(0.45, 0.45, 0.45)
# Form XObjects filled in when the last page is done (forward references; one copy of each in the file).
_FORM_PAGES = "pagecount"
_FORM_HEADER = "book_header"
_FORM_DATES = "book_dates"
_FORM_NUMBERS = "book_numbers"
_FORM_CLOSING = "book_closing"


class RowBlock(Flowable):
    """A few rows drawn as one block; at a page end it splits between rows (never inside one)."""

    def __init__(self, layout: BookLayout, rows: list[Row]) -> None:
        super().__init__()
        self.layout, self.rows = layout, rows
        self.width = layout.frame_width
        self.height = sum(row.height for row in rows)

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        return self.width, self.height

    def split(self, aW: float, aH: float) -> list[Flowable]:
        used, fit = 0.0, 0
        for row in self.rows:
            if used + row.height > aH + 1e-6:
                break
            used += row.height
            fit += 1
        if fit == 0:
            return []
        if fit == len(self.rows):
            return [self]
        return [RowBlock(self.layout, self.rows[:fit]), RowBlock(self.layout, self.rows[fit:])]

    def draw(self) -> None:
        self.layout.draw_rows(self.canv, self.rows, self.height)


class _FormBlock(Flowable):
    """A line of text drawn by a form XObject that is only defined once the page count is known."""

    def __init__(self, form: str, height: float) -> None:
        super().__init__()
        self.form, self.height = form, height

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        self.width = aW
        return aW, self.height

    def draw(self) -> None:
        self.canv.doForm(self.form)


class BookLayout:
    """How one printing looks: the fixed layout, the page count, and the cover's ranges from the row source."""

    def __init__(self, request: RegisterBookRequest, source: RowSource) -> None:
        self.request = request
        self.source = source
        self.title = TITLES[request.kind]
        self.columns = source.columns
        self.frame_width = FRAME_WIDTH
        self.widths = source.widths
        self.header = self._header_table()
        self.header_height = self.header.wrap(self.frame_width, PAGE[1])[1]
        self.rows_height = PAGE[1] - MARGIN_TOP - MARGIN_BOTTOM - self.header_height
        self.edges = [sum(self.widths[:i]) for i in range(len(self.widths) + 1)]
        self.centered = [c.align == "CENTER" for c in self.columns]
        self.pages = 0

    def document(self, out: BinaryIO) -> BaseDocTemplate:
        """The document with its two page templates: the cover, then ruled pages under the column headings."""
        request = self.request
        doc = BaseDocTemplate(out, pagesize=PAGE, leftMargin=MARGIN_LEFT, rightMargin=MARGIN_RIGHT,
                              topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
                              title=f"{self.title.capitalize()} năm {request.year}", author=request.agency.name,
                              creator="Sổ Văn Thư", pageCompression=1)
        cover = Frame(MARGIN_LEFT, MARGIN_BOTTOM, doc.width, doc.height, id="cover")
        body = Frame(MARGIN_LEFT, MARGIN_BOTTOM, doc.width, self.rows_height, id="rows",
                     leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        doc.addPageTemplates([PageTemplate(id="cover", frames=[cover], onPage=self.draw_cover),
                              PageTemplate(id="rows", frames=[body], onPage=self.draw_page)])
        return doc

    def _header_table(self) -> Table:
        head = style(ROW_SIZE, bold=True, align=TA_CENTER, leading=ROW_LEADING)
        numbers = style(9, italic=True, align=TA_CENTER)
        data = [[para(c.heading, head) for c in self.columns],
                [para(f"({i})", numbers) for i in range(1, len(self.columns) + 1)]]
        table = Table(data, colWidths=self.widths)
        table.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
            ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), PAD_X), ("RIGHTPADDING", (0, 0), (-1, -1), PAD_X),
            ("TOPPADDING", (0, 0), (-1, 0), 3), ("BOTTOMPADDING", (0, 0), (-1, 0), 4),
            ("TOPPADDING", (0, 1), (-1, 1), 0.5), ("BOTTOMPADDING", (0, 1), (-1, 1), 2),
        ]))
        return table

    # -- page decoration -----------------------------------------------------------------------------------------

    def canvas_maker(self, *args: Any, **kwargs: Any) -> Canvas:
        return _BookCanvas(*args, finish=self.finish, **kwargs)

    def draw_cover(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        """The title page (NĐ 30 Phụ lục IV): agency, book title, year, date and number range, volume."""
        width, height = PAGE
        canvas.saveState()
        canvas.setLineWidth(1.6)
        canvas.rect(MARGIN_LEFT, MARGIN_BOTTOM, width - MARGIN_LEFT - MARGIN_RIGHT, height - MARGIN_TOP - MARGIN_BOTTOM)
        canvas.setLineWidth(0.5)
        canvas.rect(MARGIN_LEFT + 2 * mm, MARGIN_BOTTOM + 2 * mm, width - MARGIN_LEFT - MARGIN_RIGHT - 4 * mm,
                    height - MARGIN_TOP - MARGIN_BOTTOM - 4 * mm)
        center = (MARGIN_LEFT + width - MARGIN_RIGHT) / 2
        y = height - MARGIN_TOP - 18 * mm
        agency = self.request.agency
        # Shrunk to one line, or broken only between the bodies and places of the name (agency_lines).
        if agency.parent:
            lines, size = fit_name(nfc(agency.parent).upper(), SERIF, 170 * mm, 14, 11)
            canvas.setFont(SERIF, size)
            for line in lines:
                canvas.drawCentredString(center, y, line)
                y -= 17
        name_lines, size = fit_name(nfc(agency.name).upper() or DOTS, SERIF_BOLD, 170 * mm, 14, 11)
        canvas.setFont(SERIF_BOLD, size)
        for line in name_lines:
            canvas.drawCentredString(center, y, line)
            y -= 17
        rule = min(max(stringWidth(line, SERIF_BOLD, size) for line in name_lines) * 0.4, 60 * mm)
        canvas.setLineWidth(0.8)
        canvas.line(center - rule / 2, y + 8, center + rule / 2, y + 8)
        y = height * 0.56
        title_size = 30.0 if stringWidth(self.title, SERIF_BOLD, 30) < 230 * mm else 24.0
        canvas.setFont(SERIF_BOLD, title_size)
        canvas.drawCentredString(center, y, self.title)
        canvas.setFont(SERIF_BOLD, 18)
        canvas.drawCentredString(center, y - 15 * mm, f"Năm: {self.request.year}")
        canvas.doForm(_FORM_DATES)
        canvas.doForm(_FORM_NUMBERS)
        canvas.setFont(SERIF_BOLD, 16)
        canvas.drawCentredString(center, MARGIN_BOTTOM + 22 * mm, f"Quyển số: {self.request.book_number}")
        canvas.restoreState()
        self._footer(canvas)

    def draw_page(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        """Every ruled page: the column headings above the frame and the footer."""
        canvas.doForm(_FORM_HEADER)  # drawn once into a form, shown on every page
        self._footer(canvas)

    def _footer(self, canvas: Canvas) -> None:
        self.pages = canvas.getPageNumber()
        canvas.saveState()
        canvas.setFont(SERIF_ITALIC, 9)
        canvas.setFillColor(_GREY)
        agency = nfc(self.request.agency.name)
        left = f"{self.title.capitalize()} năm {self.request.year}, quyển số {self.request.book_number}"
        canvas.drawString(MARGIN_LEFT, _FOOTER_Y, f"{agency} – {left}" if agency else left)
        canvas.setFillColor(colors.black)
        canvas.setFont(SERIF, 10)
        anchor = PAGE[0] - MARGIN_RIGHT - 12 * mm
        canvas.drawRightString(anchor, _FOOTER_Y, f"Trang {self.pages}/")
        canvas.restoreState()
        canvas.doForm(_FORM_PAGES)  # the total, drawn at the anchor once it is known

    def finish(self, canvas: Canvas) -> None:
        """Define the forward-referenced forms: the page total, the cover's ranges, the closing sentence."""
        total = self.pages
        width = PAGE[0]
        center = (MARGIN_LEFT + width - MARGIN_RIGHT) / 2
        canvas.beginForm(_FORM_HEADER)
        self.header.drawOn(canvas, MARGIN_LEFT, PAGE[1] - MARGIN_TOP - self.header_height)
        canvas.endForm()
        canvas.beginForm(_FORM_PAGES)
        canvas.setFont(SERIF, 10)
        canvas.drawString(width - MARGIN_RIGHT - 12 * mm, _FOOTER_Y, str(total))
        canvas.endForm()
        request, seen = self.request, self.source
        first = request.date_from or seen.first_date
        last = request.date_to or seen.last_date
        low = seen.first_number if seen.first_number is not None else request.number_from
        high = seen.last_number if seen.last_number is not None else request.number_to
        y = PAGE[1] * 0.56 - 27 * mm
        canvas.beginForm(_FORM_DATES)
        canvas.setFont(SERIF, 16)
        canvas.drawCentredString(center, y, f"Từ ngày {_day(first)} đến ngày {_day(last)}")
        canvas.endForm()
        canvas.beginForm(_FORM_NUMBERS)
        canvas.setFont(SERIF, 16)
        canvas.drawCentredString(center, y - 10 * mm, f"Từ số {number_text(low)} đến số {number_text(high)}")
        canvas.endForm()
        canvas.beginForm(_FORM_CLOSING)
        canvas.setFont(SERIF_ITALIC, 12)
        canvas.drawString(0, 4, f"Sổ này có {total:02d} trang, đánh số từ trang 01 đến trang {total:02d}.")
        canvas.endForm()

    # -- rows and closing ----------------------------------------------------------------------------------------

    def draw_rows(self, canvas: Canvas, rows: list[Row], height: float) -> None:
        """Rows with their rules, all text in one text object (small Tables open one per cell: 3x slower)."""
        edges = self.edges
        right = edges[-1]
        rules = [(0.0, height, right, height)] + [(x, 0.0, x, height) for x in edges]
        text = canvas.beginText()
        text.setFont(SERIF, ROW_SIZE, ROW_LEADING)
        last = len(edges) - 2
        strikes: list[tuple[float, float, float, float]] = []
        top = height
        for row in rows:
            if row.cancelled:
                text.setFillColor(_GREY)
            for i, lines in enumerate(row.cells):
                if not lines:
                    continue
                bold = row.cancelled and i == last
                if bold:
                    text.setFillColor(colors.black)
                    text.setFont(SERIF_BOLD, ROW_SIZE, ROW_LEADING)
                wrapper = self.source.bold_wrapper if bold else self.source.wrapper
                center = self.centered[i]
                x = edges[i] + PAD_X
                y = top - PAD_TOP - ROW_SIZE
                for line in lines:
                    if center or (row.cancelled and not bold):
                        wide = wrapper.line_width(line)
                        if center:
                            x = (edges[i] + edges[i + 1] - wide) / 2
                        if row.cancelled and not bold:
                            strikes.append((x, y + ROW_SIZE * 0.3, x + wide, y + ROW_SIZE * 0.3))
                    text.setTextOrigin(x, y)
                    text.textLine(line)
                    y -= ROW_LEADING
                if bold:
                    text.setFont(SERIF, ROW_SIZE, ROW_LEADING)
            if row.cancelled:
                text.setFillColor(colors.black)
            top -= row.height
            rules.append((0.0, top, right, top))
        canvas.saveState()
        canvas.setLineWidth(0.4)
        canvas.lines(rules)
        canvas.drawText(text)
        if strikes:
            canvas.setStrokeColor(_GREY)
            canvas.setLineWidth(0.6)
            canvas.lines(strikes)
        canvas.restoreState()

    def closing(self) -> Flowable:
        """The closing block after the last row: page count sentence and the two signature places."""
        place = nfc(self.request.agency.place) or DOTS
        italic = style(12, italic=True, align=TA_CENTER)
        bold = style(12, bold=True, align=TA_CENTER)
        left = [Spacer(1, italic.leading), para(CLERK_TITLE, bold), para(SIGN_HINT, italic)]
        right = [para(f"{place}, ngày {DOTS} tháng {DOTS} năm {DOTS}", italic), para(LEADER_TITLE, bold),
                 para(SIGN_HINT, italic)]
        signatures = Table([[left, right], ["", ""]], colWidths=[self.frame_width / 2] * 2,
                           rowHeights=[None, 24 * mm])
        signatures.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        code = [para(f"Mã kiểm tra nhật ký: {self.request.audit_code}", style(11, italic=True))] \
            if self.request.audit_code else []
        return KeepTogether([Spacer(1, 6 * mm), _FormBlock(_FORM_CLOSING, 16), *code, Spacer(1, 3 * mm),
                             signatures])


class _BookCanvas(Canvas):
    """A canvas that lets the book define its forward-referenced forms just before the file is written."""

    def __init__(self, *args: Any, finish: Callable[[Canvas], None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._finish = finish

    def save(self) -> None:
        if self._code:  # a page still open: close it first so the count is final
            self.showPage()
        self._finish(self)
        super().save()


def _day(value: date | None) -> str:
    return format_date(value) if value else DOTS
