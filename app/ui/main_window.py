"""Main window: the registers as big tables with search and filters, the detail pane, and the clerk's shortcuts."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QLabel, QMainWindow, QMessageBox, QSplitter, QTabWidget, QVBoxLayout, QWidget

from app import APP_NAME, __version__
from app.core.access import Permission
from app.core.dates import today
from app.core.enums import Direction
from app.core.errors import VanThuError
from app.core.records import DocumentRecord
from app.services import Registry
from app.ui import window_geometry
from app.ui.app_icon import app_icon
from app.ui.detail_pane import DetailPane
from app.ui.document_table_model import DOC_ID_ROLE
from app.ui.edxml_inbox_panel import InboxDock
from app.ui.file_actions import FileActions
from app.ui.filter_bar import FilterBar
from app.ui.follow_up import FollowUp
from app.ui.print_actions import PrintActions, PrintSelection
from app.ui.register_books import FIRST_PAGE, RegisterBooks, RegisterPage
from app.ui.register_print_dialog import RegisterPrintDialog
from app.ui.tasks import BackgroundTasks
from app.ui.window_menus import WindowMenus
from app.ui.window_status import AccountActions, StatusLine

__all__ = ["FIRST_PAGE", "MainWindow", "RegisterPage"]

READ_ONLY_STYLE = ("background: #fff3cd; color: #7a4a00; border: 1px solid #e0b252; padding: 6px; "
                   "font-weight: bold;")


class MainWindow(QMainWindow):
    """The clerk's desk. Every read that can take long runs on BackgroundTasks; the UI only draws records. The
    window composes its parts (the books, the menus, the status line, printing, files, follow-up, accounts) and
    joins the table's selection to the detail pane."""

    loaded = Signal(object)  # Direction: a tab's full id list has arrived (tests and the benchmark wait on it)
    exported = Signal(str)  # an export finished: the file, or "" when it failed

    def __init__(self, registry: Registry, select_number: int | None = None) -> None:
        super().__init__()
        self.registry = registry
        self.tasks = BackgroundTasks(self)
        self.dialog: QWidget | None = None
        self.resize(1366, 768)  # the launcher then fits it to the screen (window_geometry); tests keep this size
        self.setWindowIcon(app_icon())

        self.status = StatusLine(self.statusBar(), registry.principal.display, registry.can)
        self.count_label, self.user_label = self.status.count_label, self.status.user_label
        self.filters = FilterBar()
        cleared = registry.principal.clearance is not None  # the secret books' tabs too
        self.books = RegisterBooks(registry.documents, self.filters, self.tasks, cleared, self.status.set_count,
                                   self.status.show, registry.location, self, places=registry.fulltext.places,
                                   signatures=registry.signatures.states)
        self.books.loaded.connect(self.loaded)
        self.books.row_changed.connect(self._row_changed)
        self.books.row_changed.connect(lambda page, current: self.menus.selection_changed(
            registry, page.direction if current.isValid() else None))
        self.tabs: QTabWidget = self.books.tabs
        self.pages: list[RegisterPage] = self.books.pages
        self.detail = DetailPane(registry)
        self.detail.document_changed.connect(self._document_changed)
        self.detail.open_document.connect(self.select_document)
        self.books.activated.connect(self.detail.setFocus)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.tabs)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([930, 430])
        self.follow = FollowUp(registry, self.tasks, self, self.status, self.select_document, self.books.failed)
        self.notice = self.follow.notice
        self.overdue_panel, self.overdue_dock = self.follow.overdue_panel, self.follow.overdue_dock
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.overdue_dock)
        self.overdue_dock.hide()
        self.inbox_dock = InboxDock(registry, self)  # Văn bản điện tử chờ vào sổ: a tab beside the overdue list
        self.inbox_panel = self.inbox_dock.panel
        self.inbox_panel.registered.connect(self._registered)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.inbox_dock)
        self.tabifyDockWidget(self.overdue_dock, self.inbox_dock)
        self.resizeDocks([self.inbox_dock], [240], Qt.Orientation.Vertical)  # a few rows; the register keeps the room
        self.inbox_dock.setVisible(bool(self.inbox_panel.items))  # shown at start when files are waiting
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        self.read_only_banner = QLabel(registry.read_only.banner if registry.read_only else "")
        self.read_only_banner.setObjectName("read_only_banner")
        self.read_only_banner.setWordWrap(True)
        self.read_only_banner.setStyleSheet(READ_ONLY_STYLE)
        self.read_only_banner.setVisible(registry.read_only is not None)  # every write would be refused: say so
        layout.addWidget(self.read_only_banner)
        layout.addWidget(self.notice)
        layout.addWidget(self.filters)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)

        self.files = FileActions(registry, self.tasks, self, self.status, self._open_dialog, self.reload_all)
        self.files.exported.connect(self.exported)
        self.accounts = AccountActions(registry, self, self.status, self._open_dialog)
        self.printing = PrintActions(
            registry.printouts, registry.attachments, PrintSelection(self._selected_entry, self._shown_book),
            registry.can, self, self.status.show,
            lambda temp: RegisterPrintDialog(registry, temp, self.tasks, self))
        self.menus = WindowMenus(self, self.menuBar())
        self.actions_by_key: dict[str, QAction] = self.menus.build(
            self._slots(), [self.tabs.tabText(i) for i in range(self.tabs.count())], self.tabs.setCurrentIndex,
            self.printing.build_menu)
        self.menus.apply_permissions(registry)
        self._refresh_title()
        self.filters.set_years(self.books.years(), today().year)
        self.filters.set_types(self._type_names())
        if select_number is not None:
            self.books.select_on_load(select_number)
        self.reload()
        self.follow.start()

    def _slots(self) -> dict[str, Callable[[], object]]:
        """What each menu action does, by its key in window_menus."""
        return {
            "register_incoming": lambda: self.open_register_dialog(Direction.INCOMING),
            "register_outgoing": lambda: self.open_register_dialog(Direction.OUTGOING),
            "route": self.route_selected, "handover": self.handover_selected, "cancel": self.cancel_selected,
            "sign": self.sign_selected, "copy": lambda: self.sign_selected(copy=True),
            "search": self.focus_search, "reload": self.reload_all, "quit": self.close,
            "export": lambda: self.export_visible(), "import": self.open_import,
            "edxml_inbox": self.inbox_dock.open, "overdue": self.show_overdue, "reports": self.open_reports,
            "audit": self.open_audit,
            "settings": self.open_settings, "password": self.change_password, "users": self.open_users,
            "clerk_name": self.accounts.name_clerk,
            "about": self._about,
        }

    # the books
    @property
    def page(self) -> RegisterPage:
        return self.books.page

    def page_of(self, doc: DocumentRecord) -> RegisterPage:
        return self.books.page_of(doc)

    def reload(self) -> None:
        self.books.reload()

    def reload_all(self) -> None:
        self.books.reload_all()

    def selected_id(self) -> int | None:
        return self.books.selected_id()

    def _selected_entry(self) -> DocumentRecord | None:
        doc_id = self.selected_id()
        return None if doc_id is None else self.registry.documents.get(doc_id)

    def _shown_book(self) -> tuple[Direction, list[int]]:
        return self.page.direction, self.page.model.ids  # read, never changed: no copy of a million ids

    # selection and detail
    def _row_changed(self, page: RegisterPage, current) -> None:  # type: ignore[no-untyped-def]
        if not current.isValid():
            return  # a reload in progress: keep showing the entry until the rows are back
        doc_id = page.model.data(current, DOC_ID_ROLE)
        if doc_id == self.detail.doc_id:
            return
        if not self.detail.settle_edits("chuyển sang văn bản khác"):  # Lưu / Bỏ / Quay lại: nothing typed is lost
            row = page.model.row_of(self.detail.doc_id) if self.detail.doc_id is not None else -1
            if row >= 0:  # Quay lại, or the save was refused: stay on the document being edited
                self.books.select_row(page, row, quietly=True)
            return
        self.detail.show_document(doc_id)

    def select_document(self, doc_id: int) -> None:
        """Show a document (from a link in the detail pane): its tab, with filters cleared if it is hidden."""
        try:
            doc = self.registry.documents.get(doc_id)
        except VanThuError as exc:
            QMessageBox.warning(self, APP_NAME, str(exc))
            return
        self.books.show_entry(doc)

    def _document_changed(self, doc_id: int) -> None:
        for page in self.pages:
            page.model.refresh(doc_id)
        self.follow.document_changed()

    # actions
    def focus_search(self) -> None:
        self.filters.search.setFocus()
        self.filters.search.selectAll()

    def _permitted(self, permission: Permission) -> bool:
        return self.status.permitted(permission)

    def open_register_dialog(self, direction: Direction) -> None:
        from app.ui.register_dialog import RegisterDialog

        if not self._permitted(Permission.REGISTER):
            return
        dialog = RegisterDialog(self.registry, direction, self)
        dialog.registered.connect(self._registered)
        self._open_dialog(dialog)

    def _registered(self, doc: DocumentRecord) -> None:
        self.books.add_entry(doc)
        if doc.direction is Direction.INCOMING:
            self.status.show(f"Đã vào sổ số đến {doc.number} — Ctrl+P: in dấu ĐẾN, Ctrl+Shift+P: đóng "
                             "dấu lên bản quét, Ctrl+Alt+P: phiếu giải quyết.", 15000)

    def _routing_tab(self) -> bool:
        if self.selected_id() is None or self.page.direction is not Direction.INCOMING:
            self.status.show("Chọn một văn bản đến để chuyển xử lý hoặc ghi ký nhận.", 5000)
            return False
        self.detail.sections.setCurrentWidget(self.detail.routing)
        return True

    def route_selected(self) -> None:
        if self._permitted(Permission.ROUTE) and self._routing_tab():
            self.detail.routing.route()

    def handover_selected(self) -> None:
        if self._permitted(Permission.ROUTE) and self._routing_tab() and self.detail.routing.record_handover() is None:
            self.status.show("Văn bản này chưa chuyển xử lý, hoặc mọi đơn vị đã ký nhận.", 5000)

    def cancel_selected(self) -> None:
        if not self._permitted(Permission.REGISTER):
            return
        if self.selected_id() is None:
            self.status.show("Chưa chọn văn bản nào để hủy.", 4000)
            return
        self.detail.cancel_current()

    def sign_selected(self, copy: bool = False) -> QDialog | None:
        """Ký số và phát hành the selected outgoing entry, or (copy) Tạo bản sao điện tử of the selected entry."""
        from app.ui.sign_dialog import SignDialog

        if not self._permitted(Permission.REGISTER):
            return None
        doc = self._safe(self._selected_entry, None)
        books = (Direction.INCOMING, Direction.OUTGOING) if copy else (Direction.OUTGOING,)
        if doc is None or doc.direction not in books or doc.cancelled:
            self.status.show("Chọn một văn bản đến hoặc đi (chưa hủy) để tạo bản sao điện tử." if copy else
                             "Chọn một văn bản đi (chưa hủy) để ký số và phát hành.", 5000)
            return None
        dialog = SignDialog(self.registry, doc, self.tasks, copy, self)
        dialog.issued.connect(lambda issued: self._issued(doc.id, issued, copy))
        self._open_dialog(dialog)
        return dialog

    def _issued(self, doc_id: int, issued, copy: bool) -> None:  # type: ignore[no-untyped-def]
        """The signed file is attached (to the entry, or to its new copy, linked to it): the rows and pane follow."""
        self._document_changed(doc_id)
        if self.detail.doc_id == doc_id and not self.detail.has_unsaved_changes():
            self.detail.refresh()
        if copy:
            self.books.add_entry(issued.document)
        self.status.show(f"Kiểm tra lại tệp đã ký: {issued.check.verdict}", 10000)

    # files, follow-up and accounts: their parts do the work
    def export_visible(self, path: str | None = None) -> None:
        self.files.export(lambda: list(self.page.model.ids),
                          lambda: f"{self.books.title()} {self.filters.year.currentText()}", path)

    def open_import(self) -> None:
        self.files.open_import()

    def show_overdue(self) -> None:
        self.follow.show_overdue()

    def open_reports(self) -> None:
        self.follow.open_reports()

    def open_audit(self) -> None:
        self.follow.open_audit()

    @property
    def reports(self) -> QDialog | None:
        return self.follow.reports

    @property
    def audit_window(self) -> QDialog | None:
        return self.follow.audit_window

    def change_password(self) -> QDialog | None:
        return self.accounts.change_password()

    def open_users(self) -> QDialog | None:
        return self.accounts.open_users()

    # settings and the window itself
    def open_settings(self) -> None:
        from app.ui.settings_dialog import SettingsDialog

        if not self._permitted(Permission.SETTINGS):
            return
        dialog = SettingsDialog(self.registry, self)
        dialog.finished.connect(self._settings_closed)
        self._open_dialog(dialog)

    def _settings_closed(self) -> None:
        self._refresh_title()
        self.inbox_panel.refresh()  # the inbox folder may have been chosen or changed
        self.filters.set_types(self._type_names())
        self.reload()

    def _open_dialog(self, dialog: QDialog) -> None:
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
        return sorted({t.name for t in self._safe(self.registry.types.list, [])})

    def _safe(self, call, default):  # type: ignore[no-untyped-def]
        try:
            return call()
        except VanThuError as exc:
            self.status.show(str(exc), 8000)
            return default

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 - Qt's name
        if not self.detail.settle_edits("đóng chương trình"):  # an F2 edit not saved: Lưu / Bỏ / Quay lại
            event.ignore()
            return
        window_geometry.remember(self)  # size, place, maximised: as the clerk left them, at the next start
        self.detail.files_box.reading.wait()  # a file being read to attach: stopped, its thread ended
        self.tasks.wait()
        self.inbox_panel.stop()
        self.printing.close()
        self.registry.anchors.write()  # the end of the working session anchors the audit chain (never raises)
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
