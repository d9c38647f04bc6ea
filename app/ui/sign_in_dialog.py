"""Sign-in at start-up, and the first quản trị account of a register that has none yet."""

from __future__ import annotations

import html

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
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
from app.core.errors import ValidationError, VanThuError
from app.services import Registry

SETTINGS_ORGANIZATION = "SoVanThu"
SETTINGS_APPLICATION = "SoVanThu"
SKIP_FIRST_ADMIN_KEY = "users/skip_first_admin"
ERROR_STYLE = "color: #b00020;"
SMALL_STYLE = "color: #5f6368; font-size: 9pt;"


def app_settings() -> QSettings:
    """This machine's settings of the app (not the register's: those are in the database)."""
    return QSettings(SETTINGS_ORGANIZATION, SETTINGS_APPLICATION)


def skip_first_admin() -> bool:
    """Whether the clerk asked not to be offered the first account again on this machine."""
    value = app_settings().value(SKIP_FIRST_ADMIN_KEY, False)
    return value is True or str(value).lower() in ("true", "1")


def _error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


def _show(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


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
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = _error_label()
        self.error.setObjectName("sign_in_error")
        self.sign_in_button = QPushButton("Đăng nhập")
        self.sign_in_button.setDefault(True)
        self.quit_button = QPushButton("Thoát")
        self.sign_in_button.clicked.connect(self.try_sign_in)
        self.quit_button.clicked.connect(self.reject)
        self.username.returnPressed.connect(self.password.setFocus)

        form = QFormLayout()
        form.addRow("&Tên đăng nhập:", self.username)
        form.addRow("&Mật khẩu:", self.password)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.sign_in_button)
        buttons.addWidget(self.quit_button)
        layout = QVBoxLayout(self)
        self.caption = _register_caption(registry)
        layout.addWidget(self.caption)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.username.setFocus()

    def try_sign_in(self) -> bool:
        """Sign in with what is typed; a refusal is shown under the fields, the name kept, the password cleared."""
        name = self.username.text().strip()
        if not name:
            _show(self.error, "Hãy nhập tên đăng nhập.")
            self.username.setFocus()
            return False
        try:
            self.registry.sign_in(name, self.password.text(), "cửa sổ")
        except VanThuError as exc:
            _show(self.error, str(exc))
            self.password.clear()
            self.password.setFocus()
            return False
        _show(self.error, "")
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
        self.username = QLineEdit("quantri")
        self.username.setObjectName("username")
        self.full_name = QLineEdit()
        self.full_name.setObjectName("full_name")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setObjectName("repeat")
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.clerk = QCheckBox("Tài khoản này cũng làm văn thư (vào sổ, chuyển, in)")
        self.clerk.setChecked(True)
        self.clearance = QComboBox()
        for text, value in CLEARANCES:
            self.clearance.addItem(text, value)
        self.skip = QCheckBox("Không hỏi lại trên máy này")
        self.skip.setToolTip("Chỉ có tác dụng khi chọn “Để sau”.")
        self.errors = {name: _error_label() for name in ("username", "full_name", "password", "repeat", "roles",
                                                           "clearance")}
        self.message = _error_label()

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for label, name, widget in (("&Tên đăng nhập:", "username", self.username),
                                    ("&Họ và tên:", "full_name", self.full_name),
                                    ("&Mật khẩu:", "password", self.password),
                                    ("&Nhập lại mật khẩu:", "repeat", self.repeat)):
            form.addRow(label, self._with_error(widget, self.errors[name]))
        form.addRow("", self._with_error(self.clerk, self.errors["roles"]))
        form.addRow("Được xem &sổ mật:", self._with_error(self.clearance, self.errors["clearance"]))
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
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        layout.addLayout(skip_row)
        self.full_name.setFocus()

    @staticmethod
    def _with_error(widget: QWidget, error: QLabel) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        column.addWidget(error)
        return box

    def roles(self) -> str:
        return "quan_tri,van_thu" if self.clerk.isChecked() else "quan_tri"

    def _clear_errors(self) -> None:
        for label in (*self.errors.values(), self.message):
            _show(label, "")

    def create(self) -> bool:
        """Add the account, then sign in as it, so the window opens as that user. Nothing is saved on a refusal."""
        self._clear_errors()
        password = self.password.text()
        if password != self.repeat.text():
            _show(self.errors["repeat"], "Hai lần nhập mật khẩu không giống nhau; chưa lưu gì.")
            self.repeat.clear()
            self.repeat.setFocus()
            return False
        try:
            self.registry.users.add(self.username.text(), password, self.roles(), self.clearance.currentData(),
                                   self.full_name.text())
        except ValidationError as exc:
            focus: QWidget | None = None
            for error in exc.errors:
                label = self.errors.get("roles" if error.field == "department" else error.field, self.message)
                _show(label, "\n".join(t for t in (label.text() if not label.isHidden() else "", str(error)) if t))
                focus = focus or {"username": self.username, "password": self.password}.get(error.field)
            (focus or self.username).setFocus()
            return False
        except VanThuError as exc:
            _show(self.message, str(exc))
            return False
        try:
            self.registry.sign_in(self.username.text(), password, "cửa sổ")
        except VanThuError as exc:  # not expected: the account was just made with this password
            _show(self.message, f"Đã tạo tài khoản nhưng chưa đăng nhập được: {exc}")
            return False
        self.created = True
        self.accept()
        return True

    def later(self) -> None:
        """Go on without accounts; remember "do not ask again" only if it was ticked."""
        if self.skip.isChecked():
            app_settings().setValue(SKIP_FIRST_ADMIN_KEY, True)
        self.reject()
