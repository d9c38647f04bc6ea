"""The search box and filters above the register: words without marks, date range, issuer, type, urgency, status."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.core.dates import format_date, parse_date
from app.core.enums import DocumentStatus, Urgency
from app.core.records import DocumentQuery
from app.ui.form_values import optional_date

ALL_YEARS = 0
_STATUS_CHOICES: list[tuple[str, str | None]] = [
    ("Mọi trạng thái", None), ("Chưa xong (còn theo dõi)", "open"), ("Quá hạn xử lý", "overdue"),
    *((s.label, s.value) for s in DocumentStatus), ("Đã hủy", "cancelled"),
]


class FilterBar(QWidget):
    """Emits `changed` (debounced while typing) whenever what the table should show changes."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.changed)

        self.year = QComboBox()
        self.year.setToolTip("Năm của sổ")
        self.year.currentIndexChanged.connect(self.changed)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Tìm: số ký hiệu, cơ quan, trích yếu… gõ không dấu cũng được (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._debounce.start)
        self.search.returnPressed.connect(self._now)

        self.date_from = self._date_box("Từ ngày")
        self.date_to = self._date_box("Đến ngày")
        self.issuer = QLineEdit()
        self.issuer.setPlaceholderText("Cơ quan ban hành")
        self.issuer.textChanged.connect(self._debounce.start)
        self.doc_type = QComboBox()
        self.doc_type.setEditable(True)
        self.doc_type.setToolTip("Tên loại văn bản")
        self.doc_type.lineEdit().setPlaceholderText("Mọi loại")
        self.doc_type.currentTextChanged.connect(self._debounce.start)
        self.urgency = QComboBox()
        self.urgency.addItem("Mọi độ khẩn", None)
        for u in Urgency:
            self.urgency.addItem(u.label, u.value)
        self.urgency.currentIndexChanged.connect(self.changed)
        self.status = QComboBox()
        for label, value in _STATUS_CHOICES:
            self.status.addItem(label, value)
        self.status.currentIndexChanged.connect(self.changed)
        self.clear_button = QPushButton("Bỏ lọc")
        self.clear_button.setToolTip("Xóa từ tìm và mọi bộ lọc")
        self.clear_button.clicked.connect(self.clear)
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020")

        first = QHBoxLayout()
        first.addWidget(QLabel("Năm:"))
        first.addWidget(self.year)
        first.addWidget(self.search, 1)
        first.addWidget(self.clear_button)
        second = QHBoxLayout()
        for widget in (self.date_from, self.date_to, self.issuer, self.doc_type, self.urgency, self.status):
            second.addWidget(widget)
        second.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(first)
        layout.addLayout(second)

    def _date_box(self, placeholder: str) -> QLineEdit:
        box = QLineEdit()
        box.setPlaceholderText(placeholder)
        box.setToolTip(f"{placeholder} (ngày đến của văn bản đến, ngày ký của văn bản đi): 241023, 24/10/2023…")
        box.setMaximumWidth(110)
        box.setProperty("applied", "")  # the text the table was last loaded with
        box.editingFinished.connect(lambda: self._normalise_date(box))
        return box

    def _normalise_date(self, box: QLineEdit) -> None:
        text = box.text().strip()
        if text:
            try:
                box.setText(format_date(parse_date(text)))
            except ValueError:
                pass  # reported by query() in the message label
        if box.text() != box.property("applied"):  # leaving the box unchanged reloads nothing
            box.setProperty("applied", box.text())
            self.changed.emit()

    def _now(self) -> None:
        self._debounce.stop()
        self.changed.emit()

    def set_years(self, years: list[int], current: int) -> None:
        self.year.blockSignals(True)
        self.year.clear()
        for y in sorted({*years, current}, reverse=True):
            self.year.addItem(f"Năm {y}", y)
        self.year.addItem("Mọi năm", ALL_YEARS)
        self.year.setCurrentIndex(self.year.findData(current))
        self.year.blockSignals(False)

    def set_types(self, names: list[str]) -> None:
        self.doc_type.blockSignals(True)
        current = self.doc_type.currentText()
        self.doc_type.clear()
        self.doc_type.addItem("")
        self.doc_type.addItems(names)
        self.doc_type.setEditText(current)
        self.doc_type.blockSignals(False)

    def clear(self) -> None:
        for box in (self.search, self.date_from, self.date_to, self.issuer):
            box.blockSignals(True)
            box.clear()
            box.setProperty("applied", "")
            box.blockSignals(False)
        for combo in (self.urgency, self.status):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.doc_type.blockSignals(True)
        self.doc_type.setEditText("")
        self.doc_type.blockSignals(False)
        self.changed.emit()

    def query(self, base: DocumentQuery) -> DocumentQuery:
        """The base query (book, sort) with this bar's year, words and filters; bad dates are named and ignored."""
        problems: list[str] = []
        year = self.year.currentData()
        query = replace(
            base, year=None if year in (None, ALL_YEARS) else int(year), text=self.search.text(),
            date_from=optional_date(self.date_from, "Từ ngày", problems),
            date_to=optional_date(self.date_to, "Đến ngày", problems), issuer=self.issuer.text(),
            doc_type=self.doc_type.currentText(),
            urgency=Urgency(self.urgency.currentData()) if self.urgency.currentData() else None,
            status=self.status.currentData())
        self.message.setText("; ".join(problems))
        return query
