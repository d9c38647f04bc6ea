"""The ĐẾN stamp: labels, label sheets and stamping page 1 of a scanned PDF, read back from the real PDF."""

from __future__ import annotations

import io
from datetime import date, time
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from app.core.errors import ValidationError
from app.printing.common import write_pdf
from app.printing.fonts import SERIF, SERIF_BOLD, register_fonts
from app.printing.stamp import (
    StampData,
    StampPlacement,
    stamp_scan,
    write_stamp_labels,
    write_stamp_sheet,
)
from tests.printing.pdf_read import page_sizes_mm, page_texts

UBND = "ỦY BAN NHÂN DÂN TỈNH TÂY NINH"
LONG_NAME = "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI TỈNH TÂY NINH"
FILLED = StampData(1363, date(2023, 10, 24), routing="Phòng Tổ chức cán bộ", file_code="01.TCCB")

Rect = tuple[float, float, float, float]  # x, y, width, height in mm from the page's top-left corner


def _labels(tmp_path: Path, agency: str, stamps: list[StampData | None], name: str = "labels.pdf") -> Path:
    return write_pdf(tmp_path / name, lambda out: write_stamp_labels(out, agency, stamps))  # type: ignore[arg-type]


def _char_boxes(path: Path, index: int = 0) -> list[tuple[str, tuple[float, float, float, float]]]:
    """(character, (left, bottom, right, top) in points) for each visible character of a page, via pdfium."""
    document = pdfium.PdfDocument(str(path))
    try:
        text = document[index].get_textpage()
        boxes = []
        for i in range(text.count_chars()):
            char = text.get_text_range(i, 1)
            if char.strip():
                boxes.append((char, text.get_charbox(i)))
        return boxes
    finally:
        document.close()


# ---------------------------------------------------------------------------------------------------------------
# Labels and sheets


def test_label_is_exactly_50_by_35_mm_with_every_field(tmp_path: Path) -> None:
    path = _labels(tmp_path, UBND, [FILLED, StampData(7, date(2024, 2, 5))])
    assert page_sizes_mm(path) == [(50.0, 35.0), (50.0, 35.0)]
    first, second = page_texts(path)
    for expected in (UBND, "ĐẾN", "Số: 1363", "Ngày: 24/10/2023", "Chuyển: Phòng Tổ chức cán bộ",
                     "Số và ký hiệu HS: 01.TCCB"):
        assert expected in first
    assert "Giờ" not in first  # NĐ 30 has no time line
    assert "Số: 7" in second and "Ngày: 05/02/2024" in second and "Chuyển:" in second


def test_time_line_only_when_given(tmp_path: Path) -> None:
    path = _labels(tmp_path, UBND, [StampData(12, date(2024, 3, 1), time(8, 5))])
    (text,) = page_texts(path)
    assert "Giờ: 08:05" in text and "Số: 12" in text and "Ngày: 01/03/2024" in text


def test_blank_stamp_has_labels_and_no_values(tmp_path: Path) -> None:
    path = _labels(tmp_path, UBND, [None])
    (text,) = page_texts(path)
    assert text == f"{UBND} ĐẾN Số: Ngày: Chuyển: Số và ký hiệu HS:"


def test_long_names_and_values_stay_inside_the_frame(tmp_path: Path) -> None:
    long_data = StampData(123456, date(2024, 12, 31), time(16, 45),
                          routing="Phòng Tổ chức cán bộ chủ trì, Văn phòng và Thanh tra phối hợp, hạn 30/10/2024",
                          file_code="01.TCCB-2024/Quyển 3 - Hồ sơ tuyển dụng viên chức năm 2024 đợt hai")
    path = _labels(tmp_path, LONG_NAME, [long_data])
    (text,) = page_texts(path)
    assert "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI TỈNH TÂY NINH" in text
    assert "Số: 123456" in text and "Giờ: 16:45" in text
    boxes = _char_boxes(path)
    assert boxes
    frame = 0.8  # the frame's stroke: nothing may touch it
    for char, (left, bottom, right, top) in boxes:
        assert frame <= left and right <= 50 * mm - frame, char
        assert frame <= bottom and top <= 35 * mm - frame, char


