"""Tesseract reads the scans made in tests/ocr/scans.py: image-only PDFs, upside-down pages, multi-page TIFF,
JPEG photos; each page with its confidence; bad files refused with the file named."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.errors import ValidationError
from app.ocr import read_scan
from app.ocr.recognize import Cancelled
from tests.ocr.scans import image_pdf, letter_pdf, rasterise, spoil


@pytest.fixture(scope="module")
def letter(tmp_path_factory: pytest.TempPathFactory) -> list:  # type: ignore[type-arg]
    folder = tmp_path_factory.mktemp("scans")
    return rasterise(letter_pdf(folder / "letter.pdf", pages=2))


def _words(text: str) -> str:
    return " ".join(text.split())


def test_an_image_only_pdf_of_two_pages_is_read_with_its_marks(letter: list, tmp_path: Path) -> None:  # type: ignore[type-arg]
    scan = image_pdf([spoil(page) for page in letter], tmp_path / "scan.pdf")
    seen: list[tuple[int, int]] = []
    read = read_scan(scan, progress=lambda i, n: seen.append((i, n)))
    assert seen == [(1, 2), (2, 2)] and len(read.pages) == 2
    first = _words(read.pages[0].text)
    for expected in ("UBND TỈNH TÂY NINH", "SỞ Y TẾ", "3646/SYT-VP", "ngày 24 tháng 10 năm 2023",
                     "V/v triển khai tiêm chủng mở rộng", "5068/UBND-TH"):
        assert expected in first, (expected, first)
    assert "15/11" in read.pages[1].text
    assert all(p.confidence > 70 for p in read.pages) and read.confidence > 70


def test_an_upside_down_page_is_turned_before_it_is_read(letter: list, tmp_path: Path) -> None:  # type: ignore[type-arg]
    photo = tmp_path / "nguoc.jpg"
    spoil(letter[0], turn=180).convert("RGB").save(photo, quality=70)
    read = read_scan(photo)
    assert read.pages[0].rotated == 180 and "3646/SYT-VP" in _words(read.text)


def test_a_multi_page_tiff_and_a_blank_page(letter: list, tmp_path: Path) -> None:  # type: ignore[type-arg]
    from PIL import Image

    blank = Image.new("L", letter[0].size, 255)
    tiff = tmp_path / "scan.tif"
    spoil(letter[0]).save(tiff, save_all=True, append_images=[blank], compression="tiff_lzw")
    read = read_scan(tiff)
    assert len(read.pages) == 2 and read.pages[1].text == "" and read.pages[1].confidence == 0
    assert read.confidence == read.pages[0].confidence  # the blank page does not pull the mean down
    from app.extraction.reader import read_document

    text = read_document(tiff)  # what read_text gives, with each page's confidence
    assert text.ocr and text.page_confidence == (read.pages[0].confidence, 0.0)


def test_bad_files_are_refused_naming_the_file(tmp_path: Path) -> None:
    cases = {"hong.png": b"\x89PNG\r\n\x1a\nnot really", "rong.pdf": b"", "hong.pdf": b"%PDF-1.4 broken",
             "vanban.docx": b"PK\x03\x04"}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(ValidationError) as refused:
            read_scan(tmp_path / name)
        assert name in str(refused.value), str(refused.value)


def test_reading_stops_when_cancelled(letter: list, tmp_path: Path) -> None:  # type: ignore[type-arg]
    scan = image_pdf([spoil(page) for page in letter], tmp_path / "scan.pdf")
    with pytest.raises(Cancelled):
        read_scan(scan, progress=lambda i, n: None, cancelled=lambda: True)
