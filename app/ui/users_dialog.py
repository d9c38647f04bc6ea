"""User accounts (quản trị): the list, add, edit, lock or unlock, and reset a password."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.enums import Role, Secrecy
from app.core.errors import ValidationError, VanThuError
from app.services import Registry
from app.services.users import LABELS, UserRecord
from app.ui.detail_pane import local_time
from app.ui.form import ERROR_STYLE, Form
from app.ui.unsaved import Snapshot, close_unsaved

COLUMNS = ("Tên đăng nhập", "Họ và tên", "Vai trò", "Độ mật được xem", "Đơn vị", "Trạng thái", "Đăng nhập lần cuối")
CLEARANCES: tuple[tuple[str, str], ...] = (("Không", ""), *((s.label, s.value) for s in Secrecy))
ADD, EDIT, PASSWORD = "add", "edit", "password"


def _message_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


class UserForm(QDialog):
    """One account: a new one (every field), an existing one (all but the name and password), or a new password."""

    def __init__(self, registry: Registry, mode: str, user: UserRecord | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.mode = mode
        self.user = user
        self.saved: UserRecord | None = None
        titles = {ADD: "Thêm tài khoản", EDIT: "Sửa tài khoản", PASSWORD: "Đặt lại mật khẩu"}
        self.setWindowTitle(titles[mode] + (f" — {user.username}" if user else ""))
        self.setMinimumWidth(480)

        # The service's own labels: a refusal under its field reads "Vai trò: …" as the register words it.
        self.form = Form(LABELS, label_errors=True)
        self.username = self.form.line("username", "chữ không dấu, số, . _ -, ví dụ lan.nt")
        self.username.setReadOnly(mode != ADD)
        self.full_name = self.form.line("full_name")
        self.role_boxes: dict[Role, QCheckBox] = {}
        roles_row = QHBoxLayout()
        roles_row.setContentsMargins(0, 0, 0, 0)
        for role in Role:
            box = QCheckBox(role.label)
            box.setObjectName(f"role_{role.value}")
            box.setChecked(user is not None and role.value in user.roles)
            self.role_boxes[role] = box
            roles_row.addWidget(box)
        roles_row.addStretch(1)
        roles = QWidget()
        roles.setLayout(roles_row)
        self.clearance = self.form.choice("clearance", CLEARANCES)
        self.unit = QComboBox()
        self.unit.setObjectName("unit")
        self.unit.addItem("(không)", "")
        try:
            units = [d.name for d in registry.directory.departments()]
        except VanThuError:
            units = []
        if user is not None and user.department and user.department not in units:
            units.append(user.department)  # a unit closed since: still shown as the account's
        for name in units:
            self.unit.addItem(name, name)
        self.form.bind("department", self.unit)
        self.unit.setToolTip("Chuyên viên phải thuộc một đơn vị: họ xem văn bản được chuyển đến đơn vị đó.")
        self.password = self.form.line("password", "tối thiểu 8 ký tự")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = self.form.line("repeat")  # not a service field: its mismatch message is the dialog's own
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        if user is not None:
            self.username.setText(user.username)  # setText, not load: the cursor stays at the end as before
            self.full_name.setText(user.full_name)
            self.form.set_value("clearance", user.clearance or "")
            self.form.set_value("department", user.department or "")

        rows = QFormLayout()
        rows.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        placed: list[tuple[str, str, QWidget]] = [("&Tên đăng nhập:", "username", self.username)]
        if mode != PASSWORD:
            placed += [("&Họ và tên:", "full_name", self.full_name), ("&Vai trò:", "roles", roles),
                       ("Độ &mật được xem:", "clearance", self.clearance), ("Đơn &vị:", "department", self.unit)]
        if mode != EDIT:
            placed += [("Mật &khẩu:", "password", self.password), ("&Nhập lại mật khẩu:", "repeat", self.repeat)]
        # Only placed fields get an error line: a refusal about a field this mode does not show goes to the
        # general line under the form.
        for label, name, widget in placed:
            rows.addRow(label, self.form.boxed(widget, name))

        buttons = _save_cancel(self, "Lưu")
        layout = QVBoxLayout(self)
        layout.addLayout(rows)
        layout.addWidget(self.form.general)
        layout.addLayout(buttons)
        # What the clerk can change in this mode, by its label, to say what closing would lose.
        shown = {name for _label, name, _widget in placed}
        fields = {LABELS.get(name, name): self.form.fields[name] for name in self.form.fields
                  if name in shown and name != "repeat" and not (name == "username" and mode != ADD)}
        self.snapshot = Snapshot({**fields, **{f"Vai trò {role.label}": box for role, box in self.role_boxes.items()
                                               if "roles" in shown}})
        (self.password if mode == PASSWORD else self.full_name if mode == EDIT else self.username).setFocus()

    def reject(self) -> None:
        """Hủy, Esc and the window's close box: anything changed asks first (Lưu saves as the button does)."""
        changed = self.snapshot.changed()
        close_unsaved(self, [f"{self.windowTitle()}: {', '.join(changed)}"] if changed else [], self.save,
                      super().reject)

    def roles(self) -> list[str]:
        return [role.value for role, box in self.role_boxes.items() if box.isChecked()]

    def save(self) -> UserRecord | None:
        """Send the form to the register; a refusal is shown next to its field and nothing is saved."""
        self.form.clear()
        if self.mode != EDIT and self.password.text() != self.repeat.text():
            self.form.add_error("repeat", "Hai lần nhập mật khẩu không giống nhau; chưa lưu gì.")
            self.repeat.clear()
            self.repeat.setFocus()
            return None
        try:
            if self.mode == ADD:
                record = self.registry.users.add(self.username.text(), self.password.text(), self.roles(),
                                                 self.clearance.currentData() or None, self.full_name.text(),
                                                 self.unit.currentData() or None)
            elif self.mode == EDIT:
                record = self.registry.users.update(self.username.text(), roles=self.roles(),
                                                    clearance=self.clearance.currentData() or "",
                                                    full_name=self.full_name.text(),
                                                    unit=self.unit.currentData() or "")
            else:
                record = self.registry.users.update(self.username.text(), password=self.password.text())
        except VanThuError as exc:
            self.form.show(exc)
            return None
        self.saved = record
        self.accept()
        return record


