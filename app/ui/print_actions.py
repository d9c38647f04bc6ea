"""The "In" menu: ĐẾN stamp (label or onto the scan), routing slip, receipt, handover list and register books,
each made as a PDF by the Registry and shown in the print preview, from where it is printed or saved."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu, QMessageBox

from app import APP_NAME
from app.core.access import Permission
from app.core.enums import Direction
from app.core.errors import VanThuError
from app.core.records import DocumentRecord
from app.ui.pdf_output import PdfPreviewDialog
from app.ui.permissions import allow, denied_text
from app.ui.register_print_dialog import RegisterPrintDialog

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

HANDOVER_LIMIT = 500  # rows of the table put on one handover list


class PrintActions(QObject):
    """Owns the temporary PDFs of this session (deleted when the window closes) and the preview dialogs."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.folder = tempfile.TemporaryDirectory(prefix="sovanthu-in-")
        self.preview: PdfPreviewDialog | None = None
        self._count = 0
        self.actions: list[QAction] = []

    def build_menu(self, menu: QMenu, add: Callable[..., QAction]) -> None:
        """The "In" menu; every action is disabled (its tooltip says why) for an account that may not print."""
        self.actions = [
            add(menu, "In dấu ĐẾN (nhãn 50×35 mm)…", "Ctrl+P", self.stamp),
            add(menu, "In dấu ĐẾN lên bản quét…", "Ctrl+Shift+P", self.stamp_scan),
            add(menu, "In phiếu giải quyết văn bản đến…", "Ctrl+Alt+P", self.slip),
            add(menu, "In giấy biên nhận…", "", self.receipt),
            add(menu, "In sổ chuyển giao (các văn bản đang hiện)…", "", self.handover),
        ]
        menu.addSeparator()
        self.actions.append(add(menu, "In sổ đăng ký, sổ theo dõi…", "Ctrl+Alt+S", self.register_book))
        menu.setToolTipsVisible(True)
        for action in self.actions:
            allow(action, self.window.registry, Permission.PRINT)

    def _may_print(self) -> bool:
        if self.window.registry.can(Permission.PRINT):
            return True
        self.window.statusBar().showMessage(denied_text(Permission.PRINT), 6000)
        return False

    # helpers
    def _temp(self, name: str) -> Path:
        self._count += 1
        return Path(self.folder.name) / f"{self._count:03d}-{name}"

    def _selected_incoming(self) -> DocumentRecord | None:
        if not self._may_print():
            return None
        doc_id = self.window.selected_id()
        if doc_id is None:
            self.window.statusBar().showMessage("Chưa chọn văn bản nào.", 5000)
            return None
        try:
            doc = self.window.registry.documents.get(doc_id)
        except VanThuError as exc:
            self.window.statusBar().showMessage(str(exc), 6000)
            return None
        if doc.direction is not Direction.INCOMING:
            self.window.statusBar().showMessage("Dấu ĐẾN, phiếu giải quyết và biên nhận chỉ dành cho văn bản đến.",
                                                6000)
            return None
        return doc

    def _run(self, title: str, file_name: str, make: Callable[[Path], object]) -> PdfPreviewDialog | None:
        """Make the PDF, then show it; a refusal (no agency name, no scan…) is shown, never raised."""
        target = self._temp(file_name)
        try:
            make(target)
        except (VanThuError, OSError) as exc:
            QMessageBox.warning(self.window, APP_NAME, f"Không in được {title.lower()}:\n{exc}")
            return None
        return self.show(target, title, file_name)

    def show(self, path: Path, title: str, file_name: str) -> PdfPreviewDialog:
        dialog = PdfPreviewDialog(path, title, file_name, self.window)
        self.preview = dialog
        dialog.finished.connect(self.window.activateWindow)  # keys go back to the register
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    # actions
    def stamp(self) -> PdfPreviewDialog | None:
        doc = self._selected_incoming()
        if doc is None:
            return None
        return self._run("Dấu ĐẾN", f"dau-den-{doc.number}-{doc.year}.pdf",
                         lambda path: self.window.registry.printouts.stamps([doc.id], path))

    def stamp_scan(self, scan: str | None = None) -> PdfPreviewDialog | None:
        doc = self._selected_incoming()
        if doc is None:
            return None
        has_pdf = any(a.file_name.lower().endswith(".pdf") for a in self.window.registry.attachments.list(doc.id))
        if scan is None and not has_pdf:
            scan, _filter = QFileDialog.getOpenFileName(self.window, "Chọn bản quét PDF của văn bản", "",
                                                        "Tệp PDF (*.pdf)")
            if not scan:
                return None
        return self._run("Bản quét có dấu ĐẾN", f"ban-quet-den-{doc.number}-{doc.year}.pdf",
                         lambda path: self.window.registry.printouts.stamp_on_scan(doc.id, scan, path))

    def slip(self) -> PdfPreviewDialog | None:
        doc = self._selected_incoming()
        if doc is None:
            return None
        return self._run("Phiếu giải quyết văn bản đến", f"phieu-giai-quyet-{doc.number}-{doc.year}.pdf",
                         lambda path: self.window.registry.printouts.slip(doc.id, path))

    def receipt(self, sender: str | None = None) -> PdfPreviewDialog | None:
        doc = self._selected_incoming()
        if doc is None:
            return None
        if sender is None:
            sender, ok = QInputDialog.getText(self.window, "Giấy biên nhận", "Người hoặc cơ quan giao văn bản:",
                                              text=doc.issuer or "")
            if not ok:
                return None
        return self._run("Giấy biên nhận", f"bien-nhan-{doc.number}-{doc.year}.pdf",
                         lambda path: self.window.registry.printouts.receipt([doc.id], path, sender or ""))

    def handover(self, unit: str | None = None) -> PdfPreviewDialog | None:
        if not self._may_print():
            return None
        page = self.window.page
        if page.direction is not Direction.INCOMING or not page.model.rowCount():
            self.window.statusBar().showMessage("Hãy lọc sổ văn bản đến để hiện các văn bản cần chuyển giao.", 6000)
            return None
        if unit is None:
            unit, ok = QInputDialog.getText(self.window, "Sổ chuyển giao", "Đơn vị nhận văn bản:")
            if not ok:
                return None
        ids = list(reversed(page.model.ids[:HANDOVER_LIMIT]))  # oldest first, as they were handed over
        return self._run("Sổ chuyển giao văn bản đến", "so-chuyen-giao.pdf",
                         lambda path: self.window.registry.printouts.handover(unit or "", ids, path))

    def register_book(self) -> RegisterPrintDialog | None:
        if not self._may_print():
            return None
        dialog = RegisterPrintDialog(self.window.registry, self._temp, self.window.tasks, self.window)
        dialog.made.connect(lambda path, title, name: self.show(Path(path), title, name))
        dialog.finished.connect(self.window.activateWindow)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def close(self) -> None:
        self.folder.cleanup()
