"""The pages of a scan as grey images ready to read: PDF pages rendered at 300 dpi, PNG/JPEG/TIFF frames."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from PIL import Image, ImageFilter, ImageOps, UnidentifiedImageError

from app.core.errors import ValidationError

DPI = 300
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp")
PDF_SUFFIXES = (".pdf",)
MAX_PIXELS = 120_000_000  # an A0 poster at 300 dpi; beyond it a "photo" is a decompression bomb
FIELD, LABEL = "file", "Tệp văn bản"


def _refuse(message: str) -> ValidationError:
    return ValidationError.single(FIELD, LABEL, message)


def page_count(path: Path) -> int:
    """How many pages the scan has (PDF pages or image frames); a clear refusal for a file that is neither."""
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES:
        import pypdfium2 as pdfium

        try:
            document = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError as exc:
            reason = "có mật khẩu" if "password" in str(exc).lower() else "bị hỏng hoặc không phải PDF"
            raise _refuse(f"Không đọc được tệp PDF «{path.name}»: tệp {reason}.") from exc
        try:
            count = len(document)
        finally:
            document.close()
        if count == 0:
            raise _refuse(f"Tệp PDF «{path.name}» không có trang nào.")
        return count
    if suffix in IMAGE_SUFFIXES:
        with _open_image(path) as image:
            return getattr(image, "n_frames", 1)
    raise _refuse(f"Chỉ nhận dạng được bản quét PDF hoặc ảnh (PNG, JPEG, TIFF…); tệp «{path.name}» có đuôi "
                  f"{suffix or '(không có)'}.")


def _open_image(path: Path) -> Image.Image:
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        image = Image.open(path)
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError) as exc:
        raise _refuse(f"Không đọc được ảnh «{path.name}»: tệp bị hỏng, quá lớn hoặc không phải ảnh.") from exc
    return image


def pages(path: Path) -> Iterator[Image.Image]:
    """Each page in turn (one in memory at a time), grey, with specks removed."""
    if path.suffix.lower() in PDF_SUFFIXES:
        import pypdfium2 as pdfium

        # The PDF is opened again for each page: pdfium keeps every image stream it has read until the document
        # is closed (~0.8 MiB a page of a 250 dpi scan), so one open document grew with the file (+160 MiB over
        # 200 pages, bench/bench_ocr.py); reopened, a scan of any length stays at the memory of one page.
        for index in range(page_count(path)):
            document = pdfium.PdfDocument(str(path))
            try:
                page = document[index]
                try:
                    image = _prepare(page.render(scale=DPI / 72).to_pil())
                    image.info["dpi"] = (DPI, DPI)  # for the searchable copy's page size
                finally:
                    page.close()
            finally:
                document.close()
            yield image
        return
    with _open_image(path) as image:
        for frame in range(getattr(image, "n_frames", 1)):
            image.seek(frame)
            prepared = _prepare(ImageOps.exif_transpose(image.copy()))
            if "dpi" in image.info:  # the scanner's figure, for the searchable copy's page size
                prepared.info["dpi"] = image.info["dpi"]
            yield prepared


def _prepare(image: Image.Image) -> Image.Image:
    # A 3×3 median takes the salt-and-pepper of a cheap scanner without thinning the strokes of 10-point text.
    return image.convert("L").filter(ImageFilter.MedianFilter(3))
