"""Họ và tên văn thư: who works on a register without accounts, asked at the window's first start."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app import APP_NAME
from app.core.errors import VanThuError
from app.services import Registry
from app.services.settings import CLERK_NAME_KEY, DEFAULT_CLERK, SETTINGS
from app.ui.form import Form

INTRO = ("Sổ này chưa có tài khoản người dùng. Họ và tên văn thư được ghi vào nhật ký thay đổi và in ở chỗ "
         "“Người nhận (văn thư)” trên giấy biên nhận; sổ giữ tên này, lần sau không hỏi lại.")


class ClerkNameDialog(QDialog):
    """One field, refused when empty; Lưu keeps the name in the register (registry.users.name_clerk). Để sau leaves the
    neutral "Văn thư" for this session and asks again at the next start."""

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.setWindowTitle(f"Họ và tên văn thư — {APP_NAME}")
        self.setMinimumWidth(480)
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.form = Form({CLERK_NAME_KEY: SETTINGS[CLERK_NAME_KEY].label}, label_errors=True)
        self.name = self.form.line(CLERK_NAME_KEY, "ví dụ Nguyễn Thị Lan")
        self.name.setObjectName("clerk_name")
        stored = registry.users.clerk_name()
        if stored:  # renaming from the Tài khoản menu: start from the name kept
            self.name.setText(stored)
            self.name.selectAll()
        rows = QFormLayout()
        rows.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        rows.addRow("Họ và &tên văn thư:", self.form.boxed(self.name, CLERK_NAME_KEY))
        self.save_button = QPushButton("&Lưu")
        self.save_button.setDefault(True)
        self.later_button = QPushButton(f"Để &sau (ghi là “{DEFAULT_CLERK}”)")
        self.save_button.clicked.connect(self.save)
        self.later_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.later_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(rows)
        layout.addWidget(self.form.general)
        layout.addLayout(buttons)
        self.name.setFocus()

    def save(self) -> bool:
        """Keep the name typed; a refusal (empty, too long) is shown under the field and nothing is kept."""
        try:
            self.registry.users.name_clerk(self.name.text())
        except VanThuError as exc:
            self.form.show(exc)
            self.name.setFocus()
            return False
        self.form.clear()
        self.accept()
        return True


def needs_clerk_name(registry: Registry) -> bool:
    """A register without accounts whose clerk has not said who they are. A read-only register is not asked: it
    could not keep the name, and nothing is written in it to name anyone in."""
    return registry.read_only is None and not registry.has_users() and not registry.users.clerk_name()
