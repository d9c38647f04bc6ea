"""Phiếu giải quyết, giấy biên nhận and sổ chuyển giao: page sizes, headings and values read back from the PDFs."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path

from app.core.enums import BookCategory, Direction, DocumentStatus, Family, Secrecy, Urgency
from app.core.records import DocumentRecord
from app.printing.common import Agency, write_pdf
from app.printing.receipts import write_handover, write_receipt
from app.printing.slip import Routing, write_slip
from tests.printing.pdf_read import page_sizes_mm, page_texts

STATE = Agency("Sở Y tế tỉnh Tây Ninh", "UBND tỉnh Tây Ninh", "Tây Ninh", Family.STATE)
PARTY = Agency("Tỉnh ủy Tây Ninh", "", "Tây Ninh", Family.PARTY)
SUBJECT = ("V/v triển khai thực hiện Kế hoạch phòng, chống dịch bệnh sốt xuất huyết trên địa bàn tỉnh năm 2023 "
           "và tăng cường kiểm tra, giám sát tại các huyện, thị xã, thành phố")
SLIP_HEADINGS = ("PHIẾU GIẢI QUYẾT VĂN BẢN ĐẾN", "1. Ý kiến của lãnh đạo cơ quan, tổ chức:",
                 "2. Ý kiến của lãnh đạo đơn vị:", "3. Ý kiến đề xuất của người giải quyết:")
HANDOVER_HEADINGS = "Ngày chuyển Số đến Số, ký hiệu Trích yếu Đơn vị hoặc người nhận Ký nhận Ghi chú"


def incoming(number: int = 1363, **changes: object) -> DocumentRecord:
    doc = DocumentRecord(
        id=number, direction=Direction.INCOMING, book_id=1, book_name="Sổ văn bản đến",
        category=BookCategory.ORDINARY, number=number, period="2023", registered_on=date(2023, 10, 24), year=2023,
        received_on=date(2023, 10, 24), received_at=time(8, 30), issuer="UBND TỈNH TÂY NINH", issuer_id=1,
        reference=f"{5000 + number}/UBND-TH", doc_number=5000 + number, notation="UBND-TH",
        issued_on=date(2023, 10, 2), doc_type="Công văn", subject=SUBJECT, urgency=Urgency.KHAN, secrecy=None,
        pages=3, copies=1, note="", file_code="", status=DocumentStatus.AWAITING_PRESENTATION, cancelled=False,
        cancelled_at=None, cancel_reason=None, signer=None, signer_title=None, authority=None, recipients=(),
        drafting_unit=None, archive_holder=None, reply_due=None, created_at=datetime(2023, 10, 24, 8, 31),
        created_by="van_thu")
    return replace(doc, **changes)  # type: ignore[arg-type]


def footers(text: str) -> list[tuple[int, int]]:
    """'Trang x/y' pairs; the total is a separate form XObject, so the extracted text may have 'x/ y'."""
    return [(int(x), int(y)) for x, y in re.findall(r"Trang (\d+)/\s?(\d+)", text)]


# Phiếu giải quyết văn bản đến

def test_slip_is_one_a4_portrait_page_with_the_document_and_the_routing(tmp_path: Path) -> None:
    doc = incoming(issuer="Ban Tuyên giáo Tỉnh ủy", reference="2141-CV/BTGTU")
    routing = Routing(lead="Phòng Nghiệp vụ Y", supporting=("Trung tâm Kiểm soát bệnh tật", "Văn phòng Sở"),
                      deadline=date(2023, 11, 10), directive="Khẩn trương triển khai, báo cáo kết quả.")
    path = write_pdf(tmp_path / "slip.pdf", lambda out: write_slip(out, STATE, doc, routing))

    assert page_sizes_mm(path) == [(210.0, 297.0)]
    [text] = page_texts(path)
    for heading in SLIP_HEADINGS:
        assert heading in text
    for value in ("Tên loại: Công văn", "Số và ký hiệu: 2141-CV/BTGTU", "Ngày tháng năm: 02/10/2023",
                  "Cơ quan ban hành: Ban Tuyên giáo Tỉnh ủy", f"Trích yếu: {SUBJECT}", "Số đến: 1363",
                  "Ngày đến: 24/10/2023, 08 giờ 30", "Độ khẩn, độ mật: Khẩn"):
        assert value in text
    for value in ("Phòng Nghiệp vụ Y", "Trung tâm Kiểm soát bệnh tật, Văn phòng Sở", "10/11/2023",
                  "Khẩn trương triển khai, báo cáo kết quả."):
        assert value in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "SỞ Y TẾ TỈNH TÂY NINH" in text
    assert text.count("(Ký, ghi rõ họ tên)") == 3
    # Routing written by the leader stays in the order of the form: lead before supporting before deadline.
    assert text.index("Phòng Nghiệp vụ Y") < text.index("Văn phòng Sở") < text.index("10/11/2023")
    assert text.index(SLIP_HEADINGS[1]) < text.index(SLIP_HEADINGS[2]) < text.index(SLIP_HEADINGS[3])


def test_slip_without_routing_takes_what_the_register_knows(tmp_path: Path) -> None:
    doc = incoming(recipient_text="Phòng Kế hoạch - Tài chính", due_on=date(2023, 11, 3),
                   directive="Giao Phòng KHTC tham mưu.")
    path = write_pdf(tmp_path / "slip.pdf", lambda out: write_slip(out, STATE, doc, on=date(2023, 10, 24)))

    [text] = page_texts(path)
    assert "chủ trì: Phòng Kế hoạch - Tài chính" in text
    assert "Thời hạn giải quyết: 03/11/2023" in text
    assert "Giao Phòng KHTC tham mưu." in text
    assert "Tây Ninh, ngày 24 tháng 10 năm 2023" in text


def test_slip_with_nothing_known_and_a_long_subject_still_fits_one_page(tmp_path: Path) -> None:
    subject = "Về việc tổ chức hội nghị quán triệt, triển khai thực hiện Nghị quyết của Tỉnh ủy " * 5
    doc = incoming(subject=subject.strip(), urgency=None, received_at=None)
    path = write_pdf(tmp_path / "slip.pdf", lambda out: write_slip(out, PARTY, doc))

    assert page_sizes_mm(path) == [(210.0, 297.0)]
    [text] = page_texts(path)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "CỘNG HÒA" not in text
    assert subject.strip() in text
    for heading in SLIP_HEADINGS:
        assert heading in text


# Giấy biên nhận

def test_receipt_lists_every_document_the_time_and_the_clerk(tmp_path: Path) -> None:
    docs = [incoming(1363), incoming(1364, reference="15/QĐ-BNV", issuer="Bộ Nội vụ", doc_type="Quyết định",
                                     subject="Về việc ban hành Quy chế làm việc", pages=None, copies=None),
            incoming(1365, reference="2141-CV/BTGTU", secrecy=Secrecy.MAT, subject="Tuyên truyền & <kỷ niệm>")]
    path = write_pdf(tmp_path / "receipt.pdf", lambda out: write_receipt(
        out, STATE, docs, datetime(2023, 10, 24, 8, 5), "Nguyễn Thị Hồng Nhung", "Bưu điện tỉnh Tây Ninh"))

    assert page_sizes_mm(path) == [(210.0, 297.0)]
    [text] = page_texts(path)
    assert "GIẤY BIÊN NHẬN VĂN BẢN" in text
    assert "Văn thư Sở Y tế tỉnh Tây Ninh đã nhận của: Bưu điện tỉnh Tây Ninh" in text
    for doc in docs:
        assert doc.reference and doc.reference in text
        assert str(doc.number) in text
    assert "Quyết định về việc ban hành Quy chế làm việc" in text
    assert "Tuyên truyền & <kỷ niệm>" in text
    assert "Thời gian nhận: 08 giờ 05, ngày 24/10/2023" in text
    assert "NGƯỜI GIAO" in text and "NGƯỜI NHẬN (VĂN THƯ)" in text and "(Ký, ghi rõ họ tên)" in text
    assert "Nguyễn Thị Hồng Nhung" in text
    assert footers(text) == [(1, 1)]


def test_receipt_without_a_sender_leaves_a_line_to_write_on(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "receipt.pdf", lambda out: write_receipt(
        out, STATE, [incoming()], datetime(2024, 2, 5, 14, 0), "Lê Văn An"))

    [text] = page_texts(path)
    assert "đã nhận của:" in text and "Lê Văn An" in text
    assert "14 giờ 00, ngày 05/02/2024" in text


# Sổ chuyển giao văn bản đến

def test_handover_is_landscape_with_the_columns_the_unit_and_every_document(tmp_path: Path) -> None:
    docs = [incoming(7), incoming(8, reference="15/QĐ-BNV", urgency=Urgency.HOA_TOC, note="Kèm đĩa CD"),
            incoming(9, recipient_text="Phòng Nghiệp vụ Y (chủ trì)")]
    pages: list[int] = []
    path = write_pdf(tmp_path / "handover.pdf", lambda out: pages.append(
        write_handover(out, STATE, "Phòng Nghiệp vụ Y", docs, date(2023, 10, 25))))

    assert pages == [1]
    assert page_sizes_mm(path) == [(297.0, 210.0)]
    [text] = page_texts(path)
    assert "SỔ CHUYỂN GIAO VĂN BẢN ĐẾN" in text
    assert "Đơn vị nhận: Phòng Nghiệp vụ Y" in text
    assert HANDOVER_HEADINGS in text
    for doc in docs:
        assert f"25/10/2023 {doc.number} {doc.reference}" in text
    assert "Hỏa tốc; Kèm đĩa CD" in text
    assert "Phòng Nghiệp vụ Y (chủ trì)" in text
    assert "NGƯỜI GIAO" in text and "NGƯỜI NHẬN" in text
    assert footers(text) == [(1, 1)]


def test_a_long_handover_repeats_the_headings_and_numbers_its_pages(tmp_path: Path) -> None:
    docs = [incoming(n) for n in range(1, 121)]
    pages: list[int] = []
    path = write_pdf(tmp_path / "handover.pdf", lambda out: pages.append(
        write_handover(out, STATE, "Văn phòng Sở", docs, date(2023, 10, 25))))

    texts = page_texts(path)
    assert pages == [len(texts)] and len(texts) > 2
    assert set(page_sizes_mm(path)) == {(297.0, 210.0)}
    for index, text in enumerate(texts, start=1):
        assert HANDOVER_HEADINGS in text
        assert footers(text) == [(index, len(texts))]
    everything = " ".join(texts)
    for doc in docs:
        assert f"{doc.number} {doc.reference}" in everything
    assert "Tổng số: 120 văn bản." in texts[-1] and "NGƯỜI NHẬN" in texts[-1]
