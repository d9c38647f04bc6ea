"""The sign dialog's preview: one page of the file rendered, with a red frame where the agency's signature (the
seal above the signer's name, or the text at the top right) will show."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPixmap

from app.core.errors import ValidationError

PREVIEW_SIZE = (340, 481)  # an A4 page, in pixels on screen
PREVIEW_DPI = 110  # rendered a little larger than shown, then scaled down smoothly
FRAME = QColor(220, 0, 0)


@dataclass(frozen=True)
class Preview:
    """One page of the file, rendered, with the box where the signature will show (None when it cannot be found:
    then `problem` says why, as the signing itself would)."""

    page: Any  # app.printing.raster.PageImage, or None when the file is not a PDF
    index: int
    pages: int
    box: Any  # app.signatures.placement.Box
    problem: str


def make_preview(path: Path, signer: str, top_right: bool, seal_image: str, seal_size: str) -> Preview:
    """Where the agency's signature goes on `path` (the seal above the signer's name on the last page, or the text
    at the top right of page 1), and that page rendered. Runs on the worker."""
    from app.printing.raster import page_count, render_pages
    from app.signatures import placement, signing

    try:
        corner = placement.top_right_box(path)  # opens the file: a file that is not a PDF is said here
    except ValidationError as exc:
        return Preview(None, 0, 0, None, " ".join(e.message for e in exc.errors))
    pages = page_count(path)
    index, box, problem = (0, corner, "") if top_right else (pages - 1, None, "")
    if not top_right:
        try:
            if not seal_image:
                raise ValidationError.single("seal", "Ảnh con dấu", "chưa chọn ảnh con dấu (Cài đặt → Cơ quan → "
                                             "Ảnh con dấu): chưa ký được văn bản có hình dấu.")
            seal = signing.load_seal(Path(seal_image), float(seal_size.replace(",", ".")) if seal_size else None)
            box = placement.seal_box(path, signer, (seal.width, seal.height))
        except ValidationError as exc:
            problem = " ".join(e.message for e in exc.errors)
    return Preview(next(render_pages(path, PREVIEW_DPI, index, index)), index, pages, box, problem)


def preview_pixmap(preview: Preview, size: tuple[int, int] = PREVIEW_SIZE) -> QPixmap:
    """The page scaled to `size`, the signature's box drawn on it as a red frame."""
    page = preview.page
    image = QImage(page.pixels, page.width, page.height, page.stride, QImage.Format.Format_Grayscale8).copy()
    image = image.convertToFormat(QImage.Format.Format_RGB32).scaled(
        size[0], size[1], Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
    box = preview.box
    if box is not None:
        scale = image.width() / page.width_pt
        painter = QPainter(image)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(FRAME, 2))
            painter.setBrush(QColor(FRAME.red(), FRAME.green(), FRAME.blue(), 45))
            painter.drawRect(QRectF(box.x0 * scale, (page.height_pt - box.y1) * scale, (box.x1 - box.x0) * scale,
                                    (box.y1 - box.y0) * scale))
        finally:
            painter.end()
    return QPixmap.fromImage(image)
