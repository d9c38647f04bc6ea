"""Routing incoming documents (directive, lead and supporting units, deadlines), handover, tracking and holidays."""

# One module per responsibility: lookups (statuses, the entry, its units and steps), holidays (days off and
# working-day deadlines), writes (routing, handover, statuses, closing on a reply), corrections (a new version of a
# step written wrong) and tracking (overdue, the handover list, follow-up notes). Callers keep using
# `from app.services import routing` and the names below.

from app.services.routing.corrections import correct
from app.services.routing.holidays import (
    add_holiday,
    default_deadline,
    default_deadline_of,
    holiday_days,
    holiday_record,
    list_holidays,
    remove_holiday,
    rule_working_days,
)
from app.services.routing.lookups import INCOMING_STATUSES, UNIT_STATUSES, assignment_record, find_department, history
from app.services.routing.tracking import DUE_SOON_WORKING_DAYS, awaiting_handover, days_late, follow_up_notes, overdue
from app.services.routing.writes import close_on_reply, handover, route, set_document_status, set_unit_status

__all__ = [
    "DUE_SOON_WORKING_DAYS", "INCOMING_STATUSES", "UNIT_STATUSES", "add_holiday", "assignment_record",
    "awaiting_handover", "close_on_reply", "correct", "days_late", "default_deadline", "default_deadline_of",
    "find_department", "follow_up_notes", "handover", "history", "holiday_days", "holiday_record", "list_holidays",
    "overdue",
    "remove_holiday", "route", "rule_working_days", "set_document_status", "set_unit_status",
]
