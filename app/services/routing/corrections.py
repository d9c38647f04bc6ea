"""Correcting a routing step written wrong: a new version of the step, the old one kept untouched as history."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from sqlalchemy.orm import Session

from app.core.enums import AssignmentRole
from app.core.records import RoutingRecord
from app.models import Routing, RoutingAssignment
from app.services import audit
from app.services.routing.lookups import _assignments, _incoming, _refuse, _routing_record, _routings
from app.services.routing.writes import Plan, _summary, _sync_document, add_units, check_plan


def correct(session: Session, actor: str, doc_id: int, step: int, lead: str, supports: str | Sequence[str] = (),
            deadline: date | None = None, directive: str = "", directed_by: str = "",
            directed_at: date | None = None, assignee: str = "",
            support_deadlines: Mapping[str, date] | None = None) -> RoutingRecord:
    """Correct the current routing step: the values given replace the step's (checked as a routing is), written
    as the step's next version; the version corrected stays as it was, shown as "đã sửa".

    A unit that stays keeps its ký nhận, status and completion (what it did is not undone by a typo fixed); a
    unit the correction takes out is no longer expected to handle the document: it leaves the overdue list, the
    handover list and the follow-up book, its progress can no longer be set, and what it had done stays in the
    corrected version's history. Only the current step can be corrected: an earlier one was already replaced by
    routing again."""
    doc = _incoming(session, doc_id)
    versions = _routings(session, doc.id)
    if not versions:
        raise _refuse("document", f"văn bản số đến {doc.number}/{doc.year} chưa được chuyển xử lý: không có lần "
                                  "chuyển nào để sửa.")
    old = versions[-1]
    if step != old.step:
        known = step in {v.step for v in versions}
        raise _refuse("step", f"chỉ sửa được lần chuyển hiện tại (lần {old.step}); lần {step} "
                              + ("đã được thay bằng lần chuyển sau." if known else "không có."))
    plan = check_plan(session, doc, lead, supports, deadline, directive, directed_by, directed_at, assignee,
                      support_deadlines)
    old_units = {a.department_id: a for a in _assignments(session, old.id)}
    if _same(old, old_units, plan):
        raise _refuse("step", "không có gì thay đổi so với lần chuyển đang ghi.")
    before = {**_summary(doc), "routing": _routing_record(session, old, True).to_dict()}
    new = Routing(document_id=doc.id, step=old.step, version=old.version + 1, directive=plan.directive or None,
                  directed_by=plan.directed_by or None, directed_at=plan.on, created_by=actor)
    session.add(new)
    session.flush()
    add_units(session, new, plan, old_units)
    _sync_document(session, doc)
    session.flush()
    record = _routing_record(session, new, True)
    kept = {plan.lead.id, *(d.id for d, _day in plan.supports)}
    removed = [a.department_name for dep, a in old_units.items() if dep not in kept]
    audit.record(session, actor, "routing_correct", "document", doc.id, before,
                 {**_summary(doc), "routing": record.to_dict(), "corrected_version": old.version,
                  "removed_units": removed})
    return record


def _same(old: Routing, units: Mapping[int, RoutingAssignment], plan: Plan) -> bool:
    """Whether the plan writes what the version already says (a correction must correct something)."""
    wanted = {plan.lead.id: (AssignmentRole.LEAD, plan.lead_deadline, plan.assignee or None),
              **{d.id: (AssignmentRole.SUPPORT, day, None) for d, day in plan.supports}}
    have = {dep: (a.role, a.deadline, a.assignee if a.role is AssignmentRole.LEAD else None)
            for dep, a in units.items()}
    return (wanted == have and (plan.directive or None) == old.directive
            and (plan.directed_by or None) == old.directed_by and plan.on == old.directed_at)
