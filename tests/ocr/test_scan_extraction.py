"""From a scan to the register: `extract` and `incoming add --from-text` read an image-only PDF through OCR and fill
the fields as from a text file; a PDF whose text layer is garbage is recognised anyway."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from app.core.errors import ValidationError
from app.extraction.reader import read_document
from tests.conftest import run_cli
from tests.ocr.scans import image_pdf, letter_pdf, rasterise, spoil


@pytest.fixture(scope="module")
def scan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("scan")
    return image_pdf([spoil(letter_pdf(folder / "goc.pdf") and rasterise(folder / "goc.pdf")[0])],
                     folder / "ban quet.pdf")


def test_extract_reads_a_scan_field_by_field(scan: Path) -> None:
    done = run_cli("extract", str(scan), db=scan.with_name("unused.sqlite3"))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["ocr"] is True and result["ocr_confidence"] > 70
    [doc] = result["documents"]
    expected = {"issuer": "SỞ Y TẾ", "issuer_parent": "UBND TỈNH TÂY NINH", "reference": "3646/SYT-VP",
                "doc_type": "Công văn", "issued_on": "2023-10-24", "place": "Tây Ninh",
                "subject": "triển khai tiêm chủng mở rộng", "recipients": ["Các đơn vị trực thuộc"]}
    assert {key: doc[key] for key in expected} == expected
    assert [(c["reference"], c["issued_on"]) for c in doc["cites"]] == [("5068/UBND-TH", "2023-10-20")]


def test_incoming_add_from_a_scan(scan: Path, tmp_path: Path) -> None:
    db = tmp_path / "so.sqlite3"
    done = run_cli("--json", "incoming", "add", "--from-text", str(scan), "--received-on", "26/10/2023", db=db)
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)["document"]
    assert (document["reference"], document["issuer"], document["number"]) == ("3646/SYT-VP", "SỞ Y TẾ", 1)


def test_a_garbage_text_layer_is_read_by_ocr_instead(scan: Path, tmp_path: Path) -> None:
    page = rasterise(scan)[0]
    picture = io.BytesIO()
    page.save(picture, "PNG")
    path = tmp_path / "lop-chu-hong.pdf"
    sheet = canvas.Canvas(str(path), pagesize=A4)
    sheet.drawImage(ImageReader(io.BytesIO(picture.getvalue())), 0, 0, *A4)
    text = sheet.beginText(40, 800)
    text.setTextRenderMode(3)  # invisible, as a scanner's own text layer is
    for _ in range(20):
        text.textLine("xq#kz@@vbnmqwrtzxcvbnm ¤¤¤ qqqqqqqqqqqqq zzkkxx##")
    sheet.drawText(text)
    sheet.save()
    read = read_document(path)
    assert read.ocr and "3646/SYT-VP" in " ".join(read.text.split())


def test_the_window_is_told_to_use_the_command_for_a_scan(scan: Path) -> None:
    with pytest.raises(ValidationError, match="là bản quét"):
        read_document(scan, recognise=False)
