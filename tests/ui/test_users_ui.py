"""Accounts in the window: first quản trị, sign-in, secret tabs by clearance, a chuyên viên's unit, permissions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QPlainTextEdit

from app.core.access import Permission
from app.core.dates import format_date, today
from app.core.enums import Direction, Role, Secrecy
from app.core.errors import SignInRequired
from app.core.records import IncomingInput
from app.services import Registry
from app.ui import launcher
from app.ui.main_window import MainWindow
from app.ui.permissions import denied_text
from app.ui.register_dialog import TUYET_MAT_SUBJECT, RegisterDialog
from app.ui.sign_in_dialog import FirstAdminDialog, SignInDialog, skip_first_admin
from app.ui.users_dialog import UsersDialog
from tests.ui.answers import answer_unsaved
from tests.ui.keyboard import type_text

PASSWORD = "mat-khau-2026"
SignIn = Callable[[str], Registry]


def incoming(reg: Registry, reference: str, subject: str = "V/v báo cáo", secrecy: str | None = None) -> int:
    day = format_date(today())
    return reg.documents.register_incoming(IncomingInput(
        issuer="UBND TỈNH TÂY NINH", reference=reference, issued_on=day, received_on=day, doc_type="Công văn",
        subject=subject, secrecy=secrecy)).id


@pytest.fixture
def sign_in(db_path: Path) -> Iterator[SignIn]:
    """Another Registry on the same register file, signed in as the named account (as the launcher does)."""
    opened: list[Registry] = []

    def open_as(username: str) -> Registry:
        reg = Registry(str(db_path))
        opened.append(reg)
        reg.sign_in(username, PASSWORD, "kiểm thử")
        return reg

    yield open_as
    for reg in opened:
        reg.close()


@pytest.fixture
def machine_settings(tmp_path: Path) -> Iterator[Path]:
    """QSettings of this machine kept in a temporary folder, never the tester's own."""
    folder = tmp_path / "settings"
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(folder))
    yield folder


def window_of(qtbot, reg: Registry) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(reg)
    qtbot.addWidget(window)
    window.show()
    window.wait_loaded()
    return window


def tab_titles(window: MainWindow) -> list[str]:
    return [window.tabs.tabText(i) for i in range(window.tabs.count())]


def shortcuts(window: MainWindow) -> set[str]:
    return {a.shortcut().toString() for a in window.findChildren(QAction) if not a.shortcut().isEmpty()}


def print_actions(window: MainWindow) -> list[QAction]:
    return window.printing.actions


# first start: the quản trị account
def test_first_admin_dialog_creates_the_admin_and_signs_in(qtbot, registry: Registry, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = FirstAdminDialog(registry)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.username.text() == "quantri" and dialog.clerk.isChecked()
    assert dialog.clearance.currentText() == "Không"  # not cleared for secret books unless chosen
    type_text(dialog.full_name, "Nguyễn Thị Lan")
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClicks(dialog.repeat, PASSWORD)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.created
    principal = registry.principal
    assert principal.signed_in and principal.username == "quantri"
    assert principal.roles == {Role.QUAN_TRI, Role.VAN_THU} and principal.clearance is None
    [user] = registry.users.list()
    assert (user.username, user.full_name, set(user.roles)) == ("quantri", "Nguyễn Thị Lan", {"quan_tri", "van_thu"})
    again = Registry(str(db_path))  # the next start asks for a sign-in
    try:
        assert again.has_users() and not again.principal.roles
    finally:
        again.close()


def test_first_admin_only_admin_without_clerk_role(qtbot, registry: Registry) -> None:  # type: ignore[no-untyped-def]
    dialog = FirstAdminDialog(registry)
    qtbot.addWidget(dialog)
    dialog.clerk.setChecked(False)
    dialog.clearance.setCurrentText("Tối mật")
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClicks(dialog.repeat, PASSWORD)
    assert dialog.create()
    assert registry.principal.roles == {Role.QUAN_TRI} and registry.principal.clearance is Secrecy.TOI_MAT


def test_first_admin_password_mismatch_or_refusal_saves_nothing(qtbot, registry: Registry) -> None:  # type: ignore[no-untyped-def]
    dialog = FirstAdminDialog(registry)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.full_name, "Trần Văn Bình")
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClicks(dialog.repeat, PASSWORD + "x")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.isVisible()
    assert not dialog.form.errors["repeat"].isHidden()
    assert "không giống nhau" in dialog.form.errors["repeat"].text()
    assert not registry.has_users() and not registry.principal.signed_in
    assert dialog.full_name.text() == "Trần Văn Bình" and dialog.password.text() == PASSWORD  # what was typed stays

    # A password the service refuses (too short): shown under the password field, nothing saved either.
    dialog.password.setText("ngan")
    dialog.repeat.setText("ngan")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.form.errors["repeat"].isHidden() and not dialog.form.errors["password"].isHidden()
    assert "tối thiểu 8 ký tự" in dialog.form.errors["password"].text()
    assert not registry.has_users()


