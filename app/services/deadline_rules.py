"""The agency's deadline rules: working days to handle an incoming document, by type and/or urgency."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.enums import Urgency
from app.core.errors import FieldError, NotFoundError, ValidationError
from app.core.records import DeadlineRuleRecord
from app.core.text import clean, fold
from app.models import DeadlineRule, DocumentType
from app.services import audit
from app.services import settings as agency_settings

MAX_WORKING_DAYS = 365
ANY_TYPE, ANY_URGENCY = "mọi loại", "mọi độ khẩn"
LABELS = {"doc_type": "Loại văn bản", "urgency": "Độ khẩn", "working_days": "Số ngày làm việc",
          "rule": "Quy định thời hạn"}
# Display order of urgencies: the catch-all first, then from the least to the most urgent.
_URGENCY_ORDER = {None: 0, Urgency.KHAN: 1, Urgency.THUONG_KHAN: 2, Urgency.HOA_TOC: 3}


def _error(field: str, message: str) -> FieldError:
    return FieldError(field, LABELS[field], message)


def to_record(rule: DeadlineRule) -> DeadlineRuleRecord:
    return DeadlineRuleRecord(rule.id, rule.doc_type, rule.urgency, rule.working_days)


def describe(doc_type: str | None, urgency: Urgency | None) -> str:
    """'Công văn, Khẩn' / 'mọi loại, Khẩn': what a rule applies to, for messages."""
    return f"{doc_type or ANY_TYPE}, {urgency.label if urgency else ANY_URGENCY}"


def list_rules(session: Session) -> list[DeadlineRuleRecord]:
    """Every rule: the ones for any type first, then by type name; within a type from the least urgent."""
    rules = [to_record(r) for r in session.scalars(select(DeadlineRule))]
    return sorted(rules, key=lambda r: (r.doc_type is not None, fold(r.doc_type or ""),
                                        _URGENCY_ORDER[r.urgency], r.id))


def _find(session: Session, doc_type: str | None, urgency: Urgency | None) -> DeadlineRule | None:
    """The rule for exactly this (type, urgency); types compare without marks or case, as the lookup does."""
    wanted = fold(doc_type) if doc_type else None
    for rule in session.scalars(select(DeadlineRule).where(
            DeadlineRule.urgency.is_(None) if urgency is None else DeadlineRule.urgency == urgency)):
        if (fold(rule.doc_type) if rule.doc_type else None) == wanted:
            return rule
    return None


def _parse_urgency(value: Urgency | str | None, errors: list[FieldError]) -> Urgency | None:
    if value is None or isinstance(value, Urgency):
        return value
    text = clean(value)
    if not text or fold(text) in (fold(ANY_URGENCY), "moi"):
        return None
    try:
        return Urgency(Urgency.parse(text))
    except ValueError:
        errors.append(_error("urgency", f"'{text}' không phải độ khẩn; chọn: {Urgency.choices_text()} "
                                        f"(để trống: {ANY_URGENCY})."))
        return None


def _spelled_type(session: Session, value: str | None, errors: list[FieldError]) -> str | None:
    """The type as the agency's list spells it (its own family's spelling first); unknown types are refused
    because a rule for a misspelt type would silently never apply."""
    text = clean(value or "")
    if not text or fold(text) in (fold(ANY_TYPE), "moi"):
        return None
    rows = list(session.scalars(select(DocumentType).where(DocumentType.name_key == fold(text))))
    if not rows:
        errors.append(_error("doc_type", f"'{text}' không có trong danh mục loại văn bản (thêm ở Cài đặt → "
                                         "Loại văn bản); để trống: mọi loại."))
        return None
    family = agency_settings.agency(session).family
    return next((r.name for r in rows if r.family is family), rows[0].name)


def _parse_days(value: int | str, errors: list[FieldError]) -> int:
    text = clean(str(value))
    if not text.lstrip("-").isdigit() or not 0 <= int(text) <= MAX_WORKING_DAYS:
        errors.append(_error("working_days", f"'{text}' phải là số nguyên từ 0 đến {MAX_WORKING_DAYS} "
                                             "(0: trong ngày làm việc)."))
        return 0
    return int(text)


def save_rule(session: Session, actor: str, doc_type: str | None, urgency: Urgency | str | None,
              working_days: int | str, rule_id: int | None = None, replace: bool = False) -> DeadlineRuleRecord:
    """Add a rule, or edit the rule with rule_id; with replace, a rule for the same (type, urgency) is updated
    instead of refused. Deadlines already given stay as they are: a rule only applies to routings made later."""
    rule = session.get(DeadlineRule, rule_id) if rule_id is not None else None
    if rule_id is not None and rule is None:
        raise NotFoundError(f"Không có quy định thời hạn mã {rule_id}.")
    errors: list[FieldError] = []
    spelled = _spelled_type(session, doc_type, errors)
    level = _parse_urgency(urgency, errors)
    days = _parse_days(working_days, errors)
    if errors:
        raise ValidationError(errors)
    same = _find(session, spelled, level)
    if same is not None and (rule is None or same.id != rule.id):
        if not (replace and rule is None):
            raise ValidationError(_error("doc_type", (
                f"đã có quy định cho {describe(same.doc_type, same.urgency)} ({same.working_days} ngày làm việc); "
                "sửa quy định đó.")))
        rule = same
    if rule is None:
        rule = DeadlineRule(doc_type=spelled, urgency=level, working_days=days)
        session.add(rule)
        session.flush()
        record = to_record(rule)
        audit.record(session, actor, "create", "deadline_rule", rule.id, None, record.to_dict())
        return record
    before = to_record(rule).to_dict()
    rule.doc_type, rule.urgency, rule.working_days = spelled, level, days
    session.flush()
    record = to_record(rule)
    old, new = audit.changed_fields(before, record.to_dict())
    if new:
        audit.record(session, actor, "edit", "deadline_rule", rule.id, old, new)
    return record


def remove_rule(session: Session, actor: str, rule_id: int | None = None, doc_type: str | None = None,
                urgency: Urgency | str | None = None) -> DeadlineRuleRecord:
    """Remove the rule with rule_id, or the one for exactly (type, urgency) when no id is given."""
    if rule_id is not None:
        rule = session.get(DeadlineRule, rule_id)
        if rule is None:
            raise NotFoundError(f"Không có quy định thời hạn mã {rule_id}.")
    else:
        errors: list[FieldError] = []
        level = _parse_urgency(urgency, errors)
        if errors:
            raise ValidationError(errors)
        text = clean(doc_type or "") or None
        found = _find(session, None if text and fold(text) in (fold(ANY_TYPE), "moi") else text, level)
        if found is None:
            raise NotFoundError(f"Không có quy định thời hạn cho {describe(text, level)}.")
        rule = found
    record = to_record(rule)
    session.delete(rule)
    session.flush()
    audit.record(session, actor, "delete", "deadline_rule", record.id, record.to_dict(), None)
    return record
