"""Registry: the one object the UI and CLI talk to; each call is one transaction and returns plain records."""

from __future__ import annotations

import functools
import getpass
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from app.core.access import NOBODY, PERMISSION_LABELS, Permission, Principal, open_register
from app.core.dates import today
from app.core.enums import BookCategory, Direction, DocumentStatus, Family, LinkType, NumberingScope, Secrecy, Urgency
from app.core.errors import AccessDenied, NotFoundError, SignInRequired, VanThuError
from app.core.records import (
    AssignmentRecord,
    AttachmentRecord,
    AuditRecord,
    BookRecord,
    DeadlineRuleRecord,
    DepartmentRecord,
    DocumentQuery,
    DocumentRecord,
    DocumentTypeRecord,
    ForwardChain,
    HolidayRecord,
    IncomingInput,
    LinkRecord,
    OrganizationRecord,
    OutgoingInput,
    OverdueItem,
    PersonRecord,
    RoutingRecord,
)
from app.core.report_records import Report
from app.db.engine import Database, resolve_url
from app.db.migrate import HEAD_REVISION, current_revision, upgrade
from app.db.safety import check_database_file, storage_error
from app.extraction.records import Extraction
from app.services import attachments as attachment_store
from app.services import (
    audit,
    books,
    deadline_rules,
    demo,
    directory,
    document_types,
    from_text,
    links,
    printouts,
    queries,
    registration,
    routing,
    search,
    transfer,
    users,
    visibility,
)
from app.services import backup as backup_service
from app.services import settings as agency_settings

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

SIGN_IN_HINT = ("Sổ này có tài khoản người dùng: hãy đăng nhập (--user TÊN hoặc biến VANTHU_USER; mật khẩu được hỏi, "
                "hoặc lấy từ VANTHU_PASSWORD).")


def requires(permission: Permission) -> Callable[[F], F]:
    """Refuse the call (AccessDenied, nothing read or written) unless the signed-in user's roles allow it."""
    def wrap(method: F) -> F:
        @functools.wraps(method)
        def checked(self: Registry, *args: Any, **kwargs: Any) -> Any:
            self.check(permission)
            return method(self, *args, **kwargs)

        return checked  # type: ignore[return-value]

    return wrap


def restore(db: str | None, path: str | Path) -> backup_service.RestoreResult:
    """Replace the register `db` with a backup file (checked whole first; the current register is backed up
    into backups/ before it is replaced). Opens no Registry: close the window (every Registry on it) first."""
    return backup_service.restore(resolve_url(db), path)


def auto_backup(db: str | None, keep: int | None = None) -> str | None:
    return backup_service.auto_backup(resolve_url(db), keep)


def default_actor() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in some containers and services
        return "van_thu"


