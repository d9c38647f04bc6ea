"""Incoming documents without số, ký hiệu (Không số), and the register book's Ngày chuyển, on real databases."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest

from app.core.enums import Direction
from app.core.errors import DuplicateError
from app.core.records import DocumentQuery, IncomingInput
from app.services import Registry
from app.services.printouts import RegisterRange
from tests.printing.pdf_read import page_texts
from tests.services.test_transfer import target  # noqa: F401 - the second register the round trip imports into

pytestmark = pytest.mark.both_engines

YEAR = 2025
ISSUER = "UBND HUYỆN HÒA THÀNH"


def _giay_moi(reg: Registry, subject: str, reference: str = "Không số", allow_duplicate: bool = False,
              received_on: str = "02/06/2025") -> int:
    return reg.documents.register_incoming(IncomingInput(
        issuer=ISSUER, reference=reference, issued_on="01/06/2025", doc_type="Giấy mời", subject=subject,
        received_on=received_on), allow_duplicate).id


def test_unnumbered_entries_keep_no_reference_and_are_not_duplicates_of_each_other(state_registry: Registry) -> None:
    reg = state_registry
    first = _giay_moi(reg, "Mời dự họp giao ban tháng 6")
    second = _giay_moi(reg, "Mời dự hội nghị tổng kết")  # same issuer, same day, also without số: another paper
    for doc_id in (first, second):
        doc = reg.documents.get(doc_id)
        assert (doc.reference, doc.doc_number, doc.notation) == (None, None, None)
    with pytest.raises(DuplicateError, match="Văn bản không số cùng trích yếu ngày 01/06/2025 của UBND HUYỆN"):
        _giay_moi(reg, "mời dự HỌP giao ban tháng 6")  # the same paper registered twice is still caught
    third = _giay_moi(reg, "Mời dự họp giao ban tháng 6", allow_duplicate=True)
    assert reg.documents.get(third).number == 3
    numbered = _giay_moi(reg, "Mời dự tập huấn", reference="12/GM-UBND")
    with pytest.raises(DuplicateError, match="12/GM-UBND"):  # numbered documents: checked by số as before
        _giay_moi(reg, "Mời dự tập huấn", reference="12/GM-UBND")
    found = reg.documents.search(DocumentQuery(text="không số", direction=Direction.INCOMING))
    assert sorted(d.id for d in found) == [first, second, third]
    assert numbered not in [d.id for d in found]


def test_an_entry_edited_to_and_from_khong_so_is_audited(state_registry: Registry) -> None:
    reg = state_registry
    doc_id = _giay_moi(reg, "Mời dự họp")
    assert reg.documents.update(doc_id, {"subject": "Mời dự họp chi bộ"}).reference is None  # re-checked whole
    assert reg.documents.update(doc_id, {"reference": "15/GM-UBND"}).reference == "15/GM-UBND"
    edited = reg.documents.update(doc_id, {"reference": "không số"})
    assert (edited.reference, edited.doc_number) == (None, None)
    changes = [(e.before, e.after) for e in reg.audit.events("document", doc_id) if e.action == "edit"]
    assert changes[0] == ({"reference": "15/GM-UBND", "doc_number": 15, "notation": "GM-UBND"},
                           {"reference": None, "doc_number": None, "notation": None})


def test_khong_so_cell_round_trips_through_excel(state_registry: Registry, target: Registry,  # noqa: F811
                                                 tmp_path: Path) -> None:
    _giay_moi(state_registry, "Mời dự họp giao ban")
    path, rows = state_registry.transfer.export_xlsx(DocumentQuery(direction=Direction.INCOMING, year=YEAR),
                                                     tmp_path / "so-den.xlsx")
    assert rows == 1
    import openpyxl

    sheet = openpyxl.load_workbook(path, read_only=True).active
    assert "Không số" in [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    report = target.transfer.import_register(path)
    assert not report.errors
    [doc] = target.documents.search(DocumentQuery(direction=Direction.INCOMING, year=YEAR))
    assert doc.reference is None and doc.subject == "Mời dự họp giao ban"


def test_register_book_prints_ngay_chuyen_of_the_handed_over_entry_and_khong_so(state_registry: Registry,
                                                                               tmp_path: Path) -> None:
    reg = state_registry
    reg.directory.add_department("Văn phòng", "VP")
    handed = _giay_moi(reg, "Mời dự họp giao ban")
    _giay_moi(reg, "Mời dự hội nghị", reference="12/GM-UBND")  # routed and never signed for: (8) stays blank
    reg.routing.route(handed, "VP", directed_at=date(2025, 6, 3))
    reg.routing.route(2, "VP", directed_at=date(2025, 6, 3))
    reg.routing.handover(handed, "VP", "Lê Thị D", datetime(2025, 6, 5, 8, 30))
    path, entries, _pages = reg.printouts.register(RegisterRange("incoming", YEAR), tmp_path / "so-den.pdf")
    assert entries == 2
    text = " ".join(page_texts(path)[1:])
    assert "Không số" in text and not re.search(r"số Không số", text, re.IGNORECASE)
    rows = re.split(r"(?=02/06/2025 0[12] )", text)
    row_1 = next(r for r in rows if r.startswith("02/06/2025 01 "))
    row_2 = next(r for r in rows if r.startswith("02/06/2025 02 "))
    assert "05/06/2025" in row_1  # (8) Ngày chuyển: the day of the first ký nhận
    assert "05/06/2025" not in row_2 and re.findall(r"\d\d/\d\d/\d{4}", row_2) == ["02/06/2025", "01/06/2025"]
    follow_up, _n, _p = reg.printouts.register(RegisterRange("follow-up", YEAR), tmp_path / "theo-doi.pdf")
    follow_text = " ".join(page_texts(follow_up))
    assert "Giấy mời không số ngày 01/06/2025 của UBND HUYỆN HÒA THÀNH" in follow_text
    assert "Giấy mời số 12/GM-UBND ngày 01/06/2025" in follow_text
    assert not re.search(r"số Không số", follow_text, re.IGNORECASE)