def test_later_remembers_do_not_ask_only_when_ticked(qtbot, registry: Registry, machine_settings: Path) -> None:  # type: ignore[no-untyped-def]
    assert not skip_first_admin()
    dialog = FirstAdminDialog(registry)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.later_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Rejected and not skip_first_admin()
    dialog = FirstAdminDialog(registry)
    qtbot.addWidget(dialog)
    dialog.skip.setChecked(True)
    qtbot.mouseClick(dialog.later_button, Qt.MouseButton.LeftButton)
    assert skip_first_admin() and not registry.has_users()
    assert registry.principal.can(Permission.REGISTER)  # still the open register of one clerk


# sign-in
def test_sign_in_refuses_a_wrong_password_then_accepts(qtbot, state_registry: Registry, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    state_registry.users.add("lan.nt", PASSWORD, "van_thu,quan_tri", full_name="Nguyễn Thị Lan")
    reg = Registry(str(db_path))
    try:
        with pytest.raises(SignInRequired):
            reg.documents.years()
        dialog = SignInDialog(reg)
        qtbot.addWidget(dialog)
        dialog.show()
        assert "SỞ Y TẾ TỈNH TÂY NINH" in dialog.caption.text() and str(db_path) in dialog.caption.text()
        qtbot.keyClicks(dialog.username, "lan.nt")
        qtbot.keyClicks(dialog.password, "sai-mat-khau")
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
        assert dialog.result() != QDialog.DialogCode.Accepted and dialog.isVisible()
        assert not dialog.form.general.isHidden() and dialog.form.general.text() == "Sai tên đăng nhập hoặc mật khẩu."
        assert dialog.password.text() == "" and dialog.username.text() == "lan.nt"
        assert dialog.focusWidget() is dialog.password
        assert not reg.principal.signed_in

        qtbot.keyClicks(dialog.password, PASSWORD)
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)  # Đăng nhập is the default button
        assert dialog.result() == QDialog.DialogCode.Accepted
        assert reg.principal.signed_in and reg.principal.username == "lan.nt"
    finally:
        reg.close()


