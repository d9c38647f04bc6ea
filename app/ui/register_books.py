"""The register books as tabs of big id-backed tables over one filter bar: loading in the background (the first
page first, then every id), the order, the count, and which row is selected."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QTabWidget

from app.core.dates import today
from app.core.enums import BookCategory, Direction
from app.core.errors import VanThuError
from app.core.records import DocumentQuery, DocumentRecord
from app.ui.document_table_model import DOC_ID_ROLE, SIGNATURE_COLUMN, DocumentTableModel, Places, SignatureStates
from app.ui.filter_bar import FilterBar
from app.ui.sort_arrow import point_arrows_the_way_rows_run
from app.ui.tasks import BackgroundTasks

if TYPE_CHECKING:
    from app.services.parts.documents import Documents

log = logging.getLogger(__name__)
FIRST_PAGE = 200  # rows asked for first, so the window paints at once; the full id list follows
BOOKS = ((Direction.INCOMING, "Văn bản đến"), (Direction.OUTGOING, "Văn bản đi"), (Direction.COPY, "Bản sao"))
# The secret books: tabs only for an account cleared to see secret documents (the open register included).
SECRET_BOOKS = ((Direction.INCOMING, "Văn bản đến (mật)"), (Direction.OUTGOING, "Văn bản đi (mật)"))


@dataclass
class RegisterPage:
    """One tab: a book's table, its model, its order, and which background load is the current one."""

    direction: Direction
    view: QTableView
    model: DocumentTableModel
    secret: bool = False  # the secret book of the direction (DocumentQuery.secret)
    sort: str = "number"
    descending: bool = True
    generation: int = 0
    stale: bool = True
    pending_select: list[int] = field(default_factory=list)


