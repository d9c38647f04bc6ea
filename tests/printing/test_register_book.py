"""Register books read back from the PDF: cover, headings word for word on every page, "Trang x/y", signatures."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from app.core.enums import BookCategory, Direction, DocumentStatus, Urgency
from app.core.records import DocumentRecord
from app.printing.common import DOTS, Agency, write_pdf
from app.printing.register_book import COLUMNS, TITLES, RegisterBookRequest, write_register_book
from tests.printing.pdf_read import page_sizes_mm, page_texts

AGENCY = Agency("SỞ Y TẾ TỈNH TÂY NINH", parent="ỦY BAN NHÂN DÂN TỈNH TÂY NINH", place="Tây Ninh")
MARKED_SUBJECT = ("Về việc hướng dẫn thực hiện chế độ phụ cấp ưu đãi nghề đối với viên chức y tế ở xã, phường, "
                  "thị trấn và khu phố; kiểm tra việc chi trả tiền trực, thường trực cấp cứu")
MARKED_ISSUER = "Ủy ban nhân dân huyện Dương Minh Châu"
CANCEL_REASON = "Đăng ký nhầm sổ"
REPLY = "45/SYT-NVY"

BASE = DocumentRecord(
    id=1, direction=Direction.INCOMING, book_id=1, book_name="Sổ văn bản đến", category=BookCategory.ORDINARY,
    number=1, period="2026", registered_on=date(2026, 1, 5), year=2026, received_on=date(2026, 1, 5),
    received_at=None, issuer="Sở Tài chính", issuer_id=None, reference="101/STC-HCSN", doc_number=101,
    notation="STC-HCSN", issued_on=date(2026, 1, 2), doc_type="Công văn", subject="Về việc quyết toán ngân sách",
    urgency=None, secrecy=None, pages=2, copies=None, note="", file_code="", status=DocumentStatus.IN_PROGRESS,
    cancelled=False, cancelled_at=None, cancel_reason=None, signer=None, signer_title=None, authority=None,
    recipients=(), drafting_unit=None, archive_holder=None, reply_due=None, created_at=datetime(2026, 1, 5, 8),
    created_by="test", due_on=date(2026, 1, 20), directive=None, recipient_text="Phòng Kế hoạch - Tài chính")


def incoming_records() -> list[DocumentRecord]:
    return [
        BASE,
        replace(BASE, id=2, number=2, received_on=date(2026, 1, 7), issuer=MARKED_ISSUER,
                reference="1025/UBND-VX", issued_on=date(2026, 1, 6), doc_type="Công văn", subject=MARKED_SUBJECT,
                urgency=Urgency.KHAN, recipient_text="Phòng Nghiệp vụ Y"),
        replace(BASE, id=3, number=3, received_on=date(2026, 1, 9), issuer="Bộ Y tế", reference="77/QĐ-BYT",
                doc_type="Quyết định", subject="Quyết định về việc ban hành danh mục thuốc thiết yếu",
                cancelled=True, cancel_reason=CANCEL_REASON),
        replace(BASE, id=4, number=4, received_on=date(2026, 1, 14), issuer="Văn phòng Tỉnh ủy",
                reference="1737-TB/VPTU", doc_type="Thông báo", subject="Kết luận của Thường trực Tỉnh ủy",
                status=DocumentStatus.ANSWERED),
        replace(BASE, id=5, number=5, received_on=date(2026, 1, 20), issuer="Sở Nội vụ", reference="12/SNV-TCBC",
                subject="Về việc cử cán bộ dự lớp bồi dưỡng nghiệp vụ văn thư", note="Bản điện tử"),
    ]


def outgoing_records() -> list[DocumentRecord]:
    out = []
    for doc in incoming_records():
        out.append(replace(doc, direction=Direction.OUTGOING, received_on=None, issuer="Sở Y tế",
                           reference=f"{doc.number:02d}/SYT-VP", issued_on=doc.received_on,
                           registered_on=doc.received_on or doc.registered_on, signer="Nguyễn Văn Hùng",
                           signer_title="Phó Giám đốc", recipients=("UBND tỉnh", "Bộ Y tế", "Lưu: VT, VP"),
                           archive_holder="VT, VP", copies=3 + doc.number))
    return out


def request(kind: str, **changes: object) -> RegisterBookRequest:
    return replace(RegisterBookRequest(kind=kind, agency=AGENCY, year=2026, replies={4: REPLY}), **changes)


def write(path: Path, req: RegisterBookRequest, docs: object) -> int:
    pages: list[int] = []
    write_pdf(path, lambda out: pages.append(write_register_book(out, req, docs)))  # type: ignore[arg-type]
    return pages[0]


def footer_total(text: str, page: int) -> int:
    """The y of "Trang x/y" (pypdf reads the total, a form XObject, after a line break: "Trang 2/ 5")."""
    match = re.search(rf"Trang {page}/\s?(\d+)", text)
    assert match, f"no 'Trang {page}/…' in {text[-200:]!r}"
    return int(match.group(1))


@pytest.fixture(scope="module", params=["incoming", "outgoing", "follow_up"])
def book(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, int, list[str]]:
    kind = request.param
    docs = outgoing_records() if kind == "outgoing" else incoming_records()
    path = tmp_path_factory.mktemp(kind) / f"{kind}.pdf"
    count = write(path, globals()["request"](kind), iter(docs))
    assert page_sizes_mm(path) == [(297.0, 210.0)] * count
    return kind, count, page_texts(path)


def test_cover_has_title_year_ranges_and_volume(book: tuple[str, int, list[str]]) -> None:
    kind, _, texts = book
    cover = texts[0]
    for text in (AGENCY.parent, AGENCY.name, TITLES[kind], "Năm: 2026", "Quyển số: 1", "Từ số 01 đến số 05"):
        assert text in cover
    dates = "Từ ngày 05/01/2026 đến ngày 20/01/2026"
    assert dates in cover


def test_every_table_page_has_headings_numbers_and_footer(book: tuple[str, int, list[str]]) -> None:
    kind, count, texts = book
    assert len(texts) == count >= 2
    for page, text in enumerate(texts[1:], start=2):
        for column in COLUMNS[kind]:
            assert column.heading in text, (page, column.heading)
        assert " ".join(f"({i})" for i in range(1, len(COLUMNS[kind]) + 1)) in text
        assert footer_total(text, page) == count
    assert footer_total(texts[0], 1) == count


def test_values_cancelled_entry_and_signatures(book: tuple[str, int, list[str]]) -> None:
    kind, count, texts = book
    body = " ".join(texts[1:])
    for value in ("101/STC-HCSN" if kind != "outgoing" else "01/SYT-VP", MARKED_SUBJECT,
                  "Về việc cử cán bộ dự lớp bồi dưỡng nghiệp vụ văn thư"):
        assert value in body
    if kind == "outgoing":
        for value in ("Nguyễn Văn Hùng (Phó Giám đốc)", "UBND tỉnh; Bộ Y tế; Lưu: VT, VP", "VT, VP"):
            assert value in body
    else:
        assert MARKED_ISSUER in body and "1737-TB/VPTU" in body
    if kind == "follow_up":
        assert "Công văn số 1025/UBND-VX ngày 06/01/2026 của " + MARKED_ISSUER in body
        assert REPLY in body and DocumentStatus.ANSWERED.label in body and "20/01/2026" in body
    if kind == "incoming":
        assert "Thông báo: Kết luận của Thường trực Tỉnh ủy" in body
        assert "Quyết định về việc ban hành danh mục thuốc thiết yếu" in body  # no "Quyết định: Quyết định"
    assert f"ĐÃ HỦY: {CANCEL_REASON}" in body
    last = texts[-1]
    for text in ("NGƯỜI LẬP SỔ", "VĂN THƯ", "THỦ TRƯỞNG CƠ QUAN", "(Ký, ghi rõ họ tên)", "Tây Ninh, ngày",
                 f"Sổ này có {count:02d} trang, đánh số từ trang 01 đến trang {count:02d}."):
        assert text in last


def test_600_entries_repeat_headings_on_every_page(tmp_path: Path) -> None:
    def docs() -> Iterator[DocumentRecord]:  # a generator: the printer must not need len()
        for i in range(1, 601):
            yield replace(BASE, id=i, number=i, received_on=date(2026, 1, 2) + timedelta(days=i // 3),
                          reference=f"{i}/STC-HCSN", subject=MARKED_SUBJECT if i % 2 else "Về việc báo cáo",
                          cancelled=i % 100 == 0, cancel_reason="Trùng" if i % 100 == 0 else None)

    path = tmp_path / "big.pdf"
    count = write(path, request("incoming"), docs())
    texts = page_texts(path)
    assert count == len(texts) == len(page_sizes_mm(path)) > 20
    assert set(page_sizes_mm(path)) == {(297.0, 210.0)}
    assert "Từ số 01 đến số 600" in texts[0]
    for page, text in enumerate(texts[1:], start=2):
        assert all(column.heading in text for column in COLUMNS["incoming"]), page
        assert footer_total(text, page) == count
    body = " ".join(texts)
    assert all(f" {i}/STC-HCSN " in body for i in (1, 299, 600))
    assert body.count("ĐÃ HỦY") == 6
    assert "THỦ TRƯỞNG CƠ QUAN" in texts[-1]


def test_requested_range_shows_on_cover(tmp_path: Path) -> None:
    path = tmp_path / "range.pdf"
    req = request("incoming", date_from=date(2026, 1, 6), date_to=date(2026, 1, 31), number_from=2, number_to=4,
                  book_number=2)
    write(path, req, incoming_records()[1:4])  # the caller picks the entries; the book prints them all
    texts = page_texts(path)
    assert "Từ ngày 06/01/2026 đến ngày 31/01/2026" in texts[0] and "Quyển số: 2" in texts[0]
    assert "Từ số 02 đến số 04" in texts[0]
    body = " ".join(texts[1:])
    assert "101/STC-HCSN" not in body and "1025/UBND-VX" in body and "1737-TB/VPTU" in body


def test_empty_book_and_an_entry_taller_than_a_page(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pdf"
    assert write(empty, request("follow_up"), []) == 2
    texts = page_texts(empty)
    assert f"Từ ngày {DOTS} đến ngày {DOTS}" in texts[0] and "Không có văn bản nào" in texts[1]
    assert "THỦ TRƯỞNG CƠ QUAN" in texts[1]
    tall = tmp_path / "tall.pdf"
    note = " ".join(f"Ý kiến chỉ đạo lần {i} của lãnh đạo Sở." for i in range(150))
    count = write(tall, request("incoming"), [replace(BASE, note=note), replace(BASE, id=2, number=2)])
    body = " ".join(page_texts(tall))
    assert count >= 4 and "lần 149 của lãnh đạo Sở." in body and "Trang 1/" in body


def test_unknown_kind_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="Loại sổ"), open(tmp_path / "x.pdf", "wb") as out:
        write_register_book(out, request("secret"), [])
