"""Starts the Qt application on a register database: the main window, or a screenshot of it for docs and checks."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from app import APP_NAME, __version__
from app.core.enums import Direction
from app.core.errors import VanThuError
from app.services import Registry
from app.ui import qt_vietnamese, screen_fit, window_geometry
from app.ui.app_icon import app_icon
from app.ui.clerk_name_dialog import ClerkNameDialog, needs_clerk_name
from app.ui.main_window import MainWindow
from app.ui.single_instance import WindowGuard

USER_ENV, PASSWORD_ENV = "VANTHU_USER", "VANTHU_PASSWORD"  # as on the command line (app.cli.user_commands)
SCREENSHOT_SIZE = (1366, 768)  # the most common office laptop screen
TITLE_HEIGHT = 26  # the title bar drawn over offscreen windows


def _application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())  # dialogs and the taskbar too, not only the main window
    qt_vietnamese.install()  # Qt's own buttons and choosers, before the first of them is built
    screen_fit.install()  # every dialog inside the screen, on a small laptop too
    return app  # type: ignore[return-value]


def _open(db: str | None) -> Registry | None:
    try:
        return Registry(db)
    except (VanThuError, OSError) as exc:
        QMessageBox.critical(None, APP_NAME, f"Không mở được cơ sở dữ liệu:\n{exc}")
        return None


def launch(db: str | None = None, select: int | None = None, clerk: str | None = None) -> int:
    app = _application()
    registry = _open(db)
    if registry is None:
        return 2
    guard = WindowGuard(registry.file)
    try:
        if open_window(registry, guard, select, clerk) is None:
            return 0
        return app.exec()
    finally:
        guard.close()
        registry.close()


def open_window(registry: Registry, guard: WindowGuard, select: int | None = None,
                clerk: str | None = None) -> MainWindow | None:
    """All of the start before the event loop: None when no window is to open (the register is already open in a
    window of this PC — the clerk is told and may bring that one forward — or the clerk chose Thoát at sign-in)."""
    if guard.already_open():
        guard.ask()
        return None
    guard.listen()  # before the sign-in: a second start while this one signs in is told too
    if not _identify(registry, clerk):
        return None
    window = MainWindow(registry, select)
    guard.serve(window)
    window_geometry.show(window)
    if note := registry.upgrade_note():
        window.statusBar().showMessage(note, 60_000)
    _schedule_auto_backup(window, registry)
    return window


def _identify(registry: Registry, clerk: str | None = None) -> bool:
    """Who works on the register: sign in when it has accounts (False: the user chose Thoát). Otherwise the clerk
    given with --clerk; or, once per machine unless declined for good, the offer to make the first quản trị
    account, then (still no account) the clerk's name once per register. Either way the window opens."""
    from app.ui.sign_in_dialog import FirstAdminDialog, SignInDialog, skip_first_admin

    if registry.has_users():
        return SignInDialog(registry).exec() == QDialog.DialogCode.Accepted
    if clerk is not None:
        refused = _name_clerk(registry, clerk)
        if refused is None:
            return True  # a scripted start said who works: nothing to ask
        QMessageBox.warning(None, APP_NAME, refused)
    if not skip_first_admin():
        FirstAdminDialog(registry).exec()
    if needs_clerk_name(registry):
        ClerkNameDialog(registry).exec()  # Để sau: "Văn thư" for this session, asked again next time
    return True


def _name_clerk(registry: Registry, clerk: str) -> str | None:
    """--clerk: the clerk's name kept as at a first start, without asking. Returns why it could not be, or None."""
    try:
        registry.users.name_clerk(clerk)
    except VanThuError as exc:
        return f"--clerk: {exc}"
    return None


def _sign_in_from_environment(registry: Registry) -> str | None:
    """Screenshot mode shows no dialog: a register with accounts is signed in with VANTHU_USER and
    VANTHU_PASSWORD. Returns why it could not be, or None."""
    if not registry.has_users():
        return None
    name, password = os.environ.get(USER_ENV, "").strip(), os.environ.get(PASSWORD_ENV)
    if not name or password is None:
        return f"Sổ này có tài khoản người dùng: đặt biến {USER_ENV} và {PASSWORD_ENV} để chụp ảnh cửa sổ."
    try:
        registry.sign_in(name, password, "chụp ảnh cửa sổ")
    except VanThuError as exc:
        return str(exc)
    return None


AUTO_BACKUP_CHECK_MS = 60 * 60 * 1000  # a look every hour; at most one backup a day (a window left open overnight)


