"""The editable list of document types drives outgoing numbering: custom types, renamed abbreviations, retired
types; its edits are checked and audited."""

from __future__ import annotations

from datetime import date

import pytest

from app.core.enums import Family
from app.core.errors import NotFoundError, ValidationError
from app.core.records import OutgoingInput
from app.services import Registry


def _out(registry: Registry, doc_type: str, signed_on: str = "05/01/2024", unit: str = "") -> str:
    return registry.documents.register_outgoing(OutgoingInput(doc_type=doc_type, subject="Nội dung",
                                                              signer="Trương Văn Hùng",
                                                    unit=unit, signed_on=signed_on)).reference


def test_seeded_lists_follow_the_decrees(state_registry: Registry) -> None:
    state = {t.name: t.abbreviation for t in state_registry.types.list()}
    assert state["Quy định"] == "QyĐ" and state["Chương trình"] == "CTr" and state["Công văn"] is None
    assert "Kết luận" not in state
    party = {t.name: t.abbreviation for t in state_registry.types.list(Family.PARTY)}
    assert party["Công văn"] == "CV" and party["Quy định"] == "QĐi" and "Thư công" not in party


def test_custom_type_numbers_with_its_abbreviation(state_registry: Registry) -> None:
    with pytest.raises(ValidationError, match="không có trong danh mục"):
        _out(state_registry, "Thông tri")
    added = state_registry.types.save("thông tri", "TTri")
    assert (added.name, added.abbreviation, added.family, added.active) == ("Thông tri", "TTri", Family.STATE, True)
    doc = state_registry.documents.register_outgoing(OutgoingInput(doc_type="THONG TRI", subject="x", signer="A",
                                                         signed_on="05/01/2024"))
    assert (doc.reference, doc.doc_type) == ("01/TTri-SYT", "Thông tri")  # stored as the list spells it
    # A state type without abbreviation is numbered like a công văn: agency-drafting unit.
    state_registry.types.save("Công văn hỏa tốc", None)
    assert _out(state_registry, "Công văn hỏa tốc", unit="vp") == "02/SYT-VP"
    with pytest.raises(ValidationError, match="Đơn vị soạn thảo"):
        _out(state_registry, "Công văn hỏa tốc")


def test_party_custom_type_has_its_own_sequence(party_registry: Registry) -> None:
    party_registry.types.save("Thông tri liên tịch", "TTLT")
    assert _out(party_registry, "Công văn") == "01-CV/TU"
    assert _out(party_registry, "Thông tri liên tịch") == "01-TTLT/TU"
    assert _out(party_registry, "Thông tri liên tịch") == "02-TTLT/TU"


def test_renamed_abbreviation_applies_to_new_numbers_only(state_registry: Registry) -> None:
    first = state_registry.documents.register_outgoing(OutgoingInput(doc_type="Quy định", subject="x", signer="A",
                                                           signed_on="05/01/2024"))
    assert first.reference == "01/QyĐ-SYT"
    rule = next(t for t in state_registry.types.list() if t.name == "Quy định")
    edited = state_registry.types.save("Quy định", "QĐi", type_id=rule.id)
    assert edited.abbreviation == "QĐi"
    assert _out(state_registry, "Quy định") == "02/QĐi-SYT"  # one yearly sequence for a state agency
    assert state_registry.documents.get(first.id).reference == "01/QyĐ-SYT"


def test_inactive_type_is_refused_for_new_outgoing(state_registry: Registry) -> None:
    plan = next(t for t in state_registry.types.list() if t.name == "Phương án")
    state_registry.types.save(plan.name, plan.abbreviation, active=False, type_id=plan.id)
    assert "Phương án" not in {t.name for t in state_registry.types.list()}
    assert "Phương án" in {t.name for t in state_registry.types.list(include_inactive=True)}
    with pytest.raises(ValidationError, match="ngừng dùng") as refused:
        _out(state_registry, "phương án")
    assert refused.value.errors[0].field == "doc_type"
    with pytest.raises(ValidationError, match="ngừng dùng"):
        state_registry.documents.next_outgoing_number("Phương án", date(2024, 1, 5))
    state_registry.types.save(plan.name, plan.abbreviation, active=True, type_id=plan.id)
    assert _out(state_registry, "Phương án") == "01/PA-SYT"


