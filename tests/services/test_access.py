"""Users, roles and clearance: every Registry call is guarded, and a secret entry cannot be found by any route
by a user not cleared for it (SQLite and PostgreSQL)."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from app.core.enums import Direction, DocumentStatus, LinkType
from app.core.errors import AccessDenied, NotFoundError, SignInRequired, ValidationError
from app.core.records import DocumentQuery, IncomingInput
from app.services import Registry
from app.services.printouts import RegisterRange

pytestmark = pytest.mark.both_engines

PASSWORD = "mat-khau-8"
YEAR = date.today().year
SECRET_WORD = "bimatquocphong"  # only in secret entries: a search must not find it for the uncleared

# Callable on a register with accounts before anyone signs in (they reveal no entry).
OPEN_CALLS = {"has_users", "sign_in", "check", "can", "close", "location", "schema_revision", "settings", "agency",
              "data_folder", "auto_backup", "upgrade_note",  # where the pre-upgrade backup went: said before sign-in
              # guarded inside (they name their own permission): tested below
              "add_user", "change_own_password"}


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
    reg.add_department("Văn phòng", "VP")
    reg.add_department("Phòng Tổ chức", "TC")
    a = reg.register_incoming(_incoming(1, "Về dự toán ngân sách")).id
    b = reg.register_incoming(_incoming(2, "Về tuyển dụng công chức")).id
    mat = reg.register_incoming(_incoming(3, f"Kế hoạch {SECRET_WORD} năm nay", "mat")).id
    toi = reg.register_incoming(_incoming(4, f"Phương án {SECRET_WORD}", "toi_mat")).id
    tuyet = reg.register_incoming(_incoming(5, "", "tuyet_mat")).id
    reg.route(a, "VP", deadline=date(YEAR, 1, 10), directed_at=date(YEAR, 1, 4))
    reg.route(b, "TC", deadline=date(YEAR, 1, 10), directed_at=date(YEAR, 1, 4))
    reg.route(mat, "VP", deadline=date(YEAR, 1, 10), directed_at=date(YEAR, 1, 4))
    reg.link(toi, LinkType.CITES, mat)
    scan = tmp_path / "ban-quet.pdf"
    scan.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    attachment = reg.attach(mat, scan).id
    reg.add_user("quantri", PASSWORD, "quan_tri", full_name="Quản Trị")
    reg.add_user("lan", PASSWORD, "van_thu", full_name="Nguyễn Thị Lan")
    reg.add_user("hoa", PASSWORD, "van_thu", "toi_mat", full_name="Trần Thị Hoa")
    reg.add_user("giamdoc", PASSWORD, "lanh_dao", "tuyet_mat", full_name="Lê Văn Minh")
    reg.add_user("cv.vp", PASSWORD, "chuyen_vien", unit="VP", full_name="Phạm Văn An")
    reg.add_user("baomat", PASSWORD, "quan_tri", "tuyet_mat", full_name="Cán bộ bảo mật")
    reg.add_user("vt.mat", PASSWORD, "van_thu", "tuyet_mat", full_name="Văn thư sổ mật")
    return Office(db_url, a, b, mat, toi, tuyet, attachment)


def _public_methods() -> list[str]:
    return [name for name, member in inspect.getmembers(Registry)
            if not name.startswith("_") and (inspect.isfunction(member) or isinstance(member, property))]


def test_every_call_that_reads_or_writes_the_register_is_guarded(office: Office) -> None:
    """A method added to the facade without a permission fails this test."""
    unguarded = [name for name in _public_methods() if name not in OPEN_CALLS
                 and not hasattr(inspect.getattr_static(Registry, name), "__wrapped__")]
    assert unguarded == []
    anonymous = Registry(office.url)
    try:
        assert anonymous.has_users() and not anonymous.principal.signed_in
        for call in (lambda: anonymous.get(office.ordinary_vp), lambda: anonymous.search_ids(DocumentQuery()),
                     lambda: anonymous.register_incoming(_incoming(9, "x")), lambda: anonymous.audit_events(),
                     lambda: anonymous.list_users(), lambda: anonymous.report(YEAR),
                     lambda: anonymous.add_user("x.y", PASSWORD, "van_thu"),
                     lambda: anonymous.change_own_password(PASSWORD, "mat-khau-9")):
            with pytest.raises(SignInRequired, match="đăng nhập"):
                call()
    finally:
        anonymous.close()


def test_a_user_without_clearance_cannot_find_a_secret_entry_by_any_route(office: Office, tmp_path: Path) -> None:
    for name in ("lan", "quantri"):  # a văn thư, and the quản trị (not cleared by default)
        reg = office.as_user(name)
        try:
            for doc_id in office.secrets:
                with pytest.raises(NotFoundError):
                    reg.get(doc_id)
                with pytest.raises(NotFoundError):
                    reg.attachments(doc_id)
                with pytest.raises(NotFoundError):
                    reg.routing_history(doc_id)
                with pytest.raises(NotFoundError):
                    reg.forward_chain(doc_id)
            with pytest.raises(NotFoundError):
                reg.find(Direction.INCOMING, 1, YEAR, secret=True)
            with pytest.raises(NotFoundError):
                reg.attachment_path(office.attachment)
            assert reg.list_documents(Direction.INCOMING, YEAR, secret=True) == []
            assert reg.search_ids(DocumentQuery(direction=Direction.INCOMING, secret=True)) == []
            for secret in (False, True):
                assert reg.search(DocumentQuery(text=SECRET_WORD, secret=secret)) == []
                assert reg.search(DocumentQuery(text="BỘ QUỐC PHÒNG", secret=secret)) == []
            assert reg.records(office.secrets) == []
            visible = {r.id for r in reg.search(DocumentQuery(direction=Direction.INCOMING))}
            assert visible == {office.ordinary_vp, office.ordinary_tc}
            if name == "lan":  # văn thư: reports, overdue lists, printing, exports, follow-up notes
                report = reg.report(YEAR, secret=True)
                assert sum(m.incoming for m in report.months) == 0
                assert not {i.document_id for i in reg.overdue(date(YEAR, 12, 31))} & set(office.secrets)
                assert reg.awaiting_handover("VP")[1] == [office.ordinary_vp]
                with pytest.raises(NotFoundError):
                    reg.follow_up_notes([office.mat], date(YEAR, 6, 1))
                with pytest.raises(NotFoundError):
                    reg.print_stamps([office.mat], tmp_path / "dau.pdf")
                with pytest.raises(NotFoundError):
                    reg.export_xlsx([office.mat], tmp_path / "mat.xlsx")
                assert not (tmp_path / "dau.pdf").exists() and not (tmp_path / "mat.xlsx").exists()
                with pytest.raises(NotFoundError):
                    reg.link(office.ordinary_vp, LinkType.CITES, office.mat)
                with pytest.raises(NotFoundError):
                    reg.cancel(office.mat, "thử")
                with pytest.raises(NotFoundError):
                    reg.route(office.toi_mat, "TC")
            else:  # quản trị: the audit trail keeps no trace of secret entries they could read
                events = reg.audit_events(limit=1000)
                assert events and not [e for e in events if e.entity == "document" and e.entity_id in office.secrets]
                assert reg.audit_events(document_id=office.mat) == []
                assert reg.verify_audit().ok  # the whole chain is still checked
        finally:
            reg.close()


def test_clearance_is_a_level_and_tuyet_mat_entries_show_no_subject(office: Office) -> None:
    hoa = office.as_user("hoa")  # Tối mật: sees Mật and Tối mật
    try:
        seen = {r.id for r in hoa.search(DocumentQuery(direction=Direction.INCOMING, secret=True))}
        assert seen == {office.mat, office.toi_mat}
        assert {r.id for r in hoa.search(DocumentQuery(text=SECRET_WORD, secret=True))} == {office.mat, office.toi_mat}
        with pytest.raises(NotFoundError):
            hoa.get(office.tuyet_mat)
        assert hoa.report(YEAR, secret=True).months[0].incoming == 2
    finally:
        hoa.close()
    director = office.as_user("giamdoc")  # Tuyệt mật: sees all three
    try:
        seen = {r.id for r in director.search(DocumentQuery(direction=Direction.INCOMING, secret=True))}
        assert seen == set(office.secrets)
        top = director.get(office.tuyet_mat)
        assert top.subject == "" and top.doc_type == "Công văn"
    finally:
        director.close()


def test_a_chuyen_vien_sees_only_what_was_routed_to_their_unit(office: Office) -> None:
    cv = office.as_user("cv.vp")
    try:
        assert {r.id for r in cv.search(DocumentQuery(direction=Direction.INCOMING))} == {office.ordinary_vp}
        with pytest.raises(NotFoundError):
            cv.get(office.ordinary_tc)
        with pytest.raises(NotFoundError):  # routed to the unit, but secret: no clearance
            cv.get(office.mat)
        done = cv.set_unit_status(office.ordinary_vp, "VP", DocumentStatus.IN_PROGRESS)
        assert done.status is DocumentStatus.IN_PROGRESS
        with pytest.raises(AccessDenied, match="Văn phòng"):
            cv.set_unit_status(office.ordinary_vp, "TC", DocumentStatus.HANDLED)
        for call in (lambda: cv.register_incoming(_incoming(9, "x")), lambda: cv.route(office.ordinary_vp, "TC"),
                     lambda: cv.report(YEAR), lambda: cv.set_setting("agency.name", "X")):
            with pytest.raises(AccessDenied):
                call()
    finally:
        cv.close()


def test_each_role_does_its_own_work(office: Office, tmp_path: Path) -> None:
    lan, director, admin = office.as_user("lan"), office.as_user("giamdoc"), office.as_user("quantri")
    try:
        doc = lan.register_incoming(_incoming(10, "Về hội nghị"))
        assert doc.created_by == "lan"
        lan.print_slip(doc.id, tmp_path / "phieu.pdf")
        for call in (lambda: lan.set_setting("agency.name", "X"), lambda: lan.list_users(),
                     lambda: lan.audit_events(), lambda: lan.backup(tmp_path / "x.vanthu")):
            with pytest.raises(AccessDenied, match="lan"):
                call()
        routed = director.route(doc.id, "VP", directive="Văn phòng tham mưu")
        assert routed.created_by == "giamdoc"
        assert director.report(YEAR).months
        with pytest.raises(AccessDenied):
            director.register_incoming(_incoming(11, "x"))
        admin.set_setting("agency.name", "SỞ Y TẾ")
        assert "lan" in {u.username for u in admin.list_users()}
        for call in (lambda: admin.register_incoming(_incoming(12, "x")), lambda: admin.report(YEAR),
                     lambda: admin.print_slip(doc.id, tmp_path / "p.pdf")):
            with pytest.raises(AccessDenied, match="quantri"):
                call()
    finally:
        for reg in (lan, director, admin):
            reg.close()


def test_registering_a_secret_entry_needs_clearance_and_leaves_nothing_when_refused(office: Office) -> None:
    lan, hoa = office.as_user("lan"), office.as_user("hoa")
    try:
        before = hoa.next_incoming_number(date(YEAR, 1, 3), secret=True)
        with pytest.raises(AccessDenied, match="Mật"):
            lan.register_incoming(_incoming(20, "Về việc mật", "mat"))
        with pytest.raises(AccessDenied, match="Tuyệt mật"):
            hoa.register_incoming(_incoming(21, "", "tuyet_mat"))
        with pytest.raises(AccessDenied):
            lan.next_incoming_number(date(YEAR, 1, 3), secret=True)
        assert hoa.next_incoming_number(date(YEAR, 1, 3), secret=True) == before  # no number taken
        saved = hoa.register_incoming(_incoming(22, "Về việc tối mật", "toi_mat"))
        assert saved.number == before
        secret_clerk = office.as_user("vt.mat")
        with pytest.raises(ValidationError, match="Trích yếu: văn bản Tuyệt mật không ghi trích yếu") as refused:
            secret_clerk.register_incoming(_incoming(23, "Có trích yếu", "tuyet_mat"))
        assert [e.field for e in refused.value.errors] == ["subject"]
        assert secret_clerk.register_incoming(_incoming(23, "", "tuyet_mat")).subject == ""
        secret_clerk.close()
    finally:
        lan.close()
        hoa.close()


def test_printing_and_exporting_secret_entries_is_audited(office: Office, tmp_path: Path) -> None:
    hoa = office.as_user("hoa")
    try:
        hoa.print_stamps([office.mat], tmp_path / "dau-mat.pdf")
        hoa.print_stamps([office.ordinary_vp], tmp_path / "dau.pdf")
        hoa.print_register(RegisterRange("incoming", YEAR, secret=True), tmp_path / "so-mat.pdf")
        hoa.export_xlsx(DocumentQuery(direction=Direction.INCOMING, secret=True), tmp_path / "so-mat.xlsx")
    finally:
        hoa.close()
    admin = office.as_user("baomat")  # a quản trị cleared for Tuyệt mật sees the events about secret entries
    try:
        prints = admin.audit_events(action="print", limit=50)
        by_doc = [(e.entity, e.entity_id) for e in prints]
        assert ("document", office.mat) in by_doc and ("document", office.ordinary_vp) not in by_doc
        assert any(e.entity == "register" and e.after and e.after["entries"] == 2 for e in prints)
        assert all(e.actor == "hoa" for e in prints)
        exports = admin.audit_events(action="export", limit=5)
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
        admin.update_user("lan", active=False)
        with pytest.raises(SignInRequired, match="đã bị khóa"):
            Registry(office.url).sign_in("LAN", PASSWORD)  # names ignore case
        admin.update_user("baomat", roles="lanh_dao")
        with pytest.raises(ValidationError, match="quản trị"):
            admin.update_user("quantri", active=False)  # the last quản trị stays
        with pytest.raises(ValidationError, match="quản trị"):
            admin.update_user("quantri", roles="van_thu")
        events = admin.audit_events(limit=100)
        actions = [(e.action, e.actor) for e in events]
        assert ("sign_in_failed", "lan") in actions and ("sign_in_failed", "khong.co") in actions
        assert ("user_disable", "quantri") in actions and ("sign_in", "quantri") in actions
        assert not any(PASSWORD in str(e.after) or "argon2" in str(e.after) for e in events)
        assert {u.username: u.active for u in admin.list_users()}["lan"] is False
        assert admin.verify_audit().ok
    finally:
        admin.close()


def test_account_rules(registry: Registry) -> None:
    with pytest.raises(ValidationError, match="quản trị"):
        registry.add_user("lan", PASSWORD, "van_thu")  # the first account must manage accounts
    with pytest.raises(ValidationError) as bad:
        registry.add_user("Lan Nguyễn", "ngan", "thu_ky", "bi_mat")
    fields = {e.field for e in bad.value.errors}
    assert fields == {"username", "password", "roles", "clearance"}
    assert not registry.has_users()
    admin = registry.add_user("Admin", PASSWORD, "quan_tri,van_thu")
    assert admin.username == "admin" and admin.clearance is None  # not cleared by default
    with pytest.raises(ValidationError, match="đơn vị"):
        registry.add_user("cv", PASSWORD, "chuyen_vien")
    with pytest.raises(ValidationError, match="đã có"):
        registry.add_user("ADMIN", PASSWORD, "van_thu")
    # The register now asks for a sign-in; this Registry was opened before the first account: it stays open
    # for its session (the clerk who created the account), a new one does not.
    again = Registry(registry.db.url)
    try:
        with pytest.raises(SignInRequired):
            again.years()
        again.sign_in("admin", PASSWORD)
        again.change_own_password(PASSWORD, "mat-khau-moi-9")
        with pytest.raises(SignInRequired):
            Registry(registry.db.url).sign_in("admin", PASSWORD)
        assert Registry(registry.db.url).sign_in("admin", "mat-khau-moi-9").signed_in
    finally:
        again.close()


def test_importing_secret_rows_needs_clearance(office: Office, tmp_path: Path) -> None:
    director = office.as_user("giamdoc")  # lãnh đạo, cleared for Tuyệt mật: may export the secret book
    try:
        book = tmp_path / "so-mat.xlsx"
        assert director.export_xlsx(DocumentQuery(direction=Direction.INCOMING, secret=True), book)[1] == 3
    finally:
        director.close()
    for name, expected in (("lan", 3), ("hoa", 1)):  # uncleared: every row refused; Tối mật: the Tuyệt mật one
        other = Registry(str(tmp_path / f"khac-{name}.sqlite3"))
        other.add_user("quantri", PASSWORD, "quan_tri")
        other.add_user(name, PASSWORD, "van_thu", "toi_mat" if name == "hoa" else None)
        other.sign_in(name, PASSWORD)
        try:
            report = other.import_register(book)
            refused = [e for e in report.errors if "không được phép nhập văn bản" in e.message]
            assert not report.ok and report.rows_imported == 0 and len(refused) == expected
        finally:
            other.close()
