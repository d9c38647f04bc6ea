"""Register books printed for binding (NĐ 30 Phụ lục IV): Sổ đăng ký văn bản đến / đi, Sổ theo dõi giải quyết."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, BinaryIO

from reportlab import rl_config
from reportlab.lib import colors
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
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app.core.dates import format_date
from app.core.records import DocumentRecord
from app.printing.common import DOTS, Agency, para, style
from app.printing.fonts import SERIF, SERIF_BOLD, SERIF_ITALIC, register_fonts

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
        Column("Tên loại và trích yếu nội dung văn bản", 80),
        Column("Đơn vị hoặc người nhận", 28),
        Column("Ngày chuyển", 17, "CENTER"),
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

PAGE = landscape(A4)
_LEFT, _RIGHT, _TOP, _BOTTOM = 20 * mm, 10 * mm, 12 * mm, 15 * mm  # the left edge is bound
_FOOTER_Y = 8 * mm
_SIZE, _LEADING = 10.0, 12.0  # row text
_PAD_X, _PAD_TOP, _PAD_BOTTOM = 2.0, 1.5, 3.0
_CHUNK = 30  # rows per block: splitting at a page end only ever copies this many rows
_GREY = colors.Color(0.45, 0.45, 0.45)
# Form XObjects filled in when the last page is done (forward references; one copy of each in the file).
_FORM_PAGES = "pagecount"
_FORM_HEADER = "book_header"
_FORM_DATES = "book_dates"
_FORM_NUMBERS = "book_numbers"
_FORM_CLOSING = "book_closing"


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


def write_register_book(out: BinaryIO, request: RegisterBookRequest, documents: Iterable[DocumentRecord]) -> int:
    """Print the book (cover, ruled pages with the headings on each, closing signatures) into `out`; returns the
    page count. `documents` come ordered by number and are read once, lazily: only a few rows are held at a time
    (reportlab itself keeps each finished page's content stream, about 10 KB, until the file is written)."""
    if request.kind not in KINDS:
        raise ValueError(f"Loại sổ không hợp lệ: {request.kind!r} (cần một trong {', '.join(KINDS)}).")
    register_fonts()
    book = _Book(request)
    doc = BaseDocTemplate(out, pagesize=PAGE, leftMargin=_LEFT, rightMargin=_RIGHT, topMargin=_TOP,
                          bottomMargin=_BOTTOM, title=f"{TITLES[request.kind].capitalize()} năm {request.year}",
                          author=request.agency.name, creator="Sổ Văn Thư", pageCompression=1)
    cover = Frame(_LEFT, _BOTTOM, doc.width, doc.height, id="cover")
    rows_height = PAGE[1] - _TOP - _BOTTOM - book.header_height
    body = Frame(_LEFT, _BOTTOM, doc.width, rows_height, id="rows",
                 leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="cover", frames=[cover], onPage=book.draw_cover),
                          PageTemplate(id="rows", frames=[body], onPage=book.draw_page)])
    story = _LazyStory(book.flowables(documents, rows_height))
    saved = rl_config.useA85
    rl_config.useA85 = 0  # compressed streams stay binary: ASCII85 costs 12% of the time and 25% of the size
    try:
        doc.build(story, canvasmaker=book.canvas_maker)
    finally:
        rl_config.useA85 = saved
    return book.pages


class _LazyStory(list[Flowable]):
    """A story list that pulls flowables from a generator as the layout consumes them: platypus only ever looks
    at the front of the list, so only a few row blocks are in memory at a time."""

    def __init__(self, source: Iterator[Flowable]) -> None:
        super().__init__()
        self._source: Iterator[Flowable] | None = source

    def __len__(self) -> int:
        while self._source is not None and super().__len__() < 3:
            try:
                self.append(next(self._source))
            except StopIteration:
                self._source = None
        return super().__len__()


