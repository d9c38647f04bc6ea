"""The warning a registration gets when it looks like one already in the register: vào sổ anyway, or fix it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

# Part of the dialog's style sheet (not the frame's own), so it cascades exactly as the dialog's other rules do.
STYLE = "QFrame#duplicateBanner { background: #fff4ce; border: 1px solid #d4a100; }\n"


class DuplicateBanner(QFrame):
    """Shown in place, above the dialog's buttons, with the service's DuplicateError message; hidden again by
    either choice. Nothing is saved here: the dialog saves again when `save_anyway` is emitted."""

    save_anyway = Signal()  # "Vẫn vào sổ": register it once more, with a new số đến
    fix = Signal()  # "Sửa lại": back to the form

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("duplicateBanner")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.force_button = QPushButton("Vẫn vào sổ")
        self.force_button.setToolTip("Vào sổ thêm một lần nữa với số đến mới")
        self.fix_button = QPushButton("Sửa lại")
        self.force_button.clicked.connect(self._save_anyway)
        self.fix_button.clicked.connect(self._fix)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.force_button)
        buttons.addWidget(self.fix_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addLayout(buttons)
        self.hide()

    def offer(self, message: str) -> None:
        """Say what the entry may duplicate and wait for the clerk's choice."""
        self.label.setText(f"⚠ Có thể trùng: {message}\nVẫn vào sổ thêm một lần (số đến mới), hay sửa lại?")
        self.show()
        self.fix_button.setFocus()  # the safe choice; Shift+Tab reaches "Vẫn vào sổ"

    def _save_anyway(self) -> None:
        self.hide()
        self.save_anyway.emit()

    def _fix(self) -> None:
        self.hide()
        self.fix.emit()
