"""A sheet fed a few degrees askew is turned straight before it is read: without it, Tesseract loses the body's
lines (and the citation in them) from about 2° on."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from app.extraction.extractor import extract
from app.extraction.reader import read_document
from app.ocr.deskew import deskew, skew_angle
from tests.ocr.scans import image_pdf, letter_pdf, rasterise, spoil


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Image.Image:
    folder = tmp_path_factory.mktemp("deskew")
    return rasterise(letter_pdf(folder / "goc.pdf"), dpi=250)[0].convert("L")


@pytest.mark.parametrize("tilt", [-4.0, -1.5, 2.5, 5.5])
def test_the_angle_of_the_lines_is_found(page: Image.Image, tilt: float) -> None:
    askew = page.rotate(tilt, expand=True, fillcolor=255)
    assert skew_angle(askew) == pytest.approx(-tilt, abs=0.2)


def test_a_straight_page_or_a_blank_one_is_left_as_it_is(page: Image.Image) -> None:
    assert deskew(page.rotate(0.5, expand=True, fillcolor=255))[1] == 0.0  # Tesseract follows it; a turn blurs
    blank = Image.new("L", (1700, 2400), 255)
    assert deskew(blank) == (blank, 0.0)


def test_a_letter_scanned_4_degrees_askew_is_read_whole(page: Image.Image, tmp_path: Path) -> None:
    scan = image_pdf([spoil(page, tilt=4.0)], tmp_path / "lech.pdf", dpi=250)
    doc = extract(read_document(scan).text).documents[0]
    assert (doc.reference, doc.issuer, str(doc.issued_on)) == ("3646/SYT-VP", "SỞ Y TẾ", "2023-10-24")
    assert [c.reference for c in doc.cites] == ["5068/UBND-TH"]  # in the body, lost when the page is not turned
