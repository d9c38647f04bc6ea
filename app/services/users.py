"""User accounts: add, change, disable, sign in (Argon2id hashes via argon2-cffi), each change audited."""

from __future__ import annotations

import functools
import re
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.access import Principal, parse_roles, roles_text
from app.core.enums import Role, Secrecy
from app.core.errors import FieldError, NotFoundError, SignInRequired, ValidationError
from app.core.text import clean
from app.models import Department, User
from app.models.base import utcnow
from app.services import audit

if TYPE_CHECKING:
    from argon2 import PasswordHasher

MIN_PASSWORD = 8
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,49}$")


@functools.cache
def _hasher() -> PasswordHasher:
    """argon2-cffi's defaults: Argon2id, RFC 9106 "low memory" profile (64 MiB, 3 passes). Loaded on first need:
    a register without accounts never hashes a password."""
    from argon2 import PasswordHasher

    return PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the name is unknown, so a wrong name takes as long as a wrong password. Made on
    first need: hashing costs 0.15 s, and most commands never sign in."""
    return _hasher().hash("không có tài khoản này")

LABELS = {"username": "Tên đăng nhập", "password": "Mật khẩu", "roles": "Vai trò", "clearance": "Độ mật được xem",
          "full_name": "Họ và tên", "department": "Đơn vị"}


@dataclass(frozen=True)
class UserRecord:
    id: int
    username: str
    full_name: str
    roles: tuple[str, ...]
    roles_label: str
    clearance: str | None
    clearance_label: str | None
    department: str | None
    active: bool
    created_at: datetime
    last_sign_in_at: datetime | None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("created_at", "last_sign_in_at"):
            data[key] = data[key].isoformat(timespec="seconds") if data[key] else None
        return data


def _error(field: str, message: str) -> FieldError:
    return FieldError(field, LABELS[field], message)


def _record(session: Session, user: User) -> UserRecord:
    roles = tuple(r.value for r in _roles_of(user))
    department = session.get(Department, user.department_id) if user.department_id else None
    return UserRecord(user.id, user.username, user.full_name, roles, roles_text(_roles_of(user)),
                      user.clearance.value if user.clearance else None,
                      user.clearance.label if user.clearance else None,
                      department.name if department else None, user.active, user.created_at, user.last_sign_in_at)


def _roles_of(user: User) -> frozenset[Role]:
    return frozenset(Role(r) for r in user.roles.split(",") if r)


def _audit_view(record: UserRecord) -> dict[str, Any]:
    """What the audit keeps of an account: never the password or its hash."""
    return {"username": record.username, "full_name": record.full_name, "roles": list(record.roles),
            "clearance": record.clearance, "department": record.department, "active": record.active}


def has_users(session: Session) -> bool:
    return session.scalar(select(func.count()).select_from(User)) > 0


def normal_name(username: str) -> str:
    return clean(username or "").strip().lower()


def _find(session: Session, username: str) -> User:
    user = session.scalars(select(User).where(User.username == normal_name(username))).first()
    if user is None:
        raise NotFoundError(f"Không có tài khoản '{username}'.")
    return user


def _check_password(password: str | None, username: str, errors: list[FieldError]) -> str:
    if not password:
        errors.append(_error("password", "bắt buộc."))
        return ""
    if len(password) < MIN_PASSWORD:
        errors.append(_error("password", f"tối thiểu {MIN_PASSWORD} ký tự."))
    elif password.strip().lower() == username:
        errors.append(_error("password", "không được trùng tên đăng nhập."))
    return password


def _parse_roles(roles: str | list[str] | frozenset[Role], errors: list[FieldError]) -> frozenset[Role]:
    try:
        parsed = roles if isinstance(roles, frozenset) else parse_roles(roles)
    except ValueError as exc:
        errors.append(_error("roles", f"'{exc}' không phải vai trò; chọn: van_thu, lanh_dao, chuyen_vien, "
                                      "quan_tri (có thể nhiều, ngăn cách bởi dấu phẩy)."))
        return frozenset()
    if not parsed:
        errors.append(_error("roles", "bắt buộc (van_thu, lanh_dao, chuyen_vien hoặc quan_tri)."))
    return parsed


def _parse_clearance(clearance: str | Secrecy | None, errors: list[FieldError]) -> Secrecy | None:
    if clearance is None or isinstance(clearance, Secrecy) or not str(clearance).strip() \
            or str(clearance).strip().lower() in ("khong", "không", "none"):
        return clearance if isinstance(clearance, Secrecy) else None
    try:
        return Secrecy.parse(str(clearance))  # type: ignore[return-value]
    except ValueError:
        errors.append(_error("clearance", f"'{clearance}' không phải độ mật; chọn: mat, toi_mat, tuyet_mat."))
        return None


def _department_id(session: Session, unit: str | None, errors: list[FieldError]) -> int | None:
    if not unit or not unit.strip():
        return None
    from app.services.routing import find_department  # routing imports much; only needed here

    try:
        return find_department(session, unit, "department").id
    except ValidationError as exc:
        errors.extend(_error("department", e.message) for e in exc.errors)
        return None


def add_user(session: Session, actor: str, username: str, password: str, roles: str | list[str] | frozenset[Role],
             clearance: str | Secrecy | None = None, full_name: str = "", unit: str | None = None) -> UserRecord:
    """A new active account. The first account of a register must be able to manage accounts (quản trị),
    otherwise nobody could ever add the next one."""
    errors: list[FieldError] = []
    name = normal_name(username)
    if not _NAME.match(name):
        errors.append(_error("username", "2–50 ký tự: chữ không dấu, số, dấu chấm, gạch dưới hoặc gạch ngang, "
                                         "bắt đầu bằng chữ hoặc số (ví dụ: lan.nt)."))
    elif session.scalars(select(User.id).where(User.username == name)).first() is not None:
        errors.append(_error("username", f"'{name}' đã có."))
    _check_password(password, name, errors)
    parsed = _parse_roles(roles, errors)
    level = _parse_clearance(clearance, errors)
    department_id = _department_id(session, unit, errors)
    if Role.CHUYEN_VIEN in parsed and department_id is None and not errors:
        errors.append(_error("department", "chuyên viên phải thuộc một đơn vị (--unit): họ xem văn bản được chuyển "
                                           "đến đơn vị đó."))
    if parsed and Role.QUAN_TRI not in parsed and not has_users(session):
        errors.append(_error("roles", "tài khoản đầu tiên phải có vai trò quản trị (quan_tri) để thêm được các "
                                      "tài khoản khác."))
    if errors:
        raise ValidationError(errors)
    user = User(username=name, full_name=clean(full_name or "").strip(), roles=",".join(sorted(parsed)),
                clearance=level, department_id=department_id, password_hash=_hasher().hash(password), active=True,
                created_at=utcnow())
    session.add(user)
    session.flush()
    record = _record(session, user)
    audit.record(session, actor, "user_create", "user", user.id, None, _audit_view(record))
    return record


def list_users(session: Session) -> list[UserRecord]:
    return [_record(session, u) for u in session.scalars(select(User).order_by(User.username))]


def _active_admins(session: Session) -> int:
    return sum(1 for u in session.scalars(select(User).where(User.active.is_(True)))
               if Role.QUAN_TRI in _roles_of(u))


def update_user(session: Session, actor: str, username: str, *, roles: str | list[str] | None = None,
                clearance: str | None = None, full_name: str | None = None, unit: str | None = None,
                active: bool | None = None, password: str | None = None) -> UserRecord:
    """Change what is given (None: keep). Refuses to leave the register without an active quản trị.
    `clearance=""` removes the clearance, `unit=""` the unit."""
    user = _find(session, username)
    before = _audit_view(_record(session, user))
    errors: list[FieldError] = []
    if roles is not None:
        parsed = _parse_roles(roles, errors)
        if not errors:
            user.roles = ",".join(sorted(parsed))
    if clearance is not None:
        user.clearance = _parse_clearance(clearance, errors)
    if unit is not None:
        user.department_id = _department_id(session, unit, errors)
    if full_name is not None:
        user.full_name = clean(full_name).strip()
    if active is not None:
        user.active = active
    if password is not None:
        _check_password(password, user.username, errors)
    if Role.CHUYEN_VIEN in _roles_of(user) and user.department_id is None and not errors:
        errors.append(_error("department", "chuyên viên phải thuộc một đơn vị."))
    if not errors:
        session.flush()
        if _active_admins(session) == 0:
            errors.append(_error("roles", "phải còn ít nhất một tài khoản quản trị đang dùng được."))
    if errors:
        raise ValidationError(errors)  # the caller's transaction rolls every change back
    if password is not None:
        user.password_hash = _hasher().hash(password)
    session.flush()
    record = _record(session, user)
    after = _audit_view(record)
    old, new = audit.changed_fields(before, after)
    if password is not None:
        old, new = {**old, "password": "(cũ)"}, {**new, "password": "(đã đổi)"}
    if new:
        action = "user_disable" if active is False else "user_enable" if active is True else "user_edit"
        audit.record(session, actor, action, "user", user.id, old, new)
    return record


def sign_in(session: Session, username: str, password: str, source: str = "",
            record: bool = True) -> Principal | SignInRequired:
    """Check the name and password; the sign-in or the refusal goes into the audit trail either way, so a refusal
    is returned, not raised: the caller commits, then raises it. `record=False` only checks (a read-only register,
    where nothing can be recorded)."""
    name = normal_name(username)
    user = session.scalars(select(User).where(User.username == name)).first()
    from argon2.exceptions import InvalidHashError, VerificationError

    ok = False
    try:
        ok = _hasher().verify(user.password_hash if user else _dummy_hash(), password or "")
    except (VerificationError, InvalidHashError):
        ok = False
    where = {"source": source} if source else {}
    if user is None or not ok or not user.active:
        if record:
            audit.record(session, name or "(trống)", "sign_in_failed", "user", user.id if user else None, None,
                         {"username": name, **where, "reason": "tài khoản đã khóa" if user and ok else "sai mật khẩu"})
        if user is not None and ok and not user.active:
            return SignInRequired(f"Tài khoản '{name}' đã bị khóa; hãy hỏi người quản trị.")
        return SignInRequired("Sai tên đăng nhập hoặc mật khẩu.")
    if not record:
        return principal_of(session, user)
    if _hasher().check_needs_rehash(user.password_hash):  # parameters raised since the hash was made
        user.password_hash = _hasher().hash(password)
    user.last_sign_in_at = utcnow()
    audit.record(session, user.username, "sign_in", "user", user.id, None, {"username": user.username, **where})
    return principal_of(session, user)


def principal_of(session: Session, user: User) -> Principal:
    department = session.get(Department, user.department_id) if user.department_id else None
    return Principal(username=user.username, full_name=user.full_name, roles=_roles_of(user),
                     clearance=user.clearance, department_id=user.department_id,
                     department_name=department.name if department else None, signed_in=True, user_id=user.id)
