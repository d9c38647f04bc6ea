"""Users, roles and clearance: every Registry call is guarded, and a secret entry cannot be found by any route
by a user not cleared for it (SQLite and PostgreSQL)."""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from app.core.access import Permission
from app.core.enums import Direction, DocumentStatus, LinkType
from app.core.errors import AccessDenied, NotFoundError, SignInRequired, ValidationError
from app.core.records import DocumentQuery, IncomingInput
from app.services import Registry, audit
from app.services.printouts import RegisterRange

pytestmark = pytest.mark.both_engines

PASSWORD = "mat-khau-8"
YEAR = date.today().year
SECRET_WORD = "bimatquocphong"  # only in secret entries: a search must not find it for the uncleared

# The session's own calls (the connection and who is signed in): usable before anyone signs in, they reveal no
# entry. Everything else is an operation of a part (registry.documents.get …), each declaring its permission.
SESSION_CALLS = {"has_users", "sign_in", "check", "can", "close", "location", "url", "schema_revision", "reading",
                 "file", "writing", "write", "check_clearance", "visible", "upgrade_note"}
# A role that lacks each permission (VIEW: every role has it, so only signing in is proved for it).
LACKING = {Permission.UNIT_STATUS: "quantri"} | {p: "cv.vp" for p in Permission
                                                  if p not in (Permission.VIEW, Permission.UNIT_STATUS)}


@dataclass
class Office:
    url: str
    ordinary_vp: int  # routed to Văn phòng
    ordinary_tc: int  # routed to Phòng Tổ chức
    mat: int          # Mật, routed to Văn phòng, with an attachment
    toi_mat: int      # Tối mật
    tuyet_mat: int    # Tuyệt mật (no trích yếu)
    attachment: int

    @property
    def secrets(self) -> list[int]:
        return [self.mat, self.toi_mat, self.tuyet_mat]

    def as_user(self, name: str) -> Registry:
        reg = Registry(self.url)
        reg.sign_in(name, PASSWORD)
        return reg


def _incoming(n: int, subject: str, secrecy: str | None = None) -> IncomingInput:
    return IncomingInput(issuer="BỘ QUỐC PHÒNG" if secrecy else "SỞ TÀI CHÍNH", reference=f"{n}/BQP-VP",
                         issued_on=date(YEAR, 1, 2), received_on=date(YEAR, 1, 3), doc_type="Công văn",
                         subject=subject, secrecy=secrecy)


@pytest.fixture
def office(state_registry: Registry, db_url: str, tmp_path: Path) -> Office:
    """An office as its single clerk left it (open register), then given accounts by its quản trị."""
    reg = state_registry
    reg.directory.add_department("Văn phòng", "VP")
    reg.directory.add_department("Phòng Tổ chức", "TC")
    a = reg.documents.register_incoming(_incoming(1, "Về dự toán ngân sách")).id
    b = reg.documents.register_incoming(_incoming(2, "Về tuyển dụng công chức")).id
    mat = reg.documents.register_incoming(_incoming(3, f"Kế hoạch {SECRET_WORD} năm nay", "mat")).id
    toi = reg.documents.register_incoming(_incoming(4, f"Phương án {SECRET_WORD}", "toi_mat")).id
    tuyet = reg.documents.register_incoming(_incoming(5, "", "tuyet_mat")).id
    reg.routing.route(a, "VP", deadline=date(YEAR, 1, 10), directed_at=date(YEAR, 1, 4))
    reg.routing.route(b, "TC", deadline=date(YEAR, 1, 10), directed_at=date(YEAR, 1, 4))
    reg.routing.route(mat, "VP", deadline=date(YEAR, 1, 10), directed_at=date(YEAR, 1, 4))
    reg.links.add(toi, LinkType.CITES, mat)
    scan = tmp_path / "ban-quet.pdf"
    scan.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    attachment = reg.attachments.attach(mat, scan).id
    reg.users.add("quantri", PASSWORD, "quan_tri", full_name="Quản Trị")
    reg.users.add("lan", PASSWORD, "van_thu", full_name="Nguyễn Thị Lan")
    reg.users.add("hoa", PASSWORD, "van_thu", "toi_mat", full_name="Trần Thị Hoa")
    reg.users.add("giamdoc", PASSWORD, "lanh_dao", "tuyet_mat", full_name="Lê Văn Minh")
    reg.users.add("cv.vp", PASSWORD, "chuyen_vien", unit="VP", full_name="Phạm Văn An")
    reg.users.add("baomat", PASSWORD, "quan_tri", "tuyet_mat", full_name="Cán bộ bảo mật")
    reg.users.add("vt.mat", PASSWORD, "van_thu", "tuyet_mat", full_name="Văn thư sổ mật")
    return Office(db_url, a, b, mat, toi, tuyet, attachment)


