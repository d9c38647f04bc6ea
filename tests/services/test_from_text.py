"""Registering from text: the form filled from the document, the bundle and its citations linked, slips reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.enums import Direction, LinkType
from app.core.records import IncomingInput
from app.extraction.extractor import extract
from app.services import Registry

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"
CHAIN = SAMPLES / "incoming_forward_chain.txt"
pytestmark = pytest.mark.skipif(not CHAIN.exists(), reason=f"shared samples not found at {SAMPLES}")


def test_the_sample_bundle_registers_its_cover_letter_and_links_the_chain(state_registry: Registry) -> None:
    ubnd = state_registry.documents.register_incoming(IncomingInput(
        issuer="ỦY BAN NHÂN DÂN TỈNH TÂY NINH", reference="5068/UBND-TH", issued_on="28/09/2023",
        received_on="29/09/2023", doc_type="Công văn", subject="Tham mưu thực hiện kết luận của BCH Đảng bộ tỉnh"))
    extraction = extract(CHAIN.read_text(encoding="utf-8"))
    plans = state_registry.text_entry.plan_links(extraction)
    forwards = [p for p in plans if p.link_type is LinkType.FORWARDS]
    assert [p.reference for p in forwards][:1] == ["5068/UBND-TH"]
    assert forwards[0].target_id == ubnd.id  # already in the register: linked to it, not left pending
    assert "3068/UBND-TH" in forwards[0].note  # the cover's misread number is shown, not hidden
    assert not any(p.reference == "3068/UBND-TH" for p in plans)  # and not linked as a second document

    doc, made = state_registry.text_entry.register(extraction, {"received_on": "24/10/2023"})
    # "SỞ Y TẾ" under "UBND TỈNH TÂY NINH": registered under its full name
    assert (doc.reference, doc.issuer, doc.doc_type) == ("3646/SYT-VP", "Sở Y tế tỉnh Tây Ninh", "Công văn")
    assert doc.subject.startswith("Tham mưu thực hiện Thông báo số 1737-TB/VPTU")
    assert doc.issued_on.isoformat() == "2023-10-24" and doc.received_on.isoformat() == "2023-10-24"
    links = {(link.link_type, link.target_id, link.target_reference) for link in doc.links}
    assert (LinkType.FORWARDS, ubnd.id, None) in {(k, t, None) for k, t, _r in links}
    references = {r for _k, _t, r in links}
    assert "1737-TB/VPTU" in references  # the Tỉnh ủy notice, pending until it is registered
    assert len(made) == len(plans)

    # Registering the notice later resolves the pending link: the chain is whole.
    notice = state_registry.documents.register_incoming(IncomingInput(
        issuer="VĂN PHÒNG TỈNH ỦY TÂY NINH", reference="1737-TB/VPTU", issued_on="22/09/2023",
        received_on="25/10/2023", doc_type="Thông báo", subject="Kết luận của Ban Chấp hành Đảng bộ tỉnh"))
    resolved = {link.target_id for link in state_registry.documents.get(doc.id).links}
    assert notice.id in resolved


def test_other_fields_override_what_was_read(state_registry: Registry) -> None:
    extraction = extract(CHAIN.read_text(encoding="utf-8"))
    doc, _made = state_registry.text_entry.register(
        extraction, {"subject": "Trích yếu do văn thư sửa", "received_on": "25/10/2023", "urgency": "khẩn"})
    assert doc.subject == "Trích yếu do văn thư sửa" and doc.urgency is not None
    assert state_registry.documents.find(Direction.INCOMING, doc.number, 2023).id == doc.id


def test_a_cited_number_with_an_ocr_slip_resolves_when_notation_date_and_issuer_agree(
        state_registry: Registry) -> None:
    real = state_registry.documents.register_incoming(IncomingInput(
        issuer="ỦY BAN NHÂN DÂN TỈNH TÂY NINH", reference="5068/UBND-TH", issued_on="28/09/2023",
        received_on="29/09/2023", doc_type="Công văn", subject="Tham mưu"))
    text = """UBND TỈNH TÂY NINH
SỞ Y TẾ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 3700/SYT-VP
Tây Ninh, ngày 30 tháng 10 năm 2023
V/v báo cáo kết quả thực hiện
Kính gửi: Các phòng chức năng thuộc Sở.
Thực hiện Công văn số 3068/UBND-TH ngày 28/9/2023 của Ủy ban nhân dân tỉnh, Sở Y tế đề nghị báo cáo.
Nơi nhận:
- Như trên;
- Lưu: VT, VP.
GIÁM ĐỐC
Trương Văn Hùng
"""
    plans = state_registry.text_entry.plan_links(extract(text))
    cite = next(p for p in plans if p.link_type is LinkType.CITES)
    assert cite.reference == "3068/UBND-TH" and cite.target_id == real.id
    assert "5068/UBND-TH" in cite.note and "khác số" in cite.note
