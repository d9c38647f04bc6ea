"""Routing of incoming documents (leader's directive, units and deadlines, handover) and the working calendar."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.enums import AssignmentRole, DocumentStatus, Urgency
from app.models.base import Base, enum_column, utcnow


class Routing(Base):
    """One version of a routing step (ý kiến chỉ đạo): routing again adds a step, correcting a step adds a version
    of it; earlier steps and versions stay untouched as history, the newest version of the newest step is current."""

    __tablename__ = "routings"
    __table_args__ = (UniqueConstraint("document_id", "step", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    step: Mapped[int]  # 1, 2, … per document
    # 1, then 2, 3, … for each correction; the server default lets bulk inserts (demo data) leave it out.
    version: Mapped[int] = mapped_column(default=1, server_default=text("1"))
    directive: Mapped[str | None] = mapped_column(Text)
    directed_by: Mapped[str | None] = mapped_column(String(150))  # the leader who wrote the directive
    directed_at: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))


class RoutingAssignment(Base):
    """A unit named by a routing step: its role, deadline, person assigned, handover (ký nhận) and status."""

    __tablename__ = "routing_assignments"
    __table_args__ = (UniqueConstraint("routing_id", "department_id"),
                      Index("ix_routing_assignments_status_deadline", "status", "deadline"))

    id: Mapped[int] = mapped_column(primary_key=True)
    routing_id: Mapped[int] = mapped_column(ForeignKey("routings.id"))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    department_name: Mapped[str] = mapped_column(String(255))  # the name when routed (departments get renamed)
    role: Mapped[AssignmentRole] = mapped_column(enum_column(AssignmentRole, "role"))
    deadline: Mapped[date | None]
    assignee: Mapped[str | None] = mapped_column(String(150))
    status: Mapped[DocumentStatus] = mapped_column(enum_column(DocumentStatus, "status"))
    # Handover and completion times are local wall-clock time, as written on the handover sheet.
    received_at: Mapped[datetime | None]  # handover: when the unit received the document
    signed_by: Mapped[str | None] = mapped_column(String(150))  # … and who signed for it (ký nhận)
    done_at: Mapped[datetime | None]


class Holiday(Base):
    """A day off besides Saturdays and Sundays (lễ, Tết, nghỉ bù); edited by the agency each year."""

    __tablename__ = "holidays"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(String(150))


class DeadlineRule(Base):
    """Default handling time in working days, by document type and/or urgency (NULL: any); agency practice."""

    __tablename__ = "deadline_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_type: Mapped[str | None] = mapped_column(String(100))
    urgency: Mapped[Urgency | None] = mapped_column(enum_column(Urgency, "urgency"))
    working_days: Mapped[int]
