"""Table model showing a year's register with the paper register's columns (NĐ 30 Phụ lục IV)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.core.dates import format_date
from app.core.enums import Direction
from app.core.records import DocumentRecord

Index = QModelIndex | QPersistentModelIndex
Column = tuple[str, Callable[[DocumentRecord], str]]

INCOMING_COLUMNS: list[Column] = [
    ("Ngày đến", lambda d: format_date(d.received_on)),
    ("Số đến", lambda d: str(d.number)),
    ("Tác giả", lambda d: d.issuer or ""),
    ("Số, ký hiệu văn bản", lambda d: d.reference or ""),
    ("Ngày tháng văn bản", lambda d: format_date(d.issued_on)),
    ("Tên loại và trích yếu nội dung văn bản", lambda d: f"{d.doc_type}: {d.subject}"),
    ("Độ khẩn", lambda d: d.urgency.label if d.urgency else ""),
    ("Ghi chú", lambda d: "ĐÃ HỦY" + (f" — {d.cancel_reason}" if d.cancel_reason else "") if d.cancelled else d.note),
]
OUTGOING_COLUMNS: list[Column] = [
    ("Số, ký hiệu văn bản", lambda d: d.reference or ""),
    ("Ngày tháng văn bản", lambda d: format_date(d.issued_on)),
    ("Tên loại và trích yếu nội dung văn bản", lambda d: f"{d.doc_type}: {d.subject}"),
    ("Người ký", lambda d: d.signer or ""),
    ("Nơi nhận văn bản", lambda d: "; ".join(d.recipients)),
    ("Đơn vị, người nhận bản lưu", lambda d: d.archive_holder or d.drafting_unit or ""),
    ("Số lượng bản", lambda d: str(d.copies or "")),
    ("Ghi chú", lambda d: "ĐÃ HỦY" + (f" — {d.cancel_reason}" if d.cancel_reason else "") if d.cancelled else d.note),
]
_URGENT = QBrush(QColor("#b00020"))
_CANCELLED = QBrush(QColor("#888888"))


class RegisterTableModel(QAbstractTableModel):
    """Rows are DocumentRecords handed in by the window; the model never touches the database."""

    def __init__(self, direction: Direction) -> None:
        super().__init__()
        self.columns = INCOMING_COLUMNS if direction is Direction.INCOMING else OUTGOING_COLUMNS
        self.rows: list[DocumentRecord] = []

    def set_rows(self, rows: list[DocumentRecord]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        doc = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[index.column()][1](doc)
        if role == Qt.ItemDataRole.ForegroundRole:
            return _CANCELLED if doc.cancelled else _URGENT if doc.urgency else None
        if role == Qt.ItemDataRole.FontRole and doc.cancelled:
            font = QFont()
            font.setStrikeOut(True)
            return font
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section][0]
        return None