class UsersDialog(QDialog):
    """The accounts of the register; only for a quản trị (Permission.USERS)."""

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.users: list[UserRecord] = []
        self.form: UserForm | None = None  # the add/edit/password form while it is open
        self.setWindowTitle("Quản lý tài khoản")
        self.resize(980, 440)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self.edit())
        self.add_button = QPushButton("Thêm…")
        self.edit_button = QPushButton("Sửa…")
        self.lock_button = QPushButton("Khóa")
        self.lock_button.setToolTip("Khóa: tài khoản không đăng nhập được nữa (không xóa, nhật ký vẫn giữ tên).")
        self.password_button = QPushButton("Đặt lại mật khẩu…")
        self.close_button = QPushButton("Đóng")
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.lock_button.clicked.connect(self.toggle_active)
        self.password_button.clicked.connect(self.reset_password)
        self.close_button.clicked.connect(self.accept)
        self.message = _message_label()
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.lock_button, self.password_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.reload()

    # the list
    def reload(self, select: str | None = None) -> None:
        select = select or (self.selected().username if self.selected() else None)
        try:
            self.users = self.registry.users.list()
        except VanThuError as exc:
            self.users = []
            self._say(str(exc))
        self.table.setRowCount(len(self.users))
        for row, u in enumerate(self.users):
            values = (u.username, u.full_name, u.roles_label, u.clearance_label or "Không", u.department or "",
                      "Đang dùng" if u.active else "Đã khóa",
                      local_time(u.last_sign_in_at) if u.last_sign_in_at else "chưa đăng nhập")
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if not u.active:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(row, column, item)
        row = next((i for i, u in enumerate(self.users) if u.username == select), 0 if self.users else -1)
        if row >= 0:
            self.table.selectRow(row)
        self._update_buttons()

    def selected(self) -> UserRecord | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.users[rows[0].row()] if rows and rows[0].row() < len(self.users) else None

    def select(self, username: str) -> None:
        row = next(i for i, u in enumerate(self.users) if u.username == username)
        self.table.selectRow(row)

    def _update_buttons(self) -> None:
        user = self.selected()
        for button in (self.edit_button, self.lock_button, self.password_button):
            button.setEnabled(user is not None)
        self.lock_button.setText("Mở khóa" if user is not None and not user.active else "Khóa")

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # actions
    def _open(self, mode: str, user: UserRecord | None) -> UserForm:
        self._say("")
        form = UserForm(self.registry, mode, user, self)
        self.form = form

        def done() -> None:
            if form.saved is not None:
                self.reload(form.saved.username)
                if mode == PASSWORD:
                    self._say("")
                    self.message.setStyleSheet("color: #137333;")
                    self._say(f"Đã đặt lại mật khẩu của {form.saved.username}.")

        form.accepted.connect(done)
        form.finished.connect(lambda _r: setattr(self, "form", None))
        form.finished.connect(form.deleteLater)
        form.open()
        return form

    def add(self) -> UserForm:
        return self._open(ADD, None)

    def edit(self) -> UserForm | None:
        user = self.selected()
        return self._open(EDIT, user) if user is not None else None

    def reset_password(self) -> UserForm | None:
        user = self.selected()
        return self._open(PASSWORD, user) if user is not None else None

    def toggle_active(self) -> bool:
        """Lock the selected account, or unlock it; the register refuses to lock its last quản trị."""
        user = self.selected()
        if user is None:
            return False
        self.message.setStyleSheet(ERROR_STYLE)
        try:
            self.registry.users.update(user.username, active=not user.active)
        except VanThuError as exc:
            self._say(str(exc))
            return False
        self._say("")
        self.reload(user.username)
        return True


