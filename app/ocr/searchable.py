"""The searchable copy of a scan: Tesseract's one-page PDFs (page image + invisible text) joined into one file."""

from __future__ import annotations

import os
from pathlib import Path

import pypdfium2 as pdfium

from app.core.errors import VanThuError


class SearchableCopy:
    """Pages are added as they are read; the copy exists on disk only once whole (written beside, then renamed)."""

    def __init__(self) -> None:
        self.document = pdfium.PdfDocument.new()

    def add(self, page_pdf: bytes) -> None:
        source = pdfium.PdfDocument(page_pdf)
        try:
            self.document.import_pages(source)
        finally:
            source.close()

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
