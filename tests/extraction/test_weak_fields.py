"""Fields read from a weak OCR line are named with that line's confidence (no Tesseract run: the confidences are
given line by line, as DocumentText.line_confidence carries them)."""

from __future__ import annotations

from app.extraction.confidence import WEAK_LINE, describe, drop_weak_links, line_weakness, weak_fields
from app.extraction.extractor import extract

LETTER = """\
UBND TỈNH TÂY NINH
SỞ Y TẾ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Số: 3646/SYT-VP
Tây Ninh, ngày 24 tháng 10 năm 2023
V/v triển khai tiêm chủng mở rộng
năm 2023 trên địa bàn tỉnh

Kính gửi: Các đơn vị trực thuộc.

Thực hiện Công văn số 5068/UBND-TH ngày 20/10/2023 của Ủy ban nhân dân tỉnh và Kế hoạch số 12/KH-UBND
ngày 10/01/2023 của Ủy ban nhân dân tỉnh, Sở Y tế đề nghị các đơn vị khẩn trương thực hiện./.

GIÁM ĐỐC

Trương Văn Hùng
"""
LINES = LETTER.split("\n")


def _confidence(**weak_lines: float) -> list[float | None]:
    """95 on every printed line but those given as line_<n>=confidence; None on blank lines."""
    given = {int(name.removeprefix("line_")): value for name, value in weak_lines.items()}
    return [given.get(n, 95.0) if text.strip() else None for n, text in enumerate(LINES, start=1)]


def test_a_strong_scan_has_no_weak_field() -> None:
    [doc] = extract(LETTER).documents
    assert weak_fields(doc, _confidence()) == {}


def test_the_fields_of_a_weak_line_are_named_with_its_confidence() -> None:
    [doc] = extract(LETTER).documents
    assert (doc.sources["reference"], doc.sources["issued_on"]) == (4, 5)
    weak = weak_fields(doc, _confidence(line_4=41.0, line_5=88.5))
    assert weak == {"number": 41.0, "notation": 41.0, "reference": 41.0, "issued_on": 88.5, "place": 88.5}
    assert describe(doc, weak) == [
        "Số, ký hiệu «3646/SYT-VP» (đọc kém, độ tin cậy 41%: cần xem lại)",
        "Ngày văn bản «24/10/2023» (đọc kém, độ tin cậy 88%: cần xem lại)",
        "Địa danh «Tây Ninh» (đọc kém, độ tin cậy 88%: cần xem lại)"]


def test_a_subject_over_two_lines_counts_its_weakest_line() -> None:
    [doc] = extract(LETTER).documents
    assert doc.subject == "triển khai tiêm chủng mở rộng năm 2023 trên địa bàn tỉnh"
    assert doc.source_lines["subject"] == (6, 7)
    assert weak_fields(doc, _confidence(line_7=62.0)) == {"subject": 62.0}


def test_citations_count_the_weakest_line_one_was_read_from() -> None:
    [doc] = extract(LETTER).documents
    assert [(c.reference, c.line) for c in doc.cites] == [("5068/UBND-TH", 11), ("12/KH-UBND", 11)]
    assert weak_fields(doc, _confidence(line_11=70.0)) == {"cites": 70.0}
    assert weak_fields(doc, _confidence(line_12=70.0)) == {}  # the second citation starts on line 11


def test_the_threshold_is_strict_and_can_be_chosen() -> None:
    [doc] = extract(LETTER).documents
    assert weak_fields(doc, _confidence(line_16=WEAK_LINE)) == {}
    assert weak_fields(doc, _confidence(line_16=WEAK_LINE - 0.1)) == {"signer": WEAK_LINE - 0.1}
    assert weak_fields(doc, _confidence(line_16=80.0), threshold=75.0) == {}


def test_a_text_that_was_not_recognised_has_no_weak_field() -> None:
    [doc] = extract(LETTER).documents
    assert weak_fields(doc, [None] * len(LINES)) == {}
    assert weak_fields(doc, ()) == {}
    assert line_weakness(99, _confidence()) is None and line_weakness(None, _confidence()) is None


def test_links_from_weak_lines_are_left_out_and_named() -> None:
    extraction = extract(LETTER)
    kept, dropped = drop_weak_links(extraction, _confidence(line_11=70.0))
    assert kept.documents[0].cites == [] and dropped == [("5068/UBND-TH", 70.0), ("12/KH-UBND", 70.0)]
    assert [c.reference for c in extraction.documents[0].cites] == ["5068/UBND-TH", "12/KH-UBND"]  # not changed
    kept, dropped = drop_weak_links(extraction, _confidence())
    assert kept.documents[0].cites == extraction.documents[0].cites and dropped == []