def test_agency_name_sits_above_the_only_rule(tmp_path: Path) -> None:
    path = _labels(tmp_path, LONG_NAME, [FILLED])
    boxes = _char_boxes(path)
    name_chars = {c for c in LONG_NAME if c.strip()}
    # The name (two lines) is in the top 10 mm band, everything else below it.
    text_top = [box for char, box in boxes if box[1] > 25 * mm]
    assert {char for char, box in boxes if box[1] > 25 * mm} <= name_chars
    assert len(text_top) == len(LONG_NAME.replace(" ", ""))
    den = [box for char, box in boxes if char in "ĐẾN" and box[1] < 25 * mm][:3]
    assert den and all(box[2] < 13.5 * mm for box in den)  # ĐẾN in the left column


def test_sheet_of_25_stamps_takes_two_a4_pages(tmp_path: Path) -> None:
    stamps = [StampData(n, date(2024, 5, 2)) for n in range(1, 26)]
    path = write_pdf(tmp_path / "sheet.pdf", lambda out: write_stamp_sheet(out, UBND, stamps))
    assert page_sizes_mm(path) == [(210.0, 297.0), (210.0, 297.0)]
    first, second = page_texts(path)
    assert first.count("ĐẾN") == 21 and second.count("ĐẾN") == 4
    assert "Số: 21 " in first and "Số: 22 " in second and "Số: 25 " in second


def test_empty_sheet_is_a_sheet_of_blank_stamps(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "blank.pdf", lambda out: write_stamp_sheet(out, UBND, []))
    (text,) = page_texts(path)
    assert text.count("ĐẾN") == 21 and text.count("Chuyển:") == 21


def test_sheet_refuses_a_grid_that_cannot_fit(tmp_path: Path) -> None:
    with pytest.raises(ValidationError):
        write_stamp_sheet(io.BytesIO(), UBND, [FILLED], columns=5, rows=7)


# ---------------------------------------------------------------------------------------------------------------
# Stamping a scan


def _text(canvas: Canvas, x_mm: float, top_mm: float, text: str, size: float, bold: bool = False) -> Rect:
    """Draw a line with its baseline 0.8 × size below `top_mm`; return a box generous enough for stacked
    Vietnamese diacritics above and descenders below."""
    font = SERIF_BOLD if bold else SERIF
    size_mm = size * 25.4 / 72
    baseline_mm = top_mm + 0.8 * size_mm
    canvas.setFont(font, size)
    canvas.drawString(x_mm * mm, A4[1] - baseline_mm * mm, text)
    return (x_mm, baseline_mm - 1.1 * size_mm, stringWidth(text, font, size) / mm, 1.4 * size_mm)


def _official_document(path: Path, pages: int = 3) -> list[Rect]:
    """An A4 letter: agency/number/summary block top-left, national title top-right, body from 100 mm down.
    Free upper-half space: under the left block (50-100 mm) and under the right block (42-100 mm)."""
    register_fonts()
    canvas = Canvas(str(path), pagesize=A4)
    rects: list[Rect] = []
    left = [("ỦY BAN NHÂN DÂN", 13, False), ("TỈNH TÂY NINH", 13, True), ("Số: 1025/UBND-VP", 13, False),
            ("V/v triển khai công tác văn thư", 12, False), ("và lưu trữ năm 2024", 12, False)]
    for k, (line, size, bold) in enumerate(left):
        rects.append(_text(canvas, 25, 15 + k * 7, line, size, bold))
    right = [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, True), ("Độc lập - Tự do - Hạnh phúc", 13, True),
             ("Tây Ninh, ngày 05 tháng 02 năm 2024", 13, False)]
    for k, (line, size, bold) in enumerate(right):
        rects.append(_text(canvas, 105, 15 + k * 8, line, size, bold))
    for k in range(24):
        rects.append(_text(canvas, 25, 100 + k * 7.5, "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 "
                           "của Chính phủ về công tác văn thư, Ủy ban", 12))
    canvas.showPage()
    for n in range(2, pages + 1):
        canvas.setFont(SERIF, 12)
        canvas.drawString(25 * mm, 250 * mm, f"Trang thứ {n} của văn bản, không được đóng dấu.")
        canvas.showPage()
    canvas.save()
    return rects


