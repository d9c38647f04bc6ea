"""OverduePanel: incoming documents past their deadline or due within two working days, grouped by unit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.dates import format_date, parse_date, today
from app.core.records import OverdueItem

DOC_ROLE = Qt.ItemDataRole.UserRole
LATE, SOON = QColor("#b00020"), QColor("#8a5a00")
NO_UNIT = "(chưa chuyển cho đơn vị nào)"
COLUMNS = ("Đơn vị / Số đến", "Thời hạn", "Tình trạng", "Trích yếu")


def counts(items: Sequence[OverdueItem]) -> tuple[int, int]:
    """(documents due soon, documents overdue): a document late for one unit counts as overdue once."""
    late = {i.document_id for i in items if i.overdue}
    soon = {i.document_id for i in items if not i.overdue} - late
    return len(soon), len(late)


def summary(items: Sequence[OverdueItem]) -> str:
    """'5 văn bản sắp đến hạn, 2 văn bản quá hạn' (the start-up notice)."""
    soon, late = counts(items)
    return f"{soon} văn bản sắp đến hạn, {late} văn bản quá hạn"


def by_unit(items: Sequence[OverdueItem]) -> dict[str, list[OverdueItem]]:
    """Items per unit, units with the most overdue first."""
    groups: dict[str, list[OverdueItem]] = {}
    for item in items:
        groups.setdefault(item.unit or NO_UNIT, []).append(item)
    return dict(sorted(groups.items(), key=lambda kv: (-sum(i.overdue for i in kv[1]), -len(kv[1]), kv[0])))


def unit_summary(items: Sequence[OverdueItem]) -> str:
    late = sum(i.overdue for i in items)
    parts = [f"{late} quá hạn"] if late else []
    if len(items) - late:
        parts.append(f"{len(items) - late} sắp đến hạn")
    return ", ".join(parts)


def state_text(item: OverdueItem) -> str:
    if item.overdue:
        return f"Quá hạn {item.days_late} ngày làm việc"  # counted as deadlines are, skipping days off
    if item.working_days_left <= 0:
        return "Đến hạn hôm nay"
    return f"Còn {item.working_days_left} ngày làm việc"


class OverduePanel(QWidget):
    """The list the clerk chases units with; computed for a chosen day (default today) in the background."""

    open_document = Signal(int)
    refresh_requested = Signal(object)  # date: the window loads the list off the UI thread, then calls show_items

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items: list[OverdueItem] = []
        self.on = today()
        self.day = QLineEdit(format_date(self.on))
        self.day.setObjectName("overdue_day")
        self.day.setPlaceholderText("DD/MM/YYYY")
        self.day.setMaximumWidth(110)
        self.day.returnPressed.connect(self.refresh)
        self.refresh_button = QPushButton("Tính lại")
        self.refresh_button.clicked.connect(self.refresh)
        self.heading = QLabel()
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        self.tree = QTreeWidget()
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setRootIsDecorated(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((300, 90, 170)):
            header.resizeSection(column, width)
        self.tree.itemActivated.connect(self._activated)

        row = QHBoxLayout()
        row.addWidget(QLabel("Tính tại ngày:"))
        row.addWidget(self.day)
        row.addWidget(self.refresh_button)
        row.addWidget(self.heading, 1)
        row.addWidget(self.error)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(row)
        layout.addWidget(self.tree, 1)

    def refresh(self) -> None:
        """Ask for the list on the day typed; a bad date is named and nothing is reloaded."""
        text = self.day.text().strip()
        try:
            on = parse_date(text) if text else today()
        except ValueError as exc:
            self.error.setText(f"Tính tại ngày: {exc}")
            self.error.show()
            return
        self.error.hide()
        self.on = on
        self.heading.setText("Đang tính…")
        self.refresh_requested.emit(on)

    def show_items(self, items: list[OverdueItem], on: date) -> None:
        self.items, self.on = items, on
        self.day.setText(format_date(on))
        self.tree.clear()
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for unit, group in by_unit(items).items():
            node = QTreeWidgetItem([unit, "", unit_summary(group), ""])
            node.setFont(0, bold)
            node.setFont(2, bold)
            if any(i.overdue for i in group):
                node.setForeground(2, QBrush(LATE))
            self.tree.addTopLevelItem(node)
            for i in group:
                role = f" ({i.role.label.lower()})" if i.role else ""
                label = f"Số đến {i.number}/{i.year}" + (f" — {i.reference}" if i.reference else "") + role
                child = QTreeWidgetItem([label, format_date(i.deadline), state_text(i), i.subject])
                child.setData(0, DOC_ROLE, i.document_id)
                child.setForeground(2, QBrush(LATE if i.overdue else SOON))
                tip = f"{i.issuer or ''}\n{i.subject}\nTrạng thái: {i.status.label}"
                if i.assignee:
                    tip += f"\nNgười được giao: {i.assignee}"
                for column in range(len(COLUMNS)):
                    child.setToolTip(column, tip + "\nNhấn đúp để mở văn bản.")
                node.addChild(child)
            node.setExpanded(True)
        if not items:
            empty = QTreeWidgetItem([f"Không có văn bản nào quá hạn hoặc sắp đến hạn tính tại {format_date(on)}."])
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.tree.addTopLevelItem(empty)
        self.heading.setText(f"{summary(items)} (tính tại {format_date(on)}; sắp đến hạn: trong 2 ngày làm việc)")

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        doc_id = item.data(0, DOC_ROLE)
        if doc_id is not None:
            self.open_document.emit(int(doc_id))
