"""Main window: the registers as big tables with search and filters, the detail pane, and the clerk's shortcuts."""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QStandardPaths, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME, __version__
from app.core.access import Permission
from app.core.dates import today
from app.core.enums import BookCategory, Direction
from app.core.errors import VanThuError
from app.core.records import DocumentQuery, DocumentRecord, OverdueItem
from app.core.text import fold
from app.services import Registry
from app.ui.app_icon import app_icon
from app.ui.detail_pane import DetailPane
from app.ui.document_table_model import DOC_ID_ROLE, DocumentTableModel
from app.ui.filter_bar import FilterBar
from app.ui.overdue_panel import OverduePanel, by_unit, summary, unit_summary
from app.ui.permissions import allow, denied_text
from app.ui.print_actions import PrintActions
from app.ui.tasks import BackgroundTasks

log = logging.getLogger(__name__)
FIRST_PAGE = 200  # rows asked for first, so the window paints at once; the full id list follows
_BOOKS = ((Direction.INCOMING, "Văn bản đến"), (Direction.OUTGOING, "Văn bản đi"), (Direction.COPY, "Bản sao"))
# The secret books: tabs only for an account cleared to see secret documents (the open register included).
_SECRET_BOOKS = ((Direction.INCOMING, "Văn bản đến (mật)"), (Direction.OUTGOING, "Văn bản đi (mật)"))


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