def _overlaps(a: Rect, b: Rect) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _stamp_rect(placement: StampPlacement) -> Rect:
    return (placement.x_mm, placement.y_mm, placement.width_mm, placement.height_mm)


def _stamp(source: Path, target: Path, data: StampData | None = FILLED) -> StampPlacement:
    result: list[StampPlacement] = []
    write_pdf(target, lambda out: result.append(stamp_scan(source, out, UBND, data)))
    return result[0]


def test_scan_is_stamped_in_free_upper_space_and_other_pages_untouched(tmp_path: Path) -> None:
    source = tmp_path / "scan.pdf"
    rects = _official_document(source)
    before = page_texts(source)
    target = tmp_path / "stamped.pdf"
    placement = _stamp(source, target)

    assert placement.page_index == 0 and placement.clear
    stamp = _stamp_rect(placement)
    assert not any(_overlaps(stamp, rect) for rect in rects)
    assert stamp[1] + stamp[3] <= 297 / 2  # upper half
    assert stamp[0] + stamp[2] / 2 < 105  # left side, under the number/summary block
    assert 0 <= stamp[0] and stamp[0] + stamp[2] <= 210

    after = page_texts(target)
    assert len(after) == 3 and page_sizes_mm(target) == page_sizes_mm(source)
    assert after[1:] == before[1:]
    for expected in ("Số: 1025/UBND-VP", "Độc lập - Tự do - Hạnh phúc", "Căn cứ Nghị định số 30/2020/NĐ-CP",
                     UBND, "ĐẾN", "Số: 1363", "Ngày: 24/10/2023", "Chuyển: Phòng Tổ chức cán bộ",
                     "Số và ký hiệu HS: 01.TCCB"):
        assert expected in after[0]


def _render_gray(path: Path, px_per_mm: int = 2) -> tuple[int, int, bytes]:
    document = pdfium.PdfDocument(str(path))
    try:
        bitmap = document[0].render(scale=px_per_mm * 25.4 / 72, force_bitmap_format=pdfium_c.FPDFBitmap_Gray)
        rows = [bytes(bitmap.buffer[y * bitmap.stride: y * bitmap.stride + bitmap.width])
                for y in range(bitmap.height)]
        return bitmap.width, bitmap.height, b"".join(rows)
    finally:
        document.close()


