"""Who may do what: roles and their permissions, clearance levels, and the signed-in principal."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from app.core.enums import Role, Secrecy


class Permission(StrEnum):
    VIEW = "view"                # read the register (within clearance; a chuyên viên only what reached the unit)
    REGISTER = "register"        # register, edit, cancel, link, attach, import, demo data
    ROUTE = "route"              # directives: route, handover, a document's status
    UNIT_STATUS = "unit_status"  # a unit's progress (a chuyên viên: only their own unit)
    PRINT = "print"              # stamps, slips, receipts, handover sheets, register books
    REPORT = "report"            # statistics, overdue lists, Excel exports
    SETTINGS = "settings"        # agency settings, books, units, staff, document types, deadline rules, holidays
    USERS = "users"              # accounts, roles, clearances
    AUDIT = "audit"              # read and verify the audit trail
    BACKUP = "backup"            # backup and restore


# DOMAIN: the văn thư registers, routes and prints; the lãnh đạo gives directives and reads reports; a chuyên viên
# works on what was routed to their unit; the quản trị keeps settings and accounts (and the safety copies).
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.VAN_THU: frozenset({Permission.VIEW, Permission.REGISTER, Permission.ROUTE, Permission.UNIT_STATUS,
                             Permission.PRINT, Permission.REPORT}),
    Role.LANH_DAO: frozenset({Permission.VIEW, Permission.ROUTE, Permission.UNIT_STATUS, Permission.REPORT}),
    Role.CHUYEN_VIEN: frozenset({Permission.VIEW, Permission.UNIT_STATUS}),
    Role.QUAN_TRI: frozenset({Permission.VIEW, Permission.SETTINGS, Permission.USERS, Permission.AUDIT,
                              Permission.BACKUP}),
}

PERMISSION_LABELS: dict[Permission, str] = {
    Permission.VIEW: "xem sổ",
    Permission.REGISTER: "vào sổ, sửa, hủy, liên kết văn bản",
    Permission.ROUTE: "chuyển xử lý, ký nhận, ghi trạng thái",
    Permission.UNIT_STATUS: "ghi tiến độ xử lý của đơn vị",
    Permission.PRINT: "in dấu đến, phiếu, sổ",
    Permission.REPORT: "xem báo cáo, danh sách quá hạn, xuất Excel",
    Permission.SETTINGS: "thay đổi cài đặt, sổ, danh mục",
    Permission.USERS: "quản lý tài khoản người dùng",
    Permission.AUDIT: "xem và kiểm tra nhật ký thay đổi",
    Permission.BACKUP: "sao lưu, phục hồi",
}

# Clearance is a level: cleared for Tối mật also sees Mật, cleared for Tuyệt mật sees all three (Luật Bảo vệ BMNN).
SECRECY_RANK: dict[Secrecy, int] = {Secrecy.MAT: 1, Secrecy.TOI_MAT: 2, Secrecy.TUYET_MAT: 3}


def levels_up_to(clearance: Secrecy | None) -> tuple[Secrecy, ...]:
    """The secrecy levels a user cleared to `clearance` may see (none without clearance)."""
    if clearance is None:
        return ()
    return tuple(s for s in Secrecy if SECRECY_RANK[s] <= SECRECY_RANK[clearance])


def parse_roles(text: str | Iterable[str]) -> frozenset[Role]:
    """'van_thu,quan_tri' or ['Văn thư', 'quan tri'] → roles; ValueError names the first unknown word."""
    words = [w.strip() for w in (text.split(",") if isinstance(text, str) else text) if w.strip()]
    return frozenset(Role.parse(w) for w in words)  # type: ignore[misc]


def roles_text(roles: Iterable[Role]) -> str:
    return ", ".join(r.label for r in Role if r in set(roles))


@dataclass(frozen=True)
class Principal:
    """The person the register is working for: a signed-in account, or the open register of a single clerk."""

    username: str
    full_name: str = ""
    roles: frozenset[Role] = field(default_factory=frozenset)
    clearance: Secrecy | None = None
    department_id: int | None = None
    department_name: str | None = None
    signed_in: bool = False  # False and every role: a register with no accounts yet (one clerk, one machine)
    user_id: int | None = None

    @property
    def permissions(self) -> frozenset[Permission]:
        granted: set[Permission] = set()
        for role in self.roles:
            granted |= ROLE_PERMISSIONS[role]
        return frozenset(granted)

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    def cleared_for(self, secrecy: Secrecy | str | None) -> bool:
        if secrecy is None:
            return True
        return Secrecy(secrecy) in levels_up_to(self.clearance)

    @property
    def unit_only(self) -> bool:
        """A chuyên viên with no other role sees only the documents routed to their unit."""
        return bool(self.roles) and self.roles <= {Role.CHUYEN_VIEN}

    @property
    def sees_everything(self) -> bool:
        return not self.unit_only and self.clearance is Secrecy.TUYET_MAT

    @property
    def display(self) -> str:
        """'Nguyễn Thị Lan (lan) — Văn thư, mật: Tối mật' for the status bar and messages."""
        if not self.signed_in:
            return f"{self.username} (sổ chưa có tài khoản)"
        who = f"{self.full_name} ({self.username})" if self.full_name else self.username
        clearance = f"; mật: {self.clearance.label}" if self.clearance else ""
        unit = f"; đơn vị: {self.department_name}" if self.department_name else ""
        return f"{who} — {roles_text(self.roles)}{clearance}{unit}"


def open_register(username: str) -> Principal:
    """A register with no accounts: its one clerk may do and see everything (the single-clerk setup)."""
    return Principal(username=username, roles=frozenset(Role), clearance=Secrecy.TUYET_MAT, signed_in=False)


NOBODY = Principal(username="", signed_in=False)
