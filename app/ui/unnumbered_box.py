"""The Không số box beside Số, ký hiệu: an incoming document without số, ký hiệu (giấy mời, thư …)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCheckBox, QLineEdit, QWidget

from app.core.unnumbered import UNNUMBERED, is_unnumbered

REFERENCE_PLACEHOLDER = "ví dụ 3646/SYT-VP"
BOX_TEXT = "&Không số"  # Alt+K ticks it from anywhere in the form
BOX_TIP = ("Văn bản không có số, ký hiệu (giấy mời, thư…): Alt+K, hoặc phím cách khi đang ở ô này. "
           "Bản in ghi “không số”.")


class UnnumberedBox(QObject):
    """Ticked, it empties and locks the Số, ký hiệu field (what was typed is put aside and comes back when it is
    unticked); 'Không số' typed or filled into the field ticks it. Tab goes Số, ký hiệu → Không số → Ngày văn
    bản; Enter in Số, ký hiệu goes straight on to Ngày văn bản as before (most documents have a number), and Enter
    on the box moves on as it does in the fields, never pressing the dialog's default button."""

    def __init__(self, field: QLineEdit, after: QWidget, next_field: Callable[[], object],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.field, self.after, self.next_field = field, after, next_field
        self.box = QCheckBox(BOX_TEXT)
        self.box.setObjectName("unnumbered")
        self.box.setToolTip(BOX_TIP)
        self._kept = ""
        self.box.toggled.connect(self._toggled)
        field.textChanged.connect(self._typed)
        self.box.installEventFilter(self)
        # The dialog chains its fields' Tab order after this form is built: the box is put back in when shown.
        field.installEventFilter(self)

    def value(self) -> str:
        """The số, ký hiệu as the services take it: 'Không số' when ticked."""
        return UNNUMBERED if self.box.isChecked() else self.field.text()

    def reset(self) -> None:
        """Unticked and nothing put aside, for the next entry."""
        self._kept = ""
        self.box.setChecked(False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.box and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if plain and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.next_field()
                return True
        elif watched is self.field and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if plain and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.after.setFocus(Qt.FocusReason.TabFocusReason)
                return True
        elif watched is self.field and event.type() == QEvent.Type.Show:
            QTimer.singleShot(0, self._chain)
        return False

    def _chain(self) -> None:
        """Put the box in the Tab order after the field, and look at the field's keys before the dialog does (the
        filter installed last sees them first)."""
        QWidget.setTabOrder(self.field, self.box)
        QWidget.setTabOrder(self.box, self.after)
        self.field.removeEventFilter(self)
        self.field.installEventFilter(self)

    def _toggled(self, on: bool) -> None:
        if on and self.field.isEnabled():
            text = self.field.text()
            self._kept = "" if is_unnumbered(text) else text
            self.field.clear()
            self.field.setPlaceholderText(UNNUMBERED)
            self.field.setEnabled(False)
        elif not on and not self.field.isEnabled():
            self.field.setEnabled(True)
            self.field.setPlaceholderText(REFERENCE_PLACEHOLDER)
            if not self.field.text():
                self.field.setText(self._kept)
            self._kept = ""

    def _typed(self, text: str) -> None:
        if is_unnumbered(text) and not self.box.isChecked():
            self.box.setChecked(True)
