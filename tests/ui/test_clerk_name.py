"""Issue 21 item 4 in the window: the first start of a register without accounts asks the clerk's name (refusing an
empty one) and keeps it; the status bar, the audit window and Tài khoản → Họ và tên văn thư… show the person,
never the OS login. Driven by the keyboard through the real launcher.open_window."""

from __future__ import annotations

import getpass
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from app.core.records import IncomingInput
from app.services import Registry
from app.services.registry import DEFAULT_CLERK
from app.ui.audit_dialog import AuditDialog
from app.ui.clerk_name_dialog import ClerkNameDialog
from app.ui.launcher import open_window
from app.ui.main_window import MainWindow
from app.ui.sign_in_dialog import SKIP_FIRST_ADMIN_KEY, app_settings
from app.ui.single_instance import WindowGuard
from tests.ui.keyboard import press, type_text

CLERK = "Nguyễn Thị Lan"
LOGIN = getpass.getuser()


@pytest.fixture(autouse=True)
def machine_settings(tmp_path: Path) -> Path:
    """This PC's settings in a temporary folder; the first-account offer already declined for good on it."""
    folder = tmp_path / "settings"
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(folder))
    app_settings().setValue(SKIP_FIRST_ADMIN_KEY, True)
    return folder


class Modal:
    """Handles each modal dialog as it opens (the start's dialogs run their own event loop) and keeps them."""

    def __init__(self, handle: Callable[[QWidget], None]) -> None:
        self.handle, self.seen = handle, []
        self.timer = QTimer()
        self.timer.timeout.connect(self._look)
        self.timer.start(30)

    def _look(self) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None and (not self.seen or self.seen[-1] is not dialog):
            self.seen.append(dialog)
            self.handle(dialog)

    def stop(self) -> None:
        self.timer.stop()


@pytest.fixture
def started(qtbot) -> Iterator[list]:  # type: ignore[no-untyped-def, type-arg]
    opened: list = []  # type: ignore[type-arg]
    yield opened
    for registry, guard, window in reversed(opened):
        if window is not None:
            window.close()
        guard.close()
        registry.close()


def start(qtbot, started: list, db: Path, handle: Callable[[QWidget], None]) -> tuple[MainWindow, Modal]:  # type: ignore[no-untyped-def, type-arg]
    registry = Registry(str(db))
    guard = WindowGuard(registry.file)
    modal = Modal(handle)
    try:
        window = open_window(registry, guard)
    finally:
        modal.stop()
    started.append((registry, guard, window))
    assert window is not None
    qtbot.addWidget(window)
    window.wait_loaded()
    return window, modal


def answer_name(errors: list[str]) -> Callable[[QWidget], None]:
    """The clerk presses Enter on the empty field first (refused, the reason kept), then types her name."""
    def handle(dialog: QWidget) -> None:
        assert isinstance(dialog, ClerkNameDialog)
        assert dialog.windowTitle().startswith("Họ và tên văn thư")
        press(dialog.name, Qt.Key.Key_Return)
        assert dialog.isVisible()  # refused: still asking
        label = dialog.form.errors["clerk.name"]
        errors.append(label.text() if label.isVisible() else "")
        type_text(dialog.name, CLERK)
        press(dialog.name, Qt.Key.Key_Return)

    return handle


def test_the_first_start_asks_the_name_once_and_the_window_shows_the_person(qtbot, started, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    errors: list[str] = []
    window, modal = start(qtbot, started, db_path, answer_name(errors))
    assert [type(d) for d in modal.seen] == [ClerkNameDialog]
    assert errors == ["Họ và tên văn thư: không được để trống."]
    assert window.registry.actor == CLERK and window.registry.users.clerk_name() == CLERK
    assert window.user_label.text() == f"{CLERK} (sổ chưa có tài khoản)" and LOGIN not in window.user_label.text()
    window.registry.documents.register_incoming(IncomingInput(
        issuer="SỞ Y TẾ", reference="3646/SYT-VP", issued_on="05/03/2024", received_on="05/03/2024",
        doc_type="Công văn", subject="Về tiêm chủng"))
    audit = AuditDialog(window.registry)
    qtbot.addWidget(audit)
    actors = {audit.table.item(row, 1).text() for row in range(audit.table.rowCount())}
    assert actors == {CLERK} and audit.table.rowCount() >= 2  # the name kept, the entry registered
    window.close()
    started[-1][1].close()

    later, modal = start(qtbot, started, db_path, lambda dialog: pytest.fail(f"asked again: {dialog}"))
    assert modal.seen == [] and later.registry.actor == CLERK


def test_put_off_the_register_says_van_thu_and_asks_again(qtbot, started, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    def later(dialog: QWidget) -> None:
        assert isinstance(dialog, ClerkNameDialog)
        press(dialog.name, Qt.Key.Key_Escape)  # Để sau

    window, modal = start(qtbot, started, db_path, later)
    assert len(modal.seen) == 1 and window.registry.actor == DEFAULT_CLERK
    assert window.user_label.text() == f"{DEFAULT_CLERK} (sổ chưa có tài khoản)"
    window.close()
    started[-1][1].close()
    _again, modal = start(qtbot, started, db_path, later)
    assert len(modal.seen) == 1


def test_the_account_menu_corrects_the_name(qtbot, started, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    Registry(str(db_path)).close()
    named = Registry(str(db_path))
    named.users.name_clerk("Nguyễn Thị Lam")  # mistyped at the first start
    named.close()
    window, _modal = start(qtbot, started, db_path, lambda dialog: pytest.fail(f"asked: {dialog}"))
    action = window.actions_by_key["clerk_name"]
    assert action.isEnabled() and action.text() == "Họ và tên văn thư…"
    action.trigger()
    dialog = window.dialog
    assert isinstance(dialog, ClerkNameDialog) and dialog.name.text() == "Nguyễn Thị Lam"
    dialog.name.selectAll()
    type_text(dialog.name, CLERK)
    press(dialog.name, Qt.Key.Key_Return)
    assert window.dialog is None and window.registry.actor == CLERK
    assert window.user_label.text() == f"{CLERK} (sổ chưa có tài khoản)"
    renamed, first = [e for e in window.registry.audit.events(limit=50) if e.after and "clerk.name" in e.after]
    assert first.actor == "Nguyễn Thị Lam" and first.before == {"clerk.name": None}
    assert renamed.before == {"clerk.name": "Nguyễn Thị Lam"} and renamed.actor == CLERK