def _schedule_auto_backup(window: MainWindow, registry: Registry) -> None:
    """Today's automatic backup (backups/ beside the database) once the window is up, then an hourly check.
    A failure never stops the clerk: it is a line in the status bar (and the log)."""
    def run() -> None:
        message = registry.backups.auto()
        if message:
            window.statusBar().showMessage(message, 15_000)
        anchored = registry.anchors.write()  # and the audit chain's head to the anchor folder, when it moved
        if anchored is not None and (anchored.warning or not message):
            window.statusBar().showMessage(anchored.message, 60_000 if anchored.warning else 15_000)

    QTimer.singleShot(1500, window, run)
    timer = QTimer(window)
    timer.timeout.connect(run)
    timer.start(AUTO_BACKUP_CHECK_MS)


DETAIL_TABS = ("info", "routing", "links", "files", "history")


def screenshot(db: str | None, path: str, select: int | None = None, dialog: str | None = None,
               detail: str = "info", clerk: str | None = None) -> int:
    """Picture a 1366×768 screen with the main window maximised on it (optionally with a dialog over it), save it
    as PNG, and exit."""
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or sys.platform in ("win32", "darwin")):
        # A picture needs no screen: on a server or in CI Qt would abort looking for one.
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = _application()
    registry = _open(db)
    if registry is None:
        return 2
    try:
        refused = _sign_in_from_environment(registry)
        if refused is None and clerk is not None and not registry.has_users():
            refused = _name_clerk(registry, clerk)
        if refused is not None:
            print(f"Lỗi: {refused}", file=sys.stderr)
            return 2
        window = MainWindow(registry, select)
        width, height = SCREENSHOT_SIZE
        window.resize(width, height - TITLE_HEIGHT)  # maximised on the laptop's screen, under its title bar
        window.show()
        window.wait_loaded()
        window.detail.sections.setCurrentIndex(DETAIL_TABS.index(detail))
        if dialog == "overdue":  # a panel of the window, not a dialog over it
            window.show_overdue()
            window.wait_loaded()
        app.processEvents()
        image = _whole_window(window)
        over = _dialog(window, dialog)
        if over is not None:
            over.show()
            app.processEvents()
            _draw_dialog(image, over)
            over.close()
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(target), "PNG"):
            print(f"Lỗi: không ghi được ảnh {target}", file=sys.stderr)
            return 1
        print(f"Đã lưu ảnh chụp cửa sổ: {target} ({image.width()}×{image.height()})")
        window.close()
        return 0
    finally:
        registry.close()


def _title_bar(painter: QPainter, widget: QWidget, x: int, y: int) -> None:
    """The title bar a desktop draws over `widget` placed at (x, y) (offscreen windows have none of their own)."""
    painter.fillRect(x - 1, y - TITLE_HEIGHT, widget.width() + 2, TITLE_HEIGHT, QColor("#2f4f7f"))
    painter.setPen(QColor("white"))
    font = QFont(widget.font())
    font.setBold(True)
    painter.setFont(font)
    painter.drawText(x + 10, y - TITLE_HEIGHT, widget.width() - 20, TITLE_HEIGHT,
                     int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), widget.windowTitle())


def _whole_window(window: MainWindow) -> QPixmap:
    """The laptop's whole screen: the maximised window under its title bar, down to the status bar."""
    image = QPixmap(*SCREENSHOT_SIZE)
    painter = QPainter(image)
    _title_bar(painter, window, 0, TITLE_HEIGHT)
    painter.drawPixmap(QPoint(0, TITLE_HEIGHT), window.grab())
    painter.end()
    return image


def _draw_dialog(image: QPixmap, dialog: QWidget) -> None:
    """Paint a dialog over the window picture as a desktop shows it: the window dimmed, the dialog framed under a
    title bar."""
    painter = QPainter(image)
    painter.fillRect(image.rect(), QColor(0, 0, 0, 60))
    x = (image.width() - dialog.width()) // 2
    y = max(TITLE_HEIGHT, (image.height() - dialog.height() + TITLE_HEIGHT) // 2)
    _title_bar(painter, dialog, x, y)
    painter.drawPixmap(QPoint(x, y), dialog.grab())
    painter.setPen(QColor("#2f4f7f"))
    painter.drawRect(x - 1, y - TITLE_HEIGHT, dialog.width() + 1, dialog.height() + TITLE_HEIGHT)
    painter.end()


def _dialog(window: MainWindow, which: str | None) -> QWidget | None:
    if which in ("incoming", "outgoing"):
        from app.ui.register_dialog import RegisterDialog

        dialog: QDialog = RegisterDialog(window.registry, Direction(which), window)
        return dialog
    if which == "route" and window.detail.record is not None:
        return window.detail.routing.route()
    if which == "reports":
        from app.ui.reports_dialog import ReportsDialog

        reports = ReportsDialog(window.registry, window)
        reports.wait_loaded()
        reports.tabs.setCurrentWidget(reports.pages["unit"])  # the handling per unit: what leaders ask for
        return reports
    if which == "settings":
        from app.ui.settings_dialog import SettingsDialog

        return SettingsDialog(window.registry, window)
    return None
