"""Deadline rules: checked, audited, unique per (type, urgency), and never moving a deadline already given."""

from __future__ import annotations

from datetime import date

import pytest

from app.core.enums import Urgency
from app.core.errors import NotFoundError, ValidationError
from app.core.records import IncomingInput
from app.services import Registry

# The seed (revision 0003): Hỏa tốc and Thượng khẩn the same day, Khẩn the next, anything else 10 working days.
SEEDED = [(None, None, 10), (None, Urgency.KHAN, 1), (None, Urgency.THUONG_KHAN, 0), (None, Urgency.HOA_TOC, 0)]


def rules(reg: Registry) -> list[tuple[str | None, Urgency | None, int]]:
    return [(r.doc_type, r.urgency, r.working_days) for r in reg.deadline_rules.list()]


def test_rules_are_listed_added_edited_and_removed_with_an_audit_trail(state_registry: Registry) -> None:
    reg = state_registry
    assert rules(reg) == SEEDED
    added = reg.deadline_rules.save("cong van", "khẩn", 3)  # spelled as the list spells it, urgency parsed
    assert (added.doc_type, added.urgency, added.working_days) == ("Công văn", Urgency.KHAN, 3)
    giay_moi = reg.deadline_rules.save("Giấy mời", None, "2")
    assert rules(reg) == [*SEEDED, ("Công văn", Urgency.KHAN, 3), ("Giấy mời", None, 2)]

    edited = reg.deadline_rules.save("Công văn", Urgency.THUONG_KHAN, 1, rule_id=added.id)
    assert (edited.id, edited.urgency, edited.working_days) == (added.id, Urgency.THUONG_KHAN, 1)
    # `set` on the command line: the rule for the same key is updated instead of refused.
    replaced = reg.deadline_rules.save("CÔNG VĂN", "thuong khan", 2, replace=True)
    assert replaced.id == added.id and replaced.working_days == 2
    assert reg.deadline_rules.remove(doc_type="công văn", urgency="Thượng khẩn").id == added.id
    assert reg.deadline_rules.remove(giay_moi.id).doc_type == "Giấy mời"
    assert rules(reg) == SEEDED
    events = [(e.action, e.entity_id) for e in reg.audit.events("deadline_rule")]
    assert events == [("delete", giay_moi.id), ("delete", added.id), ("edit", added.id), ("edit", added.id),
                      ("create", giay_moi.id), ("create", added.id)]
    assert reg.audit.events("deadline_rule")[2].after == {"working_days": 2}  # an edit records what changed


def test_bad_rules_are_refused_field_by_field_and_nothing_is_written(state_registry: Registry) -> None:
    reg = state_registry
    with pytest.raises(ValidationError) as refused:
        reg.deadline_rules.save("Công văn hỏa tốc", "rất khẩn", 366)
    assert [e.field for e in refused.value.errors] == ["doc_type", "urgency", "working_days"]
    assert "không có trong danh mục loại văn bản" in str(refused.value)
    for days in (-1, "mười", "", "1.5"):
        with pytest.raises(ValidationError, match="Số ngày làm việc"):
            reg.deadline_rules.save("Công văn", None, days)
    with pytest.raises(ValidationError, match=r"đã có quy định cho mọi loại, Khẩn \(1 ngày làm việc\)"):
        reg.deadline_rules.save("", "khan", 5)  # the seeded catch-all for Khẩn
    kept = reg.deadline_rules.save("Tờ trình", None, 5)
    other = reg.deadline_rules.save("Tờ trình", "khẩn", 2)
    with pytest.raises(ValidationError, match="đã có quy định cho Tờ trình, mọi độ khẩn"):
        reg.deadline_rules.save("to trinh", None, 7, rule_id=other.id)  # editing into another rule's key
    assert reg.deadline_rules.save("Tờ trình", None, 6, rule_id=kept.id).working_days == 6  # its own key: fine
    with pytest.raises(NotFoundError):
        reg.deadline_rules.save("Tờ trình", None, 6, rule_id=9999)
    with pytest.raises(NotFoundError, match="Báo cáo, Hỏa tốc"):
        reg.deadline_rules.remove(doc_type="Báo cáo", urgency="hỏa tốc")
    assert rules(reg) == [*SEEDED, ("Tờ trình", None, 6), ("Tờ trình", Urgency.KHAN, 2)]
    # A type of the other family's list is known too (a Sở receives Party documents).
    assert reg.deadline_rules.save("Thông tri", None, 4).doc_type == "Thông tri"


def test_a_rule_change_never_moves_a_deadline_already_given(state_registry: Registry) -> None:
    reg = state_registry
    reg.directory.add_department("Phòng Nghiệp vụ Y", "NVY")
    doc = reg.documents.register_incoming(IncomingInput(
        issuer="UBND TỈNH TÂY NINH", reference="21/UBND-TH", issued_on="27/04/2026", received_on="04/05/2026",
        doc_type="Công văn", subject="V/v triển khai nhiệm vụ")).id
    step = reg.routing.route(doc, "Phòng Nghiệp vụ Y", directed_at=date(2026, 5, 4))
    given = date(2026, 5, 18)  # 10 working days from Monday 04/05/2026
    assert step.lead is not None and step.lead.deadline == given and reg.documents.get(doc).due_on == given

    rule = reg.deadline_rules.save("Công văn", None, 3)
    catch_all = next(r for r in reg.deadline_rules.list() if r.doc_type is None and r.urgency is None)
    reg.deadline_rules.save(None, None, 20, rule_id=catch_all.id)
    reg.holidays.add(date(2026, 5, 5), "Nghỉ đột xuất")  # a new day off does not move it either
    assert reg.routing.history(doc)[0].assignments[0].deadline == given
    assert reg.documents.get(doc).due_on == given
    assert reg.routing.default_deadline(doc, date(2026, 5, 4)) == date(2026, 5, 8)  # only what is routed from now on
    again = reg.routing.route(doc, "NVY", directed_at=date(2026, 5, 4))
    assert again.lead is not None and again.lead.deadline == date(2026, 5, 8)
    assert reg.routing.history(doc)[0].assignments[0].deadline == given  # the first step's deadline stays
    reg.deadline_rules.remove(rule.id)
    assert reg.documents.get(doc).due_on == date(2026, 5, 8)
