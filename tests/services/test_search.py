"""Search and the big table's queries: folded words (đ too), filters, every sort key, blocks by id, demo data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from app.core.dates import today
from app.core.enums import Direction, DocumentStatus, Urgency
from app.core.errors import ValidationError
from app.core.records import SORT_KEYS, DocumentQuery, IncomingInput, OutgoingInput
from app.models import Document
from app.services import Registry

pytestmark = pytest.mark.both_engines


def _incoming(reg: Registry, issuer: str, ref: str, subject: str, received: str, **extra: object) -> int:
    return reg.documents.register_incoming(IncomingInput(issuer=issuer, reference=ref, issued_on=received,
                                                         received_on=received,
                                               doc_type=str(extra.pop("doc_type", "Công văn")), subject=subject,
                                               **extra)).id  # type: ignore[arg-type]


@pytest.fixture
def filled(state_registry: Registry) -> dict[str, int]:
    reg = state_registry
    return {
        "tb": _incoming(reg, "Đảng ủy Khối các cơ quan tỉnh", "12-TB/ĐUK", "Thông báo kết luận hội nghị",
                        "02/03/2024", doc_type="Thông báo"),
        "sxh": _incoming(reg, "Bộ Y tế", "3646/BYT-DP", "Về việc phòng, chống dịch sốt xuất huyết", "05/03/2024",
                         urgency="Hỏa tốc"),
        "dd": _incoming(reg, "Sở Nội vụ", "88/SNV-VP", "Đôn đốc báo cáo đánh giá công chức", "06/03/2024"),
        "old": _incoming(reg, "Bộ Y tế", "10/BYT-KH", "Kế hoạch năm", "10/01/2023", doc_type="Kế hoạch"),
    }


def ids(reg: Registry, **kw: object) -> list[int]:
    return reg.documents.search_ids(DocumentQuery(**kw))  # type: ignore[arg-type]


def test_words_without_marks_find_marked_text_including_d_bar(state_registry: Registry,
                                                              filled: dict[str, int]) -> None:
    assert ids(state_registry, text="thong bao") == [filled["tb"]]
    assert ids(state_registry, text="dang uy") == [filled["tb"]]
    assert ids(state_registry, text="ĐẢNG ỦY") == [filled["tb"]]
    assert ids(state_registry, text="don doc") == [filled["dd"]]  # đ→d in index and query alike
    assert ids(state_registry, text="sot xuat") == [filled["sxh"]]  # prefixes, every word required
    assert ids(state_registry, text="sot xuat huyet dang") == []
    assert ids(state_registry, text="3646") == [filled["sxh"]]  # số of the số, ký hiệu
    assert ids(state_registry, text="12-tb/duk") == [filled["tb"]]
    assert ids(state_registry, text="bo y te", year=None) == [filled["sxh"], filled["old"]]  # newest number first
    assert ids(state_registry, text="  ", year=2024) == [filled["dd"], filled["sxh"], filled["tb"]]
    assert ids(state_registry, text='"; DROP TABLE documents; --') == []  # FTS syntax is never passed through


def test_edits_are_searchable_and_old_words_are_gone(state_registry: Registry, filled: dict[str, int]) -> None:
    state_registry.documents.update(filled["dd"], {"subject": "Quyết định điều động"})
    assert ids(state_registry, text="dieu dong") == [filled["dd"]]
    assert ids(state_registry, text="danh gia cong chuc") == []


def test_filters(state_registry: Registry, filled: dict[str, int]) -> None:
    reg = state_registry
    assert ids(reg, year=2024, urgency=Urgency.HOA_TOC) == [filled["sxh"]]
    assert ids(reg, year=None, issuer="bo y") == [filled["sxh"], filled["old"]]
    assert ids(reg, year=None, issuer="không có cơ quan này") == []
    assert ids(reg, year=None, doc_type="ke hoach") == [filled["old"]]
    assert ids(reg, year=None, date_from=today().replace(year=2024, month=3, day=5),
               date_to=today().replace(year=2024, month=3, day=5)) == [filled["sxh"]]
    reg.documents.cancel(filled["tb"], "Vào sổ nhầm")
    assert ids(reg, year=2024, status="cancelled") == [filled["tb"]]
    assert filled["tb"] not in ids(reg, year=2024, status="open")
    assert ids(reg, year=2024, status=DocumentStatus.AWAITING_PRESENTATION) == [filled["dd"], filled["sxh"]]
    assert ids(reg, year=2024, direction=Direction.OUTGOING) == []


def test_overdue_filter_follows_the_deadline(state_registry: Registry) -> None:
    received = today() - timedelta(days=20)
    late = _incoming(state_registry, "Bộ Y tế", "1/BYT", "Trễ hạn", received.strftime("%d/%m/%Y"))
    fine = _incoming(state_registry, "Bộ Y tế", "2/BYT", "Còn hạn", received.strftime("%d/%m/%Y"))
    with state_registry.db.writing() as session:  # here the deadline column is written directly, not routed
        session.execute(update(Document).where(Document.id == late).values(due_on=today() - timedelta(days=1)))
        session.execute(update(Document).where(Document.id == fine).values(due_on=today() + timedelta(days=3)))
    assert ids(state_registry, year=None, status="overdue") == [late]
    docs = state_registry.documents
    assert docs.get(late).is_overdue(today()) and not docs.get(fine).is_overdue(today())


@pytest.mark.parametrize("key", SORT_KEYS)
def test_every_sort_key_gives_a_total_order(state_registry: Registry, filled: dict[str, int], key: str) -> None:
    up = ids(state_registry, year=None, sort=key, descending=False)
    down = ids(state_registry, year=None, sort=key, descending=True)
    assert sorted(up) == sorted(filled.values()) and down == up[::-1]


def test_sort_by_issuer_and_bad_sort_key(state_registry: Registry, filled: dict[str, int]) -> None:
    names = [d.issuer for d in state_registry.documents.search(DocumentQuery(year=None, sort="issuer",
                                                                             descending=False))]
    assert names == sorted(names)
    with pytest.raises(ValidationError, match="Sắp xếp theo"):
        ids(state_registry, sort="password")


def test_records_come_back_in_the_order_asked(state_registry: Registry, filled: dict[str, int]) -> None:
    wanted = [filled["old"], filled["tb"], filled["sxh"], 999_999]
    assert [r.id for r in state_registry.documents.records(wanted)] == wanted[:3]
    assert state_registry.documents.years() == [2024, 2023]


def test_outgoing_are_searchable_by_signer_and_recipient(state_registry: Registry) -> None:
    doc = state_registry.documents.register_outgoing(OutgoingInput(doc_type="Quyết định", subject="Khen thưởng",
                                                         signer="Trương Văn Hùng", recipients="Phòng Tổ chức cán bộ"))
    assert ids(state_registry, direction=None, text="truong hung") == [doc.id]
    assert ids(state_registry, direction=None, text="to chuc can bo") == [doc.id]
    assert ids(state_registry, direction=None, text=f"{doc.number:02d}/QD-SYT") == [doc.id]
    assert ids(state_registry, direction=None, text=f"{doc.number}/qđ-syt") == [doc.id]  # without the leading 0


def test_demo_data_numbers_follow_the_register_and_keep_counters(state_registry: Registry) -> None:
    year = today().year
    first = _incoming(state_registry, "Bộ Y tế", "5/BYT", "Trước dữ liệu mẫu", today().strftime("%d/%m/%Y"))
    with pytest.raises(ValidationError, match="Dữ liệu mẫu"):
        state_registry.demo.fill(500, year)  # a real register is never mixed with synthetic entries by accident
    result = state_registry.demo.fill(500, year, allow_existing=True)
    assert result.incoming == 400 and result.outgoing == 100 and result.years == (year,)
    incoming = state_registry.documents.search_ids(DocumentQuery(year=year, sort="number", descending=False))
    numbers = [r.number for r in state_registry.documents.records(incoming)]
    assert numbers == list(range(1, 402)) and incoming[0] == first  # gapless, continuing the real entry
    nxt = state_registry.documents.register_incoming(IncomingInput(
        issuer="Bộ Y tế", reference="6/BYT", issued_on=today(), received_on=today(), doc_type="Công văn",
        subject="Sau dữ liệu mẫu"))
    assert nxt.number == 402
    assert len(state_registry.documents.search_ids(DocumentQuery(direction=None, year=year, text="sot xuat huyet"))) \
        == len([r for r in state_registry.documents.search(DocumentQuery(direction=None, year=year))
                if "sốt xuất huyết" in r.subject])
    assert any(e.action == "demo_data" for e in state_registry.audit.events())
