"""registry.deadline_rules: how many working days a document gets, by type and urgency."""

from __future__ import annotations

from app.core.access import Permission
from app.core.enums import Urgency
from app.core.records import DeadlineRuleRecord
from app.services import deadline_rules
from app.services.parts.base import Part, requires


class DeadlineRules(Part):
    """The agency's deadline rules; a change applies to routings made afterwards only."""

    @requires(Permission.VIEW)
    def list(self) -> list[DeadlineRuleRecord]:
        with self._session.reading() as s:
            return deadline_rules.list_rules(s)

    @requires(Permission.SETTINGS)
    def save(self, doc_type: str | None, urgency: Urgency | str | None, working_days: int | str,
             rule_id: int | None = None, replace: bool = False) -> DeadlineRuleRecord:
        """Add a rule (None or empty: any type / any urgency), edit the one with rule_id, or with replace
        update the rule for the same (type, urgency). Deadlines already given are never recomputed."""
        return self._session.write(lambda s: deadline_rules.save_rule(s, self._actor, doc_type, urgency,
                                                                      working_days, rule_id, replace))

    @requires(Permission.SETTINGS)
    def remove(self, rule_id: int | None = None, doc_type: str | None = None,
               urgency: Urgency | str | None = None) -> DeadlineRuleRecord:
        """Remove the rule with rule_id, or (without an id) the one for exactly that type and urgency."""
        return self._session.write(lambda s: deadline_rules.remove_rule(s, self._actor, rule_id, doc_type,
                                                                        urgency))