class _Wrapper:
    """Greedy line breaking with cached word widths: much cheaper than a Paragraph per cell, same metrics."""

    def __init__(self, font: str, size: float) -> None:
        self.font, self.size = font, size
        self._widths: dict[str, float] = {}
        self.space = stringWidth(" ", font, size)

    def width(self, word: str) -> float:
        value = self._widths.get(word)
        if value is None:
            value = stringWidth(word, self.font, self.size)
            if len(self._widths) >= 20_000:  # references are unique words: keep the cache bounded
                self._widths.clear()
            self._widths[word] = value
        return value

    def line_width(self, line: str) -> float:
        """Width of a line this wrapper produced (single spaces between words)."""
        words = line.split(" ")
        return sum(self.width(w) for w in words) + self.space * (len(words) - 1)

    def lines(self, text: str, limit: float) -> list[str]:
        result: list[str] = []
        for paragraph in text.split("\n"):
            line: list[str] = []
            used = 0.0
            for word in paragraph.split():
                wide = self.width(word)
                if wide > limit:  # a long reference or address: break inside it, after / or - when possible
                    if line:
                        result.append(" ".join(line))
                    pieces = self._break_word(word, limit)
                    result.extend(pieces[:-1])
                    line, used = [pieces[-1]], self.width(pieces[-1])
                elif line and used + self.space + wide > limit:
                    result.append(" ".join(line))
                    line, used = [word], wide
                else:
                    used += (self.space if line else 0.0) + wide
                    line.append(word)
            if line:
                result.append(" ".join(line))
        return result

    def _break_word(self, word: str, limit: float) -> list[str]:
        pieces: list[str] = []
        rest = word
        while rest and stringWidth(rest, self.font, self.size) > limit:
            cut = 1
            while cut < len(rest) and stringWidth(rest[:cut + 1], self.font, self.size) <= limit:
                cut += 1
            soft = max(rest.rfind("/", 0, cut), rest.rfind("-", 0, cut), rest.rfind(",", 0, cut))
            if soft > 0:
                cut = soft + 1
            pieces.append(rest[:cut])
            rest = rest[cut:]
        if rest:
            pieces.append(rest)
        return pieces or [word]


class _Row:
    """One ruled row: the wrapped lines of each column."""

    __slots__ = ("cells", "cancelled", "height")

    def __init__(self, cells: list[list[str]], cancelled: bool) -> None:
        self.cells = cells
        self.cancelled = cancelled
        self.height = _PAD_TOP + _PAD_BOTTOM + _LEADING * max(1, max(len(lines) for lines in cells))


class _RowBlock(Flowable):
    """A few rows drawn as one block; at a page end it splits between rows (never inside one)."""

    def __init__(self, book: _Book, rows: list[_Row]) -> None:
        super().__init__()
        self.book, self.rows = book, rows
        self.width = book.frame_width
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
        return [_RowBlock(self.book, self.rows[:fit]), _RowBlock(self.book, self.rows[fit:])]

    def draw(self) -> None:
        self.book.draw_rows(self.canv, self.rows, self.height)


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


