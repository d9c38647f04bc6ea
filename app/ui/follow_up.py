"""The main window's Theo dõi part: the start-up deadline notice, the overdue dock (per unit), and the reports and
audit trail windows (non-modal, one of each kept)."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDialog, QDockWidget, QLabel, QWidget

from app.core.access import Permission
from app.core.dates import today
from app.core.records import OverdueItem
from app.services import Registry
from app.ui.overdue_panel import OverduePanel, by_unit, summary, unit_summary
from app.ui.tasks import BackgroundTasks
from app.ui.window_status import StatusLine


class FollowUp(QObject):
    """Owns the notice (for the window to place above the filters) and the dock (for it to add); reads the
    deadlines on BackgroundTasks. `failed` is told when such a read fails; `open_document` when the clerk opens an
    item of the list."""

    def __init__(self, registry: Registry, tasks: BackgroundTasks, parent: QWidget, status: StatusLine,
                 open_document: Callable[[int], None], failed: Callable[[Exception], None]) -> None:
        super().__init__(parent)
        self.registry, self.tasks, self.parent_widget, self.status = registry, tasks, parent, status
        self.failed = failed
        self.reports: QDialog | None = None
        self.audit_window: QDialog | None = None
        # The start-up notice: what is late or due soon, per unit; one click opens the list.
        self.notice = QLabel()
        self.notice.setObjectName("deadline_notice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("background: #fff4ce; border: 1px solid #e0c060; padding: 4px;")
        self.notice.linkActivated.connect(lambda _link: self.show_overdue())
        self.notice.hide()
        self.overdue_panel = OverduePanel()
        self.overdue_panel.refresh_requested.connect(self.load_overdue)
        self.overdue_panel.open_document.connect(open_document)
        self.overdue_dock = QDockWidget("Văn bản quá hạn, sắp đến hạn (theo đơn vị)", parent)
        self.overdue_dock.setObjectName("overdue_dock")
        self.overdue_dock.setWidget(self.overdue_panel)
        self.overdue_dock.setAllowedAreas(Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.TopDockWidgetArea)

    def start(self) -> None:
        """The notice on opening; the deadline notice is a report: not every account may see it."""
        if self.registry.can(Permission.REPORT):
            self.load_overdue(today(), notify=True)

    # deadlines: the start-up notice and the overdue panel
    def show_overdue(self) -> None:
        if not self.status.permitted(Permission.REPORT):
            return
        self.notice.hide()
        self.overdue_dock.show()
        self.overdue_dock.raise_()
        self.overdue_panel.refresh()

    def load_overdue(self, on: date, notify: bool = False) -> None:
        def done(items: list[OverdueItem]) -> None:
            self.overdue_panel.show_items(items, on)
            if notify:
                self._notify(items)

        self.tasks.run(lambda: self.registry.routing.overdue(on), done, self.failed)

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

    def document_changed(self) -> None:
        if self.overdue_dock.isVisible():  # a ký nhận or a finished unit changes the list
            self.load_overdue(self.overdue_panel.on)

    # the reports and audit windows
    def open_reports(self) -> None:
        from app.ui.reports_dialog import ReportsDialog

        if not self.status.permitted(Permission.REPORT):
            return
        if self.reports is None:  # one window, kept: reopening shows the figures already computed
            self.reports = ReportsDialog(self.registry, self.parent_widget)
            self.reports.finished.connect(self.parent_widget.activateWindow)  # the register gets the keyboard back
        self._raise(self.reports)

    def open_audit(self) -> None:
        """The audit trail window: one instance kept (it refreshes when shown again)."""
        from app.ui.audit_dialog import AuditDialog

        if not self.status.permitted(Permission.AUDIT):
            return
        if self.audit_window is None:
            self.audit_window = AuditDialog(self.registry, self.parent_widget)
            self.audit_window.finished.connect(self.parent_widget.activateWindow)
        self._raise(self.audit_window)

    @staticmethod
    def _raise(window: QDialog) -> None:
        window.show()
        window.raise_()
        window.activateWindow()
