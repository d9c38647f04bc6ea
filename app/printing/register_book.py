"""Register books printed for binding (NĐ 30 Phụ lục IV): Sổ đăng ký văn bản đến / đi, Sổ theo dõi giải quyết."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import BinaryIO

from reportlab import rl_config
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, NextPageTemplate, PageBreak, Spacer

from app.core.records import DocumentRecord
from app.printing.common import para, style
from app.printing.fonts import register_fonts
from app.printing.register_book_columns import COLUMNS, EMPTY_BOOK, KINDS, TITLES, RegisterBookRequest
from app.printing.register_book_layout import BookLayout, RowBlock
from app.printing.register_book_rows import PAD_BOTTOM, PAD_TOP, ROW_LEADING, Row, RowSource

_CHUNK = 30  # rows per block: splitting at a page end only ever copies this many rows


def write_register_book(out: BinaryIO, request: RegisterBookRequest, documents: Iterable[DocumentRecord]) -> int:
    """Print the book (cover, ruled pages with the headings on each, closing signatures) into `out`; returns the
    page count. `documents` come ordered by number and are read once, lazily: only a few rows are held at a time
    (reportlab itself keeps each finished page's content stream, about 10 KB, until the file is written)."""
    if request.kind not in KINDS:
        raise ValueError(f"Loại sổ không hợp lệ: {request.kind!r} (cần một trong {', '.join(KINDS)}).")
    register_fonts()
    source = RowSource(request)
    layout = BookLayout(request, source)
    doc = layout.document(out)
    story = _LazyStory(_story(source, layout, documents))
    saved = rl_config.useA85
    rl_config.useA85 = 0  # compressed streams stay binary: ASCII85 costs 12% of the time and 25% of the size
    try:
        doc.build(story, canvasmaker=layout.canvas_maker)
    finally:
        rl_config.useA85 = saved
    return layout.pages


def _story(source: RowSource, layout: BookLayout, documents: Iterable[DocumentRecord]) -> Iterator[Flowable]:
    """The cover page, then the entries in blocks of rows as they are read, then the closing block."""
    yield NextPageTemplate("rows")
    yield PageBreak()
    max_lines = max(1, int((layout.rows_height - PAD_TOP - PAD_BOTTOM - 2) // ROW_LEADING))
    batch: list[Row] = []
    for doc in documents:
        source.count(doc)
        batch.extend(source.rows(doc, max_lines))
        if len(batch) >= _CHUNK:
            yield RowBlock(layout, batch)
            batch = []
    if batch:
        yield RowBlock(layout, batch)
    if not source.entries:
        yield Spacer(1, 4 * mm)
        yield para(EMPTY_BOOK, style(12, italic=True, align=TA_CENTER))
    yield layout.closing()


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


__all__ = ["COLUMNS", "KINDS", "TITLES", "RegisterBookRequest", "write_register_book"]