def _save_cancel(dialog: UserForm | ChangePasswordDialog, save_text: str) -> QHBoxLayout:
    """The dialog's default button (its save()) and Hủy, right-aligned; sets dialog.save_button/cancel_button."""
    dialog.save_button = QPushButton(save_text)
    dialog.save_button.setDefault(True)
    dialog.cancel_button = QPushButton("Hủy")
    dialog.save_button.clicked.connect(dialog.save)
    dialog.cancel_button.clicked.connect(dialog.reject)
    buttons = QHBoxLayout()
    buttons.addStretch(1)
    buttons.addWidget(dialog.save_button)
    buttons.addWidget(dialog.cancel_button)
    return buttons


class ChangePasswordDialog(QDialog):
    """Any signed-in user: the current password, then the new one twice."""

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.setWindowTitle(f"Đổi mật khẩu — {registry.principal.username}")
        self.setMinimumWidth(420)
        self.form = Form()
        self.old = self.form.line("old")
        self.new = self.form.line("new", "tối thiểu 8 ký tự")
        self.repeat = self.form.line("repeat")
        rows = QFormLayout()
        for label, name, edit in (("Mật khẩu &hiện tại:", "old", self.old), ("Mật khẩu &mới:", "new", self.new),
                                  ("&Nhập lại mật khẩu mới:", "repeat", self.repeat)):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            rows.addRow(label, self.form.boxed(edit, name))
        buttons = _save_cancel(self, "Đổi mật khẩu")
        layout = QVBoxLayout(self)
        layout.addLayout(rows)
        layout.addLayout(buttons)
        self.old.setFocus()

    def reject(self) -> None:
        """Hủy, Esc and the window's close box: passwords typed ask first (Lưu changes the password)."""
        typed = any(edit.text() for edit in (self.old, self.new, self.repeat))
        close_unsaved(self, ["Đổi mật khẩu: mật khẩu đã gõ"] if typed else [], self.save, super().reject)

    def save(self) -> bool:
        self.form.clear()
        if self.new.text() != self.repeat.text():
            self.form.add_error("repeat", "Hai lần nhập mật khẩu mới không giống nhau; chưa đổi gì.")
            self.repeat.clear()
            self.repeat.setFocus()
            return False
        try:
            self.registry.users.change_own_password(self.old.text(), self.new.text())
        except ValidationError as exc:
            # The service names the field "password": here that is the new one, with its label as it words it.
            for error in exc.errors:
                self.form.add_error("new", str(error))
            self.new.setFocus()
            return False
        except VanThuError as exc:  # the current password is wrong
            self.form.add_error("old", str(exc))
            self.old.clear()
            self.old.setFocus()
            return False
        self.accept()
        return True
