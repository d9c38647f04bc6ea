"""The audit trail window: every change, filtered by who, what, when and which document, a page at a time, and a
check of the hash chain (Kiểm tra tính toàn vẹn). Reads through the Registry only."""

from __future__ import annotations

import json
from datetime import UTC, date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.dates import format_date, parse_date
from app.core.errors import VanThuError
from app.core.records import AuditRecord
from app.services import Registry
from app.ui import file_dialogs
from app.ui.detail_pane import ACTIONS, describe_event
from app.ui.tasks import BackgroundTasks

PAGE_SIZE = 200
ERROR_STYLE = "color: #b00020;"
OK_STYLE = "color: #2e7d32;"
HEADERS = ("Thời điểm", "Người thực hiện", "Việc", "Đối tượng", "Chi tiết")
ACTION_LABELS = {
    **ACTIONS, "settings": "Đổi cài đặt", "delete": "Xóa", "close": "Khóa sổ", "import": "Nhập sổ cũ",
    "demo_data": "Tạo dữ liệu mẫu", "print": "In văn bản mật", "sign_in": "Đăng nhập",
    "repair": "Tạo lại cơ chế bảo vệ",
}
ENTITY_LABELS = {
    "document": "Văn bản", "setting": "Cài đặt", "holiday": "Ngày nghỉ", "book": "Sổ đăng ký",
    "department": "Đơn vị", "person": "Người", "organization": "Cơ quan ban hành", "document_type": "Loại văn bản",
    "deadline_rule": "Quy tắc hạn xử lý", "register": "Sổ", "user": "Người dùng", "guards": "Cơ chế bảo vệ",
}


def local_moment(event: AuditRecord) -> str:
    """Stored naive UTC, shown in local time with seconds."""
    return event.at.replace(tzinfo=UTC).astimezone().strftime("%d/%m/%Y %H:%M:%S")


def entity_text(event: AuditRecord) -> str:
    label = ENTITY_LABELS.get(event.entity, event.entity)
    return f"{label} mã {event.entity_id}" if event.entity_id is not None else label


def detail_text(event: AuditRecord) -> str:
    """What changed, on one line: the history pane's wording without its head (time, person, action)."""
    lines = describe_event(event, {}).split("\n")
    head = lines[0].split(" — ", 2)[-1]  # the action, with what follows it on the same line
    label = ACTIONS.get(event.action, event.action)
    first = head[len(label):].strip(" —:") if head.startswith(label) else ""
    parts = [first] if first else []
    parts += [line.strip() for line in lines[1:] if line.strip()]
    if not parts and event.after:
        parts = [", ".join(f"{k}: {v}" for k, v in event.after.items())]
    return "; ".join(parts)