def _operations(registry: Registry) -> list[tuple[str, str, object]]:
    """(part, name, the function or property getter) for every public operation of every part of the register."""
    found = []
    for part in Registry.PARTS:
        cls = type(getattr(registry, part))
        for name, member in inspect.getmembers(cls):
            if name.startswith("_"):
                continue
            if isinstance(member, property):
                found.append((part, name, member.fget))
            elif inspect.isfunction(member):
                found.append((part, name, member))
    return found


def _dummy_call(registry: Registry, part: str, name: str) -> object:
    """Call an operation with None for every argument: a guarded one must refuse before it looks at them."""
    method = getattr(getattr(registry, part), name)
    params = [p for p in inspect.signature(method).parameters.values()
              if p.default is inspect.Parameter.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    args = [None for p in params if p.kind is not p.KEYWORD_ONLY]
    kwargs = {p.name: None for p in params if p.kind is p.KEYWORD_ONLY}
    return method(*args, **kwargs)


def test_every_call_that_reads_or_writes_the_register_is_guarded(office: Office) -> None:
    """An operation added to a part without a permission (or a stated reason to be open) fails this test; every
    guarded one refuses, with nothing written, a caller who has not signed in and one whose roles lack it."""
    session_calls = {name for name, member in inspect.getmembers(Registry) if not name.startswith("_") and
                     (inspect.isfunction(member) or isinstance(member, property))}
    assert session_calls == SESSION_CALLS  # a new capability is a part, not another method on the session
    anonymous = Registry(office.url)
    operations = _operations(anonymous)
    assert {part for part, _, _ in operations} == set(Registry.PARTS)
    undeclared = [f"{part}.{name}" for part, name, fn in operations
                  if not hasattr(fn, "permission") and not hasattr(fn, "open_reason")]
    assert undeclared == []
    guarded = [(part, name, fn.permission) for part, name, fn in operations if hasattr(fn, "permission")]
    assert len(guarded) > 70
    users = {name: office.as_user(name) for name in set(LACKING.values())}
    with users["quantri"].reading() as s:
        trail_before = audit.count(s, audit.AuditFilter())
    try:
        assert anonymous.has_users() and not anonymous.principal.signed_in
        for part, name, permission in guarded:
            with pytest.raises(SignInRequired, match="đăng nhập"):
                _dummy_call(anonymous, part, name)
            if permission in LACKING:
                user = LACKING[permission]
                with pytest.raises(AccessDenied, match=f"Tài khoản {re.escape(user)}"):
                    _dummy_call(users[user], part, name)
        for call in (lambda: anonymous.documents.get(office.ordinary_vp),
                     lambda: anonymous.documents.search_ids(DocumentQuery()),
                     lambda: anonymous.documents.register_incoming(_incoming(9, "x")), lambda: anonymous.audit.events(),
                     lambda: anonymous.users.list(), lambda: anonymous.reports.build(YEAR),
                     lambda: anonymous.users.add("x.y", PASSWORD, "van_thu"),
                     lambda: anonymous.users.change_own_password(PASSWORD, "mat-khau-9")):
            with pytest.raises(SignInRequired, match="đăng nhập"):
                call()
        with users["quantri"].reading() as s:
            assert audit.count(s, audit.AuditFilter()) == trail_before  # refused calls wrote nothing
    finally:
        anonymous.close()
        for reg in users.values():
            reg.close()


def test_a_user_without_clearance_cannot_find_a_secret_entry_by_any_route(office: Office, tmp_path: Path) -> None:
    for name in ("lan", "quantri"):  # a văn thư, and the quản trị (not cleared by default)
        reg = office.as_user(name)
        try:
            for doc_id in office.secrets:
                with pytest.raises(NotFoundError):
                    reg.documents.get(doc_id)
                with pytest.raises(NotFoundError):
                    reg.attachments.list(doc_id)
                with pytest.raises(NotFoundError):
                    reg.routing.history(doc_id)
                with pytest.raises(NotFoundError):
                    reg.links.forward_chain(doc_id)
            with pytest.raises(NotFoundError):
                reg.documents.find(Direction.INCOMING, 1, YEAR, secret=True)
            with pytest.raises(NotFoundError):
                reg.attachments.path(office.attachment)
            assert reg.documents.list(Direction.INCOMING, YEAR, secret=True) == []
            assert reg.documents.search_ids(DocumentQuery(direction=Direction.INCOMING, secret=True)) == []
            for secret in (False, True):
                assert reg.documents.search(DocumentQuery(text=SECRET_WORD, secret=secret)) == []
                assert reg.documents.search(DocumentQuery(text="BỘ QUỐC PHÒNG", secret=secret)) == []
            assert reg.documents.records(office.secrets) == []
            visible = {r.id for r in reg.documents.search(DocumentQuery(direction=Direction.INCOMING))}
            assert visible == {office.ordinary_vp, office.ordinary_tc}
            if name == "lan":  # văn thư: reports, overdue lists, printing, exports, follow-up notes
                report = reg.reports.build(YEAR, secret=True)
                assert sum(m.incoming for m in report.months) == 0
                assert not {i.document_id for i in reg.routing.overdue(date(YEAR, 12, 31))} & set(office.secrets)
                assert reg.routing.awaiting_handover("VP")[1] == [office.ordinary_vp]
                with pytest.raises(NotFoundError):
                    reg.routing.follow_up_notes([office.mat], date(YEAR, 6, 1))
                with pytest.raises(NotFoundError):
                    reg.printouts.stamps([office.mat], tmp_path / "dau.pdf")
                with pytest.raises(NotFoundError):
                    reg.transfer.export_xlsx([office.mat], tmp_path / "mat.xlsx")
                assert not (tmp_path / "dau.pdf").exists() and not (tmp_path / "mat.xlsx").exists()
                with pytest.raises(NotFoundError):
                    reg.links.add(office.ordinary_vp, LinkType.CITES, office.mat)
                with pytest.raises(NotFoundError):
                    reg.documents.cancel(office.mat, "thử")
                with pytest.raises(NotFoundError):
                    reg.routing.route(office.toi_mat, "TC")
            else:  # quản trị: the audit trail keeps no trace of secret entries they could read
                events = reg.audit.events(limit=1000)
                assert events and not [e for e in events if e.entity == "document" and e.entity_id in office.secrets]
                assert reg.audit.events(document_id=office.mat) == []
                assert reg.audit.verify().ok  # the whole chain is still checked
        finally:
            reg.close()


def test_clearance_is_a_level_and_tuyet_mat_entries_show_no_subject(office: Office) -> None:
    hoa = office.as_user("hoa")  # Tối mật: sees Mật and Tối mật
    try:
        seen = {r.id for r in hoa.documents.search(DocumentQuery(direction=Direction.INCOMING, secret=True))}
        assert seen == {office.mat, office.toi_mat}
        assert {r.id for r in hoa.documents.search(DocumentQuery(text=SECRET_WORD, secret=True))} == {office.mat,
                                                                                                      office.toi_mat}
        with pytest.raises(NotFoundError):
            hoa.documents.get(office.tuyet_mat)
        assert hoa.reports.build(YEAR, secret=True).months[0].incoming == 2
    finally:
        hoa.close()
    director = office.as_user("giamdoc")  # Tuyệt mật: sees all three
    try:
        seen = {r.id for r in director.documents.search(DocumentQuery(direction=Direction.INCOMING, secret=True))}
        assert seen == set(office.secrets)
        top = director.documents.get(office.tuyet_mat)
        assert top.subject == "" and top.doc_type == "Công văn"
    finally:
        director.close()


def test_a_chuyen_vien_sees_only_what_was_routed_to_their_unit(office: Office) -> None:
    cv = office.as_user("cv.vp")
    try:
        assert {r.id for r in cv.documents.search(DocumentQuery(direction=Direction.INCOMING))} == {office.ordinary_vp}
        with pytest.raises(NotFoundError):
            cv.documents.get(office.ordinary_tc)
        with pytest.raises(NotFoundError):  # routed to the unit, but secret: no clearance
            cv.documents.get(office.mat)
        done = cv.routing.set_unit_status(office.ordinary_vp, "VP", DocumentStatus.IN_PROGRESS)
        assert done.status is DocumentStatus.IN_PROGRESS
        with pytest.raises(AccessDenied, match="Văn phòng"):
            cv.routing.set_unit_status(office.ordinary_vp, "TC", DocumentStatus.HANDLED)
        for call in (lambda: cv.documents.register_incoming(_incoming(9, "x")),
                     lambda: cv.routing.route(office.ordinary_vp, "TC"),
                     lambda: cv.reports.build(YEAR), lambda: cv.settings.set("agency.name", "X")):
            with pytest.raises(AccessDenied):
                call()
    finally:
        cv.close()


def test_each_role_does_its_own_work(office: Office, tmp_path: Path) -> None:
    lan, director, admin = office.as_user("lan"), office.as_user("giamdoc"), office.as_user("quantri")
    try:
        doc = lan.documents.register_incoming(_incoming(10, "Về hội nghị"))
        assert doc.created_by == "lan"
        lan.printouts.slip(doc.id, tmp_path / "phieu.pdf")
        for call in (lambda: lan.settings.set("agency.name", "X"), lambda: lan.users.list(),
                     lambda: lan.audit.events(), lambda: lan.backups.create(tmp_path / "x.vanthu")):
            with pytest.raises(AccessDenied, match="lan"):
                call()
        routed = director.routing.route(doc.id, "VP", directive="Văn phòng tham mưu")
        assert routed.created_by == "giamdoc"
        assert director.reports.build(YEAR).months
        with pytest.raises(AccessDenied):
            director.documents.register_incoming(_incoming(11, "x"))
        admin.settings.set("agency.name", "SỞ Y TẾ")
        assert "lan" in {u.username for u in admin.users.list()}
        for call in (lambda: admin.documents.register_incoming(_incoming(12, "x")), lambda: admin.reports.build(YEAR),
                     lambda: admin.printouts.slip(doc.id, tmp_path / "p.pdf")):
            with pytest.raises(AccessDenied, match="quantri"):
                call()
    finally:
        for reg in (lan, director, admin):
            reg.close()


def test_registering_a_secret_entry_needs_clearance_and_leaves_nothing_when_refused(office: Office) -> None:
    lan, hoa = office.as_user("lan"), office.as_user("hoa")
    try:
        before = hoa.documents.next_incoming_number(date(YEAR, 1, 3), secret=True)
        with pytest.raises(AccessDenied, match="Mật"):
            lan.documents.register_incoming(_incoming(20, "Về việc mật", "mat"))
        with pytest.raises(AccessDenied, match="Tuyệt mật"):
            hoa.documents.register_incoming(_incoming(21, "", "tuyet_mat"))
        with pytest.raises(AccessDenied):
            lan.documents.next_incoming_number(date(YEAR, 1, 3), secret=True)
        assert hoa.documents.next_incoming_number(date(YEAR, 1, 3), secret=True) == before  # no number taken
        saved = hoa.documents.register_incoming(_incoming(22, "Về việc tối mật", "toi_mat"))
        assert saved.number == before
        secret_clerk = office.as_user("vt.mat")
        with pytest.raises(ValidationError, match="Trích yếu: văn bản Tuyệt mật không ghi trích yếu") as refused:
            secret_clerk.documents.register_incoming(_incoming(23, "Có trích yếu", "tuyet_mat"))
        assert [e.field for e in refused.value.errors] == ["subject"]
        assert secret_clerk.documents.register_incoming(_incoming(23, "", "tuyet_mat")).subject == ""
        secret_clerk.close()
    finally:
        lan.close()
        hoa.close()


def test_printing_and_exporting_secret_entries_is_audited(office: Office, tmp_path: Path) -> None:
    hoa = office.as_user("hoa")
    try:
        hoa.printouts.stamps([office.mat], tmp_path / "dau-mat.pdf")
        hoa.printouts.stamps([office.ordinary_vp], tmp_path / "dau.pdf")
        hoa.printouts.register(RegisterRange("incoming", YEAR, secret=True), tmp_path / "so-mat.pdf")
        hoa.transfer.export_xlsx(DocumentQuery(direction=Direction.INCOMING, secret=True), tmp_path / "so-mat.xlsx")
    finally:
        hoa.close()
    admin = office.as_user("baomat")  # a quản trị cleared for Tuyệt mật sees the events about secret entries
    try:
        prints = admin.audit.events(action="print", limit=50)
        by_doc = [(e.entity, e.entity_id) for e in prints]
        assert ("document", office.mat) in by_doc and ("document", office.ordinary_vp) not in by_doc
        assert any(e.entity == "register" and e.after and e.after["entries"] == 2 for e in prints)
        assert all(e.actor == "hoa" for e in prints)
        exports = admin.audit.events(action="export", limit=5)
        assert exports and exports[0].after and exports[0].after["rows"] == 2
    finally:
        admin.close()


def test_sign_in_is_audited_and_accounts_are_disabled_not_deleted(office: Office) -> None:
    admin = office.as_user("quantri")
    try:
        with pytest.raises(SignInRequired, match="Sai tên đăng nhập hoặc mật khẩu"):
            Registry(office.url).sign_in("lan", "sai-mat-khau")
        with pytest.raises(SignInRequired, match="Sai tên đăng nhập hoặc mật khẩu"):
            Registry(office.url).sign_in("khong.co", PASSWORD)
        admin.users.update("lan", active=False)
        with pytest.raises(SignInRequired, match="đã bị khóa"):
            Registry(office.url).sign_in("LAN", PASSWORD)  # names ignore case
        admin.users.update("baomat", roles="lanh_dao")
        with pytest.raises(ValidationError, match="quản trị"):
            admin.users.update("quantri", active=False)  # the last quản trị stays
        with pytest.raises(ValidationError, match="quản trị"):
            admin.users.update("quantri", roles="van_thu")
        events = admin.audit.events(limit=100)
        actions = [(e.action, e.actor) for e in events]
        assert ("sign_in_failed", "lan") in actions and ("sign_in_failed", "khong.co") in actions
        assert ("user_disable", "quantri") in actions and ("sign_in", "quantri") in actions
        assert not any(PASSWORD in str(e.after) or "argon2" in str(e.after) for e in events)
        assert {u.username: u.active for u in admin.users.list()}["lan"] is False
        assert admin.audit.verify().ok
    finally:
        admin.close()


def test_account_rules(registry: Registry) -> None:
    with pytest.raises(ValidationError, match="quản trị"):
        registry.users.add("lan", PASSWORD, "van_thu")  # the first account must manage accounts
    with pytest.raises(ValidationError) as bad:
        registry.users.add("Lan Nguyễn", "ngan", "thu_ky", "bi_mat")
    fields = {e.field for e in bad.value.errors}
    assert fields == {"username", "password", "roles", "clearance"}
    assert not registry.has_users()
    admin = registry.users.add("Admin", PASSWORD, "quan_tri,van_thu")
    assert admin.username == "admin" and admin.clearance is None  # not cleared by default
    with pytest.raises(ValidationError, match="đơn vị"):
        registry.users.add("cv", PASSWORD, "chuyen_vien")
    with pytest.raises(ValidationError, match="đã có"):
        registry.users.add("ADMIN", PASSWORD, "van_thu")
    # The register now asks for a sign-in; this Registry was opened before the first account: it stays open
    # for its session (the clerk who created the account), a new one does not.
    again = Registry(registry.db.url)
    try:
        with pytest.raises(SignInRequired):
            again.documents.years()
        again.sign_in("admin", PASSWORD)
        again.users.change_own_password(PASSWORD, "mat-khau-moi-9")
        with pytest.raises(SignInRequired):
            Registry(registry.db.url).sign_in("admin", PASSWORD)
        assert Registry(registry.db.url).sign_in("admin", "mat-khau-moi-9").signed_in
    finally:
        again.close()


def test_importing_secret_rows_needs_clearance(office: Office, tmp_path: Path) -> None:
    director = office.as_user("giamdoc")  # lãnh đạo, cleared for Tuyệt mật: may export the secret book
    try:
        book = tmp_path / "so-mat.xlsx"
        assert director.transfer.export_xlsx(DocumentQuery(direction=Direction.INCOMING, secret=True), book)[1] == 3
    finally:
        director.close()
    for name, expected in (("lan", 3), ("hoa", 1)):  # uncleared: every row refused; Tối mật: the Tuyệt mật one
        other = Registry(str(tmp_path / f"khac-{name}.sqlite3"))
        other.users.add("quantri", PASSWORD, "quan_tri")
        other.users.add(name, PASSWORD, "van_thu", "toi_mat" if name == "hoa" else None)
        other.sign_in(name, PASSWORD)
        try:
            report = other.transfer.import_register(book)
            refused = [e for e in report.errors if "không được phép nhập văn bản" in e.message]
            assert not report.ok and report.rows_imported == 0 and len(refused) == expected
        finally:
            other.close()
