"""registry.routing: directives, routing to units with deadlines, handover signatures, progress and overdue work."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from app.core.access import Permission
from app.core.dates import today
from app.core.enums import DocumentStatus
from app.core.errors import AccessDenied
from app.core.records import AssignmentRecord, OverdueItem, RoutingRecord
from app.services import routing
from app.services.parts.base import Part, requires


class Routing(Part):
    """The handling of incoming documents (DOMAIN.md §2 steps 3–4): who handles what, by when, and how far along."""

    @requires(Permission.ROUTE)
    def route(self, doc_id: int, lead: str, supports: str | Sequence[str] = (), deadline: date | None = None,
              directive: str = "", directed_by: str = "", directed_at: date | None = None, assignee: str = "",
              support_deadlines: Mapping[str, date] | None = None) -> RoutingRecord:
        """Add a routing step (earlier steps stay as history); deadlines left out come from the rules."""
        return self._session.write(lambda s: routing.route(s, self._actor, doc_id, lead, supports, deadline,
                                                           directive, directed_by, directed_at, assignee,
                                                           support_deadlines))

    @requires(Permission.ROUTE)
    def correct(self, doc_id: int, step: int, lead: str, supports: str | Sequence[str] = (),
                deadline: date | None = None, directive: str = "", directed_by: str = "",
                directed_at: date | None = None, assignee: str = "",
                support_deadlines: Mapping[str, date] | None = None) -> RoutingRecord:
        """Correct the current step (all its values given again): a new version; the old one stays as history."""
        return self._session.write(lambda s: routing.correct(s, self._actor, doc_id, step, lead, supports, deadline,
                                                             directive, directed_by, directed_at, assignee,
                                                             support_deadlines))

    @requires(Permission.ROUTE)
    def handover(self, doc_id: int, unit: str, signed_by: str, at: datetime | None = None) -> AssignmentRecord:
        """The unit received the document; signed_by signed for it (ký nhận)."""
        return self._session.write(lambda s: routing.handover(s, self._actor, doc_id, unit, signed_by, at))

    @requires(Permission.UNIT_STATUS)
    def set_unit_status(self, doc_id: int, unit: str, status: DocumentStatus,
                        at: datetime | None = None) -> AssignmentRecord:
        principal = self._session.principal
        if principal.unit_only:  # a chuyên viên reports the progress of their own unit only
            with self._session.reading() as s:
                named = routing.find_department(s, unit).id
            if named != principal.department_id:
                raise AccessDenied(f"Đơn vị: tài khoản {principal.username} chỉ ghi được tiến độ của "
                                   f"{principal.department_name or 'đơn vị mình'}.")
        return self._session.write(lambda s: routing.set_unit_status(s, self._actor, doc_id, unit, status, at))

    @requires(Permission.ROUTE)
    def set_document_status(self, doc_id: int, status: DocumentStatus) -> DocumentStatus:
        """An incoming entry's own status (not routed, or filing a routed one its lead unit has finished)."""
        return self._session.write(lambda s: routing.set_document_status(s, self._actor, doc_id, status))

    @requires(Permission.VIEW)
    def history(self, doc_id: int) -> list[RoutingRecord]:
        self._session.visible([doc_id])
        with self._session.reading() as s:
            return routing.history(s, doc_id)

    @requires(Permission.VIEW)
    def default_deadline(self, doc_id: int, on: date | None = None) -> date | None:
        """The deadline the rules would give the document if it were routed on that day (default today)."""
        self._session.visible([doc_id])
        with self._session.reading() as s:
            return routing.default_deadline_of(s, doc_id, on or today())

    @requires(Permission.PRINT)
    def awaiting_handover(self, unit: str) -> tuple[str, list[int]]:
        """(the unit's name, documents routed to it and not yet signed for, in số đến order)."""
        with self._session.reading() as s:
            return routing.awaiting_handover(s, unit)

    @requires(Permission.VIEW)
    def follow_up_notes(self, doc_ids: Sequence[int], on: date) -> dict[int, tuple[str, str]]:
        """For the Sổ theo dõi giải quyết: id -> (units with roles, each unit's progress on that day)."""
        self._session.visible(doc_ids)
        with self._session.reading() as s:
            return routing.follow_up_notes(s, doc_ids, on)

    @requires(Permission.REPORT)
    def overdue(self, on: date | None = None) -> list[OverdueItem]:
        """Per unit: open handling past its deadline on that day (default today), then handling due soon."""
        with self._session.reading() as s:
            return routing.overdue(s, on or today())