class MainWindow(QMainWindow):
    """The clerk's desk. Every read that can take long runs on BackgroundTasks; the UI only draws records."""

    loaded = Signal(object)  # Direction: a tab's full id list has arrived (tests and the benchmark wait on it)
    exported = Signal(str)  # an export finished: the file, or "" when it failed

    def __init__(self, registry: Registry, select_number: int | None = None) -> None:
        super().__init__()
        self.registry = registry
        self.tasks = BackgroundTasks(self)
        self.dialog: QWidget | None = None
        self.reports: QWidget | None = None
        self.resize(1366, 768)
        self.setWindowIcon(app_icon())

        self.filters = FilterBar()
        self.filters.changed.connect(self.reload)
        self.tabs = QTabWidget()
        self.pages: list[RegisterPage] = [self._make_page(d, title) for d, title in _BOOKS]
        if registry.principal.clearance is not None:
            self.pages += [self._make_page(d, title, secret=True) for d, title in _SECRET_BOOKS]
        self.tabs.currentChanged.connect(self._tab_changed)
        self.detail = DetailPane(registry)
        self.detail.document_changed.connect(self._document_changed)
        self.detail.open_document.connect(self.select_document)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.tabs)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([930, 430])
        # The start-up notice: what is late or due soon, per unit; one click opens the list.
        self.notice = QLabel()
        self.notice.setObjectName("deadline_notice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("background: #fff4ce; border: 1px solid #e0c060; padding: 4px;")
        self.notice.linkActivated.connect(lambda _link: self.show_overdue())
        self.notice.hide()
        self.overdue_panel = OverduePanel()
        self.overdue_panel.refresh_requested.connect(self._load_overdue)
        self.overdue_panel.open_document.connect(self.select_document)
        self.overdue_dock = QDockWidget("Văn bản quá hạn, sắp đến hạn (theo đơn vị)", self)
        self.overdue_dock.setObjectName("overdue_dock")
        self.overdue_dock.setWidget(self.overdue_panel)
        self.overdue_dock.setAllowedAreas(Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.TopDockWidgetArea)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.overdue_dock)
        self.overdue_dock.hide()
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.notice)
        layout.addWidget(self.filters)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)

        self.count_label = QLabel()
        self.statusBar().addWidget(self.count_label, 1)
        legend = QLabel("<span style='color:#b00020'><b>Đỏ đậm</b>: khẩn</span> · "
                        "<span style='background:#fde2e1'>nền hồng</span>: quá hạn · <s>gạch ngang</s>: đã hủy")
        self.statusBar().addPermanentWidget(legend)
        self.user_label = QLabel(registry.principal.display)
        self.user_label.setObjectName("signed_in_user")
        self.user_label.setToolTip("Tài khoản đang dùng sổ")
        self.statusBar().addPermanentWidget(self.user_label)
        self.actions_by_key: dict[str, QAction] = {}
        self._build_actions()
        self._apply_permissions()
        self._refresh_title()
        self.filters.set_years(self._safe(self.registry.documents.years, []), today().year)
        self.filters.set_types(self._type_names())
        if select_number is not None:
            self._select_on_load(select_number)
        self.reload()
        if self.registry.can(Permission.REPORT):  # the deadline notice is a report: not every account may see it
            self._load_overdue(today(), notify=True)

    # construction
    def _make_page(self, direction: Direction, title: str, secret: bool = False) -> RegisterPage:
        model = DocumentTableModel(direction, self.registry.documents.records)
        view = QTableView()
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.setSortingEnabled(True)
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
        page = RegisterPage(direction, view, model, secret=secret)
        model.sort_requested.connect(lambda key, desc, p=page: self._sort(p, key, desc))
        view.selectionModel().currentRowChanged.connect(lambda current, _prev, p=page: self._row_changed(p, current))
        view.activated.connect(lambda _index: self.detail.setFocus())
        self.tabs.addTab(view, title)
        return page

    def _build_actions(self) -> None:
        menu = self.menuBar().addMenu("&Văn bản")
        keyed = self.actions_by_key
        keyed["register_incoming"] = self._action(menu, "Vào sổ văn bản đến…", "Ctrl+N",
                                                  lambda: self.open_register_dialog(Direction.INCOMING))
        keyed["register_outgoing"] = self._action(menu, "Vào sổ văn bản đi…", "Ctrl+Shift+N",
                                                  lambda: self.open_register_dialog(Direction.OUTGOING))
        menu.addSeparator()
        keyed["route"] = self._action(menu, "Chuyển xử lý (ý kiến chỉ đạo, đơn vị, thời hạn)…", "Ctrl+R",
                                      self.route_selected)
        keyed["handover"] = self._action(menu, "Ký nhận…", "Ctrl+K", self.handover_selected)
        menu.addSeparator()
        keyed["cancel"] = self._action(menu, "Hủy văn bản đang chọn…", "Ctrl+Del", self.cancel_selected)
        menu.addSeparator()
        self._action(menu, "Tìm", "Ctrl+F", self.focus_search)
        self._action(menu, "Tải lại", "F5", self.reload_all)
        menu.addSeparator()
        self._action(menu, "Thoát", "Ctrl+Q", self.close)
        self.printing = PrintActions(self)
        self.printing.build_menu(self.menuBar().addMenu("&In"), self._action)
        books = self.menuBar().addMenu("&Sổ")
        for i in range(self.tabs.count()):  # Alt+1… for the tabs this account has (the secret ones after)
            self._action(books, self.tabs.tabText(i), f"Alt+{i + 1}",
                         lambda _checked=False, i=i: self.tabs.setCurrentIndex(i))
        books.addSeparator()
        # Not Ctrl+E: on Linux a focused text field takes it (end of line), and the search box often has focus.
        keyed["export"] = self._action(books, "Xuất danh sách đang hiện ra Excel…", "Ctrl+Shift+E",
                                       self.export_visible)
        keyed["import"] = self._action(books, "Nhập sổ cũ từ Excel, CSV…", "", self.open_import)
        follow = self.menuBar().addMenu("&Theo dõi")
        keyed["overdue"] = self._action(follow, "Văn bản quá hạn, sắp đến hạn", "Ctrl+H", self.show_overdue)
        keyed["reports"] = self._action(follow, "Báo cáo, thống kê…", "Ctrl+Shift+R", self.open_reports)
        keyed["audit"] = self._action(follow, "Nhật ký thay đổi…", "", self.open_audit)
        settings = self.menuBar().addMenu("&Cài đặt")
        keyed["settings"] = self._action(settings, "Cài đặt cơ quan, sổ, loại văn bản…", "Ctrl+,", self.open_settings)
        account = self.menuBar().addMenu("&Tài khoản")
        keyed["password"] = self._action(account, "Đổi mật khẩu…", "", self.change_password)
        keyed["users"] = self._action(account, "Quản lý tài khoản…", "", self.open_users)
        for bar_menu in (menu, books, follow, settings, account):
            bar_menu.setToolTipsVisible(True)  # a greyed action says which permission it needs
        help_menu = self.menuBar().addMenu("&Trợ giúp")
        self._action(help_menu, "Giới thiệu", "F1", self._about)

    def _apply_permissions(self) -> None:
        """Grey out what this account may not do; the tooltip names the missing permission."""
        keyed = self.actions_by_key
        for key, permission in _ACTION_PERMISSIONS.items():
            allow(keyed[key], self.registry, permission)
        signed_in = self.registry.principal.signed_in
        keyed["password"].setEnabled(signed_in)
        keyed["password"].setToolTip("Đổi mật khẩu của tài khoản đang đăng nhập" if signed_in
                                     else "Sổ chưa có tài khoản: không có mật khẩu để đổi.")
        keyed["password"].setStatusTip(keyed["password"].toolTip())

    def _permitted(self, permission: Permission) -> bool:
        """Whether the account may do this; if not, the status bar says which permission is missing."""
        if self.registry.can(permission):
            return True
        self.statusBar().showMessage(denied_text(permission), 8000)
        return False

    def _action(self, menu, text: str, shortcut: str, slot) -> QAction:  # type: ignore[no-untyped-def]
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        self.addAction(action)  # shortcuts work wherever the focus is
        return action

    # loading: ids in the background, first page first
    @property
    def page(self) -> RegisterPage:
        return self.pages[self.tabs.currentIndex()]

    def _query(self, page: RegisterPage) -> DocumentQuery:
        return self.filters.query(DocumentQuery(direction=page.direction, secret=page.secret, sort=page.sort,
                                                descending=page.descending))

    def page_of(self, doc: DocumentRecord) -> RegisterPage:
        """The tab that lists this entry: its direction, in the secret or the ordinary book."""
        secret = doc.category is BookCategory.SECRET
        return next((p for p in self.pages if p.direction is doc.direction and p.secret == secret),
                    next((p for p in self.pages if p.direction is doc.direction), self.pages[0]))

    def reload(self) -> None:
        """The filters changed: reload the visible tab now, the others when they are shown."""
        for page in self.pages:
            page.stale = True
        self._load(self.page)

    def reload_all(self) -> None:
        self.filters.set_years(self._safe(self.registry.documents.years, []),
                               self.filters.year.currentData() or today().year)
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
        self.count_label.setText("Đang tải…")

        def first(ids: list[int]) -> None:
            if generation != page.generation:
                return  # a newer query has been asked for since
            page.model.set_ids(ids)
            if len(ids) < FIRST_PAGE:
                self._loaded(page)
            else:
                self.tasks.run(lambda: self.registry.documents.search_ids(query), rest, self._failed)

        def rest(ids: list[int]) -> None:
            if generation == page.generation:
                page.model.set_ids(ids)
                self._loaded(page)

        self.tasks.run(lambda: self.registry.documents.search_ids(replace(query, limit=FIRST_PAGE)), first,
                       self._failed)

    def _loaded(self, page: RegisterPage) -> None:
        self._show_count(page)
        row = page.model.row_of(page.pending_select.pop()) if page.pending_select else -1
        page.pending_select.clear()
        if row < 0 and page.model.rowCount() and page is self.page:
            row = 0
        if row >= 0:
            self._select_row(page, row)
        self.loaded.emit(page.direction)

    def _show_count(self, page: RegisterPage) -> None:
        if page is not self.page:
            return
        year = self.filters.year.currentText().lower()
        self.count_label.setText(f"{self.tabs.tabText(self.tabs.currentIndex())}, {year}: "
                                 f"{page.model.rowCount():,} văn bản".replace(",", ".")
                                 + f"   —   Dữ liệu: {self.registry.location}")

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, VanThuError):
            self.count_label.setText(f"Lỗi khi đọc sổ: {exc}")
            return
        log.error("reading the register failed", exc_info=exc)
        self.count_label.setText(f"Không đọc được sổ từ cơ sở dữ liệu ({type(exc).__name__}); hãy thử lại (F5).")

    def _sort(self, page: RegisterPage, key: str, descending: bool) -> None:
        page.sort, page.descending = key, descending
        self._load(page)

    # selection and detail
    def _row_changed(self, page: RegisterPage, current) -> None:  # type: ignore[no-untyped-def]
        if page is not self.page:
            return
        if not current.isValid():
            return  # a reload in progress: keep showing the entry until the rows are back
        doc_id = page.model.data(current, DOC_ID_ROLE)
        if doc_id == self.detail.doc_id:
            return
        if self.detail.has_unsaved_changes() and not self.detail.confirm(
                "Thay đổi chưa lưu", "Văn bản đang sửa còn thay đổi chưa lưu. Bỏ các thay đổi đó?"):
            row = page.model.row_of(self.detail.doc_id) if self.detail.doc_id is not None else -1
            if row >= 0:  # stay on the document being edited
                page.view.selectionModel().blockSignals(True)
                self._select_row(page, row)
                page.view.selectionModel().blockSignals(False)
            return
        self.detail.show_document(doc_id)

    def selected_id(self) -> int | None:
        index = self.page.view.currentIndex()
        return self.page.model.data(index, DOC_ID_ROLE) if index.isValid() else None

    def select_document(self, doc_id: int) -> None:
        """Show a document (from a link in the detail pane): its tab, with filters cleared if it is hidden."""
        try:
            doc = self.registry.documents.get(doc_id)
        except VanThuError as exc:
            QMessageBox.warning(self, APP_NAME, str(exc))
            return
        page = self.page_of(doc)
        self.tabs.setCurrentIndex(self.pages.index(page))
        row = page.model.row_of(doc_id)
        if row >= 0:
            self._select_row(page, row)
            return
        # Not among the rows shown: show its year without filters, then select it when loaded.
        self.filters.blockSignals(True)
        self.filters.clear()
        self.filters.set_years(self._safe(self.registry.documents.years, []), doc.year)
        self.filters.blockSignals(False)
        page.pending_select.append(doc_id)
        self.reload()

    def _select_on_load(self, number: int) -> None:
        """--select N: this year's số đến N, selected once the table has loaded."""
        try:
            doc = self.registry.documents.find(Direction.INCOMING, number, today().year)
        except VanThuError as exc:
            self.statusBar().showMessage(str(exc), 8000)
            return
        self.pages[0].pending_select.append(doc.id)

    def _select_row(self, page: RegisterPage, row: int) -> None:
        index = page.model.index(row, 0)
        page.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        page.view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)

    def _document_changed(self, doc_id: int) -> None:
        for page in self.pages:
            page.model.refresh(doc_id)
        if self.overdue_dock.isVisible():  # a ký nhận or a finished unit changes the list
            self._load_overdue(self.overdue_panel.on)

    # actions
    def focus_search(self) -> None:
        self.filters.search.setFocus()
        self.filters.search.selectAll()

    def open_register_dialog(self, direction: Direction) -> None:
        from app.ui.register_dialog import RegisterDialog

        if not self._permitted(Permission.REGISTER):
            return
        dialog = RegisterDialog(self.registry, direction, self)
        dialog.registered.connect(self._registered)
        self._open_dialog(dialog)

    def _registered(self, doc: DocumentRecord) -> None:
        page = self.page_of(doc)
        self.tabs.setCurrentIndex(self.pages.index(page))
        if doc.year not in [self.filters.year.itemData(i) for i in range(self.filters.year.count())]:
            self.filters.set_years(self._safe(self.registry.documents.years, []), doc.year)
        page.pending_select.append(doc.id)
        self.reload()
        if doc.direction is Direction.INCOMING:
            self.statusBar().showMessage(f"Đã vào sổ số đến {doc.number} — Ctrl+P: in dấu ĐẾN, Ctrl+Shift+P: đóng "
                                         "dấu lên bản quét, Ctrl+Alt+P: phiếu giải quyết.", 15000)

    def _routing_tab(self) -> bool:
        if self.selected_id() is None or self.page.direction is not Direction.INCOMING:
            self.statusBar().showMessage("Chọn một văn bản đến để chuyển xử lý hoặc ghi ký nhận.", 5000)
            return False
        self.detail.sections.setCurrentWidget(self.detail.routing)
        return True

    def route_selected(self) -> None:
        if self._permitted(Permission.ROUTE) and self._routing_tab():
            self.detail.routing.route()

    def handover_selected(self) -> None:
        if self._permitted(Permission.ROUTE) and self._routing_tab() and self.detail.routing.record_handover() is None:
            self.statusBar().showMessage("Văn bản này chưa chuyển xử lý, hoặc mọi đơn vị đã ký nhận.", 5000)

    # reports, Excel export and import
    def open_reports(self) -> None:
        from app.ui.reports_dialog import ReportsDialog

        if not self._permitted(Permission.REPORT):
            return
        if self.reports is None:  # one window, kept: reopening shows the figures already computed
            self.reports = ReportsDialog(self.registry, self)
            self.reports.finished.connect(self.activateWindow)  # the register gets the keyboard back
        self.reports.show()
        self.reports.raise_()
        self.reports.activateWindow()

    def choose_save_path(self, title: str, name: str, file_filter: str) -> str | None:
        path, _filter = QFileDialog.getSaveFileName(self, title, name, file_filter)
        return path or None

    def export_visible(self, path: str | None = None) -> None:
        """The rows the table shows (filters, search and order as on screen) to .xlsx, in the background."""
        if not self._permitted(Permission.REPORT):
            return
        page = self.page
        ids = list(page.model.ids)
        if not ids:
            self.statusBar().showMessage("Danh sách đang trống: không có gì để xuất.", 5000)
            return
        name = fold(f"{self.tabs.tabText(self.tabs.currentIndex())} {self.filters.year.currentText()}")
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        path = path or self.choose_save_path("Xuất danh sách ra Excel",
                                             str(Path(folder) / f"{name.replace(' ', '-')}.xlsx"), "Excel (*.xlsx)")
        self.activateWindow()  # the file dialog leaves no window active on some desktops
        if not path:
            return
        self.statusBar().showMessage(f"Đang xuất {len(ids):,} văn bản ra {path}…".replace(",", "."))

        def done(result: tuple[object, int]) -> None:
            written, rows = result
            self.statusBar().showMessage(f"Đã xuất {rows:,} văn bản ra {written}".replace(",", "."), 15000)
            self.exported.emit(str(written))

        def failed(exc: Exception) -> None:
            self.statusBar().showMessage(f"Chưa xuất được: {exc}", 15000)
            self.exported.emit("")

        self.tasks.run(lambda: self.registry.transfer.export_xlsx(ids, path), done, failed)

    def open_import(self) -> None:
        from app.ui.import_dialog import ImportDialog

        if not self._permitted(Permission.REGISTER):
            return
        dialog = ImportDialog(self.registry, self)
        dialog.finished.connect(lambda _r: self.reload_all() if dialog.imported else None)
        self._open_dialog(dialog)

    # deadlines: the start-up notice and the overdue panel
    def show_overdue(self) -> None:
        if not self._permitted(Permission.REPORT):
            return
        self.notice.hide()
        self.overdue_dock.show()
        self.overdue_dock.raise_()
        self.overdue_panel.refresh()

    def _load_overdue(self, on: date, notify: bool = False) -> None:
        def done(items: list[OverdueItem]) -> None:
            self.overdue_panel.show_items(items, on)
            if notify:
                self._notify(items)

        self.tasks.run(lambda: self.registry.routing.overdue(on), done, self._failed)

    def _notify(self, items: list[OverdueItem]) -> None:
        """On start: '5 văn bản sắp đến hạn, 2 văn bản quá hạn', then the units concerned."""
        if not items:
            return
        units = "; ".join(f"{html.escape(unit)}: {unit_summary(group)}"
                          for unit, group in list(by_unit(items).items())[:4])
        more = "; …" if len(by_unit(items)) > 4 else ""
        self.notice.setText(f"<b>{summary(items)}</b> — {units}{more}. "
                            "<a href='overdue'>Xem danh sách (Ctrl+H)</a>")
        self.notice.show()

    def cancel_selected(self) -> None:
        if not self._permitted(Permission.REGISTER):
            return
        if self.selected_id() is None:
            self.statusBar().showMessage("Chưa chọn văn bản nào để hủy.", 4000)
            return
        self.detail.cancel_current()

    def open_settings(self) -> None:
        from app.ui.settings_dialog import SettingsDialog

        if not self._permitted(Permission.SETTINGS):
            return
        dialog = SettingsDialog(self.registry, self)
        dialog.finished.connect(self._settings_closed)
        self._open_dialog(dialog)

    def _settings_closed(self) -> None:
        self._refresh_title()
        self.filters.set_types(self._type_names())
        self.reload()

    def _open_dialog(self, dialog) -> None:  # type: ignore[no-untyped-def]
        """Window-modal and non-blocking (QDialog.open): the window keeps painting, and self.dialog is the one
        open (tests drive it from there)."""
        self.dialog = dialog
        dialog.finished.connect(lambda _result: setattr(self, "dialog", None))
        dialog.finished.connect(self.activateWindow)  # keys go back to the register, on every platform
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _about(self) -> None:
        QMessageBox.about(self, APP_NAME, f"<b>{APP_NAME}</b> {__version__}<br>Sổ đăng ký văn bản đến, văn bản đi "
                                          "theo Nghị định 30/2020/NĐ-CP.<br>Dữ liệu: "
                                          f"{self.registry.location}")

    def _refresh_title(self) -> None:
        agency = self._safe(self.registry.settings.agency, None)
        name = agency.name if agency and agency.name else "chưa đặt tên cơ quan (Cài đặt → Ctrl+,)"
        self.setWindowTitle(f"{APP_NAME} {__version__} — {name}")  # the version a support call asks for first

    def _type_names(self) -> list[str]:
        types = getattr(self.registry, "document_types", None)
        records = self._safe(types, []) if types else []
        return sorted({t.name for t in records})

    def _safe(self, call, default):  # type: ignore[no-untyped-def]
        try:
            return call()
        except VanThuError as exc:
            self.statusBar().showMessage(str(exc), 8000)
            return default

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 - Qt's name
        self.tasks.wait()
        self.printing.close()
        super().closeEvent(event)

    # for tests and the screenshot command
    def wait_loaded(self, msecs: int = 30_000) -> None:
        """Process events until every queued background read has reported back."""
        from PySide6.QtCore import QDeadlineTimer, QEventLoop
        from PySide6.QtWidgets import QApplication

        deadline = QDeadlineTimer(msecs)
        while (self.tasks.busy() or self.tasks.pool.activeThreadCount()) and not deadline.hasExpired():
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        QApplication.processEvents()

    def open_audit(self) -> None:
        """The audit trail window: non-modal, one instance kept (it refreshes when shown again)."""
        from app.ui.audit_dialog import AuditDialog

        if not self._permitted(Permission.AUDIT):
            return
        if getattr(self, "audit_window", None) is None:
            self.audit_window = AuditDialog(self.registry, self)
            self.audit_window.finished.connect(self.activateWindow)
        self.audit_window.show()
        self.audit_window.raise_()
        self.audit_window.activateWindow()

    # accounts
    def change_password(self) -> QWidget | None:
        """Đổi mật khẩu of the signed-in account (old, new, repeat)."""
        if not self.registry.principal.signed_in:
            self.statusBar().showMessage("Sổ chưa có tài khoản: không có mật khẩu để đổi.", 6000)
            return None
        from app.ui.users_dialog import ChangePasswordDialog

        dialog = ChangePasswordDialog(self.registry, self)
        dialog.accepted.connect(lambda: self.statusBar().showMessage("Đã đổi mật khẩu.", 8000))
        self._open_dialog(dialog)
        return dialog

    def open_users(self) -> QWidget | None:
        from app.ui.users_dialog import UsersDialog

        if not self._permitted(Permission.USERS):
            return None
        dialog = UsersDialog(self.registry, self)
        self._open_dialog(dialog)
        return dialog


# Menu actions and what they need; the "In" menu is PrintActions' (Permission.PRINT).
_ACTION_PERMISSIONS: dict[str, Permission] = {
    "register_incoming": Permission.REGISTER, "register_outgoing": Permission.REGISTER,
    "cancel": Permission.REGISTER, "import": Permission.REGISTER, "route": Permission.ROUTE,
    "handover": Permission.ROUTE, "export": Permission.REPORT, "overdue": Permission.REPORT,
    "reports": Permission.REPORT, "audit": Permission.AUDIT, "settings": Permission.SETTINGS,
    "users": Permission.USERS,
}

_WIDTHS = {"Ngày đến": 92, "Số đến": 62, "Tác giả": 190, "Số, ký hiệu văn bản": 130, "Ngày tháng văn bản": 92,
           "Tên loại và trích yếu nội dung văn bản": 330, "Đơn vị hoặc người nhận": 130, "Độ khẩn": 80, "Hạn xử lý": 92,
           "Người ký": 140, "Nơi nhận văn bản": 200, "Đơn vị, người nhận bản lưu": 120, "Số lượng bản": 70}
