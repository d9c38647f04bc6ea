"""Registry: the register session the UI and CLI talk to, and its parts (registry.documents, registry.routing, …)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, TypeVar

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
from app.services import backup as backup_service
from app.services import protection, users, visibility
from app.services import settings as setting_rules
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
from app.services.parts.users import SIGN_IN_HINT, Users
from app.services.settings import CLERK_NAME_KEY, DEFAULT_CLERK

T = TypeVar("T")

__all__ = ["CLERK_NAME_KEY", "DEFAULT_CLERK", "SIGN_IN_HINT", "Registry", "auto_backup", "default_actor", "restore"]


def restore(db: str | None, path: str | Path) -> backup_service.RestoreResult:
    """Replace the register `db` with a backup file (checked whole first; the current register is backed up
    into backups/ before it is replaced). Opens no Registry: close the window (every Registry on it) first."""
    return backup_service.restore(resolve_url(db), path)


def auto_backup(db: str | None, keep: int | None = None) -> str | None:
    """Today's automatic backup of the register `db`, before any Registry is opened on it."""
    return backup_service.auto_backup(resolve_url(db), keep)


def default_actor() -> str:
    """The name written and printed when neither an account nor the register names the clerk."""
    return DEFAULT_CLERK


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
        self._make_parts()
        # A register without accounts stays open to its one clerk (the single-clerk setup); once an account
        # exists, nothing is read or written before sign_in().
        self._set_principal(NOBODY if self.has_users() else open_register(self.actor))

    def _make_parts(self) -> None:
        """One part per noun; each gets this session (and a part that prints or exports, the reads it uses)."""
        self.documents = Documents(self)
        self.links = Links(self)
        self.text_entry = TextEntry(self)
        self.routing = Routing(self)
        self.holidays = Holidays(self)
        self.deadline_rules = DeadlineRules(self)
        self.directory = Directory(self)
        self.books = Books(self)
        self.types = Types(self)
        self.attachments = Attachments(self)
        self.signatures = Signatures(self)
        self.trust = Trust(self)
        self.edxml = Edxml(self)
        self.edxml_inbox = EdxmlInbox(self)
        self.fulltext = FullText(self)
        self.settings = Settings(self)
        self.users = Users(self)
        self.audit = Audit(self)
        self.anchors = Anchors(self)
        self.backups = Backups(self)
        self.demo = Demo(self)
        self.reports = Reports(self)
        reads = Reads(self, self.documents, self.attachments, self.routing, self.links, self.settings,
                      self.anchors)
        self.printouts = Printouts(self, reads)
        self.transfer = Transfer(self, reads)

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