def test_locked_account_is_refused_with_its_reason(qtbot, registry: Registry, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    registry.users.add("quantri", PASSWORD, "quan_tri")
    registry.users.add("binh", PASSWORD, "van_thu")
    registry.users.update("binh", active=False)
    reg = Registry(str(db_path))
    try:
        dialog = SignInDialog(reg)
        qtbot.addWidget(dialog)
        dialog.username.setText("binh")
        dialog.password.setText(PASSWORD)
        assert not dialog.try_sign_in()
        assert "đã bị khóa" in dialog.form.general.text() and not reg.principal.signed_in
    finally:
        reg.close()


def test_screenshot_signs_in_from_the_environment(qtbot, registry: Registry, db_path: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                  monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    incoming(registry, "1/UBND-VX")
    registry.users.add("quantri", PASSWORD, "quan_tri,van_thu", full_name="Nguyễn Thị Lan")
    shot = tmp_path / "shot.png"
    monkeypatch.delenv("VANTHU_USER", raising=False)
    monkeypatch.delenv("VANTHU_PASSWORD", raising=False)
    assert launcher.screenshot(str(db_path), str(shot)) == 2
    assert "VANTHU_USER" in capsys.readouterr().err and not shot.exists()
    monkeypatch.setenv("VANTHU_USER", "quantri")
    monkeypatch.setenv("VANTHU_PASSWORD", "sai-mat-khau")
    assert launcher.screenshot(str(db_path), str(shot)) == 2
    assert "Sai tên đăng nhập hoặc mật khẩu" in capsys.readouterr().err
    monkeypatch.setenv("VANTHU_PASSWORD", PASSWORD)
    assert launcher.screenshot(str(db_path), str(shot)) == 0 and shot.stat().st_size > 0


# the window by account
@pytest.fixture
def secret_register(registry: Registry) -> dict[str, int]:
    """An open register with one entry of each level, then its accounts (which close it)."""
    ids = {"ordinary": incoming(registry, "1/UBND-VX"),
           "mat": incoming(registry, "2/UBND-VX", "Kế hoạch bảo vệ bí mật", Secrecy.MAT.value),
           "toi_mat": incoming(registry, "3/UBND-VX", "Phương án tác chiến", Secrecy.TOI_MAT.value),
           "tuyet_mat": incoming(registry, "4/UBND-VX", "", Secrecy.TUYET_MAT.value)}
    registry.users.add("quantri", PASSWORD, "quan_tri")
    registry.users.add("vanthu", PASSWORD, "van_thu", full_name="Lê Thị Hoa")
    registry.users.add("vanthu.mat", PASSWORD, "van_thu", Secrecy.TOI_MAT.value, full_name="Phạm Văn Mật")
    return ids


def test_uncleared_clerk_has_no_secret_tabs(qtbot, secret_register: dict[str, int], sign_in: SignIn) -> None:  # type: ignore[no-untyped-def]
    reg = sign_in("vanthu")
    window = window_of(qtbot, reg)
    assert tab_titles(window) == ["Văn bản đến", "Văn bản đi", "Bản sao"]
    assert window.pages[0].model.ids == [secret_register["ordinary"]]
    assert "Alt+3" in shortcuts(window) and "Alt+4" not in shortcuts(window)
    assert window.user_label.text() == reg.principal.display and "Lê Thị Hoa (vanthu) — Văn thư" in \
        window.user_label.text()
    assert window.actions_by_key["register_incoming"].isEnabled()
    assert all(a.isEnabled() for a in print_actions(window))
    assert not window.actions_by_key["settings"].isEnabled() and not window.actions_by_key["users"].isEnabled()
    assert window.actions_by_key["settings"].toolTip() == denied_text(Permission.SETTINGS)
    assert window.actions_by_key["password"].isEnabled()


def test_cleared_clerk_sees_secret_tabs_up_to_clearance(qtbot, secret_register: dict[str, int],  # type: ignore[no-untyped-def]
                                                        sign_in: SignIn) -> None:
    reg = sign_in("vanthu.mat")
    window = window_of(qtbot, reg)
    assert tab_titles(window) == ["Văn bản đến", "Văn bản đi", "Bản sao", "Văn bản đến (mật)", "Văn bản đi (mật)"]
    assert window.pages[0].model.ids == [secret_register["ordinary"]]
    assert "mật: Tối mật" in window.user_label.text()
    assert "Alt+4" in shortcuts(window) and "Alt+5" in shortcuts(window)

    alt4 = next(a for a in window.findChildren(QAction) if a.shortcut() == QKeySequence("Alt+4"))
    alt4.trigger()
    window.wait_loaded()
    page = window.page
    assert page.secret and page.direction is Direction.INCOMING
    assert sorted(page.model.ids) == sorted([secret_register["mat"], secret_register["toi_mat"]])
    assert secret_register["tuyet_mat"] not in page.model.ids
    assert "Văn bản đến (mật)" in window.count_label.text()

    # A secret entry selected from elsewhere opens in the secret tab.
    window.tabs.setCurrentIndex(0)
    window.wait_loaded()
    window.select_document(secret_register["mat"])
    window.wait_loaded()
    assert window.page.secret and window.selected_id() == secret_register["mat"]
    assert "SỔ MẬT" in window.detail.header.text()


def test_open_register_shows_every_secret_entry(qtbot, registry: Registry) -> None:  # type: ignore[no-untyped-def]
    secret = incoming(registry, "9/UBND-VX", "", Secrecy.TUYET_MAT.value)
    window = window_of(qtbot, registry)
    assert len(window.pages) == 5 and "sổ chưa có tài khoản" in window.user_label.text()
    window.tabs.setCurrentIndex(3)
    window.wait_loaded()
    assert window.page.model.ids == [secret]
    assert not window.actions_by_key["password"].isEnabled()  # no account, no password


def test_chuyen_vien_sees_only_their_units_documents(qtbot, registry: Registry, sign_in: SignIn) -> None:  # type: ignore[no-untyped-def]
    registry.directory.add_department("Phòng Kế hoạch – Tài chính", "KHTC")
    registry.directory.add_department("Văn phòng", "VP")
    ours = incoming(registry, "10/UBND-VX", "Kế hoạch tài chính năm 2027")
    theirs = incoming(registry, "11/UBND-VX", "Lịch công tác tuần")
    incoming(registry, "12/UBND-VX", "Chưa chuyển cho ai")
    registry.routing.route(ours, "KHTC", directive="Giao Phòng KHTC tham mưu")
    registry.routing.route(theirs, "VP")
    registry.users.add("quantri", PASSWORD, "quan_tri")
    registry.users.add("hung.cv", PASSWORD, "chuyen_vien", full_name="Đỗ Văn Hùng", unit="KHTC")

    reg = sign_in("hung.cv")
    window = window_of(qtbot, reg)
    assert tab_titles(window) == ["Văn bản đến", "Văn bản đi", "Bản sao"]
    assert window.pages[0].model.ids == [ours]
    assert "đơn vị: Phòng Kế hoạch – Tài chính" in window.user_label.text()
    assert window.notice.isHidden()  # the start-up overdue list is a report: not asked for
    for key in ("register_incoming", "register_outgoing", "cancel", "import", "route", "handover", "export",
                "overdue", "reports", "audit", "settings", "users"):
        assert not window.actions_by_key[key].isEnabled(), key
    assert window.actions_by_key["register_incoming"].toolTip() == denied_text(Permission.REGISTER)
    assert print_actions(window) and not any(a.isEnabled() for a in print_actions(window))
    assert print_actions(window)[0].toolTip() == denied_text(Permission.PRINT)

    # The detail pane reads the entry; what the account may not do is greyed, with the reason.
    assert window.detail.doc_id == ours and window.detail.record is not None
    assert not window.detail.edit_button.isEnabled() and not window.detail.cancel_button.isEnabled()
    assert not window.detail.add_link_button.isEnabled() and not window.detail.add_file_button.isEnabled()
    routing = window.detail.routing
    assert not routing.route_button.isEnabled() and not routing.handover_button.isEnabled()
    assert routing.route_button.toolTip() == denied_text(Permission.ROUTE)
    assert routing.route() is None
    window.detail.start_editing()
    assert not window.detail.editing

    # Calls that reach a refused service method say so in the status bar, never crash.
    window.open_register_dialog(Direction.INCOMING)
    assert window.dialog is None and window.statusBar().currentMessage() == denied_text(Permission.REGISTER)
    window.show_overdue()
    assert window.overdue_dock.isHidden()
    assert window.printing.stamp() is None
    assert window.statusBar().currentMessage() == denied_text(Permission.PRINT)


def test_quan_tri_window_opens_and_manages_accounts(qtbot, secret_register: dict[str, int],  # type: ignore[no-untyped-def]
                                                    sign_in: SignIn, db_path: Path) -> None:
    reg = sign_in("quantri")
    window = window_of(qtbot, reg)
    assert window.notice.isHidden() and "Lỗi" not in window.count_label.text()  # no overdue read at start-up
    assert window.pages[0].model.ids == [secret_register["ordinary"]]
    assert len(window.pages) == 3  # the quản trị is not cleared for secret books
    assert not window.actions_by_key["register_incoming"].isEnabled() and not any(
        a.isEnabled() for a in print_actions(window))
    assert window.actions_by_key["users"].isEnabled() and window.actions_by_key["settings"].isEnabled()
    assert window.actions_by_key["audit"].isEnabled()

    dialog = window.open_users()
    assert isinstance(dialog, UsersDialog) and window.dialog is dialog
    names = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    assert names == ["quantri", "vanthu", "vanthu.mat"]
    row = names.index("vanthu.mat")
    assert [dialog.table.item(row, c).text() for c in (2, 3, 5)] == ["Văn thư", "Tối mật", "Đang dùng"]

    # A new account without a role: refused next to the roles, nothing saved.
    form = dialog.add()
    qtbot.keyClicks(form.username, "lan.nt")
    type_text(form.full_name, "Nguyễn Thị Lan")
    qtbot.keyClicks(form.password, PASSWORD)
    qtbot.keyClicks(form.repeat, PASSWORD)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    roles_error = form.form.errors["roles"]
    assert form.isVisible() and not roles_error.isHidden() and "Vai trò" in roles_error.text()
    assert len(reg.users.list()) == 3
    form.role_boxes[Role.VAN_THU].setChecked(True)
    form.clearance.setCurrentText("Mật")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.saved is not None and dialog.form is None
    assert dialog.selected() is not None and dialog.selected().username == "lan.nt"
    lan = next(u for u in reg.users.list() if u.username == "lan.nt")
    assert (lan.full_name, lan.roles, lan.clearance, lan.active) == ("Nguyễn Thị Lan", ("van_thu",), "mat", True)

    # Lock her: the row says so and she can no longer sign in.
    assert dialog.lock_button.text() == "Khóa"
    qtbot.mouseClick(dialog.lock_button, Qt.MouseButton.LeftButton)
    row = [u.username for u in dialog.users].index("lan.nt")
    assert dialog.table.item(row, 5).text() == "Đã khóa" and dialog.lock_button.text() == "Mở khóa"
    assert not next(u for u in reg.users.list() if u.username == "lan.nt").active
    with pytest.raises(SignInRequired):
        sign_in("lan.nt")

    # The last quản trị cannot be locked: the refusal is shown, nothing changes.
    dialog.select("quantri")
    assert not dialog.toggle_active()
    assert "quản trị" in dialog.message.text() and next(u for u in reg.users.list() if u.username == "quantri").active

    # Edit: a chuyên viên needs a unit; the form says so under Đơn vị and keeps the old roles.
    dialog.select("vanthu")
    form = dialog.edit()
    assert form is not None and form.username.isReadOnly() and form.full_name.text() == "Lê Thị Hoa"
    form.role_boxes[Role.VAN_THU].setChecked(False)
    form.role_boxes[Role.CHUYEN_VIEN].setChecked(True)
    form.save()
    assert not form.form.errors["department"].isHidden()
    assert next(u for u in reg.users.list() if u.username == "vanthu").roles == ("van_thu",)
    asked = answer_unsaved("Bỏ")  # closing with the refused roles still ticked asks; Bỏ drops them
    form.reject()
    assert asked and "Vai trò Văn thư, Vai trò Chuyên viên" in asked[0] and not form.isVisible()
    assert next(u for u in reg.users.list() if u.username == "vanthu").roles == ("van_thu",)

    # Reset a password: the new one works.
    dialog.select("vanthu")
    form = dialog.reset_password()
    assert form is not None
    form.password.setText("mat-khau-moi-1")
    form.repeat.setText("mat-khau-moi-1")
    assert form.save() is not None
    other = Registry(str(db_path))
    try:
        other.sign_in("vanthu", "mat-khau-moi-1")
        assert other.principal.username == "vanthu"
    finally:
        other.close()


def test_change_own_password(qtbot, secret_register: dict[str, int], sign_in: SignIn) -> None:  # type: ignore[no-untyped-def]
    reg = sign_in("vanthu")
    window = window_of(qtbot, reg)
    dialog = window.change_password()
    assert dialog is not None
    dialog.old.setText("sai-mat-khau")
    dialog.new.setText("mat-khau-moi-2")
    dialog.repeat.setText("mat-khau-moi-2")
    assert not dialog.save() and not dialog.form.errors["old"].isHidden()
    dialog.old.setText(PASSWORD)
    dialog.new.setText("mat-khau-moi-2")
    dialog.repeat.setText("mat-khau-moi-2")
    assert dialog.save()
    assert reg.sign_in("vanthu", "mat-khau-moi-2").signed_in


# the registration dialog
def test_register_dialog_lists_cleared_levels_and_locks_subject_for_tuyet_mat(  # type: ignore[no-untyped-def]
        qtbot, secret_register: dict[str, int], sign_in: SignIn, registry: Registry) -> None:
    uncleared = RegisterDialog(sign_in("vanthu"), Direction.INCOMING)
    qtbot.addWidget(uncleared)
    combo = uncleared.inputs["secrecy"]
    assert [combo.itemText(i) for i in range(combo.count())] == ["Thường"]
    cleared = RegisterDialog(sign_in("vanthu.mat"), Direction.INCOMING)
    qtbot.addWidget(cleared)
    combo = cleared.inputs["secrecy"]
    assert [combo.itemText(i) for i in range(combo.count())] == ["Thường", "Mật", "Tối mật"]

    registry.users.update("vanthu.mat", clearance=Secrecy.TUYET_MAT.value)
    dialog = RegisterDialog(sign_in("vanthu.mat"), Direction.INCOMING)
    qtbot.addWidget(dialog)
    subject = dialog.inputs["subject"]
    assert isinstance(subject, QPlainTextEdit)
    type_text(subject, "Kế hoạch diễn tập")
    combo = dialog.inputs["secrecy"]
    combo.setCurrentIndex(combo.findData(Secrecy.TUYET_MAT.value))
    assert not subject.isEnabled() and subject.toPlainText() == ""
    assert subject.placeholderText() == TUYET_MAT_SUBJECT
    combo.setCurrentIndex(combo.findData(Secrecy.MAT.value))
    assert subject.isEnabled() and subject.toPlainText() == "Kế hoạch diễn tập"

    # Registered as Tuyệt mật: the entry has no trích yếu and goes to the secret book.
    combo.setCurrentIndex(combo.findData(Secrecy.TUYET_MAT.value))
    for name, text in (("issuer", "Bộ Quốc phòng"), ("reference", "15/BQP-TM"), ("issued_on", format_date(today()))):
        type_text(dialog.inputs[name], text)
    dialog.inputs["doc_type"].setEditText("Kế hoạch")
    record = dialog.save(close=False)
    assert record is not None, dialog.message.text()
    assert record.subject == "" and record.secrecy is Secrecy.TUYET_MAT
    assert subject.isEnabled() and subject.toPlainText() == ""  # the next entry starts empty and unlocked
