"""The "In" menu: ĐẾN stamp (label or onto the scan), routing slip, receipt, handover list and register books,
each made as a PDF by registry.printouts and shown in the print preview, from where it is printed or saved."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QMenu, QMessageBox, QWidget

from app import APP_NAME
from app.core.access import Permission
from app.core.enums import Direction
from app.core.errors import VanThuError
from app.core.records import DocumentRecord
from app.ui import file_dialogs
from app.ui.pdf_output import PdfPreviewDialog
from app.ui.permissions import denied_text
from app.ui.register_print_dialog import RegisterPrintDialog

if TYPE_CHECKING:
    from app.services.parts.attachments import Attachments
    from app.services.parts.printouts import Printouts

HANDOVER_LIMIT = 500  # rows of the table put on one handover list


@dataclass(frozen=True)
class PrintSelection:
    """What the "In" menu prints from, read when an action runs (the clerk moves between actions)."""

    entry: Callable[[], DocumentRecord | None]  # the entry the clerk is on, None when none; may raise VanThuError
    book: Callable[[], tuple[Direction, list[int]]]  # the book on screen and its rows, in screen order


class PrintActions(QObject):
    """Owns the temporary PDFs of this session (deleted by close()) and the preview dialogs. It is given the
    printouts and attachments parts, what is selected, a parent for its dialogs and the status line, and makes the
    register-book dialog through `book_dialog` (given where its temporary files go)."""

    def __init__(self, printouts: Printouts, attachments: Attachments, selection: PrintSelection,
                 can: Callable[[Permission], bool], parent: QWidget, status: Callable[[str, int], None],
                 book_dialog: Callable[[Callable[[str], Path]], RegisterPrintDialog]) -> None:
        super().__init__(parent)
        self.printouts, self.attachments, self.selection = printouts, attachments, selection
        self.can, self.parent_widget, self.status, self.book_dialog = can, parent, status, book_dialog
        self.folder = tempfile.TemporaryDirectory(prefix="sovanthu-in-")
        self.preview: PdfPreviewDialog | None = None
        self._count = 0
        self.actions: list[QAction] = []

    def build_menu(self, menu: QMenu, add: Callable[..., QAction]) -> list[QAction]:
        """The "In" menu's actions (all need Permission.PRINT: the window greys them for an account without it)."""
        # Lambdas, not the methods: an action's triggered(checked) would come in as the scan, sender or unit
        # (False), and the clerk would never be asked for it.
        self.actions = [
            add(menu, "In dấu ĐẾN (nhãn 50×35 mm)…", "Ctrl+P", lambda: self.stamp()),
            add(menu, "In dấu ĐẾN lên bản quét…", "Ctrl+Shift+P", lambda: self.stamp_scan()),
            add(menu, "In phiếu giải quyết văn bản đến…", "Ctrl+Alt+P", lambda: self.slip()),
            add(menu, "In giấy biên nhận…", "", lambda: self.receipt()),
            add(menu, "In sổ chuyển giao (các văn bản đang hiện)…", "", lambda: self.handover()),
        ]
        menu.addSeparator()
        self.actions.append(add(menu, "In sổ đăng ký, sổ theo dõi…", "Ctrl+Alt+S", self.register_book))
        menu.setToolTipsVisible(True)
        return self.actions

    def _may_print(self) -> bool:
        if self.can(Permission.PRINT):
            return True
        self.status(denied_text(Permission.PRINT), 6000)
        return False

    # helpers
    def _temp(self, name: str) -> Path:
        self._count += 1
        return Path(self.folder.name) / f"{self._count:03d}-{name}"

    def _selected_incoming(self) -> DocumentRecord | None:
        if not self._may_print():
            return None
        try:
            doc = self.selection.entry()
        except VanThuError as exc:
            self.status(str(exc), 6000)
            return None
        if doc is None:
            self.status("Chưa chọn văn bản nào.", 5000)
            return None
        if doc.direction is not Direction.INCOMING:
            self.status("Dấu ĐẾN, phiếu giải quyết và biên nhận chỉ dành cho văn bản đến.", 6000)
            return None
        return doc

    def _run(self, title: str, file_name: str, make: Callable[[Path], object]) -> PdfPreviewDialog | None:
        """Make the PDF, then show it; a refusal (no agency name, no scan…) is shown, never raised."""
        target = self._temp(file_name)
        try:
            make(target)
        except (VanThuError, OSError) as exc:
            QMessageBox.warning(self.parent_widget, APP_NAME, f"Không in được {title.lower()}:\n{exc}")
            return None
        return self.show(target, title, file_name)

    def show(self, path: Path, title: str, file_name: str) -> PdfPreviewDialog:
        dialog = PdfPreviewDialog(path, title, file_name, self.parent_widget)
        self.preview = dialog
        dialog.finished.connect(self.parent_widget.activateWindow)  # keys go back to the register
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    # actions
    def stamp(self) -> PdfPreviewDialog | None:
        doc = self._selected_incoming()
        if doc is None:
            return None
        return self._run("Dấu ĐẾN", f"dau-den-{doc.number}-{doc.year}.pdf",
                         lambda path: self.printouts.stamps([doc.id], path))

    def stamp_scan(self, scan: str | None = None) -> PdfPreviewDialog | None:
        doc = self._selected_incoming()
        if doc is None:
            return None
        has_pdf = any(a.file_name.lower().endswith(".pdf") for a in self.attachments.list(doc.id))
        if scan is None and not has_pdf:
            scan = file_dialogs.open_file(self.parent_widget, "Chọn bản quét PDF của văn bản", "Tệp PDF (*.pdf)")
            if not scan:
                return None
        return self._run("Bản quét có dấu ĐẾN", f"ban-quet-den-{doc.number}-{doc.year}.pdf",
                         lambda path: self.printouts.stamp_on_scan(doc.id, scan, path))

    def slip(self) -> PdfPreviewDialog | None:
        doc = self._selected_incoming()
        if doc is None:
            return None
        return self._run("Phiếu giải quyết văn bản đến", f"phieu-giai-quyet-{doc.number}-{doc.year}.pdf",
                         lambda path: self.printouts.slip(doc.id, path))

    def receipt(self, sender: str | None = None) -> PdfPreviewDialog | None:
        doc = self._selected_incoming()
        if doc is None:
            return None
        if sender is None:
            sender, ok = QInputDialog.getText(self.parent_widget, "Giấy biên nhận", "Người hoặc cơ quan giao văn bản:",
                                              text=doc.issuer or "")
            if not ok:
                return None
        return self._run("Giấy biên nhận", f"bien-nhan-{doc.number}-{doc.year}.pdf",
                         lambda path: self.printouts.receipt([doc.id], path, sender or ""))

    def handover(self, unit: str | None = None) -> PdfPreviewDialog | None:
        if not self._may_print():
            return None
        direction, shown = self.selection.book()
        if direction is not Direction.INCOMING or not shown:
            self.status("Hãy lọc sổ văn bản đến để hiện các văn bản cần chuyển giao.", 6000)
            return None
        if unit is None:
            unit, ok = QInputDialog.getText(self.parent_widget, "Sổ chuyển giao", "Đơn vị nhận văn bản:")
            if not ok:
                return None
        ids = list(reversed(shown[:HANDOVER_LIMIT]))  # oldest first, as they were handed over
        return self._run("Sổ chuyển giao văn bản đến", "so-chuyen-giao.pdf",
                         lambda path: self.printouts.handover(unit or "", ids, path))

    def register_book(self) -> RegisterPrintDialog | None:
        if not self._may_print():
            return None
        dialog = self.book_dialog(self._temp)
        dialog.made.connect(lambda path, title, name: self.show(Path(path), title, name))
        dialog.finished.connect(self.parent_widget.activateWindow)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def close(self) -> None:
        self.folder.cleanup()