class RegisterBooks(QObject):
    """The tabs of the books this account may see. Every read runs on BackgroundTasks; a newer query makes the
    answer of an older one void (its generation), so rows never arrive out of order."""

    loaded = Signal(object)  # Direction: a tab's full id list has arrived
    row_changed = Signal(object, object)  # (RegisterPage, QModelIndex): the current row of the tab shown moved
    activated = Signal()  # Enter or a double-click on a row

    def __init__(self, documents: Documents, filters: FilterBar, tasks: BackgroundTasks, secret_books: bool,
                 show_count: Callable[[str], None], status: Callable[[str, int], None], location: str,
                 parent: QObject | None = None, places: Places | None = None,
                 signatures: SignatureStates | None = None) -> None:
        super().__init__(parent)
        self.documents, self.filters, self.tasks = documents, filters, tasks
        self.places = places  # where each hit of a search matched (registry.fulltext.places)
        self.signatures = signatures  # each row's signature state, a block at a time (registry.signatures.states)
        self.show_count, self.status, self.location = show_count, status, location
        self.filters.changed.connect(self.reload)
        self.tabs = QTabWidget()
        self.pages: list[RegisterPage] = [self._make_page(d, title) for d, title in BOOKS]
        if secret_books:
            self.pages += [self._make_page(d, title, secret=True) for d, title in SECRET_BOOKS]
        self.tabs.currentChanged.connect(self._tab_changed)

    def _make_page(self, direction: Direction, title: str, secret: bool = False) -> RegisterPage:
        model = DocumentTableModel(direction, self.documents.records, self.places, self.signatures)
        view = QTableView()
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.setSortingEnabled(True)
        point_arrows_the_way_rows_run(view.horizontalHeader())
        view.horizontalHeader().setSortIndicator(
            next(i for i, c in enumerate(model.columns) if c.sort_key == "number"), Qt.SortOrder.DescendingOrder)
        vertical = view.verticalHeader()
        vertical.setVisible(False)
        # Fixed row heights: Qt never measures a million rows.
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(view.fontMetrics().height() + 8)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # Left-aligned so a narrow column still shows the start of its paper-register title.
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setStretchLastSection(True)
        for i, column in enumerate(model.columns):
            header.resizeSection(i, _WIDTHS.get(column.title, 110))
        _place_signature_column(model, header)
        page = RegisterPage(direction, view, model, secret=secret)
        model.sort_requested.connect(lambda key, desc, p=page: self._sort(p, key, desc))
        view.selectionModel().currentRowChanged.connect(lambda current, _prev, p=page: self._row_changed(p, current))
        view.activated.connect(lambda _index: self.activated.emit())
        self.tabs.addTab(view, title)
        return page

    # which tab
    @property
    def page(self) -> RegisterPage:
        return self.pages[self.tabs.currentIndex()]

    def title(self) -> str:
        return self.tabs.tabText(self.tabs.currentIndex())

    def page_of(self, doc: DocumentRecord) -> RegisterPage:
        """The tab that lists this entry: its direction, in the secret or the ordinary book."""
        secret = doc.category is BookCategory.SECRET
        return next((p for p in self.pages if p.direction is doc.direction and p.secret == secret),
                    next((p for p in self.pages if p.direction is doc.direction), self.pages[0]))

    def show_page(self, page: RegisterPage) -> None:
        self.tabs.setCurrentIndex(self.pages.index(page))

    def years(self) -> list[int]:
        """The years the register has entries in; a read that fails is said on the status line."""
        try:
            return self.documents.years()
        except VanThuError as exc:
            self.status(str(exc), 8000)
            return []

    # loading: ids in the background, first page first
    def _query(self, page: RegisterPage) -> DocumentQuery:
        return self.filters.query(DocumentQuery(direction=page.direction, secret=page.secret, sort=page.sort,
                                                descending=page.descending))

    def reload(self) -> None:
        """The filters changed: reload the visible tab now, the others when they are shown."""
        for page in self.pages:
            page.stale = True
        self._load(self.page)

    def reload_all(self) -> None:
        self.filters.set_years(self.years(), self.filters.year.currentData() or today().year)
        self.reload()

    def _tab_changed(self, _index: int) -> None:
        if self.page.stale:
            self._load(self.page)
        else:
            self._show_count(self.page)
        self._row_changed(self.page, self.page.view.currentIndex())

    def _load(self, page: RegisterPage) -> None:
        current = page.model.data(page.view.currentIndex(), DOC_ID_ROLE) if page.view.currentIndex().isValid() \
            else None
        if current is not None and not page.pending_select:
            page.pending_select.append(current)  # the clerk stays on the same entry if it is still shown
        page.generation += 1
        generation = page.generation
        page.stale = False
        query = self._query(page)
        page.model.searched = query.text
        self.show_count("Đang tải…")

        def first(ids: list[int]) -> None:
            if generation != page.generation:
                return  # a newer query has been asked for since
            page.model.set_ids(ids)
            if len(ids) < FIRST_PAGE:
                self._loaded(page)
            else:
                self.tasks.run(lambda: self.documents.search_ids(query), rest, self.failed)

        def rest(ids: list[int]) -> None:
            if generation == page.generation:
                page.model.set_ids(ids)
                self._loaded(page)

        self.tasks.run(lambda: self.documents.search_ids(replace(query, limit=FIRST_PAGE)), first, self.failed)

    def _loaded(self, page: RegisterPage) -> None:
        self._show_count(page)
        row = page.model.row_of(page.pending_select.pop()) if page.pending_select else -1
        page.pending_select.clear()
        if row < 0 and page.model.rowCount() and page is self.page:
            row = 0
        if row >= 0:
            self.select_row(page, row)
        self.loaded.emit(page.direction)

    def _show_count(self, page: RegisterPage) -> None:
        if page is not self.page:
            return
        year = self.filters.year.currentText().lower()
        count = f"{page.model.rowCount():,}".replace(",", ".")  # 1.000.000: the thousands point, not the comma
        self.show_count(f"{self.title()}, {year}: {count} văn bản"
                        + f"   —   Dữ liệu: {self.location}")

    def failed(self, exc: Exception) -> None:
        """A background read of the register failed: said where the count is."""
        if isinstance(exc, VanThuError):
            self.show_count(f"Lỗi khi đọc sổ: {exc}")
            return
        log.error("reading the register failed", exc_info=exc)
        self.show_count(f"Không đọc được sổ từ cơ sở dữ liệu ({type(exc).__name__}); hãy thử lại (F5).")

    def _sort(self, page: RegisterPage, key: str, descending: bool) -> None:
        page.sort, page.descending = key, descending
        self._load(page)

    # selection
    def _row_changed(self, page: RegisterPage, current: QModelIndex) -> None:
        if page is self.page:
            self.row_changed.emit(page, current)

    def selected_id(self) -> int | None:
        index = self.page.view.currentIndex()
        return self.page.model.data(index, DOC_ID_ROLE) if index.isValid() else None

    def select_row(self, page: RegisterPage, row: int, quietly: bool = False) -> None:
        """Make the row current (and scroll to it); `quietly` without telling anyone the row changed."""
        index = page.model.index(row, 0)
        selection = page.view.selectionModel()
        if quietly:
            selection.blockSignals(True)
        selection.setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        if quietly:
            selection.blockSignals(False)
        page.view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)

    def show_entry(self, doc: DocumentRecord) -> None:
        """Show an entry: its tab, its row; if the filters hide it, its year without filters, selected once
        loaded."""
        page = self.page_of(doc)
        self.show_page(page)
        row = page.model.row_of(doc.id)
        if row >= 0:
            self.select_row(page, row)
            return
        self.filters.blockSignals(True)
        self.filters.clear()
        self.filters.set_years(self.years(), doc.year)
        self.filters.blockSignals(False)
        page.pending_select.append(doc.id)
        self.reload()

    def add_entry(self, doc: DocumentRecord) -> None:
        """A new entry was registered: its tab, its year offered, and it selected once the rows are back."""
        page = self.page_of(doc)
        self.show_page(page)
        if doc.year not in [self.filters.year.itemData(i) for i in range(self.filters.year.count())]:
            self.filters.set_years(self.years(), doc.year)
        page.pending_select.append(doc.id)
        self.reload()

    def select_on_load(self, number: int) -> None:
        """--select N: this year's số đến N, selected once the table has loaded."""
        try:
            doc = self.documents.find(Direction.INCOMING, number, today().year)
        except VanThuError as exc:
            self.status(str(exc), 8000)
            return
        self.pages[0].pending_select.append(doc.id)


