"""What routing shares: the statuses a unit and an entry can take, refusals, the entry, its units and its steps."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

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
           "received_at": "Thời điểm nhận", "status": "Trạng thái", "day": "Ngày nghỉ", "name": "Tên ngày nghỉ"}
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
    return list(session.scalars(select(Routing).where(Routing.document_id == doc_id).order_by(Routing.step)))


def _assignments(session: Session, routing_id: int) -> list[RoutingAssignment]:
    rows = session.scalars(select(RoutingAssignment).where(RoutingAssignment.routing_id == routing_id)
                           .order_by(RoutingAssignment.id))
    return sorted(rows, key=lambda a: a.role is not AssignmentRole.LEAD)


def assignment_record(a: RoutingAssignment) -> AssignmentRecord:
    return AssignmentRecord(a.id, a.routing_id, a.department_id, a.department_name, a.role, a.deadline, a.assignee,
                            a.status, a.received_at, a.signed_by, a.done_at)


def _routing_record(session: Session, routing: Routing, current: bool) -> RoutingRecord:
    return RoutingRecord(routing.id, routing.document_id, routing.step, routing.directive, routing.directed_by,
                         routing.directed_at, routing.created_at, routing.created_by,
                         tuple(assignment_record(a) for a in _assignments(session, routing.id)), current)


def history(session: Session, doc_id: int) -> list[RoutingRecord]:
    """Every routing step of a document, oldest first; the last one is current."""
    if session.get(Document, doc_id) is None:
        raise NotFoundError(f"Không có văn bản mã {doc_id}.")
    steps = _routings(session, doc_id)
    return [_routing_record(session, r, r is steps[-1]) for r in steps]


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
