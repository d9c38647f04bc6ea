"""What routing shares: the statuses a unit and an entry can take, refusals, the entry, its units and its steps."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session, aliased

from app.core.enums import AssignmentRole, Direction, DocumentStatus
from app.core.errors import FieldError, NotFoundError, ValidationError
from app.core.records import AssignmentRecord, RoutingRecord
from app.core.text import clean, name_key
from app.models import Department, Document, Routing, RoutingAssignment

# What a unit's handling can be set to; cho_trinh and da_ban_hanh describe documents, not a unit's work.
UNIT_STATUSES = (DocumentStatus.AWAITING_HANDLING, DocumentStatus.IN_PROGRESS, DocumentStatus.HANDLED,
                 DocumentStatus.ANSWERED, DocumentStatus.FILED)
# What an incoming entry itself can be set to (Đã ban hành belongs to outgoing documents).
INCOMING_STATUSES = (DocumentStatus.AWAITING_PRESENTATION, *UNIT_STATUSES)
_LABELS = {"document": "Văn bản", "lead": "Đơn vị chủ trì", "support": "Đơn vị phối hợp", "deadline": "Thời hạn",
           "directive": "Ý kiến chỉ đạo", "directed_by": "Người chỉ đạo", "directed_at": "Ngày chỉ đạo",
           "assignee": "Người được giao", "unit": "Đơn vị", "signed_by": "Người ký nhận",
           "received_at": "Thời điểm nhận", "status": "Trạng thái", "day": "Ngày nghỉ", "name": "Tên ngày nghỉ",
           "step": "Lần chuyển"}
_NAME_LIMIT = 150


def _now() -> datetime:
    """Local wall-clock time, as the clerk writes it on the handover sheet (not the UTC of created_at)."""
    return datetime.now().replace(microsecond=0)


def _error(field: str, message: str) -> FieldError:
    return FieldError(field, _LABELS.get(field, field), message)


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError(_error(field, message))


def _incoming(session: Session, doc_id: int) -> Document:
    doc = session.get(Document, doc_id)
    if doc is None:
        raise NotFoundError(f"Không có văn bản mã {doc_id}.")
    if doc.direction is not Direction.INCOMING:
        raise _refuse("document", "chỉ văn bản đến mới được chuyển xử lý.")
    if doc.cancelled_at is not None:
        raise _refuse("document", f"văn bản số đến {doc.number}/{doc.year} đã hủy.")
    return doc


def find_department(session: Session, text: str, field: str = "unit") -> Department:
    """A department by its name (with or without marks, any case) or its code; refused when unknown or inactive."""
    wanted = clean(text)
    if not wanted:
        raise _refuse(field, "chưa ghi tên đơn vị.")
    department = session.scalars(select(Department).where(Department.name_key == name_key(wanted))).first()
    if department is None:
        department = session.scalars(select(Department).where(Department.code == wanted.upper())).first()
    if department is None:
        raise _refuse(field, f"không có đơn vị '{wanted}' trong danh sách đơn vị (thêm bằng: department add).")
    if not department.active:
        raise _refuse(field, f"đơn vị '{department.name}' đã ngừng hoạt động.")
    return department


def _routings(session: Session, doc_id: int) -> list[Routing]:
    """Every version of every step, oldest first: the last one is the current routing."""
    return list(session.scalars(select(Routing).where(Routing.document_id == doc_id)
                                .order_by(Routing.step, Routing.version)))


def _live(session: Session, doc_id: int) -> list[Routing]:
    """The newest version of each step, oldest step first (what the routing is, corrections applied)."""
    latest: dict[int, Routing] = {}
    for routing in _routings(session, doc_id):
        latest[routing.step] = routing
    return list(latest.values())


def current_version(routing: Any = Routing) -> Any:
    """A condition on `routing`: no correction replaced this version of its step."""
    newer = aliased(Routing)
    return ~exists().where(newer.document_id == routing.document_id, newer.step == routing.step,
                           newer.version > routing.version)


def current_step(routing: Any = Routing) -> Any:
    """A condition on `routing`: it is the document's current routing (newest step, newest version of it)."""
    later = aliased(Routing)
    return ~exists().where(later.document_id == routing.document_id,
                           or_(later.step > routing.step, and_(later.step == routing.step,
                                                               later.version > routing.version)))


def _assignments(session: Session, routing_id: int) -> list[RoutingAssignment]:
    rows = session.scalars(select(RoutingAssignment).where(RoutingAssignment.routing_id == routing_id)
                           .order_by(RoutingAssignment.id))
    return sorted(rows, key=lambda a: a.role is not AssignmentRole.LEAD)


def assignment_record(a: RoutingAssignment) -> AssignmentRecord:
    return AssignmentRecord(a.id, a.routing_id, a.department_id, a.department_name, a.role, a.deadline, a.assignee,
                            a.status, a.received_at, a.signed_by, a.done_at)


def _routing_record(session: Session, routing: Routing, current: bool,
                    correction: Routing | None = None) -> RoutingRecord:
    """The version as a record; `correction` is the version that replaced it, if any."""
    return RoutingRecord(routing.id, routing.document_id, routing.step, routing.directive, routing.directed_by,
                         routing.directed_at, routing.created_at, routing.created_by,
                         tuple(assignment_record(a) for a in _assignments(session, routing.id)), current,
                         routing.version, correction.created_at if correction else None,
                         correction.created_by if correction else None)


def history(session: Session, doc_id: int) -> list[RoutingRecord]:
    """Every version of every routing step of a document, oldest first; the last one is current. A version
    replaced by a correction says who corrected it and when."""
    if session.get(Document, doc_id) is None:
        raise NotFoundError(f"Không có văn bản mã {doc_id}.")
    steps = _routings(session, doc_id)
    following: list[Routing | None] = [*steps[1:], None] if steps else []
    return [_routing_record(session, r, r is steps[-1], n if n is not None and n.step == r.step else None)
            for r, n in zip(steps, following, strict=True)]


def _current_assignment(session: Session, doc: Document, unit: str) -> RoutingAssignment:
    steps = _routings(session, doc.id)
    if not steps:
        raise _refuse("unit", f"văn bản số đến {doc.number}/{doc.year} chưa được chuyển cho đơn vị nào (lệnh route).")
    department = find_department(session, unit)
    found = next((a for a in _assignments(session, steps[-1].id) if a.department_id == department.id), None)
    if found is None:
        raise _refuse("unit", f"'{department.name}' không có trong lần chuyển hiện tại của văn bản số đến "
                              f"{doc.number}/{doc.year}.")
    return found