class AuditDialog(QDialog):
    """Non-modal window over the register; one instance is kept by the main window."""

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.tasks = BackgroundTasks(self)
        self.offset, self.total, self._shown = 0, 0, False
        self.events: list[AuditRecord] = []
        self.setWindowTitle("Nhật ký thay đổi")
        self.setWindowFlag(Qt.WindowType.Window)
        self.setModal(False)
        self.resize(1100, 640)

        self.actor = QLineEdit()
        self.actor.setPlaceholderText("tên đăng nhập")
        self.action = QComboBox()
        self.date_from, self.date_to = self._date_box(), self._date_box()
        self.document = QLineEdit()
        self.document.setPlaceholderText("mã văn bản")
        self.document.setMaximumWidth(100)
        self.apply = QPushButton("&Lọc")
        self.apply.clicked.connect(self.search)
        self.clear_button = QPushButton("&Bỏ lọc")
        self.clear_button.clicked.connect(self.clear_filters)
        for box in (self.actor, self.date_from, self.date_to, self.document):
            box.returnPressed.connect(self.search)
        filters = QHBoxLayout()
        for label, widget in (("&Người:", self.actor), ("&Việc:", self.action), ("&Từ ngày:", self.date_from),
                              ("Đến ngà&y:", self.date_to), ("Văn bản &số:", self.document)):
            caption = QLabel(label)
            caption.setBuddy(widget)
            filters.addWidget(caption)
            filters.addWidget(widget)
        filters.addWidget(self.apply)
        filters.addWidget(self.clear_button)
        filters.addStretch(1)

        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((140, 130, 150, 130)):
            self.table.setColumnWidth(column, width)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.page_label = QLabel()
        self.previous = QPushButton("◀ Trang &trước")
        self.previous.clicked.connect(lambda: self._go(self.offset - PAGE_SIZE))
        self.next = QPushButton("Trang &sau ▶")
        self.next.clicked.connect(lambda: self._go(self.offset + PAGE_SIZE))
        self.verify_button = QPushButton("&Kiểm tra tính toàn vẹn")
        self.verify_button.clicked.connect(self.verify)
        self.verify_result = QLabel()
        self.verify_result.setWordWrap(True)
        self.verify_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.against_button = QPushButton("Đối chiếu với &tệp…")
        self.against_button.setToolTip("Đối chiếu nhật ký với một bản sao lưu (.vanthu) hoặc tệp neo (.json)")
        self.against_button.clicked.connect(self.choose_against)
        self.anchor_result = QLabel()  # against the newest backup, checked on every open
        self.anchor_result.setWordWrap(True)
        self.anchor_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bottom = QHBoxLayout()
        bottom.addWidget(self.previous)
        bottom.addWidget(self.page_label)
        bottom.addWidget(self.next)
        bottom.addStretch(1)
        bottom.addWidget(self.verify_button)
        bottom.addWidget(self.against_button)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.verify_result)
        layout.addWidget(self.anchor_result)
        self._fill_actions()
        self.search()
        self.check_anchor()

    @staticmethod
    def _date_box() -> QLineEdit:
        box = QLineEdit()
        box.setPlaceholderText("dd/mm/yyyy")
        box.setMaximumWidth(100)
        return box

    def _fill_actions(self) -> None:
        current = self.action.currentData()
        self.action.clear()
        self.action.addItem("Tất cả", None)
        try:
            present = self.registry.audit.actions()
        except VanThuError:
            present = []
        for code in present:
            self.action.addItem(ACTION_LABELS.get(code, code), code)
        index = self.action.findData(current)
        self.action.setCurrentIndex(max(index, 0))

    def filters(self) -> dict[str, Any]:
        """The filter boxes as Registry arguments; raises ValueError with a Vietnamese reason."""
        def day(box: QLineEdit, label: str) -> date | None:
            text = box.text().strip()
            if not text:
                return None
            try:
                value = parse_date(text)
            except ValueError as exc:
                raise ValueError(f"{label}: {exc}") from None
            box.setText(format_date(value))
            return value

        document_text = self.document.text().strip()
        if document_text and not (document_text.isascii() and document_text.isdigit()):
            raise ValueError(f"Văn bản số: '{document_text}' không phải là mã văn bản (số nguyên).")
        found = {"actor": self.actor.text().strip() or None, "action": self.action.currentData(),
                 "date_from": day(self.date_from, "Từ ngày"), "date_to": day(self.date_to, "Đến ngày"),
                 "document_id": int(document_text) if document_text else None}
        if found["date_from"] and found["date_to"] and found["date_from"] > found["date_to"]:
            raise ValueError("Từ ngày phải trước hoặc bằng đến ngày.")
        return found

    def clear_filters(self) -> None:
        for box in (self.actor, self.date_from, self.date_to, self.document):
            box.clear()
        self.action.setCurrentIndex(0)
        self.search()

    def search(self) -> None:
        self._go(0)

    def _go(self, offset: int) -> None:
        try:
            where = self.filters()
            self.total = self.registry.audit.count(**where)
            self.offset = max(0, min(offset, max(self.total - 1, 0) // PAGE_SIZE * PAGE_SIZE))
            self.events = self.registry.audit.events(limit=PAGE_SIZE, offset=self.offset, **where)
        except (ValueError, VanThuError) as exc:
            self.message.setStyleSheet(ERROR_STYLE)
            self.message.setText(str(exc))
            return
        self.message.setStyleSheet("")
        self.message.setText("" if self.total else "Không có mục nào khớp bộ lọc.")
        self._show(self.events)

    def _show(self, events: list[AuditRecord]) -> None:
        self.table.setRowCount(len(events))
        for row, event in enumerate(events):
            detail = detail_text(event)
            cells = (local_moment(event), event.actor, ACTION_LABELS.get(event.action, event.action),
                     entity_text(event), detail)
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if column == 0:
                    item.setData(Qt.ItemDataRole.UserRole, event.id)
                    item.setToolTip(f"Mục #{event.id}")
                if column == 4:
                    item.setToolTip(_full_record(event))
                self.table.setItem(row, column, item)
        first = self.offset + 1 if events else 0
        self.page_label.setText(f"Mục {first}–{self.offset + len(events)} / {self.total}")
        self.previous.setEnabled(self.offset > 0)
        self.next.setEnabled(self.offset + len(events) < self.total)

    def verify(self) -> None:
        """Walk the whole chain off the UI thread (millions of entries take a while)."""
        self.verify_button.setEnabled(False)
        self.verify_result.setStyleSheet("")
        self.verify_result.setText("Đang kiểm tra chuỗi mã băm của nhật ký…")
        self.tasks.run(self.registry.audit.verify, self._verified, self._verify_failed)

    def _verified(self, check: Any) -> None:
        self.verify_button.setEnabled(True)
        self.verify_result.setStyleSheet(OK_STYLE if check.ok else ERROR_STYLE)
        text = check.message
        if check.ok and check.last_id is not None:
            text += f" (mục cuối #{check.last_id}, mã băm {check.last_hash})"
        self.verify_result.setText(text)

    def _verify_failed(self, exc: Exception) -> None:
        self.verify_button.setEnabled(True)
        self.verify_result.setStyleSheet(ERROR_STYLE)
        self.verify_result.setText(f"Không kiểm tra được: {exc}")

    def check_anchor(self, target: str | None = None) -> None:
        """Does the chain still extend the newest backup (or the chosen file)? Off the UI thread."""
        self.anchor_result.setStyleSheet("")
        self.anchor_result.setText("Đang đối chiếu nhật ký với " + (target or "bản sao lưu mới nhất") + "…")
        work = (lambda: self.registry.anchors.check(target)) if target else self.registry.anchors.check_newest_backup
        self.tasks.run(work, self._anchor_checked, self._anchor_failed)

    def choose_against(self) -> None:
        chosen = file_dialogs.open_file(self, "Đối chiếu nhật ký với",
                                        "Bản sao lưu hoặc tệp neo (*.vanthu *.json);;Mọi tệp (*)")
        if chosen:
            self.check_anchor(chosen)

    def _anchor_checked(self, check: Any) -> None:
        code = self.registry.anchors.head().code
        if check is None:
            self.anchor_result.setStyleSheet("")
            self.anchor_result.setText(f"Mã kiểm tra nhật ký hiện tại: {code}. Chưa có bản sao lưu nào bên cạnh sổ "
                                       "để đối chiếu.")
            return
        self.anchor_result.setStyleSheet(OK_STYLE if check.ok else ERROR_STYLE)
        self.anchor_result.setText(" ".join([check.message, *check.notes, f"Mã kiểm tra hiện tại: {code}."]))

    def _anchor_failed(self, exc: Exception) -> None:
        self.anchor_result.setStyleSheet(ERROR_STYLE)
        self.anchor_result.setText(f"Không đối chiếu được: {exc}")

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 - Qt's name
        """Shown again: the newest changes first, and the chain against the newest backup again."""
        super().showEvent(event)
        if self._shown:
            self._fill_actions()
            self._go(self.offset)
            self.check_anchor()
        self._shown = True

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 - Qt's name
        self.tasks.wait()
        super().closeEvent(event)


def _full_record(event: AuditRecord) -> str:
    data = {"trước": event.before, "sau": event.after}
    return json.dumps(data, ensure_ascii=False, indent=1)[:2000]
