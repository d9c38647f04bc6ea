"""The Sổ menu's file actions: the rows on screen to an Excel file (written in the background), and importing an
old register from Excel or CSV."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Signal
from PySide6.QtWidgets import QDialog, QWidget

from app.core.access import Permission
from app.core.text import fold
from app.services import Registry
from app.ui import file_dialogs
from app.ui.tasks import BackgroundTasks
from app.ui.window_status import StatusLine


class FileActions(QObject):
    """Given the rows to write and the book's name by the window; reports on the status line, and `exported`
    tells when an export has finished (tests and the benchmark wait on it)."""

    exported = Signal(str)  # the file written, or "" when the export failed

    def __init__(self, registry: Registry, tasks: BackgroundTasks, parent: QWidget, status: StatusLine,
                 open_dialog: Callable[[QDialog], None], reload_all: Callable[[], None]) -> None:
        super().__init__(parent)
        self.registry, self.tasks, self.parent_widget, self.status = registry, tasks, parent, status
        self.open_dialog, self.reload_all = open_dialog, reload_all

    def choose_save_path(self, title: str, name: str, file_filter: str) -> str | None:
        return file_dialogs.save_file(self.parent_widget, title, file_filter, name)

    def export(self, ids: Callable[[], list[int]], book: Callable[[], str], path: str | None = None) -> None:
        """The rows the table shows (filters, search and order as on screen) to .xlsx, in the background; `book`
        names the list ("Văn bản đến Năm 2026") for the file name offered."""
        if not self.status.permitted(Permission.REPORT):
            return
        rows = ids()
        if not rows:
            self.status.show("Danh sách đang trống: không có gì để xuất.", 5000)
            return
        name = fold(book())
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        path = path or self.choose_save_path("Xuất danh sách ra Excel",
                                             str(Path(folder) / f"{name.replace(' ', '-')}.xlsx"), "Excel (*.xlsx)")
        self.parent_widget.activateWindow()  # the file dialog leaves no window active on some desktops
        if not path:
            return
        self.status.show(f"Đang xuất {len(rows):,} văn bản ra {path}…".replace(",", "."))

        def done(result: tuple[object, int]) -> None:
            written, count = result
            self.status.show(f"Đã xuất {count:,} văn bản ra {written}".replace(",", "."), 15000)
            self.exported.emit(str(written))

        def failed(exc: Exception) -> None:
            self.status.show(f"Chưa xuất được: {exc}", 15000)
            self.exported.emit("")

        target = path
        self.tasks.run(lambda: self.registry.transfer.export_xlsx(rows, target), done, failed)

    def open_import(self) -> None:
        from app.ui.import_dialog import ImportDialog

        if not self.status.permitted(Permission.REGISTER):
            return
        dialog = ImportDialog(self.registry, self.parent_widget)
        dialog.finished.connect(lambda _r: self.reload_all() if dialog.imported else None)
        self.open_dialog(dialog)
