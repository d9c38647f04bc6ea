"""Read a scan page by page: turn each page upright (Tesseract's orientation detection), recognise it in
Vietnamese, and keep the words' mean confidence so that a weak page is never taken for a sure one."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytesseract
from PIL import Image

from app.core.errors import VanThuError
from app.ocr.deskew import deskew
from app.ocr.engine import LANGUAGE, tesseract_program
from app.ocr.pages import page_count, pages
from app.ocr.searchable import SearchableCopy


@dataclass(frozen=True)
class OcrPage:
    text: str
    confidence: float  # mean word confidence, 0–100 (0: nothing read)
    rotated: int  # degrees the page was turned to read it (0, 90, 180, 270)
    # Mean word confidence of each line of text.split("\n"); None for the blank line between paragraphs.
    line_confidence: tuple[float | None, ...] = ()


@dataclass(frozen=True)
class OcrText:
    pages: tuple[OcrPage, ...]

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.pages)

    @property
    def line_confidence(self) -> tuple[float | None, ...]:
        """Aligned with text.split("\\n"): each page's lines, None for the blank line that joins two pages."""
        lines: list[float | None] = []
        for index, page in enumerate(self.pages):
            if index:
                lines.append(None)
            lines.extend(page.line_confidence or (None,) * len(page.text.split("\n")))
        return tuple(lines)

    @property
    def confidence(self) -> float:
        """Mean over the pages that carry text (a blank page does not pull a letter down)."""
        read = [p.confidence for p in self.pages if p.text.strip()]
        return round(sum(read) / len(read), 1) if read else 0.0


class Cancelled(VanThuError):
    """The clerk stopped the recognition (Hủy); nothing was kept."""


def _as_bitmap(image: Image.Image) -> Image.Image:
    """Handed to tesseract as an uncompressed PGM: pytesseract writes a PNG otherwise, 0.45 s of compressing a
    300 dpi page (and tesseract's decoding it) for a file deleted at once. Like that PNG, a PGM carries no
    resolution, so tesseract still estimates it from the size of the text (a BMP would say 96 dpi)."""
    if image.mode not in ("1", "L", "RGB"):
        image = image.convert("L")
    image.format = "PPM"  # Pillow writes a grey image as PGM (P5), a colour one as PPM
    return image


OSD_SIDE = 1800  # pixels: the orientation is told from a copy no longer than this (an A4 page at ~150 dpi)


def _upright(image: Image.Image) -> tuple[Image.Image, int]:
    # Orientation needs the shape of the lines, not the marks: at half of 300 dpi Tesseract turned every test page
    # (0, 90, 180°) the same way, in 0.65 s instead of 1.1 s.
    scale = OSD_SIDE / max(image.size)
    probe = image.resize((round(image.width * scale), round(image.height * scale))) if scale < 1 else image
    try:
        found = re.search(r"Rotate: (\d+)", pytesseract.image_to_osd(_as_bitmap(probe), config="--psm 0"))
    except pytesseract.TesseractError:  # too little text to tell (a blank page, a short note): read it as it is
        return image, 0
    turn = int(found.group(1)) if found else 0
    return (image.rotate(-turn, expand=True), turn) if turn else (image, 0)


def _recognise(image: Image.Image, with_pdf: bool) -> tuple[dict[str, list[object]], bytes | None]:
    """Tesseract's words (image_to_data's columns) and, when asked, the page as a PDF with the image and an
    invisible text layer — both from one run, not two."""
    if not with_pdf:
        return pytesseract.image_to_data(_as_bitmap(image), lang=LANGUAGE, output_type=pytesseract.Output.DICT), None
    tsv, pdf = pytesseract.run_and_get_multiple_output(_as_bitmap(image), extensions=["tsv", "pdf"], lang=LANGUAGE)
    return pytesseract.pytesseract.file_to_dict(tsv, "\t", -1), pdf


