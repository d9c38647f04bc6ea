"""Sign-in at start-up, and the first quản trị account of a register that has none yet."""

from __future__ import annotations

import html

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.core.enums import Secrecy
from app.core.errors import VanThuError
from app.services import Registry
from app.services.users import LABELS
from app.ui.form import Form
from app.ui.unsaved import close_unsaved

SETTINGS_ORGANIZATION = "SoVanThu"
SETTINGS_APPLICATION = "SoVanThu"
SKIP_FIRST_ADMIN_KEY = "users/skip_first_admin"
SMALL_STYLE = "color: #5f6368; font-size: 9pt;"


def app_settings() -> QSettings:
    """This machine's settings of the app (not the register's: those are in the database)."""
    return QSettings(SETTINGS_ORGANIZATION, SETTINGS_APPLICATION)


def skip_first_admin() -> bool:
    """Whether the clerk asked not to be offered the first account again on this machine."""
    value = app_settings().value(SKIP_FIRST_ADMIN_KEY, False)
    return value is True or str(value).lower() in ("true", "1")


def _register_caption(registry: Registry) -> QLabel:
    """The agency and where its register is, small at the top: the clerk sees which register asks."""
    try:
        name = registry.settings.agency().name or ""
    except VanThuError:  # some registers refuse every read before sign-in
        name = ""
    lines = [f"<b>{html.escape(name)}</b>"] if name else []
    lines.append(f"Dữ liệu: {html.escape(registry.location)}")
    caption = QLabel("<br>".join(lines))
    caption.setStyleSheet(SMALL_STYLE)
    caption.setWordWrap(True)
    caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return caption


class SignInDialog(QDialog):
    """Tên đăng nhập and Mật khẩu; accepted only once the register has taken them."""

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.setWindowTitle(f"Đăng nhập — {APP_NAME}")
        self.setMinimumWidth(420)
        # A refusal never says which of the two was wrong: it goes to the form's one line under both fields.
        self.form = Form()
        self.form.general.setObjectName("sign_in_error")
        self.username = self.form.line("username")
        self.password = self.form.line("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.sign_in_button = QPushButton("Đăng nhập")
        self.sign_in_button.setDefault(True)
        self.quit_button = QPushButton("Thoát")
        self.sign_in_button.clicked.connect(self.try_sign_in)
        self.quit_button.clicked.connect(self.reject)
        self.username.returnPressed.connect(self.password.setFocus)

        rows = QFormLayout()
        rows.addRow("&Tên đăng nhập:", self.username)
        rows.addRow("&Mật khẩu:", self.password)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.sign_in_button)
        buttons.addWidget(self.quit_button)
        layout = QVBoxLayout(self)
        self.caption = _register_caption(registry)
        layout.addWidget(self.caption)
        layout.addLayout(rows)
        layout.addWidget(self.form.general)
        layout.addLayout(buttons)
        self.username.setFocus()

    def try_sign_in(self) -> bool:
        """Sign in with what is typed; a refusal is shown under the fields, the name kept, the password cleared."""
        name = self.username.text().strip()
        if not name:
            self.form.show(VanThuError("Hãy nhập tên đăng nhập."))
            self.username.setFocus()
            return False
        try:
            self.registry.sign_in(name, self.password.text(), "cửa sổ")
        except VanThuError as exc:
            self.form.show(exc)
            self.password.clear()
            self.password.setFocus()
            return False
        self.form.clear()
        self.accept()
        return True


CLEARANCES: tuple[tuple[str, str | None], ...] = (("Không", None), *((s.label, s.value) for s in Secrecy))


