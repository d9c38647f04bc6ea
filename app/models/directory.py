"""Who sends and who handles: issuer organisations, the agency's own departments, and its staff."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.enums import Family, Secrecy
from app.models.base import Base, enum_column, utcnow


class Organization(Base):
    """A cơ quan/tổ chức that issues documents; deduplicated by its folded name (name_key)."""

    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    name_key: Mapped[str] = mapped_column(String(255), unique=True)
    abbreviation: Mapped[str | None] = mapped_column(String(50))
    # Mã định danh điện tử (QCVN 102 OrganId, e.g. 000.00.31.H53): how edXML names it; matched before the name.
    organ_id: Mapped[str | None] = mapped_column(String(50), unique=True, index=True)
    family: Mapped[Family] = mapped_column(enum_column(Family, "family"), default=Family.STATE)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    # While only secret documents name it: the lowest of their levels, and users not cleared for it do not see the
    # issuer at all (app.services.visibility). None once an ordinary document names it, or when added otherwise.
    secrecy: Mapped[Secrecy | None] = mapped_column(enum_column(Secrecy, "secrecy"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Department(Base):
    """A đơn vị/phòng ban of the agency that receives documents for handling."""

    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    name_key: Mapped[str] = mapped_column(String(255), unique=True)
    code: Mapped[str | None] = mapped_column(String(20), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Person(Base):
    """A cán bộ who can be assigned a document inside a department."""

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(150))
    title: Mapped[str | None] = mapped_column(String(150))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
