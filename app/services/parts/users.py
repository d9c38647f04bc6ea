"""registry.users: accounts, roles and clearances, and the clerk of a register without accounts (signing in
belongs to the register session itself)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.core.access import Permission, open_register
from app.core.errors import SignInRequired, ValidationError, VanThuError
from app.core.text import clean
from app.services import settings, users
from app.services.parts.base import Part, open_to_all, requires

SIGN_IN_HINT = ("Sổ này có tài khoản người dùng: hãy đăng nhập (--user TÊN hoặc biến VANTHU_USER; mật khẩu được hỏi, "
                "hoặc lấy từ VANTHU_PASSWORD).")


class Users(Part):
    """The quản trị manages accounts; every user may change their own password; the one clerk of a register
    without accounts gives their name."""

    @open_to_all("who works on the register is shown at start-up, before anything is read")
    def clerk_name(self) -> str:
        """The clerk's full name kept in the register ("" when none was given yet)."""
        with self._session.reading() as s:
            return settings.all_settings(s)[settings.CLERK_NAME_KEY]

    @open_to_all("checked inside: only a register without accounts has a clerk's name, and its clerk may do all")
    def name_clerk(self, name: str) -> str:
        """The clerk of a register without accounts says who they are: the name is kept in the register (the
        change audited under that name) and from now on is the one written in the audit and printed on receipts
        and handover lists. A read-only register cannot keep it: it is used for this session only."""
        if self._session.principal.signed_in or self._has_accounts():
            raise VanThuError("Sổ này có tài khoản người dùng: người dùng sổ là tài khoản đăng nhập, không đặt "
                              "tên văn thư riêng.")
        try:
            value = settings.clerk_name(clean(name))
        except ValueError as exc:
            raise ValidationError.single(settings.CLERK_NAME_KEY, settings.SETTINGS[settings.CLERK_NAME_KEY].label,
                                         str(exc)) from None
        if self._session.read_only is None and self.clerk_name() != value:
            self._session.write(lambda s: settings.set_setting(s, value, settings.CLERK_NAME_KEY, value))
        self._session.actor = value
        # Every open register's principal may see all (visibility is unchanged): only the name it shows changes.
        self._session.principal = open_register(value)
        return value

    def _has_accounts(self) -> bool:
        with self._session.reading() as s:
            return users.has_users(s)

    @requires(Permission.USERS)
    def list(self) -> list[users.UserRecord]:
        with self._session.reading() as s:
            return users.list_users(s)

    @requires(Permission.USERS)
    def add(self, username: str, password: str, roles: str | Sequence[str], clearance: str | None = None,
            full_name: str = "", unit: str | None = None) -> users.UserRecord:
        """A new account; the register's first account must be a quản trị (on an open register the one clerk
        holds every role, so it may be added without signing in)."""
        chosen = roles if isinstance(roles, str) else list(roles)
        return self._session.write(lambda s: users.add_user(s, self._actor, username, password, chosen, clearance,
                                                            full_name, unit))

    @requires(Permission.USERS)
    def update(self, username: str, **changes: Any) -> users.UserRecord:
        """roles, clearance ('' removes), full_name, unit ('' removes), active, password: None keeps."""
        return self._session.write(lambda s: users.update_user(s, self._actor, username, **changes))

    @open_to_all("any signed-in user changes their own password (checked inside: signed in, old password)")
    def change_own_password(self, old: str, new: str) -> None:
        """The old password is checked first (an audited sign-in attempt)."""
        principal = self._session.principal
        if not principal.signed_in:
            raise SignInRequired(SIGN_IN_HINT)
        self._session.sign_in(principal.username, old, "đổi mật khẩu")
        self._session.write(lambda s: users.update_user(s, self._actor, principal.username, password=new))