def test_refusals_name_the_field(state_registry: Registry) -> None:
    with pytest.raises(ValidationError) as duplicate:
        state_registry.types.save("QUYẾT ĐỊNH", "QĐ")
    assert [(e.field, e.label) for e in duplicate.value.errors] == [("name", "Tên loại văn bản")]
    assert "đã có trong danh mục" in str(duplicate.value)
    # The same name is fine in the other family's list.
    assert state_registry.types.save("Thư công", "TC", family=Family.PARTY).family is Family.PARTY
    for bad in ("Q-Đ", "QĐ 1", "qd", "Quá", "ABCDEFGHIJK", "Q/Đ"):
        with pytest.raises(ValidationError, match="Chữ viết tắt") as refused:
            state_registry.types.save("Thông tri", bad)
        assert refused.value.errors[0].field == "abbreviation"
    with pytest.raises(ValidationError) as both:
        state_registry.types.save("", "1A")
    assert [e.field for e in both.value.errors] == ["name", "abbreviation"]
    with pytest.raises(ValidationError, match="cơ quan Đảng"):
        state_registry.types.save("Thông tri", "", family=Family.PARTY)
    rule = next(t for t in state_registry.types.list() if t.name == "Quy chế")
    with pytest.raises(ValidationError, match="đã có"):  # renaming onto another type's name
        state_registry.types.save("Quy định", "QC", type_id=rule.id)
    with pytest.raises(NotFoundError):
        state_registry.types.save("Thông tri", "TTri", type_id=999_999)
    assert "Thông tri" not in {t.name for t in state_registry.types.list(include_inactive=True)}


def test_edits_are_audited(state_registry: Registry) -> None:
    added = state_registry.types.save("Thông tri", "TTri")
    state_registry.types.save("Thông tri", "TTr", active=False, type_id=added.id)
    state_registry.types.save("Thông tri", "TTr", active=False, type_id=added.id)  # no change, no event
    events = state_registry.audit.events("document_type", added.id)
    assert [e.action for e in events] == ["edit", "create"]
    assert events[0].before == {"abbreviation": "TTri", "active": True}
    assert events[0].after == {"abbreviation": "TTr", "active": False}
    assert events[1].after is not None and events[1].after["name"] == "Thông tri"
    assert events[0].actor == "van_thu_test"


def test_departments_and_people_are_listed_and_edited(registry: Registry) -> None:
    office = registry.directory.add_department("Văn phòng", "vp")
    finance = registry.directory.add_department("Phòng Kế hoạch - Tài chính", "KHTC")
    person = registry.directory.add_person("Nguyễn Thị Lan", "Chánh Văn phòng", office)
    assert [(d.name, d.code) for d in registry.directory.departments()] == [("Phòng Kế hoạch - Tài chính", "KHTC"),
                                                                  ("Văn phòng", "VP")]
    assert [(p.full_name, p.department_name) for p in registry.directory.people()] == [("Nguyễn Thị Lan", "Văn phòng")]
    moved = registry.directory.update_person(person, "Nguyễn Thị Lan", "Trưởng phòng", finance)
    assert (moved.title, moved.department_name) == ("Trưởng phòng", "Phòng Kế hoạch - Tài chính")
    registry.directory.update_department(office, "Văn phòng", "VP", active=False)
    assert [d.code for d in registry.directory.departments()] == ["KHTC"]
    assert [d.active for d in registry.directory.departments(include_inactive=True)] == [True, False]
    with pytest.raises(ValidationError, match="Mã đơn vị: 'VP' đã được dùng"):
        registry.directory.update_department(finance, "Phòng Kế hoạch - Tài chính", "VP")
    assert [e.action for e in registry.audit.events("department", office)] == ["edit", "create"]
    assert [e.action for e in registry.audit.events("person", person)] == ["edit", "create"]
