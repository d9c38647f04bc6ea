"""Registering the real 3-level bundle from its text: the full issuer matched in the directory, the links following
the bundle's nesting, the deadline the text states, and the previous receiver's ĐẾN stamp left alone."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.core.enums import LinkType
from app.core.errors import ValidationError
from app.core.records import IncomingInput
from app.extraction.extractor import extract
from app.services import Registry

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"
CHAIN = SAMPLES / "incoming_forward_chain.txt"
pytestmark = [pytest.mark.both_engines,
              pytest.mark.skipif(not CHAIN.exists(), reason=f"shared samples not found at {SAMPLES}")]
# The sample's closing sentence with a stated deadline, as Sở letters phrase it (tests/data/extraction/04, 07, 11).
CLOSING = "nghiêm túc triển khai thực hiện./."
WITH_DEADLINE = "nghiêm túc triển khai thực hiện, báo cáo kết quả về Sở Y tế trước ngày 15/11/2023./."


def chain_text(deadline: bool = False) -> str:
    text = CHAIN.read_text(encoding="utf-8")
    assert CLOSING in text
    return text.replace(CLOSING, WITH_DEADLINE, 1) if deadline else text


def register_ubnd(reg: Registry, issuer: str = "UBND tỉnh Tây Ninh") -> int:
    return reg.documents.register_incoming(IncomingInput(
        issuer=issuer, reference="5068/UBND-TH", issued_on="28/09/2023", received_on="29/09/2023",
        doc_type="Công văn", subject="Tham mưu thực hiện kết luận của BCH Đảng bộ tỉnh")).id


def links_from(reg: Registry, doc_id: int) -> set[tuple[LinkType, int | None, str | None]]:
    return {(link.link_type, link.target_id, link.target_reference)
            for link in reg.documents.get(doc_id).links if link.source_id == doc_id}


def test_the_issuer_is_registered_under_its_full_name(state_registry: Registry) -> None:
    extraction = extract(chain_text())
    cover, ubnd = extraction.documents[0], extraction.documents[1]
    assert (cover.issuer, cover.issuer_parent) == ("SỞ Y TẾ", "UBND TỈNH TÂY NINH")  # what the header prints
    assert state_registry.text_entry.issuer_name(cover) == "Sở Y tế tỉnh Tây Ninh"  # not in the directory yet
    assert state_registry.text_entry.issuer_name(ubnd) == "ỦY BAN NHÂN DÂN TỈNH TÂY NINH"  # no parent: as read
    doc, _made = state_registry.text_entry.register(extraction, {"received_on": "25/10/2023"})
    assert doc.issuer == "Sở Y tế tỉnh Tây Ninh"
    assert [o.name for o in state_registry.directory.organizations("so y te")] == ["Sở Y tế tỉnh Tây Ninh"]


def test_the_directory_spelling_wins_marks_case_and_abbreviations_aside(state_registry: Registry) -> None:
    state_registry.documents.register_incoming(IncomingInput(
        issuer="Sở Y tế", reference="1/SYT", issued_on="02/01/2023", received_on="03/01/2023", doc_type="Công văn",
        subject="Một sở y tế khác, không nói tỉnh nào"))
    state_registry.documents.register_incoming(IncomingInput(
        issuer="SỞ Y TẾ TỈNH TÂY NINH", reference="2/SYT-VP", issued_on="02/01/2023", received_on="03/01/2023",
        doc_type="Công văn", subject="Công văn trước của Sở"))
    register_ubnd(state_registry)
    extraction = extract(chain_text())
    cover, ubnd = extraction.documents[0], extraction.documents[1]
    assert state_registry.text_entry.issuer_name(cover) == "SỞ Y TẾ TỈNH TÂY NINH"  # the short "Sở Y tế" loses
    assert state_registry.text_entry.issuer_name(ubnd) == "UBND tỉnh Tây Ninh"  # ỦY BAN NHÂN DÂN == UBND
    doc, _made = state_registry.text_entry.register(extraction, {"received_on": "25/10/2023"})
    assert doc.issuer == "SỞ Y TẾ TỈNH TÂY NINH"
    assert len(state_registry.directory.organizations("y te tinh tay ninh")) == 1  # no second spelling added


def test_the_planned_links_follow_the_nesting_of_the_bundle(state_registry: Registry) -> None:
    plans = state_registry.text_entry.plan_links(extract(chain_text()))
    tree = [(p.depth, p.link_type, p.reference, p.source) for p in plans]
    assert tree == [
        (0, LinkType.FORWARDS, "5068/UBND-TH", None),  # the Sở letter forwards the UBND letter …
        (1, LinkType.FORWARDS, "1737-TB/VPTU", "5068/UBND-TH"),  # … which forwards the Tỉnh ủy notice
        (0, LinkType.CITES, "1737-TB/VPTU", None),  # the Sở letter names the notice too
    ]
    assert "3068/UBND-TH" in plans[0].note  # the cover's misread number is shown, not a link of its own
    assert not plans[1].makeable and "5068/UBND-TH có trong sổ" in plans[1].note


def test_saving_makes_each_forwards_link_from_its_own_parent(state_registry: Registry) -> None:
    ubnd = register_ubnd(state_registry)
    doc, made = state_registry.text_entry.register(extract(chain_text()), {"received_on": "25/10/2023"})
    assert links_from(state_registry, doc.id) == {
        (LinkType.FORWARDS, ubnd, None), (LinkType.CITES, None, "1737-TB/VPTU")}
    assert links_from(state_registry, ubnd) == {(LinkType.FORWARDS, None, "1737-TB/VPTU")}  # not the cover's
    assert [(p.link_type, p.reference, p.source_id) for p in made] == [
        (LinkType.FORWARDS, "5068/UBND-TH", None), (LinkType.FORWARDS, "1737-TB/VPTU", ubnd),
        (LinkType.CITES, "1737-TB/VPTU", None)]
    notice = state_registry.documents.register_incoming(IncomingInput(
        issuer="VĂN PHÒNG TỈNH ỦY TÂY NINH", reference="1737-TB/VPTU", issued_on="22/09/2023",
        received_on="26/10/2023", doc_type="Thông báo", subject="Kết luận của Ban Chấp hành Đảng bộ tỉnh")).id
    chain = state_registry.links.forward_chain(doc.id)
    assert [step.document_id for step in chain.ancestors] == [ubnd, notice]  # 3646 → 5068 → 1737, whole


def test_a_forwarded_document_not_in_the_register_makes_no_link_on_another_entry(state_registry: Registry) -> None:
    doc, made = state_registry.text_entry.register(extract(chain_text()), {"received_on": "25/10/2023"})
    assert links_from(state_registry, doc.id) == {
        (LinkType.FORWARDS, None, "5068/UBND-TH"), (LinkType.CITES, None, "1737-TB/VPTU")}
    assert all(p.source is None for p in made)


def test_the_stated_deadline_becomes_the_entry_deadline(state_registry: Registry) -> None:
    extraction = extract(chain_text(deadline=True))
    assert extraction.documents[0].deadline == date(2023, 11, 15)
    assert extraction.received_stamp is not None and extraction.received_stamp.number == 1363
    doc, _made = state_registry.text_entry.register(extraction, {"received_on": "25/10/2023"})
    assert doc.due_on == date(2023, 11, 15)
    # the previous receiver's stamp (số 1363, 24/10/23) is not ours: the entry takes the next number, its day
    assert (doc.number, doc.received_on) == (1, date(2023, 10, 25))
    typed, _made = state_registry.text_entry.register(extract(chain_text(deadline=True)), {
        "received_on": "25/10/2023", "due_on": "20/11/2023"}, allow_duplicate=True)
    assert typed.due_on == date(2023, 11, 20)  # what the clerk typed wins


def test_a_deadline_before_the_document_date_is_refused_by_name(state_registry: Registry) -> None:
    with pytest.raises(ValidationError) as refused:
        state_registry.documents.register_incoming(IncomingInput(
            issuer="Sở Y tế tỉnh Tây Ninh", reference="3700/SYT-VP", issued_on="30/10/2023",
            received_on="31/10/2023", doc_type="Công văn", subject="Báo cáo", due_on="15/10/2023"))
    assert "Hạn giải quyết: 15/10/2023 trước ngày văn bản 30/10/2023." in str(refused.value)


def test_the_unchecked_fields_question_is_a_setting(state_registry: Registry) -> None:
    assert state_registry.settings.all()["form.ask_unchecked"] == "1"  # asked unless turned off
    assert state_registry.settings.set("form.ask_unchecked", "không") == "0"
    assert state_registry.settings.set("form.ask_unchecked", "Bật") == "1"
    with pytest.raises(ValidationError) as refused:
        state_registry.settings.set("form.ask_unchecked", "thỉnh thoảng")
    assert "Hỏi trước khi lưu khi còn trường tô vàng chưa kiểm tra" in str(refused.value)


@pytest.mark.sqlite_only
def test_the_command_line_turns_the_question_off_and_on(db_path: Path) -> None:
    from tests.conftest import run_cli

    done = run_cli("settings", "set", "form.ask_unchecked", "0", db=db_path)
    assert done.returncode == 0, done.stderr
    assert "form.ask_unchecked = 0" in done.stdout
    assert run_cli("settings", "get", "form.ask_unchecked", db=db_path).stdout.strip() == "0"
    bad = run_cli("settings", "set", "form.ask_unchecked", "hay", db=db_path)
    assert bad.returncode == 2 and "Hỏi trước khi lưu khi còn trường tô vàng chưa kiểm tra" in bad.stderr
