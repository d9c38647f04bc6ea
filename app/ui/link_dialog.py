"""LinkDialog: links the shown entry to another one found in the register, or to a reference not registered yet."""

from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
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
from app.core.errors import ValidationError, VanThuError
from app.core.records import DocumentQuery, DocumentRecord, LinkRecord
from app.services import Registry
from app.ui.cancel_dialog import entry_name
from app.ui.form import Form
from app.ui.unsaved import close_unsaved

SEARCH_LIMIT = 50
SEARCH_DELAY_MS = 300  # search once the clerk pauses typing, not on every key
# The fields of a reference not registered yet, and their labels (links.add names its refusals "target").
LABELS = {"link_type": "Loại liên kết", "reference": "Số, ký hiệu", "issued_on": "Ngày văn bản",
          "issuer": "Cơ quan ban hành"}


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
        # Every refusal goes to the one line under the tabs (the field it names may be on the other tab).
        self.form = Form(LABELS)
        self.link_type = self.form.choice("link_type", [(link_type.label, link_type) for link_type in LinkType])
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
        self.reference = self.form.line("reference", "Ví dụ: 1737-TB/VPTU")
        self.issued_on = self.form.line("issued_on", "DD/MM/YYYY (nên ghi)")
        self.issuer = self.form.line("issuer", "Ví dụ: Văn phòng Tỉnh ủy")
        pending = QWidget()
        form = QFormLayout(pending)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for name in ("reference", "issued_on", "issuer"):
            form.addRow(f"{LABELS[name]}:", self.form.fields[name])
        note = QLabel("Khi văn bản này được vào sổ, liên kết sẽ tự nối với nó. Nếu văn bản đã có trong sổ, "
                      "liên kết được nối ngay.")
        note.setWordWrap(True)
        form.addRow(note)

        self.tabs = QTabWidget()
        self.tabs.addTab(registered, "Tìm trong sổ")
        self.tabs.addTab(pending, "Chưa có trong sổ")

        self.error = self.form.general
        self.buttons = QDialogButtonBox()
        self.ok_button: QPushButton = self.buttons.addButton("Liên kết", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        type_row = QFormLayout()
        type_row.addRow(f"{LABELS['link_type']}:", self.link_type)
        layout.addLayout(type_row)
        layout.addWidget(self.hint)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._update_hint()
        self.form.mark_clean()  # the default link type is not something typed
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
        try:
            target, issued_on, issuer = self._target()
            self.result_link = self.registry.links.add(self.source.id, self.selected_type(), target, issued_on, issuer)
        except VanThuError as exc:
            self.form.show(exc)
            return
        self.form.clear()
        super().accept()

    def reject(self) -> None:
        """Đóng, Esc and the window's close box: a search or a reference typed asks first (Lưu links it)."""
        typed = [LABELS[name] for name in self.form.changed()]
        if self.search_box.text().strip():
            typed.insert(0, f"Tìm trong sổ «{self.search_box.text().strip()}»")
        close_unsaved(self, [f"Thêm liên kết: {', '.join(typed)}"] if typed else [], self.accept, super().reject)

    def _target(self) -> tuple[int | str, date | None, str | None]:
        """What to link to: the document chosen in the results, or the reference typed (with its date and
        issuer); raises a refusal when there is neither, or the date is not one."""
        if self.tabs.currentIndex() == 0:
            if self._timer.isActive() or (self.search_box.text().strip() and self.results.count() == 0):
                self.run_search()
            item = self.results.currentItem()
            if item is None:
                raise VanThuError("Chọn một văn bản trong kết quả tìm kiếm.")
            return int(item.data(Qt.ItemDataRole.UserRole)), None, None
        values = self.form.values()
        reference = values["reference"].strip()
        if not reference:
            raise ValidationError.single("reference", LABELS["reference"], "không được để trống.")
        issued_on: date | None = None
        if values["issued_on"].strip():
            try:
                issued_on = parse_date(values["issued_on"])
            except ValueError as exc:
                raise ValidationError.single("issued_on", LABELS["issued_on"], str(exc)) from exc
        return reference, issued_on, values["issuer"].strip() or None

