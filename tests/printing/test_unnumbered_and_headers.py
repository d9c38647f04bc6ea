"""Printouts of an unnumbered document ("không số", never "số Không số"), receipts' "Loại: trích yếu", and the
agency's name in the headers never broken inside a name; read back from the real PDFs."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2 as pdfium
from reportlab.lib.units import mm

from app.core.enums import Family
from app.printing.agency_lines import fit_name, segments
from app.printing.common import Agency, write_pdf
from app.printing.fonts import SERIF_BOLD, register_fonts
from app.printing.receipts import write_handover, write_receipt
from app.printing.register_book import RegisterBookRequest, write_register_book
from app.printing.slip import write_slip
from tests.printing.pdf_read import page_texts
from tests.printing.test_slip_and_receipts import incoming

LONG = Agency("VĂN PHÒNG HỘI ĐỒNG NHÂN DÂN VÀ ỦY BAN NHÂN DÂN HUYỆN HÒA THÀNH", "UBND HUYỆN HÒA THÀNH",
              "Hòa Thành", Family.STATE)
UNNUMBERED = incoming(1401, reference=None, doc_number=None, notation=None, doc_type="Giấy mời",
                      subject="Mời dự họp giao ban tháng 6", issuer="UBND HUYỆN HÒA THÀNH")
TAM_MUU = incoming(1402, doc_type="Công văn", subject="Tham mưu triển khai công tác chuyển đổi số")


def _lines(path: Path, right_mm: float, top_mm: float = 60, page: int = 0) -> list[str]:
    """The text lines in the page's top-left box (the agency's side of the header), as pdfium lays them out."""
    document = pdfium.PdfDocument(str(path))
    try:
        height = document[page].get_height()
        text = document[page].get_textpage().get_text_bounded(0, height - top_mm * mm, right_mm * mm, height)
    finally:
        document.close()
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _assert_names_whole(lines: list[str]) -> None:
    assert "UBND HUYỆN HÒA THÀNH" in lines  # the parent body on one line
    assert any("ỦY BAN NHÂN DÂN" in line for line in lines) and any("HUYỆN HÒA THÀNH" in line for line in lines[1:])
    for line, following in zip(lines, lines[1:], strict=False):
        assert not (line.endswith("HÒA") and following.startswith("THÀNH")), lines
        assert not line.endswith(("ỦY", "ỦY BAN", "NHÂN", "HỘI", "HỘI ĐỒNG")), lines


def _no_so_khong_so(text: str) -> None:
    assert not re.search(r"số\s*:?\s*không số", text, re.IGNORECASE), text


def test_segments_never_split_a_place_or_a_body() -> None:
    assert segments(LONG.name) == ["VĂN PHÒNG HỘI ĐỒNG NHÂN DÂN VÀ", "ỦY BAN NHÂN DÂN", "HUYỆN HÒA THÀNH"]
    assert segments("UBND THÀNH PHỐ HỒ CHÍ MINH") == ["UBND", "THÀNH PHỐ HỒ CHÍ MINH"]
    register_fonts()
    assert fit_name("SỞ Y TẾ TỈNH TÂY NINH", SERIF_BOLD, 70 * mm, 12, 10) == (["SỞ Y TẾ TỈNH TÂY NINH"], 12)
    lines, size = fit_name("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", SERIF_BOLD, 85 * mm, 12, 10)
    assert lines == ["ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH"] and 10 <= size < 12  # shrunk, not broken


def test_slip_of_an_unnumbered_giay_moi_with_a_long_agency_name(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "phieu.pdf", lambda out: write_slip(out, LONG, UNNUMBERED))
    [text] = page_texts(path)
    assert "Số và ký hiệu: Không số" in text and "Tên loại: Giấy mời" in text
    _no_so_khong_so(text.replace("Số và ký hiệu: Không số", ""))
    _assert_names_whole(_lines(path, right_mm=30 + 165 * 0.42))


def test_receipt_writes_khong_so_the_type_with_a_colon_and_whole_names(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "bien-nhan.pdf", lambda out: write_receipt(
        out, LONG, [UNNUMBERED, TAM_MUU], incoming().created_at, "Nguyễn Thị Hồng Nhung"))
    [text] = page_texts(path)
    assert "Không số" in text
    _no_so_khong_so(text)
    assert "Giấy mời: Mời dự họp giao ban tháng 6" in text
    assert "Công văn: Tham mưu triển khai công tác chuyển đổi số" in text and "Công văn Tham mưu" not in text
    _assert_names_whole(_lines(path, right_mm=20 + 175 * 0.42))


def test_handover_sheet_writes_khong_so_and_the_whole_agency_name(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "chuyen-giao.pdf", lambda out: write_handover(
        out, LONG, "Văn phòng", [UNNUMBERED, TAM_MUU], incoming().received_on))
    [text] = page_texts(path)
    assert "Không số" in text
    _no_so_khong_so(text)
    _assert_names_whole(_lines(path, right_mm=20 + 95, top_mm=40))


def test_register_books_write_khong_so_and_the_day_handed_over(tmp_path: Path) -> None:
    handed = {UNNUMBERED.id: incoming().received_on}
    for kind in ("incoming", "follow_up"):
        request = RegisterBookRequest(kind=kind, agency=LONG, year=2023, handed_over=handed)
        path = write_pdf(tmp_path / f"{kind}.pdf", lambda out, r=request: write_register_book(  # type: ignore[misc]
            out, r, [UNNUMBERED, TAM_MUU]))
        texts = page_texts(path)
        cover = _lines(path, right_mm=297, top_mm=70)
        assert LONG.name in cover  # 170 mm of the cover: one line, shrunk if need be
        text = " ".join(texts[1:])
        _no_so_khong_so(text)
        if kind == "incoming":
            row = text[text.index("24/10/2023 1401"):text.index("24/10/2023 1402")]
            assert "Không số" in row and row.count("24/10/2023") == 2  # ngày đến and (8) Ngày chuyển
            other = text[text.index("24/10/2023 1402"):]
            assert other.count("24/10/2023") == 1  # not handed over: (8) is blank
        else:
            assert "Giấy mời không số ngày 02/10/2023 của UBND HUYỆN HÒA THÀNH" in text
