"""Registry: the register session the UI and CLI talk to, and its parts (registry.documents, registry.routing, …)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from app.core.access import NOBODY, PERMISSION_LABELS, Permission, Principal, open_register
from app.core.enums import Secrecy
from app.core.errors import AccessDenied, NotFoundError, SignInRequired, VanThuError
from app.db import guards
from app.db.engine import Database, resolve_url
from app.db.migrate import HEAD_REVISION, current_revision, upgrade
from app.db.read_only import ReadOnly
from app.db.read_only import detect as detect_read_only
from app.db.safety import check_database_file, sqlite_path, storage_error
from app.services import protection, users, visibility
from app.services import settings as setting_rules
from app.services.parts.users import SIGN_IN_HINT, Users
from app.services.settings import CLERK_NAME_KEY, DEFAULT_CLERK

if TYPE_CHECKING:
    from app.services.backup import RestoreResult
    from app.services.parts.anchors import Anchors
    from app.services.parts.attachments import Attachments
    from app.services.parts.audit import Audit
    from app.services.parts.backups import Backups
    from app.services.parts.books import Books
    from app.services.parts.deadline_rules import DeadlineRules
    from app.services.parts.demo import Demo
    from app.services.parts.directory import Directory
    from app.services.parts.documents import Documents
    from app.services.parts.edxml import Edxml
    from app.services.parts.edxml_inbox import EdxmlInbox
    from app.services.parts.fulltext import FullText
    from app.services.parts.holidays import Holidays
    from app.services.parts.links import Links
    from app.services.parts.printouts import Printouts
    from app.services.parts.reads import Reads
    from app.services.parts.reports import Reports
    from app.services.parts.routing import Routing
    from app.services.parts.settings import Settings
    from app.services.parts.signatures import Signatures
    from app.services.parts.text_entry import TextEntry
    from app.services.parts.transfer import Transfer
    from app.services.parts.trust import Trust
    from app.services.parts.types import Types

T = TypeVar("T")
P = TypeVar("P")

__all__ = ["CLERK_NAME_KEY", "DEFAULT_CLERK", "SIGN_IN_HINT", "Registry", "auto_backup", "default_actor", "restore"]


def restore(db: str | None, path: str | Path) -> RestoreResult:
    """Replace the register `db` with a backup file (checked whole first; the current register is backed up
    into backups/ before it is replaced). Opens no Registry: close the window (every Registry on it) first."""
    from app.services import backup as backup_service

    return backup_service.restore(resolve_url(db), path)


def auto_backup(db: str | None, keep: int | None = None) -> str | None:
    """Today's automatic backup of the register `db`, before any Registry is opened on it."""
    from app.services import backup as backup_service

    return backup_service.auto_backup(resolve_url(db), keep)


def default_actor() -> str:
    """The name written and printed when neither an account nor the register names the clerk."""
    return DEFAULT_CLERK


_BUILDING = threading.RLock()  # re-entrant: building printouts builds the reads, which build documents


class _part(Generic[P]):  # noqa: N801 - used as a decorator, like functools.cached_property
    """A part of the register built on first use and kept on the instance (after that, a plain attribute read).
    Unlike functools.cached_property (no lock since Python 3.12) two threads never build two of one part."""

    def __init__(self, build: Callable[[Registry], P]):
        self._build = build
        self._name = build.__name__
        self.__doc__ = build.__doc__

    @overload
    def __get__(self, registry: None, owner: type) -> _part[P]: ...

    @overload
    def __get__(self, registry: Registry, owner: type) -> P: ...

    def __get__(self, registry: Registry | None, owner: type) -> _part[P] | P:
        if registry is None:
            return self
        with _BUILDING:
            if self._name not in registry.__dict__:
                registry.__dict__[self._name] = self._build(registry)
        return registry.__dict__[self._name]  # type: ignore[no-any-return]


