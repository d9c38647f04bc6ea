"""Reading .txt and PDF files into text, and the Vietnamese refusals for files that cannot be read."""

from __future__ import annotations

import codecs
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from app.core.errors import ValidationError
from app.extraction.extractor import extract
from app.extraction.reader import read_text

SAMPLE = "UBND TỈNH TÂY NINH\nSỞ Y TẾ\nSố: 3646 /SYT-VP\nTây Ninh, ngày 24 tháng 10 năm 2023\nV/v Tham mưu thực hiện.\n"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _refusal(path: Path) -> str:
    with pytest.raises(ValidationError) as caught:
        read_text(path)
    (error,) = caught.value.errors
    assert (error.field, error.label) == ("file", "Tệp văn bản")
    return error.message


@pytest.mark.parametrize(("encode", "name"), [
    (lambda s: s.encode("utf-8"), "utf-8"),
    (lambda s: codecs.BOM_UTF8 + s.encode("utf-8"), "utf-8 with BOM"),
    (lambda s: s.encode("utf-16"), "utf-16 with BOM"),
    (lambda s: codecs.BOM_UTF16_BE + s.encode("utf-16-be"), "utf-16 big-endian with BOM"),
    (lambda s: s.replace("\n", "\r\n").encode("utf-8"), "CRLF line ends"),
    (lambda s: unicodedata.normalize("NFD", s).encode("utf-8"), "decomposed marks"),
])
def test_text_files_read_as_nfc_with_newlines(tmp_path: Path, encode: Callable[[str], bytes], name: str) -> None:
    path = tmp_path / "van_ban.txt"
    path.write_bytes(encode(SAMPLE))
    text = read_text(path)
    assert text == SAMPLE, name
    assert extract(text).documents[0].reference == "3646/SYT-VP"


def test_upper_case_suffix_and_str_path(tmp_path: Path) -> None:
    path = tmp_path / "VAN_BAN.TXT"
    path.write_text(SAMPLE, encoding="utf-8")
    assert read_text(str(path)) == SAMPLE


def test_missing_file(tmp_path: Path) -> None:
    assert "Không tìm thấy tệp" in _refusal(tmp_path / "khong_co.txt")


def test_a_folder_is_not_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "thu_muc.txt"
    folder.mkdir()
    assert "không phải là một tệp" in _refusal(folder)


@pytest.mark.parametrize("name", ["van_ban.docx", "van_ban"])
def test_unsupported_types(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"PK\x03\x04")
    assert ".txt" in _refusal(path) and ".pdf" in _refusal(path)


def test_a_picture_that_is_not_one_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "van_ban.jpg"  # a Word file renamed: images are read by OCR now, and this is none
    path.write_bytes(b"PK\x03\x04")
    assert "Không đọc được ảnh «van_ban.jpg»" in _refusal(path)


def test_text_in_another_encoding_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cp1258.txt"
    path.write_bytes(SAMPLE.encode("cp1258", errors="replace"))
    assert "UTF-8" in _refusal(path)


def test_utf16_without_bom_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "utf16.txt"
    path.write_bytes("Số: 12/SYT-VP".encode("utf-16-le"))
    assert "UTF-8" in _refusal(path)


def _pdf_with_text(path: Path, pages: list[list[str]]) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONT)))
    sheet = canvas.Canvas(str(path))
    for lines in pages:
        sheet.setFont("DejaVuSans", 11)
        y = 800
        for line in lines:
            sheet.drawString(50, y, line)
            y -= 16
        sheet.showPage()
    sheet.save()


@pytest.mark.skipif(not FONT.exists(), reason=f"no font with Vietnamese letters at {FONT}")
def test_pdf_text_layer_is_read_page_by_page(tmp_path: Path) -> None:
    path = tmp_path / "van_ban.pdf"
    _pdf_with_text(path, [SAMPLE.splitlines(), ["Nơi nhận:", "- Lưu: VT, VP.", "GIÁM ĐỐC", "Trương Văn Hùng"]])
    text = read_text(path)
    assert "Tây Ninh, ngày 24 tháng 10 năm 2023" in text
    assert "\n\n" in text  # pages joined with a blank line
    assert text == unicodedata.normalize("NFC", text)
    doc = extract(text).documents[0]
    assert (doc.reference, doc.issuer, doc.issued_on.isoformat() if doc.issued_on else None) == (
        "3646/SYT-VP", "SỞ Y TẾ", "2023-10-24")
    assert doc.signer == "Trương Văn Hùng"


def test_a_pdf_without_text_layer_is_recognised_and_a_blank_one_refused(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    path = tmp_path / "ban_quet.pdf"
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with path.open("wb") as handle:
        writer.write(handle)
    message = _refusal(path)
    assert "Không đọc được chữ nào trong «ban_quet.pdf»" in message and "trang trắng" in message


def test_damaged_pdf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "hong.pdf"
    path.write_bytes(b"%PDF-1.4\nthis is not really a pdf")
    assert "Không đọc được tệp PDF" in _refusal(path)


def test_password_protected_pdf_is_refused(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    path = tmp_path / "khoa.pdf"
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="matkhau", algorithm="RC4-128")
    with path.open("wb") as handle:
        writer.write(handle)
    assert "mật khẩu" in _refusal(path)
