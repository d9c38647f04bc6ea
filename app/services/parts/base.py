"""What every part of the register stands on: the session it may use, and how an operation states its permission."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol, TypeVar

from sqlalchemy.orm import Session

from app.core.access import Permission, Principal
from app.db.read_only import ReadOnly

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


class RegisterSession(Protocol):
    """The few services a part gets from the register: a reading session, one write transaction, the signed-in
    principal and the checks that refuse what they may not do. Parts never see each other through it."""

    actor: str
    principal: Principal
    read_only: ReadOnly | None  # why the register cannot be written (app.db.read_only), None as a rule

    @property
    def url(self) -> str: ...  # the database URL with its password (backups and the attachment store need it)

    @property
    def location(self) -> str: ...

    def reading(self) -> AbstractContextManager[Session]: ...

    def writing(self) -> AbstractContextManager[Session]: ...  # a bare transaction (no retry, no clear message)

    def write(self, work: Callable[[Session], T]) -> T: ...  # one transaction, retried once, errors explained

    def check(self, permission: Permission) -> None: ...

    def check_clearance(self, secrecy: Any) -> None: ...

    def visible(self, doc_ids: Sequence[int]) -> None: ...

    def sign_in(self, username: str, password: str, source: str = "") -> Principal: ...


class Part:
    """One noun of the register: its operations, each one transaction through the session it was given."""

    def __init__(self, session: RegisterSession):
        self._session = session

    @property
    def _actor(self) -> str:
        return self._session.actor


def requires(permission: Permission) -> Callable[[F], F]:
    """Refuse the call (AccessDenied or SignInRequired, nothing read or written) unless the signed-in user's roles
    allow it. This is the one place an operation's permission is checked."""
    def wrap(method: F) -> F:
        @functools.wraps(method)
        def checked(self: Part, *args: Any, **kwargs: Any) -> Any:
            self._session.check(permission)
            return method(self, *args, **kwargs)

        checked.permission = permission  # type: ignore[attr-defined]
        return checked  # type: ignore[return-value]

    return wrap


def open_to_all(reason: str) -> Callable[[F], F]:
    """Mark an operation any caller may use (it reveals no entry, or checks inside what it must): the reason is
    kept beside it so the access test can list it."""
    def wrap(method: F) -> F:
        method.open_reason = reason  # type: ignore[attr-defined]
        return method

    return wrap
