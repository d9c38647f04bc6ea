"""LinkDialog: links the shown entry to another one found in the register, or to a reference not registered yet."""

from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.dates import parse_date
from app.core.enums import BookCategory, Direction, LinkType
from app.core.errors import VanThuError
from app.core.records import DocumentQuery, DocumentRecord, LinkRecord
from app.services import Registry
from app.ui.cancel_dialog import ERROR_STYLE, entry_name, refusal_text

SEARCH_LIMIT = 50
SEARCH_DELAY_MS = 300  # search once the clerk pauses typing, not on every key


def result_label(record: DocumentRecord) -> str:
    """One line per search result: which book and number, số/ký hiệu, date, issuer, the start of the subject."""
    parts = [entry_name(record)]
    if record.issuer:
        parts.append(record.issuer)
    subject = record.subject if len(record.subject) <= 90 else record.subject[:89] + "…"
    parts.append(subject)
    text = " — ".join(parts)
    return f"{text} — ĐÃ HỦY" if record.cancelled else text


class LinkDialog(QDialog):
    """Choose a link type, then a registered document (search as you type) or a reference typed by hand."""

    def __init__(self, registry: Registry, source: DocumentRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.source = source
        self.result_link: LinkRecord | None = None
        self.setWindowTitle("Thêm liên kết")
        self.setMinimumWidth(520)

        intro = QLabel(f"Văn bản này: <b>{html.escape(entry_name(source))}</b>")
        intro.setWordWrap(True)
        self.link_type = QComboBox()
        for link_type in LinkType:
            self.link_type.addItem(link_type.label, link_type)
        default = LinkType.FORWARDS if source.direction is Direction.INCOMING else LinkType.REPLIES_TO
        self.link_type.setCurrentIndex(self.link_type.findData(default))
        self.link_type.currentIndexChanged.connect(self._update_hint)
        self.hint = QLabel()
        self.hint.setWordWrap(True)

        # Tab 1: a document already in the register.
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText("Gõ số, ký hiệu, cơ quan hoặc trích yếu (có dấu hay không dấu đều được)")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.textEdited.connect(self._schedule_search)
        self.search_box.returnPressed.connect(self.run_search)
        self.results = QListWidget()
        self.results.setWordWrap(True)
        self.results.itemDoubleClicked.connect(lambda _item: self.accept())
        self.result_count = QLabel()
        registered = QWidget()
        registered_layout = QVBoxLayout(registered)
        registered_layout.addWidget(self.search_box)
        registered_layout.addWidget(self.results, 1)
        registered_layout.addWidget(self.result_count)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)

        # Tab 2: a reference cited but not registered (yet): kept pending, joined when it is registered.
        self.reference = QLineEdit()
        self.reference.setPlaceholderText("Ví dụ: 1737-TB/VPTU")
        self.issued_on = QLineEdit()
        self.issued_on.setPlaceholderText("DD/MM/YYYY (nên ghi)")
        self.issuer = QLineEdit()
        self.issuer.setPlaceholderText("Ví dụ: Văn phòng Tỉnh ủy")
        pending = QWidget()
        form = QFormLayout(pending)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow("Số, ký hiệu:", self.reference)
        form.addRow("Ngày văn bản:", self.issued_on)
        form.addRow("Cơ quan ban hành:", self.issuer)
        note = QLabel("Khi văn bản này được vào sổ, liên kết sẽ tự nối với nó. Nếu văn bản đã có trong sổ, "
                      "liên kết được nối ngay.")
        note.setWordWrap(True)
        form.addRow(note)

        self.tabs = QTabWidget()
        self.tabs.addTab(registered, "Tìm trong sổ")
        self.tabs.addTab(pending, "Chưa có trong sổ")

        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox()
        self.ok_button: QPushButton = self.buttons.addButton("Liên kết", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        type_row = QFormLayout()
        type_row.addRow("Loại liên kết:", self.link_type)
        layout.addLayout(type_row)
        layout.addWidget(self.hint)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._update_hint()
        self.search_box.setFocus()

    def selected_type(self) -> LinkType:
        return LinkType(self.link_type.currentData())

    def _update_hint(self) -> None:
        self.hint.setText(f"Văn bản này → <i>{self.selected_type().label.lower()}</i> → văn bản chọn dưới đây.")

    def _schedule_search(self) -> None:
        self._timer.start()

    def run_search(self) -> None:
        """Fill the result list from the register (folded, so 'thong bao' finds 'Thông báo')."""
        self._timer.stop()
        self.results.clear()
        text = self.search_box.text().strip()
        if not text:
            self.result_count.setText("")
            return
        try:
            found = self.registry.documents.search(DocumentQuery(direction=None, text=text, sort="registered_on",
                                                       limit=SEARCH_LIMIT))
            if self.source.category is BookCategory.SECRET:
                found += self.registry.documents.search(DocumentQuery(direction=None, secret=True, text=text,
                                                            sort="registered_on", limit=SEARCH_LIMIT))
        except VanThuError as exc:
            self.result_count.setText(str(exc))
            return
        for record in found:
            if record.id == self.source.id:
                continue
            item = QListWidgetItem(result_label(record))
            item.setData(Qt.ItemDataRole.UserRole, record.id)
            item.setToolTip(record.subject)
            self.results.addItem(item)
        count = self.results.count()
        if count:
            self.results.setCurrentRow(0)
            more = " (chỉ hiện 50 kết quả mới nhất; gõ thêm để thu hẹp)" if len(found) >= SEARCH_LIMIT else ""
            self.result_count.setText(f"{count} văn bản{more}")
        else:
            self.result_count.setText("Không tìm thấy văn bản nào; nếu văn bản chưa vào sổ, "
                                      "dùng thẻ “Chưa có trong sổ”.")

    def accept(self) -> None:
        """Create the link; on a refusal keep the dialog open with everything as typed."""
        self.error.hide()
        target: int | str
        issued_on: date | None = None
        issuer: str | None = None
        if self.tabs.currentIndex() == 0:
            if self._timer.isActive() or (self.search_box.text().strip() and self.results.count() == 0):
                self.run_search()
            item = self.results.currentItem()
            if item is None:
                self._show_error("Chọn một văn bản trong kết quả tìm kiếm.")
                return
            target = int(item.data(Qt.ItemDataRole.UserRole))
        else:
            target = self.reference.text().strip()
            if not target:
                self._show_error("Số, ký hiệu: không được để trống.")
                return
            if self.issued_on.text().strip():
                try:
                    issued_on = parse_date(self.issued_on.text())
                except ValueError as exc:
                    self._show_error(f"Ngày văn bản: {exc}")
                    return
            issuer = self.issuer.text().strip() or None
        try:
            self.result_link = self.registry.links.add(self.source.id, self.selected_type(), target, issued_on, issuer)
        except VanThuError as exc:
            self._show_error(refusal_text(exc))
            return
        super().accept()

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

