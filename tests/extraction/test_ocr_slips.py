"""Tesseract's typical Vietnamese slips: those folding already absorbs, those ocr_slips undoes line by line, and
the lines it must leave alone because they are right as printed."""

from __future__ import annotations

from datetime import date

import pytest

from app.extraction.extractor import extract
from app.extraction.ocr_slips import clean_line, clean_slips
from tests.extraction.support import invented_references

HEADER = "UBND TỈNH TÂY NINH\nSỞ Y TẾ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"


@pytest.mark.parametrize("label", ["Số:", "Sô:", "Só:", "Sỗ:", "Sồ:", "Sớ:", "số:", "Sâ:", "Sä:", "SA:", "S4:"])
def test_a_slipped_so_label_still_opens_the_number_line(label: str) -> None:
    doc = extract(f"{HEADER}{label} 3646/SYT-VP\nTây Ninh, ngày 24 tháng 10 năm 2023\nV/v triển khai\n").documents[0]
    assert (doc.reference, doc.issued_on) == ("3646/SYT-VP", date(2023, 10, 24))


@pytest.mark.parametrize("label", ["V/v", "V/ v", "V /v", "V/V", "V/y", "V/ y", "V⁄v", "'V/v", "V∕v:"])
def test_a_broken_vv_label_still_opens_the_subject(label: str) -> None:
    doc = extract(f"{HEADER}Số: 3646/SYT-VP\n{label} triển khai tiêm chủng\n\nKính gửi: Các đơn vị.\n").documents[0]
    assert (doc.subject, doc.doc_type) == ("triển khai tiêm chủng", "Công văn")


@pytest.mark.parametrize(("printed", "number", "reference"), [
    ("Số: 36 46/SYT-VP", 3646, "3646/SYT-VP"),
    ("Số: 36 46 /SYT-VP", 3646, "3646/SYT-VP"),
    ("Số 12 72-CV/TU", 1272, "1272-CV/TU"),
    ("Số: 1 025/QĐ-UBND", 1025, "1025/QĐ-UBND"),
])
def test_a_number_split_in_two_before_its_ky_hieu_is_joined(printed: str, number: int, reference: str) -> None:
    text = f"{HEADER}{printed}\nTây Ninh, ngày 24 tháng 10 năm 2023\nV/v triển khai\n"
    result = extract(text)
    doc = result.documents[0]
    assert (doc.number, doc.reference) == (number, reference)
    assert invented_references(result, text) == []  # only a space went


@pytest.mark.parametrize(("printed", "cleaned"), [
    ("Sô: 3646/SYT-VP Tây Ninh, ngày 24 tháng 10 năm 2023", "Số: 3646/SYT-VP Tây Ninh, ngày 24 tháng 10 năm 2023"),
    ("V/v sao gửi Công văn sô 5068/UBND-TH", "V/v sao gửi Công văn số 5068/UBND-TH"),
    ("ĐÉN Số: 1234", "ĐẾN Số: 1234"),
    ("ĐÊN Ngày: 25/10/2023", "ĐẾN Ngày: 25/10/2023"),
    ("Tây Ninh, ngủy 20 thúng 10 nằm 2023", "Tây Ninh, ngày 20 tháng 10 năm 2023"),
    ("NGÀY 05 THÚNG 3 NĂM 2024", "NGÀY 05 THÁNG 3 NĂM 2024"),
    ("Thực hiện Chỉ thị số 25⁄CT-TTg", "Thực hiện Chỉ thị số 25/CT-TTg"),
    ("KHẤN", "KHẨN"), ("THƯỢNG KHÁN", "THƯỢNG KHẨN"), ("HÓA TỐC", "HỎA TỐC"), ("TỐI MÂT", "TỐI MẬT"),
    ("tống kết 10 năm thực hiện", "tổng kết 10 năm thực hiện"),
    ("các cấp ủy tố chức hội nghị", "các cấp ủy tổ chức hội nghị"),
    ("Họp triển khai kế hoạch chuyến đối số năm 2024", "Họp triển khai kế hoạch chuyển đổi số năm 2024"),
    ("TÍNH ỦY TÂY NINH", "TỈNH ỦY TÂY NINH"), ("UBND TÍNH TÂY NINH", "UBND TỈNH TÂY NINH"),
    ("tăng cường tiêm chúng", "tăng cường tiêm chủng"), ("báo cáo kết quá", "báo cáo kết quả"),
    ("Tố Chức", "Tổ Chức"), ("tõ chức hội nghị", "tổ chức hội nghị"), ("ỦY BAN NHÂN DẪN", "ỦY BAN NHÂN DÂN"),
    ("ỦY BẠN NHÂN DÂN", "ỦY BAN NHÂN DÂN"), ("Số: 45GM-UBND", "Số: 45/GM-UBND"), ("Số: 45 GM-UBND", "Số: 45/GM-UBND"),
    ("SỞ Y TẾ __", "SỞ Y TẾ "), ("Số: 1187/SNV-VP ` Tây Ninh, ngày 23", "Số: 1187/SNV-VP Tây Ninh, ngày 23"),
    ("~ Như trên;", "- Như trên;"), ("_ Kính gửi: Các đơn vị.", "Kính gửi: Các đơn vị."),
    ("_V/v triển khai", "V/v triển khai"),
])
def test_slips_are_undone(printed: str, cleaned: str) -> None:
    assert clean_line(printed) == cleaned


