"""The head of the detail pane: the entry's number and date, its status line and the cancelled banner."""

from __future__ import annotations

from datetime import UTC

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.core.dates import format_date
from app.core.enums import BookCategory, Direction
from app.core.records import DocumentRecord


class DetailHeader(QWidget):
    """Three lines above the pane's buttons; the banner only for a cancelled entry."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.header = QLabel()
        font = QFont(self.header.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.header.setFont(font)
        self.header.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #c62828; color: white; font-weight: bold; padding: 6px;")
        self.banner.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for label in (self.header, self.status, self.banner):
            layout.addWidget(label)

    def show_nothing(self, text: str) -> None:
        """No entry: only why (none chosen, or not found)."""
        self.header.setText(text)
        self.status.clear()
        self.banner.hide()

    def show_record(self, r: DocumentRecord) -> None:
        if r.direction is Direction.INCOMING:
            head = f"{r.direction.label} — Số đến {r.number} — {format_date(r.received_on)}"
        else:
            head = f"{r.direction.label} — Số {r.reference or r.number} — {format_date(r.registered_on)}"
        if r.category is BookCategory.SECRET:
            head += " — SỔ MẬT"
        self.header.setText(head)
        status = f"Trạng thái: {r.status.label}"
        if r.due_on:
            status += f" · Hạn giải quyết: {format_date(r.due_on)}"
        if r.urgency:
            status += f" · {r.urgency.label.upper()}"
        self.status.setText(status)
        if r.cancelled:
            # Stored in UTC: the clerk's calendar day is the local one.
            local = r.cancelled_at.replace(tzinfo=UTC).astimezone() if r.cancelled_at else None
            when = f" ngày {format_date(local.date())}" if local else ""
            self.banner.setText(f"ĐÃ HỦY{when} — Lý do: {r.cancel_reason or '(không ghi)'}")
            self.banner.show()
        else:
            self.banner.hide()