def _place_signature_column(model: DocumentTableModel, header: QHeaderView) -> None:
    """Show the signature column (the model's last) right after the số, ký hiệu, narrow and fixed; a click on its
    header sorts nothing (the model ignores it) and leaves the sort arrow on the column the rows are sorted by."""
    section = model.columns.index(SIGNATURE_COLUMN)
    after = next(i for i, c in enumerate(model.columns) if c.title == "Số, ký hiệu văn bản")
    header.moveSection(header.visualIndex(section), header.visualIndex(after) + 1)
    header.setSectionResizeMode(section, QHeaderView.ResizeMode.Fixed)
    shown = [header.sortIndicatorSection(), header.sortIndicatorOrder()]

    def indicator_changed(changed: int, order: Qt.SortOrder) -> None:
        if changed != section:
            shown[:] = [changed, order]
            return
        header.blockSignals(True)  # putting the arrow back must not sort again
        header.setSortIndicator(shown[0], shown[1])
        header.blockSignals(False)

    header.sortIndicatorChanged.connect(indicator_changed)


_WIDTHS = {"Ngày đến": 92, "Số đến": 62, "Tác giả": 190, "Số, ký hiệu văn bản": 130, "Ngày tháng văn bản": 92,
           "Tên loại và trích yếu nội dung văn bản": 330, "Đơn vị hoặc người nhận": 130, "Độ khẩn": 80, "Hạn xử lý": 92,
           "Người ký": 140, "Nơi nhận văn bản": 200, "Đơn vị, người nhận bản lưu": 120, "Số lượng bản": 70,
           "Chữ ký số": 72}