def read_page(image: Image.Image, with_pdf: bool = False) -> tuple[OcrPage, tuple[bytes, int] | None]:
    """One page: turned upright, straightened, recognised; with its searchable PDF page (and the width in pixels
    of the image it holds) when asked."""
    upright, turned = _upright(image)
    straight, _angle = deskew(upright)
    data, pdf = _recognise(straight, with_pdf)
    lines: dict[tuple[int, int, int], list[tuple[str, float]]] = {}
    for word, conf, block, par, line in zip(data["text"], data["conf"], data["block_num"], data["par_num"],
                                           data["line_num"], strict=True):
        if word.strip() and not _speck(word, float(conf)):
            lines.setdefault((block, par, line), []).append((word, float(conf)))
    text: list[str] = []
    line_confidence: list[float | None] = []
    previous = None
    for key, words in lines.items():
        if previous is not None and key[:2] != previous[:2]:
            text.append("")  # a new paragraph, as the extractor expects from a text layer
            line_confidence.append(None)
        text.append(" ".join(word for word, _ in words))
        line_confidence.append(_mean([conf for _, conf in words]))
        previous = key
    scores = [conf for words in lines.values() for _, conf in words]
    page = OcrPage("\n".join(text), _mean(scores) if scores else 0.0, turned, tuple(line_confidence))
    return page, (pdf, straight.width) if pdf is not None else None


SPECK = 60.0  # a "word" of punctuation only, read under this confidence, is dust between the columns


def _speck(word: str, confidence: float) -> bool:
    """Dust, a fold or the gap between two columns read as '_', '|', ':', '--', \"'\" (on the test scans at
    150-200 dpi these got 0-54, and broke the date line "Số: 3646/SYT-VP : Tây Ninh, ngày …"). A dash alone stays
    whatever its confidence: it may be a list item's bullet."""
    return confidence < SPECK and word != "-" and not any(ch.isalnum() for ch in word)


def _mean(scores: list[float]) -> float:
    return round(sum(scores) / len(scores), 1)


def resolution(image: Image.Image) -> int:
    """The scan's dots per inch, for the searchable copy's page size: as the file says (a rendered PDF page is at
    pages.DPI), else as if the page were A4 wide (8.27 in), which is what a clerk scans."""
    dpi = image.info.get("dpi")
    found = round(float(dpi[0])) if isinstance(dpi, tuple) and dpi and dpi[0] else 0
    return found if 70 <= found <= 1200 else max(70, min(1200, round(image.width / 8.27)))


def read_scan(path: str | Path, progress: Callable[[int, int], None] | None = None,
              cancelled: Callable[[], bool] | None = None, searchable: Path | None = None) -> OcrText:
    """Recognise every page of a scan (PDF or image); progress(i, n) after each page; Cancelled when asked. With
    `searchable`, also write there the scan as a PDF whose pages carry the recognised text, invisible, over each
    word (Tesseract's own PDF output: the page images as read, upright and straightened)."""
    file = Path(path)
    pytesseract.pytesseract.tesseract_cmd = str(tesseract_program())
    # Tesseract's OpenMP threads cost more than they give on one page: a page reads in ~1.0 s with one thread and
    # ~1.7 s with its default threads on a 2-CPU machine (measured on the test scans), and two scans read side by
    # side no longer fight over the cores. Set before the first tesseract process, which inherits it.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    total = page_count(file)
    read: list[OcrPage] = []
    copy = SearchableCopy() if searchable is not None else None
    try:
        for index, image in enumerate(pages(file), start=1):
            if cancelled is not None and cancelled():
                raise Cancelled("Đã hủy nhận dạng chữ; chưa có gì được ghi.")
            dpi = resolution(image)  # before reading: a turned copy keeps no metadata
            page, pdf = read_page(image, with_pdf=copy is not None)
            read.append(page)
            if copy is not None and pdf is not None:
                copy.add(*pdf, dpi)
            if progress is not None:
                progress(index, total)
        if copy is not None and searchable is not None:
            copy.save(searchable)
    finally:
        if copy is not None:
            copy.close()
    return OcrText(tuple(read))
