"""The register as a table: ordered ids in memory, rows fetched by id in blocks, paper-register columns."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from app.core.dates import format_date, today
from app.core.enums import Direction, Urgency
from app.core.errors import VanThuError
from app.core.records import DocumentRecord
from app.core.unnumbered import shown_reference
from app.signatures.verdicts import INVALID, MISSING, STATUS_LABELS, UNTRUSTED, VALID

Index = QModelIndex | QPersistentModelIndex
BLOCK = 100  # rows per fetch: one "WHERE id IN (...)" query of a few milliseconds
MAX_BLOCKS = 60  # cache bound: 6,000 rows whatever the size of the register
DOC_ID_ROLE = Qt.ItemDataRole.UserRole + 1
BODY = "nội dung"
# (search text, ids) → id → where the hit matched: "trích yếu", "nội dung" or both (registry.fulltext.places)
Places = Callable[[str, Sequence[int]], dict[int, str]]
# ids → id → the worst state of its attached files' signatures ("valid", "untrusted", ...; registry.signatures.states)
SignatureStates = Callable[[Sequence[int]], dict[int, str]]
# What a signature state looks like wherever it is shown (the table's icon, the Tệp tab, the registration dialog).
SIGNATURE_MARKS: dict[str, tuple[str, str]] = {VALID: ("✔", "#137333"), UNTRUSTED: ("!", "#b45f06"),
                                               INVALID: ("✖", "#b00020"), MISSING: ("✖", "#b00020")}


@dataclass(frozen=True)
class Column:
    title: str
    sort_key: str  # a DocumentQuery sort key (records.SORT_KEYS)
    value: Callable[[DocumentRecord], str]
    numeric: bool = False

    @property
    def sortable(self) -> bool:
        return bool(self.sort_key)


def _subject(d: DocumentRecord) -> str:
    return f"{d.doc_type}: {d.subject}" if d.doc_type else d.subject


def _note(d: DocumentRecord) -> str:
    if d.cancelled:
        return "ĐÃ HỦY" + (f" — {d.cancel_reason}" if d.cancel_reason else "")
    return d.note


def _deadline(d: DocumentRecord) -> str:
    return format_date(d.due_on)


# The signatures of the entry's files: last in the model (the paper columns keep their places), shown by the view
# right after "Số, ký hiệu văn bản" (register_books moves the section). Not a database column: it cannot be sorted.
SIGNATURE_COLUMN = Column("Chữ ký số", "", lambda _d: "")
SIGNATURE_HEADER_TIP = ("Chữ ký số của các tệp đính kèm (tệp kém nhất): ✔ hợp lệ, ! chưa được tin cậy, ✖ không hợp "
                        "lệ hoặc bị hỏng; trống: không có tệp ký số. Cột này không sắp xếp được.")

# NĐ 30 Phụ lục IV: the paper registers' columns, then what the software adds (urgency, deadline, status, signatures).
INCOMING_COLUMNS = [
    Column("Ngày đến", "received_on", lambda d: format_date(d.received_on)),
    Column("Số đến", "number", lambda d: str(d.number), numeric=True),
    Column("Tác giả", "issuer", lambda d: d.issuer or ""),
    Column("Số, ký hiệu văn bản", "reference", lambda d: shown_reference(d.reference)),
    Column("Ngày tháng văn bản", "issued_on", lambda d: format_date(d.issued_on)),
    Column("Tên loại và trích yếu nội dung văn bản", "subject", _subject),
    Column("Đơn vị hoặc người nhận", "recipient_text", lambda d: d.recipient_text or ""),
    Column("Độ khẩn", "urgency", lambda d: d.urgency.label if d.urgency else ""),
    Column("Hạn xử lý", "due_on", _deadline),
    Column("Ghi chú", "note", _note),
    SIGNATURE_COLUMN,
]
OUTGOING_COLUMNS = [
    Column("Số, ký hiệu văn bản", "number", lambda d: d.reference or ""),
    Column("Ngày tháng văn bản", "issued_on", lambda d: format_date(d.issued_on)),
    Column("Tên loại và trích yếu nội dung văn bản", "subject", _subject),
    Column("Người ký", "signer", lambda d: d.signer or ""),
    Column("Nơi nhận văn bản", "recipients", lambda d: "; ".join(d.recipients)),
    Column("Đơn vị, người nhận bản lưu", "archive_holder", lambda d: d.archive_holder or d.drafting_unit or ""),
    Column("Số lượng bản", "copies", lambda d: str(d.copies or ""), numeric=True),
    Column("Độ khẩn", "urgency", lambda d: d.urgency.label if d.urgency else ""),
    Column("Ghi chú", "note", _note),
    SIGNATURE_COLUMN,
]

_URGENCY_COLOURS = {Urgency.HOA_TOC: QColor("#b00020"), Urgency.THUONG_KHAN: QColor("#c62828"),
                    Urgency.KHAN: QColor("#d84315")}
_OVERDUE_BACKGROUND = QBrush(QColor("#fde2e1"))
_CANCELLED = QBrush(QColor("#8a8a8a"))


class DocumentTableModel(QAbstractTableModel):
    """Rows are ids handed in by the window (from a background query); a row's record is read the first time it is
    drawn, a block at a time, through `fetch` (the Registry), and kept in a bounded cache."""

    sort_requested = Signal(str, bool)  # sort key, descending: the window re-runs the query off the UI thread

    def __init__(self, direction: Direction, fetch: Callable[[Sequence[int]], list[DocumentRecord]],
                 places: Places | None = None, signatures: SignatureStates | None = None) -> None:
        super().__init__()
        self.direction = direction
        self.columns = INCOMING_COLUMNS if direction is Direction.INCOMING else OUTGOING_COLUMNS
        self.fetch = fetch
        self.places = places
        self.signatures = signatures  # without it the signature column stays empty
        self.searched = ""  # the search text the rows answer; each block then also learns where its rows matched
        self.ids: list[int] = []
        self._blocks: OrderedDict[int, dict[int, DocumentRecord]] = OrderedDict()
        self._places: dict[int, dict[int, str]] = {}  # block → id → place, dropped with its block
        self._signatures: dict[int, dict[int, str]] = {}  # block → id → signature state, dropped with its block
        self.today: date = today()
        self.fetches = 0  # block queries run so far (tests check that big registers are not read whole)
        self._bold = QFont()
        self._bold.setBold(True)
        self._struck = QFont()
        self._struck.setStrikeOut(True)

    # ids
    def set_ids(self, ids: list[int]) -> None:
        """Show these rows. When the new list only extends the current one (first page, then the rest), rows
        are appended so the view keeps its scroll position and selection."""
        old = len(self.ids)
        if old and len(ids) > old and ids[:old] == self.ids:
            self.beginInsertRows(QModelIndex(), old, len(ids) - 1)
            self.ids = ids
            self._drop_block((old - 1) // BLOCK)  # it was cached short: it holds new rows now
            self.endInsertRows()
            return
        self.beginResetModel()
        self.ids = ids
        self._blocks.clear()
        self._places.clear()
        self._signatures.clear()
        self.today = today()
        self.endResetModel()

    def row_of(self, doc_id: int) -> int:
        try:
            return self.ids.index(doc_id)
        except ValueError:
            return -1

    def refresh(self, doc_id: int) -> None:
        """Drop the cached block holding this document and redraw its row (after an edit or a cancel)."""
        row = self.row_of(doc_id)
        if row < 0:
            return
        self._drop_block(row // BLOCK)  # its signature states too: a file may just have been attached
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))

    def record(self, row: int) -> DocumentRecord | None:
        if not 0 <= row < len(self.ids):
            return None
        block_no = row // BLOCK
        block = self._blocks.get(block_no)
        if block is None:
            ids = self.ids[block_no * BLOCK:(block_no + 1) * BLOCK]
            block = {r.id: r for r in self.fetch(ids)}
            self.fetches += 1
            self._blocks[block_no] = block
            if self.places is not None and self.searched.strip():
                try:
                    self._places[block_no] = self.places(self.searched, ids)
                except VanThuError:  # an entry of the block just went out of the user's sight: no place shown
                    self._places[block_no] = {}
            if self.signatures is not None:
                try:
                    self._signatures[block_no] = self.signatures(ids)
                except VanThuError:  # as for places: the block shows no signature state rather than fail
                    self._signatures[block_no] = {}
            if len(self._blocks) > MAX_BLOCKS:
                dropped, _ = self._blocks.popitem(last=False)
                self._drop_block(dropped)
        else:
            self._blocks.move_to_end(block_no)
        return block.get(self.ids[row])

    def _drop_block(self, block_no: int) -> None:
        self._blocks.pop(block_no, None)
        self._places.pop(block_no, None)
        self._signatures.pop(block_no, None)

    def signature_state(self, row: int) -> str | None:
        """The worst state of this row's attached files' signatures, None when none is signed (or not fetched)."""
        if not 0 <= row < len(self.ids):
            return None
        return self._signatures.get(row // BLOCK, {}).get(self.ids[row])

    # Qt model interface
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.column() < len(self.columns):
            return None
        if role == DOC_ID_ROLE:
            return self.ids[index.row()] if 0 <= index.row() < len(self.ids) else None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole,
                        Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole,
                        Qt.ItemDataRole.TextAlignmentRole):
            return None
        doc = self.record(index.row())
        if doc is None:
            return None  # a row that vanished between the id query and the fetch (never deleted; be safe)
        column = self.columns[index.column()]
        if column is SIGNATURE_COLUMN:
            return self._signature_data(doc, index.row(), role)
        place = self.place(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            if column.sort_key == "subject" and place and BODY in place:
                return f"[khớp ở {place}] {column.value(doc)}"  # why a row whose trích yếu lacks the words is here
            return column.value(doc)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(doc, column, place)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if column.numeric else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if doc.cancelled:
                return _CANCELLED
            colour = _URGENCY_COLOURS.get(doc.urgency) if doc.urgency else None
            return QBrush(colour) if colour else None
        if role == Qt.ItemDataRole.FontRole:
            if doc.cancelled:
                return self._struck
            return self._bold if doc.urgency or doc.is_overdue(self.today) else None
        if role == Qt.ItemDataRole.BackgroundRole:
            return _OVERDUE_BACKGROUND if doc.is_overdue(self.today) else None
        return None

    def _signature_data(self, doc: DocumentRecord, row: int, role: int) -> Any:
        state = self.signature_state(row)
        mark = SIGNATURE_MARKS.get(state or "")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if mark is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return mark[0]
        if role == Qt.ItemDataRole.ToolTipRole:
            return STATUS_LABELS[state or ""]
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(mark[1]))
        if role == Qt.ItemDataRole.FontRole:
            return self._bold
        if role == Qt.ItemDataRole.BackgroundRole:
            return _OVERDUE_BACKGROUND if doc.is_overdue(self.today) else None
        return None

    def place(self, row: int) -> str | None:
        """Where this row matched the search ("trích yếu", "nội dung" or both); None without a search."""
        if not 0 <= row < len(self.ids):
            return None
        return self._places.get(row // BLOCK, {}).get(self.ids[row])

    def _tooltip(self, doc: DocumentRecord, column: Column, place: str | None = None) -> str:
        lines = [column.value(doc)] if column.sort_key == "subject" else []
        if place:
            lines.append(f"Khớp ở: {place}")
        if doc.cancelled:
            lines.append(f"ĐÃ HỦY: {doc.cancel_reason or ''}")
        if doc.urgency:
            lines.append(f"Độ khẩn: {doc.urgency.label}")
        if doc.is_overdue(self.today):
            lines.append(f"QUÁ HẠN xử lý từ {format_date(doc.due_on)}")
        return "\n".join(lines)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        if role == Qt.ItemDataRole.ToolTipRole:
            if not self.columns[section].sortable:
                return SIGNATURE_HEADER_TIP
            return f"Bấm để sắp xếp theo “{self.columns[section].title}”"
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is a database query (ORDER BY) run in the background, never a sort of rows in memory; a column
        the database cannot order by (the signatures) is not sorted at all."""
        if 0 <= column < len(self.columns) and self.columns[column].sortable:
            self.sort_requested.emit(self.columns[column].sort_key, order == Qt.SortOrder.DescendingOrder)
