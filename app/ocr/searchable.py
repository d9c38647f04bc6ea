"""The searchable copy of a scan: Tesseract's one-page PDFs (page image + invisible text) joined into one file."""

from __future__ import annotations

import ctypes
import os
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from app.core.errors import VanThuError


class SearchableCopy:
    """Pages are added as they are read; the copy exists on disk only once whole (written beside, then renamed)."""

    def __init__(self) -> None:
        self.document = pdfium.PdfDocument.new()

    def add(self, page_pdf: bytes, width_px: int, dpi: int) -> None:
        """Append one page, scaled to its true size: Tesseract sizes the page of an image without a resolution
        (our PGM) for 70 dpi, which would print an A4 scan about three feet wide."""
        source = pdfium.PdfDocument(page_pdf)
        try:
            self.document.import_pages(source)
        finally:
            source.close()
        page = self.document[len(self.document) - 1]
        try:
            width, height = page.get_size()
            scale = (width_px / dpi * 72) / width
            if abs(scale - 1) > 0.01:
                matrix = pdfium_c.FS_MATRIX(scale, 0, 0, scale, 0, 0)
                clip = pdfium_c.FS_RECTF(0, height * scale, width * scale, 0)
                pdfium_c.FPDFPage_TransFormWithClip(page.raw, ctypes.byref(matrix), ctypes.byref(clip))
                page.set_mediabox(0, 0, width * scale, height * scale)
        finally:
            page.close()

    def save(self, path: Path) -> None:
        part = path.with_name(f"{path.name}.part")
        try:
            self.document.save(str(part))
            os.replace(part, path)
        except OSError as exc:
            part.unlink(missing_ok=True)
            raise VanThuError(f"Không ghi được bản có lớp chữ {path}: {exc}") from exc

    def close(self) -> None:
        self.document.close()
