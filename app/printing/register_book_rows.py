"""The register book's row source: each DocumentRecord as wrapped row cells, and the numbers and dates seen."""

from __future__ import annotations

import unicodedata
from datetime import date

from reportlab.pdfbase.pdfmetrics import stringWidth

from app.core.dates import format_date
from app.core.records import DocumentRecord
from app.core.unnumbered import number_phrase, shown_reference
from app.printing.common import DOTS
from app.printing.fonts import SERIF, SERIF_BOLD
from app.printing.register_book_columns import CANCELLED, COLUMNS, RegisterBookRequest, column_widths

# Row text and cell padding: an entry is wrapped and its row height fixed when it is read, so the layout only
# places finished rows.
ROW_SIZE, ROW_LEADING = 10.0, 12.0
PAD_X, PAD_TOP, PAD_BOTTOM = 2.0, 1.5, 3.0


class TextWrapper:
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


class Row:
    """One ruled row: the wrapped lines of each column."""

    __slots__ = ("cells", "cancelled", "height")

    def __init__(self, cells: list[list[str]], cancelled: bool) -> None:
        self.cells = cells
        self.cancelled = cancelled
        self.height = PAD_TOP + PAD_BOTTOM + ROW_LEADING * max(1, max(len(lines) for lines in cells))


class RowSource:
    """Turns one book's entries into rows, column by column, and keeps the ranges the cover states."""

    def __init__(self, request: RegisterBookRequest) -> None:
        self.request = request
        self.kind = request.kind
        self.columns = COLUMNS[request.kind]
        self.widths = column_widths(request.kind)
        # Shared with the layout, which measures the same lines again to centre or strike them.
        self.wrapper = TextWrapper(SERIF, ROW_SIZE)
        self.bold_wrapper = TextWrapper(SERIF_BOLD, ROW_SIZE)
        self.first_date: date | None = None
        self.last_date: date | None = None
        self.first_number: int | None = None
        self.last_number: int | None = None
        self.entries = 0

    def count(self, doc: DocumentRecord) -> None:
        """Note the entry's number and book date for the cover's ranges."""
        self.entries += 1
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

    def cells(self, doc: DocumentRecord) -> list[str]:
        """The entry's text per column, before wrapping."""
        note = _note(doc)
        if self.kind == "incoming":
            # (8) Ngày chuyển: the day the entry was signed for, when it has been; (9) Ký nhận stays for the hand.
            handed = format_date(self.request.handed_over.get(doc.id))
            return [format_date(doc.received_on), number_text(doc.number), doc.issuer or "",
                    shown_reference(doc.reference), format_date(doc.issued_on), _type_and_subject(doc),
                    doc.recipient_text or "", handed, "", note]
        if self.kind == "outgoing":
            signer = doc.signer or ""
            if doc.signer_title:
                signer = f"{signer} ({doc.signer_title})" if signer else doc.signer_title
            copies = str(doc.copies) if doc.copies is not None else ""
            return [doc.reference or number_text(doc.number), format_date(doc.issued_on or doc.registered_on),
                    _type_and_subject(doc), signer, "; ".join(r for r in doc.recipients if r),
                    doc.archive_holder or "", copies, "", "", note]
        identity = f"{doc.doc_type or 'Văn bản'} {number_phrase(doc.reference)}"  # "Giấy mời không số ngày …"
        if doc.issued_on:
            identity += f" ngày {format_date(doc.issued_on)}"
        if doc.issuer:
            identity += f" của {doc.issuer}"
        if doc.subject:
            identity += f"\n{doc.subject}"
        units, progress = self.request.progress.get(doc.id, (doc.recipient_text or "", doc.status.label))
        return [number_text(doc.number), identity, units, format_date(doc.due_on), progress,
                self.request.replies.get(doc.id, ""), note]

    def rows(self, doc: DocumentRecord, max_lines: int) -> list[Row]:
        """The entry as one row of wrapped lines, or several rows when it is taller than a page."""
        wrapped: list[list[str]] = []
        last = len(self.columns) - 1
        for i, (text, width) in enumerate(zip(self.cells(doc), self.widths, strict=True)):
            wrapper = self.bold_wrapper if (doc.cancelled and i == last) else self.wrapper
            wrapped.append(wrapper.lines(nfc(text), width - 2 * PAD_X - 0.5) if text else [])
        height = max(1, max(len(lines) for lines in wrapped))
        return [Row([lines[start:start + max_lines] for lines in wrapped], doc.cancelled)
                for start in range(0, height, max_lines)]


def nfc(text: str) -> str:
    """Precomposed letters: the font has a glyph for each; decomposed marks would stack badly."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def number_text(value: int | None) -> str:
    """Numbers below 10 carry a leading zero (01…09), as the register writes them."""
    return DOTS if value is None else f"{value:02d}"


def _book_date(kind: str, doc: DocumentRecord) -> date | None:
    """The date a book is kept by: ngày đến for incoming books, the signing date for outgoing."""
    if kind == "outgoing":
        return doc.issued_on or doc.registered_on
    return doc.received_on or doc.registered_on


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
