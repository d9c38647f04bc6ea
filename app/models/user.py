"""User accounts: sign-in name, Argon2 password hash, roles, clearance for secret books, and the unit of a
chuyên viên. Accounts are disabled, never deleted: the audit trail names them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.enums import Secrecy
from app.models.base import Base, enum_column, utcnow


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50), unique=True)  # stored lower-case: sign-in ignores case
    full_name: Mapped[str] = mapped_column(String(150), default="")
    roles: Mapped[str] = mapped_column(String(100))  # comma-separated Role values, e.g. "van_thu,quan_tri"
    clearance: Mapped[Secrecy | None] = mapped_column(enum_column(Secrecy, "clearance"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sign_in_at: Mapped[datetime | None]
