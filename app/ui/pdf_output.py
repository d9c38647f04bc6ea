"""Showing, printing and saving the app's PDF printouts: Qt's print preview and QPrinter, fed with pages rendered
from the PDF (Qt Essentials has no PDF module), one page at a time."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QAction, QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QMessageBox, QToolBar, QWidget

from app import APP_NAME
from app.printing.raster import page_count, render_pages
from app.ui import file_dialogs

PREVIEW_PAGES = 20  # a register book can have hundreds of pages: the preview shows the first ones
PREVIEW_DPI = 150
MAX_PRINT_DPI = 300


def _layout_for(path: Path) -> QPageLayout:
    """The printer page: the PDF's own page size (A4, A4 landscape, or the 50×35 mm label), no margins."""
    first = next(render_pages(path, 1, 0, 0))
    size_mm = QSizeF(first.width_pt * 25.4 / 72, first.height_pt * 25.4 / 72)
    portrait = size_mm.height() >= size_mm.width()
    page = QPageSize(size_mm if portrait else size_mm.transposed(), QPageSize.Unit.Millimeter, "",
                     QPageSize.SizeMatchPolicy.FuzzyMatch)
    orientation = QPageLayout.Orientation.Portrait if portrait else QPageLayout.Orientation.Landscape
    return QPageLayout(page, orientation, QMarginsF(0, 0, 0, 0))


def paint_pdf(printer: QPrinter, path: Path, dpi: float, last: int | None = None) -> int:
    """Paint the PDF's pages onto the printer (or preview) as images filling each page; returns pages painted."""
    printer.setFullPage(True)
    printer.setPageLayout(_layout_for(path))
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("Không mở được máy in.")
    painted = 0
    try:
        target = QRectF(printer.paperRect(QPrinter.Unit.DevicePixel))
        target.moveTo(0, 0)
        for image in render_pages(path, dpi, 0, last):
            if painted:
                printer.newPage()
            # copy(): QImage would otherwise point into the Python bytes, which a preview keeps using later.
            qimage = QImage(image.pixels, image.width, image.height, image.stride,
                            QImage.Format.Format_Grayscale8).copy()
            painter.drawImage(target, qimage)
            painted += 1
    finally:
        painter.end()
    return painted


def save_pdf(parent: QWidget | None, path: Path, suggested: str) -> Path | None:
    """Ask where to keep a copy of the PDF ("Lưu PDF")."""
    target = file_dialogs.save_file(parent, "Lưu PDF", "Tệp PDF (*.pdf)", suggested)
    if not target:
        return None
    if not target.lower().endswith(".pdf"):
        target += ".pdf"
    shutil.copyfile(path, target)
    return Path(target)


def print_all(parent: QWidget | None, path: Path) -> bool:
    """The system print dialog, then every page, rendered at the printer's resolution (at most 300 dpi)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(_layout_for(path))
    dialog = QPrintDialog(printer, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    paint_pdf(printer, path, min(printer.resolution(), MAX_PRINT_DPI))
    return True


class PdfPreviewDialog(QPrintPreviewDialog):
    """Qt's print preview of one of our PDFs, with "Lưu PDF…" added. A long book shows its first pages here and
    is printed whole by "In toàn bộ…" (page by page, never all pages in memory)."""

    def __init__(self, path: Path, title: str, suggested_name: str, parent: QWidget | None = None) -> None:
        self.path, self.suggested_name = path, suggested_name
        self.pages = page_count(path)
        self.limited = self.pages > PREVIEW_PAGES
        # Kept on self: the dialog does not own the printer, and Python would free it under the dialog's feet.
        self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self.printer.setPageLayout(_layout_for(path))
        super().__init__(self.printer, parent)
        shown = f" — xem trước {PREVIEW_PAGES}/{self.pages} trang" if self.limited else f" — {self.pages} trang"
        self.setWindowTitle(f"{title}{shown}")
        self.paintRequested.connect(self._paint)
        toolbar = self.findChild(QToolBar)
        if toolbar is not None:
            if self.limited:  # the built-in print button would print only the previewed pages
                for action in toolbar.actions():
                    if "print" in action.objectName().lower() or action.text().lower().startswith("print"):
                        action.setVisible(False)
                whole = QAction(f"In toàn bộ {self.pages} trang…", self)
                whole.triggered.connect(lambda: print_all(self, self.path))
                toolbar.addAction(whole)
            save = QAction("Lưu PDF…", self)
            save.triggered.connect(lambda: save_pdf(self, self.path, self.suggested_name))
            toolbar.addAction(save)
        self.resize(1000, 760)

    def _paint(self, printer: QPrinter) -> None:
        try:
            paint_pdf(printer, self.path, PREVIEW_DPI, PREVIEW_PAGES - 1 if self.limited else None)
        except OSError as exc:
            QMessageBox.warning(self, APP_NAME, str(exc))
