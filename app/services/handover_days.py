"""When each register entry was handed over: the day of its first ký nhận, for column (8) Ngày chuyển."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models.routing import Routing, RoutingAssignment

_BLOCK = 2000  # ids per IN list: well under every engine's limit on bound parameters


def handover_days(session: Session, doc_ids: Sequence[int]) -> dict[int, date]:
    """id -> the day a unit first signed for the entry (the earliest received_at over all its routing steps);
    entries never handed over are left out. One aggregated query per block of ids, never one per entry."""
    found: dict[int, date] = {}
    for start in range(0, len(doc_ids), _BLOCK):
        rows = session.execute(
            select(Routing.document_id, func.min(RoutingAssignment.received_at))
            .join(RoutingAssignment, RoutingAssignment.routing_id == Routing.id)
            .where(Routing.document_id.in_(list(doc_ids[start:start + _BLOCK])),
                   RoutingAssignment.received_at.is_not(None))
            .group_by(Routing.document_id))
        for doc_id, first in rows:
            if first is not None:
                found[doc_id] = first.date() if hasattr(first, "date") else first
    return found