class _Book:
    """State of one printing: the fixed layout, the numbers and dates seen, and the page count at the end."""

    def __init__(self, request: RegisterBookRequest) -> None:
        self.request = request
        self.kind = request.kind
        self.title = TITLES[request.kind]
        self.columns = COLUMNS[request.kind]
        self.frame_width = PAGE[0] - _LEFT - _RIGHT
        scale = self.frame_width / sum(c.width for c in self.columns)  # mm shares to points
        self.widths = [c.width * scale for c in self.columns]
        self.wrapper = _Wrapper(SERIF, _SIZE)
        self.bold_wrapper = _Wrapper(SERIF_BOLD, _SIZE)
        self.header = self._header_table()
        self.header_height = self.header.wrap(self.frame_width, PAGE[1])[1]
        self.edges = [sum(self.widths[:i]) for i in range(len(self.widths) + 1)]
        self.centered = [c.align == "CENTER" for c in self.columns]
        self.first_date: date | None = None
        self.last_date: date | None = None
        self.first_number: int | None = None
        self.last_number: int | None = None
        self.rows = 0
        self.pages = 0

    # -- layout pieces -------------------------------------------------------------------------------------------

    def _header_table(self) -> Table:
        head = style(_SIZE, bold=True, align=TA_CENTER, leading=_LEADING)
        numbers = style(9, italic=True, align=TA_CENTER)
        data = [[para(c.heading, head) for c in self.columns],
                [para(f"({i})", numbers) for i in range(1, len(self.columns) + 1)]]
        table = Table(data, colWidths=self.widths)
        table.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
            ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), _PAD_X), ("RIGHTPADDING", (0, 0), (-1, -1), _PAD_X),
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
        canvas.rect(_LEFT, _BOTTOM, width - _LEFT - _RIGHT, height - _TOP - _BOTTOM)
        canvas.setLineWidth(0.5)
        canvas.rect(_LEFT + 2 * mm, _BOTTOM + 2 * mm, width - _LEFT - _RIGHT - 4 * mm, height - _TOP - _BOTTOM - 4 * mm)
        center = (_LEFT + width - _RIGHT) / 2
        y = height - _TOP - 18 * mm
        agency = self.request.agency
        wrap = _Wrapper(SERIF, 14)
        if agency.parent:
            canvas.setFont(SERIF, 14)
            for line in wrap.lines(_nfc(agency.parent).upper(), 170 * mm):
                canvas.drawCentredString(center, y, line)
                y -= 17
        canvas.setFont(SERIF_BOLD, 14)
        name_lines = _Wrapper(SERIF_BOLD, 14).lines(_nfc(agency.name).upper() or DOTS, 170 * mm)
        for line in name_lines:
            canvas.drawCentredString(center, y, line)
            y -= 17
        rule = min(max(stringWidth(line, SERIF_BOLD, 14) for line in name_lines) * 0.4, 60 * mm)
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
        canvas.drawCentredString(center, _BOTTOM + 22 * mm, f"Quyển số: {self.request.book_number}")
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
        agency = _nfc(self.request.agency.name)
        left = f"{self.title.capitalize()} năm {self.request.year}, quyển số {self.request.book_number}"
        canvas.drawString(_LEFT, _FOOTER_Y, f"{agency} – {left}" if agency else left)
        canvas.setFillColor(colors.black)
        canvas.setFont(SERIF, 10)
        anchor = PAGE[0] - _RIGHT - 12 * mm
        canvas.drawRightString(anchor, _FOOTER_Y, f"Trang {self.pages}/")
        canvas.restoreState()
        canvas.doForm(_FORM_PAGES)  # the total, drawn at the anchor once it is known

    def finish(self, canvas: Canvas) -> None:
        """Define the forward-referenced forms: the page total, the cover's ranges, the closing sentence."""
        total = self.pages
        width = PAGE[0]
        center = (_LEFT + width - _RIGHT) / 2
        canvas.beginForm(_FORM_HEADER)
        self.header.drawOn(canvas, _LEFT, PAGE[1] - _TOP - self.header_height)
        canvas.endForm()
        canvas.beginForm(_FORM_PAGES)
        canvas.setFont(SERIF, 10)
        canvas.drawString(width - _RIGHT - 12 * mm, _FOOTER_Y, str(total))
        canvas.endForm()
        request = self.request
        first = request.date_from or self.first_date
        last = request.date_to or self.last_date
        low = self.first_number if self.first_number is not None else request.number_from
        high = self.last_number if self.last_number is not None else request.number_to
        y = PAGE[1] * 0.56 - 27 * mm
        canvas.beginForm(_FORM_DATES)
        canvas.setFont(SERIF, 16)
        canvas.drawCentredString(center, y, f"Từ ngày {_day(first)} đến ngày {_day(last)}")
        canvas.endForm()
        canvas.beginForm(_FORM_NUMBERS)
        canvas.setFont(SERIF, 16)
        canvas.drawCentredString(center, y - 10 * mm, f"Từ số {_number(low)} đến số {_number(high)}")
        canvas.endForm()
        canvas.beginForm(_FORM_CLOSING)
        canvas.setFont(SERIF_ITALIC, 12)
        canvas.drawString(0, 4, f"Sổ này có {total:02d} trang, đánh số từ trang 01 đến trang {total:02d}.")
        canvas.endForm()

    # -- the story -----------------------------------------------------------------------------------------------

    def flowables(self, documents: Iterable[DocumentRecord], frame_height: float) -> Iterator[Flowable]:
        yield NextPageTemplate("rows")
        yield PageBreak()
        max_lines = max(1, int((frame_height - _PAD_TOP - _PAD_BOTTOM - 2) // _LEADING))
        batch: list[_Row] = []
        for doc in documents:
            self._count(doc)
            batch.extend(self._rows(doc, max_lines))
            if len(batch) >= _CHUNK:
                yield _RowBlock(self, batch)
                batch = []
        if batch:
            yield _RowBlock(self, batch)
        if not self.rows:
            yield Spacer(1, 4 * mm)
            yield para(EMPTY_BOOK, style(12, italic=True, align=TA_CENTER))
        yield self._closing()

    def _count(self, doc: DocumentRecord) -> None:
        self.rows += 1
        number = doc.number
        if self.first_number is None or number < self.first_number:
            self.first_number = number
        if self.last_number is None or number > self.last_number:
            self.last_number = number
        day = _book_date(self.kind, doc)
        if day is not None:
            if self.first_date is None or day < self.first_date:
                self.first_date = day
            if self.last_date is None or day > self.last_date:
                self.last_date = day

    def _cells(self, doc: DocumentRecord) -> list[str]:
        """The entry's text per column, before wrapping."""
        note = _note(doc)
        if self.kind == "incoming":
            return [format_date(doc.received_on), _number(doc.number), doc.issuer or "", doc.reference or "",
                    format_date(doc.issued_on), _type_and_subject(doc), doc.recipient_text or "", "", "", note]
        if self.kind == "outgoing":
            signer = doc.signer or ""
            if doc.signer_title:
                signer = f"{signer} ({doc.signer_title})" if signer else doc.signer_title
            copies = str(doc.copies) if doc.copies is not None else ""
            return [doc.reference or _number(doc.number), format_date(doc.issued_on or doc.registered_on),
                    _type_and_subject(doc), signer, "; ".join(r for r in doc.recipients if r),
                    doc.archive_holder or "", copies, "", "", note]
        identity = doc.doc_type or "Văn bản"
        if doc.reference:
            identity += f" số {doc.reference}"
        if doc.issued_on:
            identity += f" ngày {format_date(doc.issued_on)}"
        if doc.issuer:
            identity += f" của {doc.issuer}"
        if doc.subject:
            identity += f"\n{doc.subject}"
        units, progress = self.request.progress.get(doc.id, (doc.recipient_text or "", doc.status.label))
        return [_number(doc.number), identity, units, format_date(doc.due_on), progress,
                self.request.replies.get(doc.id, ""), note]

    def _rows(self, doc: DocumentRecord, max_lines: int) -> list[_Row]:
        """The entry as one row of wrapped lines, or several rows when it is taller than a page."""
        wrapped: list[list[str]] = []
        last = len(self.columns) - 1
        for i, (text, width) in enumerate(zip(self._cells(doc), self.widths, strict=True)):
            wrapper = self.bold_wrapper if (doc.cancelled and i == last) else self.wrapper
            wrapped.append(wrapper.lines(_nfc(text), width - 2 * _PAD_X - 0.5) if text else [])
        height = max(1, max(len(lines) for lines in wrapped))
        return [_Row([lines[start:start + max_lines] for lines in wrapped], doc.cancelled)
                for start in range(0, height, max_lines)]

    def draw_rows(self, canvas: Canvas, rows: list[_Row], height: float) -> None:
        """Rows with their rules, all text in one text object (small Tables open one per cell: 3x slower)."""
        edges = self.edges
        right = edges[-1]
        rules = [(0.0, height, right, height)] + [(x, 0.0, x, height) for x in edges]
        text = canvas.beginText()
        text.setFont(SERIF, _SIZE, _LEADING)
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
                    text.setFont(SERIF_BOLD, _SIZE, _LEADING)
                wrapper = self.bold_wrapper if bold else self.wrapper
                center = self.centered[i]
                x = edges[i] + _PAD_X
                y = top - _PAD_TOP - _SIZE
                for line in lines:
                    if center or (row.cancelled and not bold):
                        wide = wrapper.line_width(line)
                        if center:
                            x = (edges[i] + edges[i + 1] - wide) / 2
                        if row.cancelled and not bold:
                            strikes.append((x, y + _SIZE * 0.3, x + wide, y + _SIZE * 0.3))
                    text.setTextOrigin(x, y)
                    text.textLine(line)
                    y -= _LEADING
                if bold:
                    text.setFont(SERIF, _SIZE, _LEADING)
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

    def _closing(self) -> Flowable:
        """The closing block after the last row: page count sentence and the two signature places."""
        place = _nfc(self.request.agency.place) or DOTS
        italic = style(12, italic=True, align=TA_CENTER)
        bold = style(12, bold=True, align=TA_CENTER)
        left = [Spacer(1, italic.leading), para(CLERK_TITLE, bold), para(SIGN_HINT, italic)]
        right = [para(f"{place}, ngày {DOTS} tháng {DOTS} năm {DOTS}", italic), para(LEADER_TITLE, bold),
                 para(SIGN_HINT, italic)]
        signatures = Table([[left, right], ["", ""]], colWidths=[self.frame_width / 2] * 2,
                           rowHeights=[None, 24 * mm])
        signatures.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        return KeepTogether([Spacer(1, 6 * mm), _FormBlock(_FORM_CLOSING, 16), Spacer(1, 3 * mm), signatures])


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


def _nfc(text: str) -> str:
    """Precomposed letters: the font has a glyph for each; decomposed marks would stack badly."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _book_date(kind: str, doc: DocumentRecord) -> date | None:
    """The date a book is kept by: ngày đến for incoming books, the signing date for outgoing."""
    if kind == "outgoing":
        return doc.issued_on or doc.registered_on
    return doc.received_on or doc.registered_on


def _number(value: int | None) -> str:
    """Numbers below 10 carry a leading zero (01…09), as the register writes them."""
    return DOTS if value is None else f"{value:02d}"


def _day(value: date | None) -> str:
    return format_date(value) if value else DOTS


def _type_and_subject(doc: DocumentRecord) -> str:
    doc_type, subject = (doc.doc_type or "").strip(), (doc.subject or "").strip()
    if not doc_type or subject.casefold().startswith(doc_type.casefold()):
        return subject
    return f"{doc_type}: {subject}" if subject else doc_type


def _note(doc: DocumentRecord) -> str:
    parts = []
    if doc.cancelled:
        parts.append(f"{CANCELLED}: {doc.cancel_reason}" if doc.cancel_reason else CANCELLED)
    if doc.urgency is not None:
        parts.append(doc.urgency.label)
    if doc.secrecy is not None:
        parts.append(doc.secrecy.label)
    if doc.note:
        parts.append(doc.note)
    return "\n".join(parts)
