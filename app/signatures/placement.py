"""Where the agency's signature goes on the page (NĐ 30 Phụ lục I): the seal over the left third of the signer's
signature, found above the signer's name on the last page; or a text box at the top right of page 1."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

from app.core.errors import ValidationError

MM = 72 / 25.4
SIGNATURE_HEIGHT = 26 * MM  # the blank between chức vụ and họ tên where the hand or image signature sits
SIGNATURE_MIN_WIDTH = 40 * MM
TEXT_BOX = (72 * MM, 15 * MM)  # width, height of the top-right text (three lines of Times 10)
RIGHT_MARGIN, TOP_MARGIN = 15 * MM, 8 * MM  # Phụ lục I: right margin 15–20 mm; above the header's first line


@dataclass(frozen=True)
class Box:
    """A rectangle on one page, in PDF points from the bottom left (pyHanko's and pdfium's coordinates)."""

    page: int  # 0-based
    x0: float
    y0: float
    x1: float
    y1: float

    def as_tuple(self) -> tuple[int, int, int, int]:
        return round(self.x0), round(self.y0), round(self.x1), round(self.y1)


def _refuse(message: str) -> ValidationError:
    return ValidationError.single("draft", "Bản văn bản cần ký", message)


def _open(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise _refuse(f"tệp {path.name} không mở được như một tệp PDF ({exc}).") from None


def _variants(name: str) -> list[str]:
    """The name as written on the draft: as typed, in capitals (some agencies), NFC and NFD."""
    name = " ".join(name.split())
    seen: list[str] = []
    for form in (name, name.upper(), name.title()):
        for text in (unicodedata.normalize("NFC", form), unicodedata.normalize("NFD", form)):
            if text not in seen:
                seen.append(text)
    return seen


def _find(page: pdfium.PdfPage, name: str) -> tuple[float, float, float, float] | None:
    """The lowest occurrence of the name on the page (the signature block is below the text that may quote it)."""
    text = page.get_textpage()
    try:
        best = None
        for variant in _variants(name):
            searcher = text.search(variant, match_case=False, match_whole_word=False)
            while (found := searcher.get_next()) is not None:
                start, count = found
                boxes = [text.get_charbox(i) for i in range(start, start + count)]
                box = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
                       max(b[3] for b in boxes))
                if best is None or box[1] < best[1]:
                    best = box
            if best is not None:
                return best
        return None
    finally:
        text.close()


def seal_box(path: Path, signer_name: str, seal_size: tuple[float, float]) -> Box:
    """The seal's rectangle: as big as the real seal, its right third over the left third of the signature that
    stands above the signer's name on the last page."""
    if not signer_name.strip():
        raise _refuse("văn bản đi chưa ghi người ký: cần họ tên người ký để tìm chỗ đóng dấu.")
    pdf = _open(path)
    try:
        index = len(pdf) - 1
        page = pdf[index]
        width, height = page.get_size()
        found = _find(page, signer_name)
        page.close()
    finally:
        pdf.close()
    if found is None:
        raise _refuse(f"không tìm thấy họ tên người ký «{signer_name}» trên trang cuối của {path.name} (bản thảo "
                      "phải có lớp chữ, không phải bản quét). Chưa ký, chưa ghi tệp nào.")
    nx0, _ny0, nx1, ny1 = found
    centre = (nx0 + nx1) / 2
    signature_width = max(nx1 - nx0, SIGNATURE_MIN_WIDTH)
    sx0 = centre - signature_width / 2
    middle = ny1 + 2 * MM + SIGNATURE_HEIGHT / 2
    w, h = seal_size
    x1 = sx0 + signature_width / 3  # "trùm lên khoảng 1/3 hình ảnh chữ ký số … về bên trái"
    x0 = x1 - w
    y0 = middle - h / 2
    # Kept on the page when the name sits near the left edge or low on it.
    x0 = min(max(x0, 0.0), width - w)
    y0 = min(max(y0, 0.0), height - h)
    return Box(index, x0, y0, x0 + w, y0 + h)


def top_right_box(path: Path) -> Box:
    """The text box at the top right of page 1."""
    pdf = _open(path)
    try:
        if len(pdf) == 0:
            raise _refuse(f"tệp {path.name} không có trang nào.")
        width, height = pdf[0].get_size()
    finally:
        pdf.close()
    w, h = TEXT_BOX
    x1, y1 = width - RIGHT_MARGIN, height - TOP_MARGIN
    return Box(0, x1 - w, y1 - h, x1, y1)