@pytest.mark.parametrize("right", [
    "núi Bà Đen", "đền ơn đáp nghĩa", "ngọn đèn", "chuyển đối tượng chính sách", "bệnh cấp tính",
    "Thông báo đảm bảo an toàn", "tình thế hiện nay", "để Nghị quyết đi vào cuộc sống", "quản lý công sản",
    "ngày 24 10/2023", "Công văn số 15 ngày 20/10/2023", "số 12, 15/KH-UBND", "Sa: 12 người", "So sánh với 2022",
    "KHAN", "MAT", "Khẩn trương", "- V/v", "Văn bản số 797 -CV/BCSD", "tháng 10 năm 2023", "Số: 3646 /SYT-VP",
    "ngày 20/ 10/2023", "ngày 01 tháng 3 năm 2024", "", "   ", "HOẢ TỐC", "Số 123-CV/TU", "Số: 30/2020/NĐ-CP",
    "số 5 KH-UBND/TU", "nhận dân nguyện", "khai thác mỏ rộng", "don't", "x _y_ z", "\"rõ người\"", "Độc lập - Tự do",
])
def test_right_lines_are_left_alone(right: str) -> None:
    assert clean_line(right) == right


def test_cleaning_keeps_every_line_where_it_was() -> None:
    text = "Sô: 36 46/SYT-VP\n\r\nKHẤN\n\n\ntống kết"
    assert clean_slips(text).split("\n") == ["Số: 3646/SYT-VP", "\r", "KHẨN", "", "", "tổng kết"]


# A letter as Tesseract reads a poor scan of it: two header columns on one line, marks slipped everywhere.
SLIPPED_LETTER = """\
UBND TÍNH TÂY NINH CỘNG HÓA XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ Y TẾ Độc lập - Tự đo - Hạnh phúc

Sô: 36 46/SYT-VP Tây Ninh, ngủy 24 thúng 10 nằm 2023
V/y tống kết công tác tiêm chúng mở rộng
KHẤN

Kính gửi: Các đơn vị trực thuộc.

Thực hiện Chỉ thị số 25⁄CT-TTg ngày 02/10/2023 của Thủ tướng Chính phủ, Sở Y tế đề nghị các đơn vị tố chức
thực hiện./.

Nơi nhận: KT. GIÁM ĐỐC
- Như trên; PHÓ GIÁM ĐỐC
- Lưu: VT, VP.

Nguyễn Văn An
"""


def test_a_letter_full_of_slips_is_read_field_by_field() -> None:
    result = extract(SLIPPED_LETTER)
    [doc] = result.documents
    assert (doc.issuer, doc.issuer_parent, doc.family) == ("SỞ Y TẾ", "UBND TỈNH TÂY NINH", "state")
    assert (doc.number, doc.notation, doc.reference) == (3646, "SYT-VP", "3646/SYT-VP")
    assert (doc.issued_on, doc.place) == (date(2023, 10, 24), "Tây Ninh")
    assert (doc.doc_type, doc.subject) == ("Công văn", "tổng kết công tác tiêm chủng mở rộng")
    assert doc.urgency == "khan"
    assert [(c.reference, c.issued_on) for c in doc.cites] == [("25/CT-TTg", date(2023, 10, 2))]
    assert (doc.signing_authority, doc.signer) == ("KT. GIÁM ĐỐC", "Nguyễn Văn An")
    # the lines fields come from are those of the input, cleaning moved none
    assert (doc.sources["reference"], doc.sources["subject"], doc.sources["urgency"], doc.sources["signer"]) == (
        4, 5, 6, 17)
    assert invented_references(result, SLIPPED_LETTER.replace("⁄", "/")) == []


