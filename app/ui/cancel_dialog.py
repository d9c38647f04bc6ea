"""CancelDialog: asks why an entry is cancelled (ĐÃ HỦY) and cancels it through the Registry."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from app.core.dates import format_date
from app.core.enums import Direction
from app.core.errors import ValidationError, VanThuError
from app.core.records import DocumentRecord
from app.services import Registry
from app.ui.form import ERROR_STYLE, Form
from app.ui.unsaved import Answer, close_unsaved

# Other dialogs and panes take these from here.
__all__ = ["ERROR_STYLE", "CancelDialog", "entry_name", "refusal_text", "return_focus_on_close"]


def refusal_text(exc: VanThuError) -> str:
    """A refusal as the dialog shows it: every field error on its own line."""
    return "\n".join(str(e) for e in exc.errors) if isinstance(exc, ValidationError) else str(exc)


def return_focus_on_close(dialog: QDialog) -> None:
    """Give the keyboard back to the main window when the dialog closes: without a window manager (and on some
    desktops) Qt leaves no window active, and the clerk's next shortcut (Ctrl+K, Ctrl+H…) would go nowhere."""
    dialog.finished.connect(lambda _result: dialog.parentWidget().window().activateWindow()
                            if dialog.parentWidget() is not None else None)


def entry_name(record: DocumentRecord) -> str:
    """'Văn bản đến số 1363 (3646/SYT-VP ngày 24/10/2023)': how the clerk names an entry in a question."""
    kind = "số đến" if record.direction is Direction.INCOMING else "số"
    text = f"{record.direction.label} {kind} {record.number}/{record.year}"
    if record.reference:
        text += f" ({record.reference}"
        text += f" ngày {format_date(record.issued_on)})" if record.issued_on else ")"
    return text


class CancelDialog(QDialog):
    """Requires a reason, then calls registry.documents.cancel(); the entry keeps its number and row."""

    def __init__(self, registry: Registry, record: DocumentRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.record = record
        self.result_record: DocumentRecord | None = None
        self.setWindowTitle("Hủy văn bản")
        self.setMinimumWidth(380)

        intro = QLabel(f"Hủy <b>{html.escape(entry_name(record))}</b>?<br>Văn bản đã hủy vẫn giữ số và dòng của nó "
                       "trong sổ, được ghi “ĐÃ HỦY” kèm lý do; số này không được cấp lại.")
        intro.setWordWrap(True)
        # One field; a refusal (empty, or the entry already cancelled) goes to the form's line under the box.
        self.form = Form({"reason": "Lý do hủy"})
        self.reason = self.form.text("reason", "Ví dụ: Vào sổ nhầm, trùng với số đến 1362")
        self.reason.setFixedHeight(80)
        self.reason.textChanged.connect(self._update_button)
        self.error = self.form.general

        self.buttons = QDialogButtonBox()
        self.ok_button: QPushButton = self.buttons.addButton("Hủy văn bản (Ctrl+Enter)",
                                                             QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(QLabel("Lý do hủy (bắt buộc):"))
        layout.addWidget(self.reason)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._update_button()
        self.reason.installEventFilter(self)
        self.reason.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Ctrl+Enter confirms from the reason box, as it saves in the registration dialog.
        if (watched is self.reason and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            self.accept()
            return True
        return super().eventFilter(watched, event)

    def _update_button(self) -> None:
        self.ok_button.setEnabled(bool(self.reason.toPlainText().strip()))

    def accept(self) -> None:
        """Cancel the entry; on a refusal keep the dialog open with the reason as typed."""
        text = self.form.value("reason")
        try:
            if not text.strip():
                raise ValidationError.single("reason", self.form.labels["reason"], "không được để trống.")
            self.result_record = self.registry.documents.cancel(self.record.id, text)
        except VanThuError as exc:
            self.form.show(exc)
            return
        super().accept()

    def reject(self) -> None:
        """Đóng, Esc and the window's close box: a reason typed asks first. Lưu cancels the entry with it, so Enter
        takes Quay lại here: a cancellation is never undone."""
        reason = self.reason.toPlainText().strip()
        lost = [f"Lý do hủy {entry_name(self.record)}: «{reason}» (Lưu là hủy văn bản)"] if reason else []
        close_unsaved(self, lost, self.accept, super().reject, Answer.BACK)