def _new_ink_box(before: Path, after: Path, px_per_mm: int = 2) -> tuple[float, float, float, float]:
    """Bounding box (x, y, w, h in mm from the top-left of the page as displayed) of what stamping added."""
    w, h, old = _render_gray(before, px_per_mm)
    w2, h2, new = _render_gray(after, px_per_mm)
    assert (w, h) == (w2, h2)
    xs, ys = [], []
    for i in range(len(new)):
        if new[i] < 128 and old[i] >= 128:
            xs.append(i % w)
            ys.append(i // w)
    assert xs
    return (min(xs) / px_per_mm, min(ys) / px_per_mm, (max(xs) + 1 - min(xs)) / px_per_mm,
            (max(ys) + 1 - min(ys)) / px_per_mm)


def _assert_drawn_at(placement: StampPlacement, box: tuple[float, float, float, float]) -> None:
    x, y, w, h = box
    assert abs(w - 50) <= 1.0 and abs(h - 35) <= 1.0  # upright: 50 wide, 35 high as displayed
    assert abs(x - placement.x_mm) <= 1.0 and abs(y - placement.y_mm) <= 1.0


def test_image_only_scan(tmp_path: Path) -> None:
    """A scan is pictures, not text: dark blocks where the lines are, a grey-ish paper with specks of dust."""
    source = tmp_path / "image.pdf"
    canvas = Canvas(str(source), pagesize=A4)
    canvas.setFillGray(0.93)
    canvas.rect(0, 0, A4[0], A4[1], stroke=0, fill=1)  # scanned paper is never pure white
    canvas.setFillGray(0.2)
    blocks: list[Rect] = [(20, 15, 70, 40), (110, 15, 80, 25), (20, 60, 170, 30), (20, 135, 170, 150)]
    for x, top, w, h in blocks:
        canvas.rect(x * mm, A4[1] - (top + h) * mm, w * mm, h * mm, stroke=0, fill=1)
    for k in range(12):  # dust: isolated specks in the free band
        canvas.rect((30 + k * 13) * mm, A4[1] - (100 + k % 3 * 5) * mm, 0.3, 0.3, stroke=0, fill=1)
    canvas.showPage()
    canvas.save()
    target = tmp_path / "stamped.pdf"
    placement = _stamp(source, target)
    assert placement.clear
    stamp = _stamp_rect(placement)
    assert not any(_overlaps(stamp, block) for block in blocks)
    # Only 90-135 mm is free across the page: the 35 mm stamp fits there, and nowhere higher.
    assert 90 <= stamp[1] and stamp[1] + stamp[3] <= 135
    _assert_drawn_at(placement, _new_ink_box(source, target))
    assert "ĐẾN" in page_texts(target)[0]


def test_rotated_page_with_shifted_mediabox(tmp_path: Path) -> None:
    """A page stored landscape with /Rotate 90 and a mediabox not at the origin: the stamp lands where the
    returned placement says, upright, on the page as a viewer shows it."""
    plain = tmp_path / "plain.pdf"
    canvas = Canvas(str(plain), pagesize=(A4[1], A4[0]))
    canvas.setFillGray(0)
    canvas.rect(0, 0, 100 * mm, A4[0], stroke=0, fill=1)  # ink over the left 100 mm of the stored page
    canvas.showPage()
    canvas.save()
    writer = PdfWriter(clone_from=PdfReader(str(plain)))
    page = writer.pages[0]
    page.add_transformation((1, 0, 0, 1, 200, 300))
    for box in (page.mediabox, page.cropbox):
        box.lower_left = (200, 300)
        box.upper_right = (200 + A4[1], 300 + A4[0])
    page.rotate(90)
    source = tmp_path / "rotated.pdf"
    with source.open("wb") as handle:
        writer.write(handle)

    target = tmp_path / "stamped.pdf"
    placement = _stamp(source, target)
    assert placement.clear
    # Displayed portrait 210 × 297 mm; the inked stored-left strip shows as the top 100 mm.
    assert placement.y_mm >= 100
    _assert_drawn_at(placement, _new_ink_box(source, target))


def test_full_page_gives_the_emptiest_place_and_says_so(tmp_path: Path) -> None:
    source = tmp_path / "full.pdf"
    canvas = Canvas(str(source), pagesize=A4)
    canvas.setFillGray(0)
    for k in range(60):  # ruled all over, a lighter gap nowhere wide enough
        canvas.rect(0, k * 5 * mm, A4[0], 1 * mm, stroke=0, fill=1)
    canvas.showPage()
    canvas.save()
    placement = _stamp(source, tmp_path / "stamped.pdf")
    assert not placement.clear
    assert len(page_texts(tmp_path / "stamped.pdf")) == 1


@pytest.mark.parametrize("kind", ["missing", "text", "empty", "corrupt", "no_pages", "encrypted"])
def test_scan_refusals_name_the_field(tmp_path: Path, kind: str) -> None:
    source = tmp_path / "scan.pdf"
    if kind == "text":
        source.write_text("Đây là một tệp văn bản, không phải PDF.\n", encoding="utf-8")
    elif kind == "empty":
        source.write_bytes(b"")
    elif kind == "corrupt":
        source.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nthis is not a pdf at all\n")
    elif kind == "no_pages":
        with source.open("wb") as handle:
            PdfWriter().write(handle)
    elif kind == "encrypted":
        _official_document(tmp_path / "plain.pdf", pages=1)
        writer = PdfWriter(clone_from=PdfReader(str(tmp_path / "plain.pdf")))
        writer.encrypt("mat-khau")
        with source.open("wb") as handle:
            writer.write(handle)
    target = tmp_path / "stamped.pdf"
    with pytest.raises(ValidationError) as caught:
        _stamp(source, target)
    assert "Bản quét" in str(caught.value)
    assert caught.value.errors[0].field == "scan"
    assert not target.exists()