def test_the_den_stamp_read_column_by_column() -> None:
    """The stamp's "Số" line first, then the big "ĐẾN" at its left (its mark lost), then its "Ngày" line."""
    text = f"~.. Số: 1234\nĐEN .\nNgày: 25/10/2023\n\n{HEADER}Số: 3646/SYT-VP\nV/v triển khai\n"
    stamp = extract(text).received_stamp
    assert stamp is not None and (stamp.number, stamp.date, stamp.line) == (1234, date(2023, 10, 25), 1)
    assert extract(f"{HEADER}Số: 3646/SYT-VP\nV/v triển khai\n").received_stamp is None


BUNDLE = """\
UBND TỈNH TÂY NINH
SỞ NỘI VỤ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Số: 1187/SNV-VP
Tây Ninh, ngày 23 tháng 10 năm 2023
V/v sao gửi Công văn số 5068/UBND-TH
Kính gửi: Phòng Nội vụ các huyện.
Sở Nội vụ sao gửi Công văn số 5068/UBND-TH{cited} của Ủy ban nhân dân tỉnh đến các đơn vị./.
Nơi nhận:
- Như trên;
- Lưu: VT, VP.
GIÁM ĐỐC
Phạm Minh Quang

ỦY BAN NHÂN DÂN
TỈNH TÂY NINH
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Số: 5068/UBND-TH
Tây Ninh, ngày 20 tháng 10 năm {year}
V/v tăng cường công tác tiêm chủng
Kính gửi: Các sở, ban, ngành tỉnh.
Chủ tịch Ủy ban nhân dân tỉnh giao các sở, ngành tăng cường công tác tiêm chủng./.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Võ Đức Trọng
"""


def test_a_document_is_never_dated_after_one_that_cites_it() -> None:
    """'2023' read as '2025' on the forwarded letter: the cover letter, dated 23/10/2023, cites it as of 20/10/2023."""
    cover, forwarded = extract(BUNDLE.format(cited=" ngày 20/10/2023", year=2025)).documents
    assert forwarded.issued_on == date(2023, 10, 20)
    assert forwarded.sources["issued_on"] == 8  # where the date now comes from: the cover letter's citation
    # without a date in the citation, the impossible date is left empty rather than kept
    _cover, forwarded = extract(BUNDLE.format(cited="", year=2025)).documents
    assert forwarded.issued_on is None and "issued_on" not in forwarded.sources
    # a possible date is the document's own, whatever the citation says
    _cover, forwarded = extract(BUNDLE.format(cited=" ngày 19/10/2023", year=2023)).documents
    assert forwarded.issued_on == date(2023, 10, 20)
    assert cover.issued_on == date(2023, 10, 23)


@pytest.mark.parametrize("text", [
    " " * 200_000, "\t" * 200_000, "  KHẤN  \n" * 20_000, "THƯỢNG " * 30_000, "Số: 1 " * 30_000,
    "Số: 12 34" * 20_000, "ngày 1 thúng 2 nằm " * 10_000, "tố chức " * 25_000, "ủy ban nhân dân " * 12_000,
    "V/y " * 50_000, "Sâ: 1-" * 30_000,
], ids=lambda t: repr(t[:12]))
def test_cleaning_200_kb_stays_fast(text: str) -> None:
    import time

    started = time.perf_counter()
    cleaned = clean_slips(text)
    assert time.perf_counter() - started < 1.0
    assert cleaned.count("\n") == text.count("\n")


def test_the_documents_of_the_corpus_come_out_as_they_were() -> None:
    """Real documents, typed and OCR'd: cleaning changes nothing in them but slips and specks."""
    from pathlib import Path

    data = Path(__file__).resolve().parents[1] / "data" / "extraction"
    shared = Path(__file__).resolve().parents[3] / "shared" / "samples"
    changed = []
    for path in sorted([*data.glob("*.txt"), *shared.glob("*.txt")]):
        for number, (line, cleaned) in enumerate(zip(path.read_text(encoding="utf-8").split("\n"),
                                                     clean_slips(path.read_text(encoding="utf-8")).split("\n"),
                                                     strict=True), start=1):
            if line != cleaned:
                changed.append((path.name, number, line.strip(), cleaned.strip()))
    assert changed == [
        ("08_state_bao_cao_ubnd_huyen_ocr.txt", 24, "| 2", "2"),
        ("10_bundle_forward_den_stamp.txt", 39, "V/V tăng cường chỉ đạo phòng trừ sâu keo mùa thu hại ngô vụ Xuân "
         "2024", "V/v tăng cường chỉ đạo phòng trừ sâu keo mùa thu hại ngô vụ Xuân 2024"),
        ("11_state_thong_bao_tl.txt", 3, "________", ""),
        ("11_state_thong_bao_tl.txt", 7, "_______________________", ""),
    ]
