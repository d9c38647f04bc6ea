"""The whole text of attached files is searched with the entry: folded like the rest, found by body words, said
where it matched, gone when the file is taken off, kept in step when the entry is edited."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from sqlalchemy import select

from app.core.enums import Direction
from app.core.errors import ValidationError
from app.core.records import DocumentQuery, IncomingInput
from app.models import Attachment, DocumentBody
from app.services import Registry
from app.services.attachment_text import OCR, SEARCHABLE_PREFIX, AttachedText
from app.services.bodies import unpack

pytestmark = pytest.mark.both_engines
FONT = Path(__file__).resolve().parents[2] / "resources" / "fonts" / "LiberationSerif-Regular.ttf"
BODY = ["Thực hiện Kế hoạch số 12/KH-UBND, Sở đề nghị các đơn vị rà soát đường điện",
        "và báo cáo tình hình phòng chống lụt bão trước ngày 15/11/2024."]


def text_pdf(path: Path, lines: list[str]) -> Path:
    """A PDF with a real text layer (as a signed or exported letter comes)."""
    if "LS" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("LS", str(FONT)))
    sheet = canvas.Canvas(str(path))
    sheet.setFont("LS", 12)
    for i, line in enumerate(lines):
        sheet.drawString(50, 780 - 20 * i, line)
    sheet.save()
    return path


def entry(reg: Registry, subject: str = "Về việc chuẩn bị mùa mưa", reference: str = "77/SCT-VP") -> int:
    return reg.documents.register_incoming(IncomingInput(
        issuer="Sở Công Thương", reference=reference, issued_on="02/03/2024", received_on="02/03/2024",
        doc_type="Công văn", subject=subject)).id


def found(reg: Registry, typed: str) -> list[int]:
    return reg.documents.search_ids(DocumentQuery(direction=Direction.INCOMING, text=typed))


def test_a_word_of_the_body_finds_the_entry_and_says_where(state_registry: Registry, tmp_path: Path) -> None:
    reg = state_registry
    doc = entry(reg)
    other = entry(reg, "Về việc lụt bão năm trước", "78/SCT-VP")
    assert found(reg, "duong dien") == []
    attached = reg.attachments.attach(doc, text_pdf(tmp_path / "cv77.pdf", BODY))
    assert attached.text_source == "layer" and attached.text_confidence is None
    assert found(reg, "duong dien") == [doc]  # folded: marks off, đ→d
    assert found(reg, "ĐƯỜNG ĐIỆN") == [doc]
    assert found(reg, "ra soat duong") == [doc]
    assert found(reg, "lut bao") == [other, doc]  # the other by its trích yếu, this one by its body
    assert reg.fulltext.places("lut bao", [other, doc]) == {other: "trích yếu", doc: "nội dung"}
    assert reg.fulltext.places("mua mua", [doc]) == {doc: "trích yếu"}
    # words split between the entry (the issuer) and the body: one match, said as both
    assert found(reg, "cong thuong duong dien") == [doc]
    assert reg.fulltext.places("cong thuong duong dien", [doc]) == {doc: "trích yếu, nội dung"}
    assert reg.fulltext.indexed_characters(doc) > 100
    with reg.db.reading() as s:
        row = s.scalars(select(Attachment).where(Attachment.document_id == doc)).one()
        assert "rà soát đường điện" in unpack(row.text_z or b"")  # the text itself, kept compressed


def test_taking_the_file_off_takes_its_words_out(state_registry: Registry, tmp_path: Path) -> None:
    reg = state_registry
    doc = entry(reg)
    first = reg.attachments.attach(doc, text_pdf(tmp_path / "a.pdf", BODY))
    reg.attachments.attach(doc, text_pdf(tmp_path / "b.pdf", ["Phụ lục: danh sách trạm biến áp"]))
    assert found(reg, "tram bien ap") == [doc] and found(reg, "duong dien") == [doc]
    reg.attachments.detach(first.id)
    assert found(reg, "duong dien") == []
    assert found(reg, "tram bien ap") == [doc]
    reg.attachments.detach(reg.attachments.list(doc)[0].id)
    assert found(reg, "tram bien ap") == []
    with reg.db.reading() as s:
        row = s.get(DocumentBody, doc)
        assert row is not None and row.body == "" and "77/sct-vp" in row.entry  # no readable file left


def test_an_edit_of_the_entry_keeps_the_body_index_in_step(state_registry: Registry, tmp_path: Path) -> None:
    reg = state_registry
    doc = entry(reg)
    reg.attachments.attach(doc, text_pdf(tmp_path / "a.pdf", BODY))
    reg.documents.update(doc, {"subject": "Kế hoạch ứng phó thiên tai"})
    assert found(reg, "ung pho duong dien") == [doc]  # new subject word + body word
    assert found(reg, "mua mua duong dien") == []  # the old subject's words left both indexes
    assert found(reg, "mua mua") == []


def test_recognised_text_given_by_the_window_is_indexed_with_its_searchable_copy(state_registry: Registry,
                                                                               tmp_path: Path) -> None:
    reg = state_registry
    doc = entry(reg)
    scan = tmp_path / "scan.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)  # the bytes are not read again: the text is given
    copy = text_pdf(tmp_path / "scan-ocr.pdf", ["Bản có lớp chữ"])
    record = reg.attachments.attach(doc, scan, AttachedText("Đề nghị kiểm tra đê điều", OCR, 88.5, searchable=copy))
    assert (record.text_source, record.text_confidence) == ("ocr", 88.5)
    listed = reg.attachments.list(doc)
    assert [a.file_name for a in listed] == ["scan.png", "scan (có lớp chữ).pdf"]
    assert listed[1].derived_from_id == record.id and listed[1].text_source is None
    assert found(reg, "de dieu") == [doc]
    assert found(reg, "ban co lop chu") == []  # the copy's own text is the scan's again: not indexed twice
    reg.attachments.detach(record.id)  # the copy goes with its scan
    assert reg.attachments.list(doc) == []
    assert found(reg, "de dieu") == []


def test_a_file_without_text_is_attached_and_says_why(state_registry: Registry, tmp_path: Path) -> None:
    reg = state_registry
    doc = entry(reg)
    blank = text_pdf(tmp_path / "blank.pdf", [])
    read = reg.attachments.read_text(blank, recognise=False)
    assert read.text == "" and "blank.pdf" in (read.problem or "")
    record = reg.attachments.attach(doc, blank, read)
    assert record.text_source is None
    assert found(reg, "blank") == []


def test_a_file_replaced_after_its_text_was_read_is_refused(state_registry: Registry, tmp_path: Path) -> None:
    reg = state_registry
    doc = entry(reg)
    path = text_pdf(tmp_path / "quet.pdf", BODY)
    read = reg.attachments.read_text(path)
    text_pdf(path, ["Một văn bản khác hẳn"])  # the scanner wrote the same name again before Vào sổ
    with pytest.raises(ValidationError, match="đã thay đổi sau khi được đọc"):
        reg.attachments.attach(doc, path, read)
    assert reg.attachments.list(doc) == [] and found(reg, "duong dien") == []


def test_a_refused_attach_leaves_no_temporary_copy(state_registry: Registry, tmp_path: Path) -> None:
    import os

    reg = state_registry
    copy = tmp_path / f"{SEARCHABLE_PREFIX}{os.getpid()}-x.pdf"
    text_pdf(copy, ["bản có lớp chữ"])
    read = AttachedText("Đề nghị kiểm tra đê điều", OCR, 90.0, searchable=copy)
    with pytest.raises(ValidationError, match="không tìm thấy tệp"):
        reg.attachments.attach(entry(reg), tmp_path / "da-chuyen-di.pdf", read)  # moved away before saving
    assert not copy.exists()