class FirstAdminDialog(QDialog):
    """At the first start of a register without accounts: make its quản trị, or go on without accounts."""

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.created = False
        self.setWindowTitle("Tạo tài khoản quản trị")
        self.setMinimumWidth(560)
        intro = QLabel("Sổ này chưa có tài khoản nào nên ai dùng máy này cũng mở được sổ. Tạo tài khoản quản trị để "
                       "bảo vệ sổ: khi đã có tài khoản, mọi người phải đăng nhập, và sổ mật chỉ hiện với tài khoản "
                       "được phép xem sổ mật.")
        intro.setWordWrap(True)
        # The service's own labels: a refusal under its field reads "Mật khẩu: …" as the register words it.
        self.form = Form(LABELS, label_errors=True)
        self.username = self.form.line("username")
        self.username.setText("quantri")
        self.full_name = self.form.line("full_name")
        self.password = self.form.line("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = self.form.line("repeat")  # not a service field: its mismatch message is the dialog's own
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.clerk = QCheckBox("Tài khoản này cũng làm văn thư (vào sổ, chuyển, in)")
        self.clerk.setChecked(True)
        self.clearance = self.form.choice("clearance", CLEARANCES)
        self.skip = QCheckBox("Không hỏi lại trên máy này")
        self.skip.setToolTip("Chỉ có tác dụng khi chọn “Để sau”.")

        rows = QFormLayout()
        rows.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for label, name, widget in (("&Tên đăng nhập:", "username", self.username),
                                    ("&Họ và tên:", "full_name", self.full_name),
                                    ("&Mật khẩu:", "password", self.password),
                                    ("&Nhập lại mật khẩu:", "repeat", self.repeat)):
            rows.addRow(label, self.form.boxed(widget, name))
        # The roles are the clerk box; a refusal of the unit (no unit here) is about the roles chosen, too.
        rows.addRow("", self.form.boxed(self.clerk, "roles", "department"))
        rows.addRow("Được xem &sổ mật:", self.form.boxed(self.clearance, "clearance"))
        self.create_button = QPushButton("Tạo tài khoản")
        self.create_button.setDefault(True)
        self.later_button = QPushButton("Để sau (dùng không cần đăng nhập)")
        self.create_button.clicked.connect(self.create)
        self.later_button.clicked.connect(self.later)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        buttons.addWidget(self.later_button)
        skip_row = QHBoxLayout()
        skip_row.addStretch(1)
        skip_row.addWidget(self.skip)
        layout = QVBoxLayout(self)
        self.caption = _register_caption(registry)
        layout.addWidget(self.caption)
        layout.addWidget(intro)
        layout.addLayout(rows)
        layout.addWidget(self.form.general)
        layout.addLayout(buttons)
        layout.addLayout(skip_row)
        self.form.mark_clean()  # the suggested name "quantri" is not something typed
        self.full_name.setFocus()

    def roles(self) -> str:
        return "quan_tri,van_thu" if self.clerk.isChecked() else "quan_tri"

    def create(self) -> bool:
        """Add the account, then sign in as it, so the window opens as that user. Nothing is saved on a refusal."""
        self.form.clear()
        password = self.password.text()
        if password != self.repeat.text():
            self.form.add_error("repeat", "Hai lần nhập mật khẩu không giống nhau; chưa lưu gì.")
            self.repeat.clear()
            self.repeat.setFocus()
            return False
        try:
            self.registry.users.add(self.username.text(), password, self.roles(), self.clearance.currentData(),
                                    self.full_name.text())
        except VanThuError as exc:
            if not self.form.show(exc):  # nothing typed was refused (the roles, say): start again at the name
                self.username.setFocus()
            return False
        try:
            self.registry.sign_in(self.username.text(), password, "cửa sổ")
        except VanThuError as exc:  # not expected: the account was just made with this password
            self.form.show(VanThuError(f"Đã tạo tài khoản nhưng chưa đăng nhập được: {exc}"))
            return False
        self.created = True
        self.accept()
        return True

    def later(self) -> None:
        """Go on without accounts; remember "do not ask again" only if it was ticked."""
        if self.skip.isChecked():
            app_settings().setValue(SKIP_FIRST_ADMIN_KEY, True)
        super().reject()  # chosen on purpose: nothing to ask

    def reject(self) -> None:
        """Esc and the window's close box: an account typed and not made asks first (Lưu makes it and signs in)."""
        changed = [LABELS.get(name, "Nhập lại mật khẩu") for name in self.form.changed()]
        close_unsaved(self, [f"Tài khoản quản trị: {', '.join(changed)}"] if changed else [], self.create,
                      super().reject)
