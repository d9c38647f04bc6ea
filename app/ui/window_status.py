"""The main window's status line (the count of the book shown, the legend of the marks, who is signed in, passing
messages and refusals) and the account's actions: Đổi mật khẩu, Họ và tên văn thư and Quản lý tài khoản."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QLabel, QStatusBar, QWidget

from app.core.access import Permission
from app.services import Registry
from app.ui.permissions import denied_text

LEGEND = ("<span style='color:#b00020'><b>Đỏ đậm</b>: khẩn</span> · "
          "<span style='background:#fde2e1'>nền hồng</span>: quá hạn · <s>gạch ngang</s>: đã hủy")


class StatusLine:
    """The window's QStatusBar: the count on the left, the legend and the account on the right, and messages."""

    def __init__(self, bar: QStatusBar, account: str, can: Callable[[Permission], bool]) -> None:
        self.bar, self.can = bar, can
        self.count_label = QLabel()
        bar.addWidget(self.count_label, 1)
        bar.addPermanentWidget(QLabel(LEGEND))
        self.user_label = QLabel(account)
        self.user_label.setObjectName("signed_in_user")
        self.user_label.setToolTip("Tài khoản đang dùng sổ")
        bar.addPermanentWidget(self.user_label)

    def show(self, text: str, msecs: int = 0) -> None:
        """A passing message (0: until the next one)."""
        self.bar.showMessage(text, msecs)

    def set_count(self, text: str) -> None:
        self.count_label.setText(text)

    def permitted(self, permission: Permission) -> bool:
        """Whether the account may do this; if not, the status line says which permission is missing."""
        if self.can(permission):
            return True
        self.show(denied_text(permission), 8000)
        return False


class AccountActions:
    """The Tài khoản menu: the signed-in account changes its password; a quản trị manages the accounts. Dialogs
    open through `open_dialog` (window-modal, one at a time) over `parent`."""

    def __init__(self, registry: Registry, parent: QWidget, status: StatusLine,
                 open_dialog: Callable[[QDialog], None]) -> None:
        self.registry, self.parent, self.status, self.open_dialog = registry, parent, status, open_dialog

    def change_password(self) -> QDialog | None:
        """Đổi mật khẩu of the signed-in account (old, new, repeat)."""
        if not self.registry.principal.signed_in:
            self.status.show("Sổ chưa có tài khoản: không có mật khẩu để đổi.", 6000)
            return None
        from app.ui.users_dialog import ChangePasswordDialog

        dialog = ChangePasswordDialog(self.registry, self.parent)
        dialog.accepted.connect(lambda: self.status.show("Đã đổi mật khẩu.", 8000))
        self.open_dialog(dialog)
        return dialog

    def name_clerk(self) -> QDialog | None:
        """Họ và tên văn thư of a register without accounts (to correct the name given at the first start)."""
        if self.registry.principal.signed_in:
            self.status.show("Sổ có tài khoản: họ và tên là của tài khoản đăng nhập (Quản lý tài khoản).", 6000)
            return None
        from app.ui.clerk_name_dialog import ClerkNameDialog

        dialog = ClerkNameDialog(self.registry, self.parent)
        dialog.accepted.connect(self._clerk_named)
        self.open_dialog(dialog)
        return dialog

    def _clerk_named(self) -> None:
        self.status.user_label.setText(self.registry.principal.display)
        self.status.show(f"Đã lưu họ và tên văn thư: {self.registry.actor}.", 8000)

    def open_users(self) -> QDialog | None:
        from app.ui.users_dialog import UsersDialog

        if not self.status.permitted(Permission.USERS):
            return None
        dialog = UsersDialog(self.registry, self.parent)
        self.open_dialog(dialog)
        return dialog
