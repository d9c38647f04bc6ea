"""Per-line confidence of a recognised text stays aligned with its lines: pages joined by a blank line, blank
pages and paragraph breaks carry None (no Tesseract run: the pages are built by hand)."""

from __future__ import annotations

from pathlib import Path

from app.extraction.reader import read_document
from app.ocr.recognize import OcrPage, OcrText


def test_lines_of_several_pages_keep_their_confidence() -> None:
    first = OcrPage("SỞ Y TẾ\n\nSố: 3646/SYT-VP", 90.0, 0, (95.0, None, 85.0))
    blank = OcrPage("", 0.0, 0, ())
    last = OcrPage("Trương Văn Hùng", 60.0, 180, (60.0,))
    read = OcrText((first, blank, last))
    lines = read.text.split("\n")
    assert len(read.line_confidence) == len(lines)
    assert list(zip(lines, read.line_confidence, strict=True)) == [
        ("SỞ Y TẾ", 95.0), ("", None), ("Số: 3646/SYT-VP", 85.0), ("", None),  # page break
        ("", None), ("", None),  # the blank page, then the next break
        ("Trương Văn Hùng", 60.0)]


def test_a_text_file_has_no_confidence_on_any_line(tmp_path: Path) -> None:
    path = tmp_path / "van_ban.txt"
    path.write_text("SỞ Y TẾ\r\nSố: 3646/SYT-VP\r\n", encoding="utf-8")
    read = read_document(path)
    assert not read.ocr and read.line_confidence == (None, None, None) == tuple(None for _ in read.text.split("\n"))