class Registry:
    """The register of one agency, on one database (SQLite file or PostgreSQL URL): the connection, the signed-in
    principal, the checks and the write transaction; everything else is done through its parts."""

    def __init__(self, db: str | None = None, actor: str | None = None, migrate: bool = True):
        url = resolve_url(db)
        path = sqlite_path(url)
        # A register on a disk, folder or file that cannot be written opens for reading only (app.db.read_only).
        self.read_only: ReadOnly | None = detect_read_only(path) if path is not None else None
        check_database_file(url, must_exist_folder=bool(db), read_only=self.read_only)  # reads only
        try:
            self.db = Database(url, self.read_only)
            # An older register (a new version of the app was installed) is backed up before it is migrated.
            self.upgrade_backup: str | None = None
            self.guard_notice: str | None = None
            if self.read_only is not None:
                self.guard_notice = self._check_read_only(self.read_only)
            elif migrate:
                upgrade(self.db.engine, self._back_up_before_upgrade)
                # Triggers dropped outside the app (a tampered backup, an SQLite tool) come back before any work.
                self.guard_notice = protection.ensure(self.db, actor or self._stored_clerk_name() or DEFAULT_CLERK)
        except (OSError, SQLAlchemyError) as exc:
            raise VanThuError(f"Không mở được cơ sở dữ liệu {url}: {exc}") from exc
        except VanThuError:  # no backup, no upgrade (or a newer schema): let go of the file before saying so
            if hasattr(self, "db"):
                self.db.dispose()
            raise
        self.actor = actor or self._stored_clerk_name() or DEFAULT_CLERK
        self._visibility = visibility.install(self.db)
        # A register without accounts stays open to its one clerk (the single-clerk setup); once an account
        # exists, nothing is read or written before sign_in().
        self._set_principal(NOBODY if self.has_users() else open_register(self.actor))

    # The parts, one per noun, each built (and its module imported) the first time it is used: a command that
    # lists a book should not load openpyxl, reportlab or pyHanko for the export, printing and signature parts.
    @_part
    def documents(self) -> Documents:
        from app.services.parts.documents import Documents

        return Documents(self)

    @_part
    def links(self) -> Links:
        from app.services.parts.links import Links

        return Links(self)

    @_part
    def text_entry(self) -> TextEntry:
        from app.services.parts.text_entry import TextEntry

        return TextEntry(self)

    @_part
    def routing(self) -> Routing:
        from app.services.parts.routing import Routing

        return Routing(self)

    @_part
    def holidays(self) -> Holidays:
        from app.services.parts.holidays import Holidays

        return Holidays(self)

    @_part
    def deadline_rules(self) -> DeadlineRules:
        from app.services.parts.deadline_rules import DeadlineRules

        return DeadlineRules(self)

    @_part
    def directory(self) -> Directory:
        from app.services.parts.directory import Directory

        return Directory(self)

    @_part
    def books(self) -> Books:
        from app.services.parts.books import Books

        return Books(self)

    @_part
    def types(self) -> Types:
        from app.services.parts.types import Types

        return Types(self)

    @_part
    def attachments(self) -> Attachments:
        from app.services.parts.attachments import Attachments

        return Attachments(self)

    @_part
    def signatures(self) -> Signatures:
        from app.services.parts.signatures import Signatures

        return Signatures(self)

    @_part
    def trust(self) -> Trust:
        from app.services.parts.trust import Trust

        return Trust(self)

    @_part
    def edxml(self) -> Edxml:
        from app.services.parts.edxml import Edxml

        return Edxml(self)

    @_part
    def edxml_inbox(self) -> EdxmlInbox:
        from app.services.parts.edxml_inbox import EdxmlInbox

        return EdxmlInbox(self)

    @_part
    def fulltext(self) -> FullText:
        from app.services.parts.fulltext import FullText

        return FullText(self)

    @_part
    def settings(self) -> Settings:
        from app.services.parts.settings import Settings

        return Settings(self)

    @_part
    def users(self) -> Users:
        return Users(self)

    @_part
    def audit(self) -> Audit:
        from app.services.parts.audit import Audit

        return Audit(self)

    @_part
    def anchors(self) -> Anchors:
        from app.services.parts.anchors import Anchors

        return Anchors(self)

    @_part
    def backups(self) -> Backups:
        from app.services.parts.backups import Backups

        return Backups(self)

    @_part
    def demo(self) -> Demo:
        from app.services.parts.demo import Demo

        return Demo(self)

    @_part
    def reports(self) -> Reports:
        from app.services.parts.reports import Reports

        return Reports(self)

    @_part
    def _reads(self) -> Reads:
        """The reads a part that prints or exports uses (one, shared by both)."""
        from app.services.parts.reads import Reads

        return Reads(self, self.documents, self.attachments, self.routing, self.links, self.settings, self.anchors)

    @_part
    def printouts(self) -> Printouts:
        from app.services.parts.printouts import Printouts

        return Printouts(self, self._reads)

    @_part
    def transfer(self) -> Transfer:
        from app.services.parts.transfer import Transfer

        return Transfer(self, self._reads)

    PARTS = ("documents", "links", "text_entry", "routing", "holidays", "deadline_rules", "directory", "books",
             "types", "attachments", "fulltext", "settings", "users", "audit", "anchors", "backups", "demo", "reports",
             "printouts", "transfer")

    def _check_read_only(self, read_only: ReadOnly) -> str:
        """Nothing can be migrated or repaired in a register that cannot be written: an older schema is refused
        (this version would misread it), missing guards are reported; the notice always says it is read-only."""
        revision = current_revision(self.db.engine)
        if revision != HEAD_REVISION:
            raise VanThuError(f"Không mở được sổ {self.db.location}: sổ ở phiên bản lược đồ {revision or 'trống'}, "
                              f"cần nâng cấp lên {HEAD_REVISION} trước khi dùng, nhưng {read_only.reason}. "
                              f"{read_only.advice} Tệp không bị thay đổi.")
        notes = [read_only.banner]
        with self.db.reading() as session:
            if problems := guards.missing_or_altered(session.connection()):
                notes.append(f"Sổ {guards.describe(problems)}; vì sổ chỉ đọc nên chưa tạo lại được — khi mở ở nơi "
                             "ghi được, chương trình sẽ tạo lại.")
        return " — ".join(notes)

    def _back_up_before_upgrade(self, revision: str) -> None:
        from app.services import backup as backup_service  # only an older register is backed up on opening

        self.upgrade_backup = backup_service.before_upgrade(self.url, revision)

    def upgrade_note(self) -> str | None:
        """What to tell the clerk when opening this register changed it (None when it did not): it was migrated,
        or protective triggers it lacked were re-created. The CLI prints it, the window's status bar shows it."""
        notes = [self.guard_notice] if self.guard_notice else []
        if self.upgrade_backup:
            notes.insert(0, "Đã nâng cấp cơ sở dữ liệu lên phiên bản mới; bản sao lưu trước khi nâng cấp: "
                            f"{self.upgrade_backup}")
        return " — ".join(notes) or None

    # the signed-in principal (app.core.access)
    def _set_principal(self, principal: Principal) -> None:
        self.principal = principal
        self._visibility.set(principal)
        if principal.signed_in:
            self.actor = principal.username

    def _stored_clerk_name(self) -> str:
        try:
            with self.db.reading() as s:
                return setting_rules.all_settings(s)[CLERK_NAME_KEY]
        except SQLAlchemyError:  # a register opened without migrating, before it has its settings table
            return ""

    def has_users(self) -> bool:
        """True once any account exists: then every call needs a signed-in user."""
        with self.db.reading() as s:
            return users.has_users(s)

    def sign_in(self, username: str, password: str, source: str = "") -> Principal:
        """Check the name and password (the attempt is audited either way); SignInRequired when wrong."""
        if self.read_only is not None:  # the password is checked all the same; the attempt cannot be recorded
            with self.db.reading() as session:
                outcome = users.sign_in(session, username, password, source, record=False)
        else:
            outcome = self.write(lambda s: users.sign_in(s, username, password, source))
        if isinstance(outcome, SignInRequired):
            raise outcome
        self._set_principal(outcome)
        return outcome

    def check(self, permission: Permission) -> None:
        """AccessDenied (SignInRequired before anyone signed in) unless the principal's roles allow it."""
        if self.principal.can(permission):
            return
        if not self.principal.roles:
            raise SignInRequired(SIGN_IN_HINT)
        raise AccessDenied(f"Tài khoản {self.principal.username} ({self.principal.display.split(' — ')[-1]}) "
                           f"không có quyền {PERMISSION_LABELS[permission]}.")

    def can(self, permission: Permission) -> bool:
        return self.principal.can(permission)

    def check_clearance(self, secrecy: Any) -> None:
        """Registering or changing a secret entry needs clearance for its level."""
        if secrecy is None or (isinstance(secrecy, str) and not secrecy.strip()):
            return
        try:
            level = Secrecy(secrecy) if not isinstance(secrecy, str) or secrecy in Secrecy._value2member_map_ \
                else Secrecy.parse(secrecy)
        except ValueError:
            return  # not a level: validation names the field
        if not self.principal.cleared_for(level):
            raise AccessDenied(f"Độ mật: tài khoản {self.principal.username} không được phép xử lý văn bản "
                               f"{level.label}.")

    def visible(self, doc_ids: Sequence[int]) -> None:
        """NotFoundError, worded as for a missing entry, when any of these is not the user's to see."""
        if self.principal.sees_everything:
            return
        with self.db.reading() as s:
            missing = visibility.invisible(s, doc_ids)
        if missing:
            raise NotFoundError(f"Không có văn bản mã {missing[0]}.")

    # the connection
    @property
    def location(self) -> str:
        """Where the register is, for people (file path, or URL without password)."""
        return self.db.location

    @property
    def url(self) -> str:
        return self.db.engine.url.render_as_string(hide_password=False)

    @property
    def file(self) -> Path | None:
        """The register's SQLite file, resolved (None on a PostgreSQL server): one PC opens it in one window."""
        path = sqlite_path(self.url)
        return path.resolve() if path is not None else None

    def schema_revision(self) -> tuple[str | None, str]:
        """(revision of this database, newest revision this app knows)."""
        return current_revision(self.db.engine), HEAD_REVISION

    def reading(self) -> AbstractContextManager[Session]:
        return self.db.reading()

    def writing(self) -> AbstractContextManager[Session]:
        return self.db.writing()

    def write(self, work: Callable[[Session], T]) -> T:
        """Run one write transaction. On PostgreSQL two clerks can race to create the same first row (a year's
        book); the loser's transaction is rolled back whole and is simply run again once. On SQLite a writer that
        waited the whole busy timeout behind others (many clerks saving at full speed on a slow machine) tries once
        more before saying the register is locked: nothing was written, so running again is safe."""
        for attempt in (1, 2):
            try:
                with self.db.writing() as session:
                    return work(session)
            except IntegrityError:
                if attempt == 2:
                    raise
            except DBAPIError as exc:  # disk full, read-only, locked, damaged: a clear message, nothing written
                if attempt == 1 and "database is locked" in str(exc.orig):
                    continue
                clear = storage_error(exc, self.location)
                if clear is None:
                    raise
                raise clear from exc
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.db.dispose()
