"""Small widgets and table helpers the settings pages share: buttons, combos, row tables, labelled form rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.ui.form import Form

E = TypeVar("E", bound=StrEnum)


def button(text: str, slot: Callable[[], Any]) -> QPushButton:
    push = QPushButton(text)
    push.setAutoDefault(False)  # Enter in a field runs that form's action, never a stray button
    push.clicked.connect(slot)
    return push


def combo(items: Sequence[tuple[str, object]]) -> QComboBox:
    box = QComboBox()
    for text, data in items:
        box.addItem(text, data)
    return box


def chosen(box: QComboBox, kind: type[E]) -> E | None:
    """The enum member a combo holds (Qt hands back a StrEnum item's data as a plain str)."""
    value = box.currentData()
    return None if value is None else kind(value)


def select_data(box: QComboBox, data: object) -> None:
    index = box.findData(data)
    box.setCurrentIndex(max(index, 0))


def add_row(layout: QFormLayout, text: str, form: Form, widget: QWidget, *names: str) -> None:
    """A labelled row whose label's mnemonic (&) focuses the widget, with the error lines of `names` under it; the
    label, without its mnemonic, becomes the form's name for `names` (the unsaved-changes question uses it)."""
    for name in names:
        form.labels.setdefault(name, text.replace("&", "").rstrip(": "))
    label = QLabel(text)
    label.setBuddy(widget)
    layout.addRow(label, form.boxed(widget, *names))


def date_edit() -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setDate(QDate.currentDate())
    return edit


def hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def table(headers: Sequence[str]) -> QTableWidget:
    grid = QTableWidget(0, len(headers))
    grid.setHorizontalHeaderLabels(list(headers))
    grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    grid.setTabKeyNavigation(False)  # Tab leaves the table for the form, as a clerk expects
    grid.verticalHeader().setVisible(False)
    header = grid.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the name column takes the room
    return grid


def fill(grid: QTableWidget, rows: Sequence[tuple[int, Sequence[str]]]) -> None:
    """Replace the table's rows; each row's id is kept on its first cell."""
    grid.setRowCount(len(rows))
    for r, (row_id, values) in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            item.setData(Qt.ItemDataRole.UserRole, row_id)
            grid.setItem(r, c, item)


def selected_id(grid: QTableWidget) -> int | None:
    item = grid.item(grid.currentRow(), 0) if grid.currentRow() >= 0 else None
    return item.data(Qt.ItemDataRole.UserRole) if item is not None else None


def reselect(grid: QTableWidget, row_id: object) -> None:
    """Put the selection back on the row of `row_id` (None: no row) without signalling a new pick."""
    grid.blockSignals(True)
    grid.clearSelection()
    for r in range(grid.rowCount()):
        if row_id is not None and grid.item(r, 0).data(Qt.ItemDataRole.UserRole) == row_id:
            grid.selectRow(r)
    grid.blockSignals(False)


def to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def yes(active: bool) -> str:
    return "Có" if active else "Không"
