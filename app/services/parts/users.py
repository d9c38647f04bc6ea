"""registry.users: accounts, roles and clearances (signing in belongs to the register session itself)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.core.access import Permission
from app.core.errors import SignInRequired
from app.services import users
from app.services.parts.base import Part, open_to_all, requires

SIGN_IN_HINT = ("Sổ này có tài khoản người dùng: hãy đăng nhập (--user TÊN hoặc biến VANTHU_USER; mật khẩu được hỏi, "
                "hoặc lấy từ VANTHU_PASSWORD).")


class Users(Part):
    """The quản trị manages accounts; every user may change their own password."""

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