class Registry:
    """The register of one agency, on one database (SQLite file or PostgreSQL URL)."""

    def __init__(self, db: str | None = None, actor: str | None = None, migrate: bool = True):
        url = resolve_url(db)
        check_database_file(url, must_exist_folder=bool(db))  # reads only: a file that is not ours is not touched
        try:
            self.db = Database(url)
            # An older register (a new version of the app was installed) is backed up before it is migrated.
            self.upgrade_backup: str | None = None
            if migrate:
                upgrade(self.db.engine, self._back_up_before_upgrade)
        except (OSError, SQLAlchemyError) as exc:
            raise VanThuError(f"Không mở được cơ sở dữ liệu {url}: {exc}") from exc
        except VanThuError:  # no backup, no upgrade (or a newer schema): let go of the file before saying so
            if hasattr(self, "db"):
                self.db.dispose()
            raise
        self.actor = actor or default_actor()
        self._visibility = visibility.install(self.db)
        # A register without accounts stays open to its one clerk (the single-clerk setup); once an account
        # exists, nothing is read or written before sign_in().
        self._set_principal(NOBODY if self.has_users() else open_register(self.actor))

    def _back_up_before_upgrade(self, revision: str) -> None:
        self.upgrade_backup = backup_service.before_upgrade(self._url, revision)

    def upgrade_note(self) -> str | None:
        """What to tell the clerk when opening this register migrated it (None when it did not)."""
        if not self.upgrade_backup:
            return None
        return f"Đã nâng cấp cơ sở dữ liệu lên phiên bản mới; bản sao lưu trước khi nâng cấp: {self.upgrade_backup}"

    # users, sign-in and permissions (app.core.access)
    def _set_principal(self, principal: Principal) -> None:
        self.principal = principal
        self._visibility.set(principal)
        if principal.signed_in:
            self.actor = principal.username

    def has_users(self) -> bool:
        """True once any account exists: then every call needs a signed-in user."""
        with self.db.reading() as s:
            return users.has_users(s)

    def sign_in(self, username: str, password: str, source: str = "") -> Principal:
        """Check the name and password (the attempt is audited either way); SignInRequired when wrong."""
        outcome = self._write(lambda s: users.sign_in(s, username, password, source))
        if isinstance(outcome, SignInRequired):
            raise outcome
        self._set_principal(outcome)
        return outcome

    def check(self, permission: Permission) -> None:
        if self.principal.can(permission):
            return
        if not self.principal.roles:
            raise SignInRequired(SIGN_IN_HINT)
        raise AccessDenied(f"Tài khoản {self.principal.username} ({self.principal.display.split(' — ')[-1]}) "
                           f"không có quyền {PERMISSION_LABELS[permission]}.")

    def can(self, permission: Permission) -> bool:
        return self.principal.can(permission)

    def _check_clearance(self, secrecy: Any) -> None:
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

    def _visible(self, doc_ids: Sequence[int]) -> None:
        """NotFoundError, worded as for a missing entry, when any of these is not the user's to see."""
        if self.principal.sees_everything:
            return
        with self.db.reading() as s:
            missing = visibility.invisible(s, doc_ids)
        if missing:
            raise NotFoundError(f"Không có văn bản mã {missing[0]}.")

    @requires(Permission.USERS)
    def list_users(self) -> list[users.UserRecord]:
        with self.db.reading() as s:
            return users.list_users(s)

    def add_user(self, username: str, password: str, roles: str | Sequence[str], clearance: str | None = None,
                 full_name: str = "", unit: str | None = None) -> users.UserRecord:
        """A new account; the register's first account must be a quản trị (it may be added without signing in)."""
        self.check(Permission.USERS)
        record = self._write(lambda s: users.add_user(s, self.actor, username, password, list(roles)
                                                      if not isinstance(roles, str) else roles, clearance,
                                                      full_name, unit))
        return record

    @requires(Permission.USERS)
    def update_user(self, username: str, **changes: Any) -> users.UserRecord:
        """roles, clearance ('' removes), full_name, unit ('' removes), active, password: None keeps."""
        return self._write(lambda s: users.update_user(s, self.actor, username, **changes))

    def change_own_password(self, old: str, new: str) -> None:
        """Any signed-in user may change their own password (the old one is checked first)."""
        if not self.principal.signed_in:
            raise SignInRequired(SIGN_IN_HINT)
        self.sign_in(self.principal.username, old, "đổi mật khẩu")
        self._write(lambda s: users.update_user(s, self.actor, self.principal.username, password=new))

    @property
    def location(self) -> str:
        """Where the register is, for people (file path, or URL without password)."""
        return self.db.location

    def schema_revision(self) -> tuple[str | None, str]:
        """(revision of this database, newest revision this app knows)."""
        return current_revision(self.db.engine), HEAD_REVISION

    def _write(self, work: Callable[[Session], T]) -> T:
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

    # backups (app.services.backup): one archive file with the database, every attachment and a manifest
    @requires(Permission.BACKUP)
    def backup(self, path: str | Path) -> backup_service.BackupInfo:
        """Write the whole register to one backup file (consistent while others write), whole or not at all."""
        return backup_service.backup(self._url, path)

    def auto_backup(self, keep: int | None = None) -> str | None:
        """Today's automatic backup in backups/ beside the database unless made already; keeps the last
        `backup.keep` (default 10). Never raises: returns a line for the status bar, or None."""
        return backup_service.auto_backup(self._url, keep)

    @property
    def _url(self) -> str:
        return self.db.engine.url.render_as_string(hide_password=False)

    # settings
    def settings(self) -> dict[str, str]:
        with self.db.reading() as s:
            return agency_settings.all_settings(s)

    def agency(self) -> agency_settings.AgencySettings:
        with self.db.reading() as s:
            return agency_settings.agency(s)

    @requires(Permission.SETTINGS)
    def set_setting(self, key: str, value: str) -> str:
        return self._write(lambda s: agency_settings.set_setting(s, self.actor, key, value))

    # registration
    @requires(Permission.REGISTER)
    def register_incoming(self, data: IncomingInput, allow_duplicate: bool = False) -> DocumentRecord:
        self._check_clearance(data.secrecy)
        return self._write(lambda s: registration.register_incoming(s, self.actor, data, allow_duplicate))

    @requires(Permission.REGISTER)
    def register_outgoing(self, data: OutgoingInput) -> DocumentRecord:
        self._check_clearance(data.secrecy)
        return self._write(lambda s: registration.register_outgoing(s, self.actor, data))

    @requires(Permission.REGISTER)
    def cancel(self, doc_id: int, reason: str) -> DocumentRecord:
        return self._write(lambda s: registration.cancel_document(s, self.actor, doc_id, reason))

    @requires(Permission.REGISTER)
    def update(self, doc_id: int, changes: dict[str, Any], allow_duplicate: bool = False) -> DocumentRecord:
        self._check_clearance(changes.get("secrecy"))
        return self._write(lambda s: registration.update_document(s, self.actor, doc_id, changes, allow_duplicate))

    @requires(Permission.REGISTER)
    def next_incoming_number(self, received_on: date, secret: bool = False) -> int:
        """The số đến the next incoming document would get (shown before saving; not reserved)."""
        self._check_clearance(Secrecy.MAT if secret else None)
        # A write transaction: the first look at a year may open its book.
        return self._write(lambda s: registration.next_incoming_number(s, self.actor, received_on, secret))

    @requires(Permission.REGISTER)
    def next_outgoing_number(self, doc_type: str, signed_on: date, unit: str = "", secret: bool = False) -> int:
        self._check_clearance(Secrecy.MAT if secret else None)
        return self._write(lambda s: registration.next_outgoing_number(s, self.actor, doc_type, signed_on, unit,
                                                                       secret))

    # reading
    @requires(Permission.VIEW)
    def get(self, doc_id: int) -> DocumentRecord:
        with self.db.reading() as s:
            return queries.get_document(s, doc_id)

    @requires(Permission.VIEW)
    def find(self, direction: Direction, number: int, year: int, secret: bool = False) -> DocumentRecord:
        with self.db.reading() as s:
            category = BookCategory.SECRET if secret else BookCategory.ORDINARY
            return queries.find_by_number(s, direction, number, year, category)

    @requires(Permission.VIEW)
    def list_documents(self, direction: Direction, year: int | None = None, secret: bool = False,
                       limit: int | None = None) -> list[DocumentRecord]:
        with self.db.reading() as s:
            category = BookCategory.SECRET if secret else BookCategory.ORDINARY
            return queries.list_documents(s, direction, year, category, limit)

    # search and the big table: ordered ids first, then rows by id in blocks
    @requires(Permission.VIEW)
    def search_ids(self, query: DocumentQuery) -> list[int]:
        """Ids of the entries the query selects, in its order (cheap: read from indexes where possible)."""
        with self.db.reading() as s:
            return search.search_ids(s, query, today())

    @requires(Permission.VIEW)
    def records(self, ids: Sequence[int]) -> list[DocumentRecord]:
        """The entries with these ids, in that order, without their links (for table rows)."""
        with self.db.reading() as s:
            return search.records_by_ids(s, ids)

    @requires(Permission.VIEW)
    def years(self) -> list[int]:
        """Years the register has entries for, newest first."""
        with self.db.reading() as s:
            return search.register_years(s)

    @requires(Permission.VIEW)
    def search(self, query: DocumentQuery) -> list[DocumentRecord]:
        with self.db.reading() as s:
            return search.records_by_ids(s, search.search_ids(s, query, today()))

    @requires(Permission.REGISTER)
    def demo_data(self, count: int, year: int | None = None, seed: int = 20231024,
                  progress: Callable[[int], None] | None = None, allow_existing: bool = False,
                  routed: bool = True) -> demo.DemoResult:
        """Fill an empty register with synthetic documents (for trying the app and for benchmarks); routed=False
        skips routing them (volume only)."""
        return demo.generate(self.db.writing, self.actor, count, year, today(), seed, progress, allow_existing,
                             routed)

    # links
    @requires(Permission.REGISTER)
    def link(self, source_id: int, link_type: LinkType, target: int | str, target_issued_on: date | None = None,
             target_issuer: str | None = None) -> LinkRecord:
        return self._write(lambda s: links.add_link(s, self.actor, source_id, link_type, target, target_issued_on,
                                                    target_issuer))

    # books and directory
    @requires(Permission.VIEW)
    def books(self) -> list[BookRecord]:
        with self.db.reading() as s:
            return books.list_books(s)

    @requires(Permission.SETTINGS)
    def add_book(self, direction: Direction, category: BookCategory, scope: NumberingScope | None = None,
                 name: str | None = None, term_start: date | None = None, term_end: date | None = None,
                 book_number: int = 1, family: Family | None = None) -> BookRecord:
        def work(s: Session) -> BookRecord:
            kind = family or agency_settings.agency(s).family
            return books.to_record(books.add_book(s, self.actor, direction, category, kind,
                                                  scope or books.default_scope(direction, kind), name, term_start,
                                                  term_end, book_number))

        return self._write(work)

    @requires(Permission.VIEW)
    def organizations(self, text: str = "", limit: int = 20) -> list[OrganizationRecord]:
        with self.db.reading() as s:
            return directory.search_organizations(s, text, limit)

    @requires(Permission.SETTINGS)
    def add_department(self, name: str, code: str | None = None) -> int:
        return self._write(lambda s: directory.add_department(s, self.actor, name, code).id)

    @requires(Permission.SETTINGS)
    def add_person(self, full_name: str, title: str | None = None, department_id: int | None = None) -> int:
        return self._write(lambda s: directory.add_person(s, self.actor, full_name, title, department_id).id)

    @requires(Permission.AUDIT)
    def audit_events(self, entity: str | None = None, entity_id: int | None = None, limit: int = 200, *,
                     actor: str | None = None, action: str | None = None, date_from: date | None = None,
                     date_to: date | None = None, document_id: int | None = None,
                     offset: int = 0) -> list[AuditRecord]:
        """Newest first; dates are local calendar days (both included), actor matches part of the name."""
        with self.db.reading() as s:
            return audit.events(s, entity, entity_id, limit, offset,
                                self._audit_filter(actor, action, date_from, date_to, document_id))

    @requires(Permission.VIEW)
    def document_history(self, doc_id: int, limit: int = 200) -> list[AuditRecord]:
        """One entry's own history (its audit events, newest first), for whoever may see the entry: the clerk
        needs it at the desk; reading the whole trail stays the quản trị's (AUDIT)."""
        self._visible([doc_id])
        with self.db.reading() as s:
            return audit.events(s, "document", doc_id, limit)

    @requires(Permission.AUDIT)
    def audit_count(self, actor: str | None = None, action: str | None = None, date_from: date | None = None,
                    date_to: date | None = None, document_id: int | None = None) -> int:
        with self.db.reading() as s:
            return audit.count(s, self._audit_filter(actor, action, date_from, date_to, document_id))

    @requires(Permission.AUDIT)
    def audit_actions(self) -> list[str]:
        with self.db.reading() as s:
            return audit.actions(s)

    @staticmethod
    def _audit_filter(actor: str | None, action: str | None, date_from: date | None, date_to: date | None,
                      document_id: int | None) -> audit.AuditFilter:
        return audit.AuditFilter(actor or None, action or None, "document" if document_id is not None else None,
                                 document_id, date_from, date_to)

    @requires(Permission.AUDIT)
    def verify_audit(self, progress: Callable[[int], None] | None = None) -> audit.AuditCheck:
        """Walk the whole hash chain of the audit trail: ok with the count, or the first broken link."""
        with self.db.reading() as s:
            return audit.verify(s, progress=progress)

    # settings pages: document types, departments and staff, books
    @requires(Permission.VIEW)
    def document_types(self, family: Family | None = None, include_inactive: bool = False) -> list[DocumentTypeRecord]:
        """The types of a family (default: the agency's), in list order; inactive ones too if asked."""
        with self.db.reading() as s:
            kind = family or agency_settings.agency(s).family
            return document_types.list_types(s, kind, include_inactive)

    @requires(Permission.SETTINGS)
    def save_document_type(self, name: str, abbreviation: str | None = None, active: bool = True,
                           type_id: int | None = None, family: Family | None = None) -> DocumentTypeRecord:
        """Add a type to a family's list (default: the agency's), or edit the type with type_id."""
        def work(s: Session) -> DocumentTypeRecord:
            kind = family or agency_settings.agency(s).family
            return document_types.save_type(s, self.actor, kind, name, abbreviation, active, type_id)

        return self._write(work)

    @requires(Permission.VIEW)
    def departments(self, include_inactive: bool = False) -> list[DepartmentRecord]:
        with self.db.reading() as s:
            return directory.list_departments(s, include_inactive)

    @requires(Permission.SETTINGS)
    def update_department(self, department_id: int, name: str, code: str | None = None,
                          active: bool = True) -> DepartmentRecord:
        return self._write(lambda s: directory.update_department(s, self.actor, department_id, name, code, active))

    @requires(Permission.VIEW)
    def people(self, department_id: int | None = None, include_inactive: bool = False) -> list[PersonRecord]:
        with self.db.reading() as s:
            return directory.list_people(s, department_id, include_inactive)

    @requires(Permission.SETTINGS)
    def update_person(self, person_id: int, full_name: str, title: str | None = None,
                      department_id: int | None = None, active: bool = True) -> PersonRecord:
        return self._write(lambda s: directory.update_person(s, self.actor, person_id, full_name, title,
                                                             department_id, active))

    @requires(Permission.SETTINGS)
    def close_book(self, book_id: int) -> BookRecord:
        """Close a book by hand; the next registration of its kind opens a new one."""
        return self._write(lambda s: books.close_book_by_id(s, self.actor, book_id))

    # the detail pane: attachments, link maintenance, the forwarding chain
    @property
    def data_folder(self) -> Path:
        """Where attachments are stored: beside the SQLite file, or the user's data folder for a server."""
        return attachment_store.data_folder(str(self.db.engine.url))

    @requires(Permission.REGISTER)
    def attach(self, doc_id: int, path: str | Path) -> AttachmentRecord:
        """Copy a scan into the store (outside the write lock), then attach it to the entry."""
        with self.db.reading() as s:
            queries.get_document(s, doc_id, with_links=False)  # NotFoundError before copying anything
        stored = attachment_store.store_file(self.data_folder, path)
        return self._write(lambda s: attachment_store.add_attachment(s, self.actor, doc_id, stored))

    @requires(Permission.VIEW)
    def attachments(self, doc_id: int, include_removed: bool = False) -> list[AttachmentRecord]:
        self._visible([doc_id])
        with self.db.reading() as s:
            return attachment_store.list_attachments(s, doc_id, include_removed)

    @requires(Permission.VIEW)
    def attachment_path(self, attachment_id: int) -> Path:
        """The stored copy, checked against its hash (VanThuError when it was changed or is missing)."""
        with self.db.reading() as s:
            return attachment_store.attachment_path(s, self.data_folder, attachment_id)

    @requires(Permission.REGISTER)
    def detach(self, attachment_id: int) -> AttachmentRecord:
        return self._write(lambda s: attachment_store.detach(s, self.actor, attachment_id))

    @requires(Permission.REGISTER)
    def unlink(self, link_id: int) -> LinkRecord:
        return self._write(lambda s: links.remove_link(s, self.actor, link_id))

    @requires(Permission.VIEW)
    def forward_chain(self, doc_id: int) -> ForwardChain:
        self._visible([doc_id])
        with self.db.reading() as s:
            return links.forward_chain(s, doc_id)

    # printing (PDF files; reportlab is loaded on first use)
    @requires(Permission.VIEW)
    def reply_references(self, target_ids: Sequence[int]) -> dict[int, str]:
        self._visible(target_ids)
        with self.db.reading() as s:
            return links.reply_references(s, target_ids)

    def _printed(self, printout: str, doc_ids: Sequence[int], path: Path) -> Path:
        """Printing a secret entry goes into the audit trail: who printed which entry, what and to which file."""
        secret = [r.id for r in self.records(list(doc_ids)) if r.secrecy]
        if secret:
            def work(s: Session) -> None:
                for doc_id in secret:
                    audit.record(s, self.actor, "print", "document", doc_id, None,
                                 {"printout": printout, "file": str(path)})

            self._write(work)
        return path

    @requires(Permission.PRINT)
    def print_stamps(self, doc_ids: Sequence[int], path: str | Path, sheet: bool = False) -> Path:
        return self._printed("dấu đến", doc_ids, printouts.print_stamps(self, doc_ids, path, sheet))

    @requires(Permission.PRINT)
    def print_stamp_on_scan(self, doc_id: int, scan: str | Path | None, path: str | Path) -> Path:
        return self._printed("dấu đến trên bản quét", [doc_id],
                             printouts.print_stamp_on_scan(self, doc_id, scan, path))

    @requires(Permission.PRINT)
    def print_slip(self, doc_id: int, path: str | Path) -> Path:
        return self._printed("phiếu giải quyết", [doc_id], printouts.print_slip(self, doc_id, path))

    @requires(Permission.PRINT)
    def print_receipt(self, doc_ids: Sequence[int], path: str | Path, sender: str = "") -> Path:
        return self._printed("giấy biên nhận", doc_ids, printouts.print_receipt(self, doc_ids, path, sender))

    @requires(Permission.PRINT)
    def print_handover(self, unit: str, doc_ids: Sequence[int] | None, path: str | Path) -> Path:
        """doc_ids None: the documents routed to the unit and not yet signed for."""
        if doc_ids is None and unit.strip():
            doc_ids = self.awaiting_handover(unit)[1] or None  # none: print_handover says so
        return self._printed("sổ chuyển giao", doc_ids or [], printouts.print_handover(self, unit, doc_ids, path))

    @requires(Permission.PRINT)
    def print_register(self, register: printouts.RegisterRange, path: str | Path) -> tuple[Path, int, int]:
        """(file, entries printed, pages)."""
        printed = printouts.print_register(self, register, path)
        if register.secret:  # one event for the book: printing it is printing every entry in the range
            self._write(lambda s: audit.record(s, self.actor, "print", "register", None, None, {
                "printout": "sổ đăng ký mật", "book": register.kind, "year": register.year,
                "entries": printed[1], "file": str(printed[0])}))
        return printed

    # registering from the document's own text
    @requires(Permission.VIEW)
    def plan_links_from_text(self, extraction: Extraction) -> list[from_text.PlannedLink]:
        """The links registering this text would make (shown before saving)."""
        with self.db.reading() as s:
            return from_text.plan_links(s, extraction)

    @requires(Permission.REGISTER)
    def register_from_text(self, extraction: Extraction, overrides: dict[str, Any] | None = None,
                           allow_duplicate: bool = False) -> tuple[DocumentRecord, list[from_text.PlannedLink]]:
        """Register the text's first document (overrides win) and link its bundle and citations, in one go."""
        if extraction.documents:
            self._check_clearance(from_text.incoming_input(extraction.documents[0], overrides).secrecy)
        return self._write(lambda s: from_text.register_from_text(s, self.actor, extraction, overrides or {},
                                                                  allow_duplicate))

    # routing, handover and tracking of incoming documents (DOMAIN.md §2 steps 3–4)
    @requires(Permission.ROUTE)
    def route(self, doc_id: int, lead: str, supports: str | Sequence[str] = (), deadline: date | None = None,
              directive: str = "", directed_by: str = "", directed_at: date | None = None, assignee: str = "",
              support_deadlines: Mapping[str, date] | None = None) -> RoutingRecord:
        """Add a routing step (earlier steps stay as history); deadlines left out come from the rules."""
        return self._write(lambda s: routing.route(s, self.actor, doc_id, lead, supports, deadline, directive,
                                                   directed_by, directed_at, assignee, support_deadlines))

    @requires(Permission.ROUTE)
    def handover(self, doc_id: int, unit: str, signed_by: str, at: datetime | None = None) -> AssignmentRecord:
        """The unit received the document; signed_by signed for it (ký nhận)."""
        return self._write(lambda s: routing.handover(s, self.actor, doc_id, unit, signed_by, at))

    @requires(Permission.UNIT_STATUS)
    def set_unit_status(self, doc_id: int, unit: str, status: DocumentStatus,
                        at: datetime | None = None) -> AssignmentRecord:
        if self.principal.unit_only:  # a chuyên viên reports the progress of their own unit only
            with self.db.reading() as s:
                named = routing.find_department(s, unit).id
            if named != self.principal.department_id:
                raise AccessDenied(f"Đơn vị: tài khoản {self.principal.username} chỉ ghi được tiến độ của "
                                   f"{self.principal.department_name or 'đơn vị mình'}.")
        return self._write(lambda s: routing.set_unit_status(s, self.actor, doc_id, unit, status, at))

    @requires(Permission.ROUTE)
    def set_document_status(self, doc_id: int, status: DocumentStatus) -> DocumentStatus:
        """An incoming entry's own status (not routed, or filing a routed one its lead unit has finished)."""
        return self._write(lambda s: routing.set_document_status(s, self.actor, doc_id, status))

    @requires(Permission.VIEW)
    def routing_history(self, doc_id: int) -> list[RoutingRecord]:
        self._visible([doc_id])
        with self.db.reading() as s:
            return routing.history(s, doc_id)

    @requires(Permission.VIEW)
    def default_deadline(self, doc_id: int, on: date | None = None) -> date | None:
        """The deadline the rules would give the document if it were routed on that day (default today)."""
        self._visible([doc_id])
        with self.db.reading() as s:
            return routing.default_deadline_of(s, doc_id, on or today())

    @requires(Permission.PRINT)
    def awaiting_handover(self, unit: str) -> tuple[str, list[int]]:
        """(the unit's name, documents routed to it and not yet signed for, in số đến order)."""
        with self.db.reading() as s:
            return routing.awaiting_handover(s, unit)

    @requires(Permission.VIEW)
    def follow_up_notes(self, doc_ids: Sequence[int], on: date) -> dict[int, tuple[str, str]]:
        """For the Sổ theo dõi giải quyết: id -> (units with roles, each unit's progress on that day)."""
        self._visible(doc_ids)
        with self.db.reading() as s:
            return routing.follow_up_notes(s, doc_ids, on)

    @requires(Permission.REPORT)
    def overdue(self, on: date | None = None) -> list[OverdueItem]:
        """Per unit: open handling past its deadline on that day (default today), then handling due soon."""
        with self.db.reading() as s:
            return routing.overdue(s, on or today())

    @requires(Permission.VIEW)
    def holidays(self, year: int | None = None) -> list[HolidayRecord]:
        with self.db.reading() as s:
            return routing.list_holidays(s, year)

    @requires(Permission.SETTINGS)
    def add_holiday(self, day: date, name: str) -> HolidayRecord:
        return self._write(lambda s: routing.add_holiday(s, self.actor, day, name))

    @requires(Permission.SETTINGS)
    def remove_holiday(self, day: date) -> HolidayRecord:
        return self._write(lambda s: routing.remove_holiday(s, self.actor, day))

    # deadline rules (working days by type and urgency); a change applies to routings made afterwards only
    @requires(Permission.VIEW)
    def deadline_rules(self) -> list[DeadlineRuleRecord]:
        with self.db.reading() as s:
            return deadline_rules.list_rules(s)

    @requires(Permission.SETTINGS)
    def save_deadline_rule(self, doc_type: str | None, urgency: Urgency | str | None, working_days: int | str,
                           rule_id: int | None = None, replace: bool = False) -> DeadlineRuleRecord:
        """Add a rule (None or empty: any type / any urgency), edit the one with rule_id, or with replace
        update the rule for the same (type, urgency). Deadlines already given are never recomputed."""
        return self._write(lambda s: deadline_rules.save_rule(s, self.actor, doc_type, urgency, working_days,
                                                              rule_id, replace))

    @requires(Permission.SETTINGS)
    def remove_deadline_rule(self, rule_id: int | None = None, doc_type: str | None = None,
                             urgency: Urgency | str | None = None) -> DeadlineRuleRecord:
        """Remove the rule with rule_id, or (without an id) the one for exactly that type and urgency."""
        return self._write(lambda s: deadline_rules.remove_rule(s, self.actor, rule_id, doc_type, urgency))

    # reports: figures by month, issuer, type and unit (SQL GROUP BY), and their Excel workbook
    @requires(Permission.REPORT)
    def report(self, year: int, by: str | None = None, on: date | None = None, secret: bool = False,
               top: int = 10) -> Report:
        """The year's report (app.core.report_records.Report): every dimension, or only `by` (month, issuer, type,
        unit); open handling past its deadline on `on` (default today) is overdue."""
        from app.services import reports

        with self.db.reading() as s:
            return reports.build_report(s, year, on or today(), by, secret, top)

    @requires(Permission.REPORT)
    def export_report_xlsx(self, year: int, path: str | Path, by: str | None = None, on: date | None = None,
                           secret: bool = False, top: int = 10) -> Path:
        """Write the report as an .xlsx workbook (one sheet and bar chart per dimension); openpyxl loads here."""
        from app.services import reports
        from app.spreadsheets.report_xlsx import write_report

        reports.check_request(year, by, top)  # refused before anything is read or written
        return write_report(self.report(year, by, on, secret, top), path)

    # the register to Excel and back (openpyxl loads on first use)
    @requires(Permission.REPORT)
    def export_xlsx(self, selection: DocumentQuery | Sequence[int], path: str | Path) -> tuple[Path, int]:
        """Write a book's entries (a query, or ids in that order) to .xlsx, whole or not at all: (file, rows)."""
        written, rows = transfer.export_register(self, selection, path)
        secret = selection.secret if isinstance(selection, DocumentQuery) else \
            any(r.secrecy for r in self.records(list(selection)[:1]))
        if secret:  # a copy of a secret book leaves the register: who, how many entries, which file
            self._write(lambda s: audit.record(s, self.actor, "export", "register", None, None,
                                               {"book": "mật", "rows": rows, "file": str(written)}))
        return written, rows

    @requires(Permission.REGISTER)
    def import_register(self, path: str | Path, book: str | None = None,
                        dry_run: bool = False) -> transfer.ImportReport:
        """Import an old register (.xlsx/.csv) keeping its numbers: every row in one transaction or none (the
        report lists every error); book None: read from the headings; dry_run: check only, write nothing."""
        return transfer.import_register(self, path, book, dry_run)
