"""DetailPane: the selected entry's fields (editable), links, attachments, history and cancellation."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.core.access import Permission
from app.core.dates import format_date
from app.core.enums import (
    AssignmentRole,
    Authority,
    BookCategory,
    Direction,
    DocumentStatus,
    Family,
    LabelledEnum,
    LinkType,
    Secrecy,
    Urgency,
)
from app.core.errors import DuplicateError, NotFoundError, ValidationError, VanThuError
from app.core.records import AttachmentRecord, AuditRecord, DocumentRecord, ForwardChain
from app.core.validation import LABELS
from app.services import Registry
from app.services.attachments import size_text
from app.ui.cancel_dialog import ERROR_STYLE, CancelDialog, return_focus_on_close
from app.ui.link_dialog import LinkDialog
from app.ui.permissions import allow
from app.ui.routing_panel import RoutingPanel

LINK_ROLE = Qt.ItemDataRole.UserRole  # a link this entry owns or receives (removable here), or None
DOC_ROLE = Qt.ItemDataRole.UserRole + 1  # the registered document the row names, or None
SCAN_FILTER = ("Bản quét PDF hoặc ảnh (*.pdf *.png *.jpg *.jpeg *.tif *.tiff *.bmp *.gif *.webp);;"
               "PDF (*.pdf);;Ảnh (*.png *.jpg *.jpeg *.tif *.tiff *.bmp *.gif *.webp)")

# Field kinds: a line, several lines, a choice, or fixed (shown, never editable here).
LINE, TEXT, CHOICE, FIXED = "line", "text", "choice", "fixed"
EXTRA_LABELS = {
    "number": "Số đến", "book_name": "Sổ đăng ký", "created": "Người vào sổ",
    "recipient_text": "Đơn vị hoặc người nhận", "directive": "Ý kiến chỉ đạo", "due_on": "Thời hạn giải quyết",
    "registered_on": "Ngày vào sổ",
    "status": "Trạng thái", "drafting_unit": "Đơn vị soạn thảo", "cancelled": "Đã hủy",
    "cancel_reason": "Lý do hủy", "reason": "Lý do hủy",
}
INCOMING_FIELDS = [
    ("number", FIXED), ("received_on", LINE), ("received_at", LINE), ("issuer", LINE), ("reference", LINE),
    ("issued_on", LINE), ("doc_type", LINE), ("subject", TEXT), ("urgency", CHOICE), ("secrecy", CHOICE),
    ("pages", LINE), ("copies", LINE), ("note", TEXT), ("file_code", LINE), ("recipient_text", FIXED),
    ("directive", FIXED), ("due_on", FIXED), ("book_name", FIXED), ("created", FIXED),
]
OUTGOING_FIELDS = [
    ("reference", FIXED), ("signed_on", FIXED), ("doc_type", FIXED), ("unit", FIXED), ("subject", TEXT),
    ("authority", CHOICE), ("signer_title", LINE), ("signer", LINE), ("recipients", TEXT), ("archive_holder", LINE),
    ("copies", LINE), ("reply_due", LINE), ("urgency", CHOICE), ("secrecy", CHOICE), ("pages", LINE),
    ("note", TEXT), ("file_code", LINE), ("book_name", FIXED), ("created", FIXED),
]
# Audit keys that restate another field (ids, parsed parts of the số/ký hiệu): not shown in the history.
HIDDEN_AUDIT_KEYS = {"issuer_id", "doc_number", "notation", "book_id", "period", "year", "reference_key"}
AUDIT_ENUMS: dict[str, type[LabelledEnum]] = {
    "urgency": Urgency, "secrecy": Secrecy, "status": DocumentStatus, "direction": Direction,
    "category": BookCategory, "link_type": LinkType, "role": AssignmentRole,
}
ACTIONS = {
    "create": "Vào sổ", "edit": "Sửa", "cancel": "Hủy văn bản", "link": "Thêm liên kết",
    "resolve_link": "Nối liên kết với văn bản vừa vào sổ", "unlink": "Bỏ liên kết", "attach": "Đính kèm tệp",
    "detach": "Gỡ tệp đính kèm", "route": "Chuyển xử lý", "handover": "Ký nhận", "unit_status": "Cập nhật tiến độ",
    "status": "Đặt trạng thái",
    "answered": "Đã trả lời",
}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_LABEL_PARTS = re.compile(r"^(?P<head>.+?) \((?P<issuer>[^()]+)\)(?P<tail> — .+)?$")


def local_time(value: datetime) -> str:
    """Stored times are naive UTC; the clerk reads local time, DD/MM/YYYY HH:MM."""
    return value.replace(tzinfo=UTC).astimezone().strftime("%d/%m/%Y %H:%M")


def field_label(key: str) -> str:
    return EXTRA_LABELS.get(key) or LABELS.get(key, key)


def audit_value(key: str, value: Any) -> str:
    """An audited value as the clerk would write it: dates DD/MM/YYYY, codes as their Vietnamese labels."""
    if value is None or value == "" or value == []:
        return "(trống)"
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, list):
        return "; ".join(audit_value(key, v) for v in value)
    if key in AUDIT_ENUMS and isinstance(value, str):
        try:
            return AUDIT_ENUMS[key](value).label
        except ValueError:
            return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        return format_date(datetime.fromisoformat(value).date())
    if isinstance(value, str) and _ISO_DATETIME.match(value):
        return local_time(datetime.fromisoformat(value))
    return str(value)


def describe_event(event: AuditRecord, labels: dict[int, str]) -> str:
    """One history line: when, who, what; then each changed field, old → new."""
    head = f"{local_time(event.at)} — {event.actor} — {ACTIONS.get(event.action, event.action)}"
    before, after = event.before or {}, event.after or {}

    def target(data: dict[str, Any]) -> str:
        kind = audit_value("link_type", data.get("link_type"))
        target_id = data.get("target_id")
        name = labels.get(target_id) if isinstance(target_id, int) else None
        name = name or data.get("target_label") or data.get("target_reference")
        name = name or (f"văn bản mã {target_id}" if target_id else "?")
        return f"{kind}: {name}"

    if event.action == "create":
        number = after.get("number")
        return f"{head} (số {number})" if number is not None else head
    if event.action == "cancel":
        return f"{head} — lý do: {after.get('reason', '')}"
    if event.action in ("link", "resolve_link"):
        return f"{head}\n    {target(after)}"
    if event.action == "unlink":
        return f"{head}\n    {target(before)}"
    if event.action in ("attach", "detach"):
        data = after or before
        size = data.get("size")
        return f"{head}: {data.get('file_name', '')}" + (f" ({size_text(size)})" if isinstance(size, int) else "")
    if event.action in ("route", "handover", "unit_status", "answered"):
        return "\n".join([head, *routing_lines(event.action, after)])
    lines = [head]
    for key in [k for k in {**before, **after} if k not in HIDDEN_AUDIT_KEYS]:
        if key == "registered_on" and "received_on" in after:
            continue  # the same date as ngày đến for incoming entries
        old, new = audit_value(key, before.get(key)), audit_value(key, after.get(key))
        lines.append(f"    {field_label(key)}: {old} → {new}")
    return "\n".join(lines)


def _unit_summary(data: dict[str, Any]) -> str:
    text = f"{audit_value('role', data.get('role'))}: {data.get('unit', '')}"
    if data.get("deadline"):
        text += f", hạn {audit_value('deadline', data['deadline'])}"
    text += f", {audit_value('status', data.get('status')).lower()}"
    if data.get("signed_by"):
        text += f", {data['signed_by']} ký nhận {audit_value('received_at', data.get('received_at'))}"
    if data.get("done_at"):
        text += f", xong {audit_value('done_at', data['done_at'])}"
    return text


def routing_lines(action: str, after: dict[str, Any]) -> list[str]:
    """A routing event in the history: the directive and each unit as routed, or the one unit that changed."""
    if action == "route":
        step = after.get("routing") or {}
        lines = [f"    Lần {step.get('step', '?')}" + (f" — {step['directed_by']}" if step.get("directed_by") else "")]
        if step.get("directive"):
            lines.append(f"    Ý kiến chỉ đạo: {step['directive']}")
        lines += [f"    {_unit_summary(a)}" for a in step.get("assignments", [])]
        return lines
    if action == "answered":
        closed = after.get("closed_units") or []
        return [f"    Văn bản trả lời: {after.get('reply') or ''}"] + (
            [f"    Đơn vị được đóng: {'; '.join(closed)}"] if closed else [])
    return [f"    {_unit_summary(after.get('assignment') or {})}"]


def short_label(r: DocumentRecord) -> str:
    """'3646/SYT-VP ngày 24/10/2023 (SỞ Y TẾ)', as links name the document at their other end."""
    text = r.reference or f"{r.doc_type} số {r.number}"
    if r.issued_on:
        text += f" ngày {format_date(r.issued_on)}"
    return f"{text} ({r.issuer})" if r.issuer else text


def two_lines(label: str) -> str:
    """'5068/UBND-TH ngày 02/10/2023 (UBND TỈNH TÂY NINH)' on two lines, number first: tree rows do not wrap."""
    match = _LABEL_PARTS.match(label)
    return f"{match['head']}\n{match['issuer']}{match['tail'] or ''}" if match else label


def record_value(record: DocumentRecord, key: str) -> str:
    """A field of the entry as the form shows it (and as the service accepts it back)."""
    if key == "signed_on":
        return format_date(record.registered_on)
    if key == "unit":
        return record.drafting_unit or ""
    if key == "created":
        return f"{record.created_by} — {local_time(record.created_at)}"
    if key == "recipients":
        return "\n".join(record.recipients)
    value = getattr(record, key)
    if value is None:
        return ""
    if isinstance(value, LabelledEnum):
        return value.label
    if isinstance(value, datetime):
        return local_time(value)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value)


class _Field:
    """One row of the form: its editor, the inline error under it, and the value it was loaded with."""

    def __init__(self, key: str, kind: str) -> None:
        self.key, self.kind, self.original = key, kind, ""
        self.editor: QLineEdit | QPlainTextEdit | QComboBox
        if kind == TEXT:
            text = QPlainTextEdit()
            text.setTabChangesFocus(True)
            text.setFixedHeight(68)
            self.editor = text
        elif kind == CHOICE:
            self.editor = QComboBox()
        else:
            line = QLineEdit()
            if kind != FIXED and (key.endswith("_on") or key == "reply_due"):
                line.setPlaceholderText("DD/MM/YYYY")
            self.editor = line
        self.editor.setObjectName(f"field_{key}")
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.box = QWidget()
        layout = QVBoxLayout(self.box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(self.editor)
        layout.addWidget(self.error)

    @property
    def editable(self) -> bool:
        return self.kind != FIXED

    def set_choices(self, choices: list[str]) -> None:
        assert isinstance(self.editor, QComboBox)
        self.editor.clear()
        self.editor.addItems(["", *choices])

    def value(self) -> str:
        if isinstance(self.editor, QComboBox):
            return self.editor.currentText()
        if isinstance(self.editor, QPlainTextEdit):
            return self.editor.toPlainText()
        return self.editor.text()

    def load(self, text: str) -> None:
        self.original = text
        if isinstance(self.editor, QComboBox):
            if self.editor.findText(text) < 0:
                self.editor.addItem(text)
            self.editor.setCurrentIndex(self.editor.findText(text))
        elif isinstance(self.editor, QPlainTextEdit):
            self.editor.setPlainText(text)
        else:
            self.editor.setText(text)
            self.editor.setCursorPosition(0)
        self.clear_error()

    def changed(self) -> bool:
        return self.editable and self.value() != self.original

    def set_editing(self, on: bool) -> None:
        if isinstance(self.editor, QComboBox):
            self.editor.setEnabled(on and self.editable)
        else:
            self.editor.setReadOnly(not (on and self.editable))
            # The read-only look comes from a style sheet property selector: re-apply it.
            self.editor.style().unpolish(self.editor)
            self.editor.style().polish(self.editor)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def clear_error(self) -> None:
        self.error.clear()
        self.error.hide()


class DetailPane(QWidget):
    """The right-hand pane of the main window for one register entry."""

    document_changed = Signal(int)  # the entry was edited, cancelled, linked or got/lost an attachment
    open_document = Signal(int)  # the clerk double-clicked a linked, registered document

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.record: DocumentRecord | None = None
        self.chain: ForwardChain | None = None
        self.editing = False
        self.dialog: QDialog | None = None  # the link or cancel dialog while it is open
        self._link_labels: dict[int, str] = {}  # document id -> readable label, for the history
        self.setMinimumWidth(340)
        # Read-only fields look like text on the page, editable ones like fields to fill in.
        self.setStyleSheet('QLineEdit[readOnly="true"], QPlainTextEdit[readOnly="true"] '
                           "{ background: palette(window); }")

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
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()

        self.edit_button = QPushButton("Sửa (F2)")
        self.save_button = QPushButton("Lưu thay đổi")
        self.discard_button = QPushButton("Bỏ qua")
        self.cancel_button = QPushButton("Hủy văn bản…")
        self.edit_button.clicked.connect(self.start_editing)
        self.save_button.clicked.connect(self.save)
        self.discard_button.clicked.connect(self.discard)
        self.cancel_button.clicked.connect(self.cancel_current)
        self.edit_button.setToolTip("Sửa các trường của văn bản (F2); mọi thay đổi được ghi vào lịch sử.")
        self.save_button.setToolTip("Lưu các trường đã sửa (Ctrl+S)")
        self.discard_button.setToolTip("Bỏ các thay đổi chưa lưu (Esc)")
        buttons = QHBoxLayout()
        for button in (self.edit_button, self.save_button, self.discard_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        # F2 works from anywhere in the window (the register table too); save and Bỏ qua only inside the pane.
        for keys, slot, context in ((QKeySequence(Qt.Key.Key_F2), self.start_editing,
                                     Qt.ShortcutContext.WindowShortcut),
                                    (QKeySequence(QKeySequence.StandardKey.Save), self.save,
                                     Qt.ShortcutContext.WidgetWithChildrenShortcut),
                                    (QKeySequence(Qt.Key.Key_Escape), self.discard,
                                     Qt.ShortcutContext.WidgetWithChildrenShortcut)):
            shortcut = QShortcut(keys, self)
            shortcut.setContext(context)
            shortcut.activated.connect(slot)

        # The form: one per kind of entry, only the relevant one visible.
        self.info_box = QGroupBox("Thông tin văn bản")
        info_layout = QVBoxLayout(self.info_box)
        self.forms: dict[str, dict[str, _Field]] = {}
        self.form_widgets: dict[str, QWidget] = {}
        for name, specs in (("incoming", INCOMING_FIELDS), ("outgoing", OUTGOING_FIELDS)):
            widget = QWidget()
            form = QFormLayout(widget)
            form.setContentsMargins(0, 0, 0, 0)
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            fields = {key: _Field(key, kind) for key, kind in specs}
            for key, field in fields.items():
                label = QLabel(f"{field_label(key)}:")
                label.setWordWrap(True)
                form.addRow(label, field.box)
            fields["urgency"].set_choices([u.label for u in Urgency])
            fields["secrecy"].set_choices([s.label for s in Secrecy])
            self.forms[name], self.form_widgets[name] = fields, widget
            info_layout.addWidget(widget)
        self.fields: dict[str, _Field] = self.forms["incoming"]

        self.links = QTreeWidget()
        self.links.setHeaderHidden(True)
        self.links.setIndentation(14)
        self.links.setMinimumHeight(150)
        self.links.setWordWrap(True)
        # Wrap long labels inside the pane's width instead of eliding them or scrolling sideways.
        self.links.setUniformRowHeights(False)
        self.links.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.links.header().setStretchLastSection(False)
        self.links.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.links.itemDoubleClicked.connect(self._open_linked)
        self.links.itemSelectionChanged.connect(self._update_buttons)
        self.add_link_button = QPushButton("Thêm liên kết…")
        self.remove_link_button = QPushButton("Bỏ liên kết")
        self.add_link_button.clicked.connect(self.add_link)
        self.remove_link_button.clicked.connect(self.remove_link)
        self.links_box = self._section("Liên kết", self.links, self.add_link_button, self.remove_link_button)

        self.files = QListWidget()
        self.files.setMinimumHeight(90)
        self.files.setWordWrap(True)
        self.files.itemDoubleClicked.connect(lambda _item: self.open_attachment())
        self.files.itemSelectionChanged.connect(self._update_buttons)
        self.add_file_button = QPushButton("Thêm tệp…")
        self.open_file_button = QPushButton("Mở")
        self.remove_file_button = QPushButton("Gỡ")
        self.add_file_button.clicked.connect(self.add_attachment)
        self.open_file_button.clicked.connect(self.open_attachment)
        self.remove_file_button.clicked.connect(self.remove_attachment)
        self.files_box = self._section("Tệp đính kèm", self.files, self.add_file_button, self.open_file_button,
                                       self.remove_file_button)

        self.history = QListWidget()
        self.history.setMinimumHeight(160)
        self.history.setWordWrap(True)
        self.history.setAlternatingRowColors(True)
        self.history_box = self._section("Lịch sử thay đổi", self.history)
        self.routing = RoutingPanel(registry)
        self.routing.changed.connect(self._routing_changed)

        # One tab per aspect, so the links and the history are one click (or Ctrl+Tab) away, not a long scroll.
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(self.info_box)
        self.sections = QTabWidget()
        self.sections.addTab(self.scroll, "Thông tin")
        for widget, title in ((self.routing, "Xử lý"), (self.links_box, "Liên kết"), (self.files_box, "Tệp"),
                              (self.history_box, "Lịch sử")):
            self.sections.addTab(widget, title)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        for widget in (self.header, self.status, self.banner, self.message):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        layout.addWidget(self.sections, 1)
        self.show_document(None)

    @staticmethod
    def _section(title: str, body: QWidget, *buttons: QPushButton) -> QGroupBox:
        box = QGroupBox(title)
        layout = QVBoxLayout(box)
        layout.addWidget(body)
        if buttons:
            row = QHBoxLayout()
            for button in buttons:
                row.addWidget(button)
            row.addStretch(1)
            layout.addLayout(row)
        return box

    # interaction points tests replace (message boxes and file dialogs block)
    def confirm(self, title: str, text: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=self)
        yes = box.addButton("Đồng ý", QMessageBox.ButtonRole.YesRole)
        no = box.addButton("Không", QMessageBox.ButtonRole.NoRole)
        box.setDefaultButton(no)
        box.exec()
        return box.clickedButton() is yes

    def show_error(self, text: str) -> None:
        QMessageBox.warning(self, APP_NAME, text)

    def choose_file(self) -> str | None:
        path, _filter = QFileDialog.getOpenFileName(self, "Chọn bản quét để đính kèm", "", SCAN_FILTER)
        return path or None

    def open_path(self, path: Path) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    # showing
    @property
    def doc_id(self) -> int | None:
        return self.record.id if self.record else None

    def has_unsaved_changes(self) -> bool:
        return self.editing and any(f.changed() for f in self.fields.values())

    def show_document(self, doc_id: int | None) -> None:
        """Show an entry (or nothing); unsaved edits of the previous one are dropped (ask has_unsaved_changes())."""
        self.editing = False
        self.message.hide()
        self.record, self.chain = None, None
        if doc_id is not None:
            try:
                self.record = self.registry.documents.get(doc_id)
                self.chain = self.registry.links.forward_chain(doc_id)
                files = self.registry.attachments.list(doc_id)
                events = self.registry.documents.history(doc_id)
            except NotFoundError as exc:
                self.record = None
                self._set_message(str(exc))
            except VanThuError as exc:
                self.record = None
                self._set_message(f"Không đọc được văn bản: {exc}")
        if self.record is None:
            self.header.setText("Chưa chọn văn bản" if doc_id is None else "Không tìm thấy văn bản")
            self.status.clear()
            self.banner.hide()
            self.sections.hide()
            self.routing.show_document(None)
            self._update_buttons()
            return
        self.sections.show()
        self._show_header(self.record)
        self._load_fields(self.record)
        self._show_links()
        self._show_files(files)
        self._show_history(events)
        steps = self.routing.show_document(self.record)
        for widget, title, count in ((self.routing, "Xử lý", steps),
                                     (self.links_box, "Liên kết", len(self.record.links)),
                                     (self.files_box, "Tệp", len(files)),
                                     (self.history_box, "Lịch sử", len(events))):
            self.sections.setTabText(self.sections.indexOf(widget), f"{title} ({count})" if count else title)
        self._update_buttons()

    def refresh(self) -> None:
        self.show_document(self.doc_id)

    def _set_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _show_header(self, r: DocumentRecord) -> None:
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

    def _load_fields(self, r: DocumentRecord) -> None:
        kind = "incoming" if r.direction is Direction.INCOMING else "outgoing"
        for name, widget in self.form_widgets.items():
            widget.setVisible(name == kind)
        self.fields = self.forms[kind]
        if kind == "outgoing":
            family = self.registry.settings.agency().family
            forms = ([Authority.PARTY_TM, Authority.PARTY_KT, Authority.PARTY_TL, Authority.Q]
                     if family is Family.PARTY else [Authority.TM, Authority.KT, Authority.TL, Authority.TUQ,
                                                     Authority.Q])
            self.fields["authority"].set_choices([a.value for a in forms])
        for key, field in self.fields.items():
            field.load(record_value(r, key))
            field.set_editing(False)

    def _show_links(self) -> None:
        self.links.clear()
        chain = self.chain
        if chain is None:
            return
        bold = QFont(self.links.font())
        bold.setBold(True)
        labels: dict[int, str] = {}
        if chain.ancestors:
            node = QTreeWidgetItem([f"{two_lines(chain.label)} (văn bản này)"])
            node.setFont(0, bold)
            node.setToolTip(0, "Chuỗi sao gửi / chuyển tiếp: mỗi cấp là văn bản mà cấp trên nó sao gửi")
            self.links.addTopLevelItem(node)
            for index, step in enumerate(chain.ancestors):
                kind = LinkType.FORWARDS.label if index == 0 else None
                child = self._link_item(kind, step.label + (" — ĐÃ HỦY" if step.cancelled else ""),
                                        step.link_id if index == 0 else None, step.document_id)
                node.addChild(child)
                node = child
                if step.document_id is not None:
                    labels[step.document_id] = step.label
            if chain.cycle:
                node.addChild(QTreeWidgetItem(["… chuỗi quay lại một văn bản ở trên (vòng lặp), dừng tại đây"]))
        for title, rows in (("Văn bản này liên kết đến", chain.links_from),
                            ("Văn bản liên kết đến văn bản này", chain.links_to)):
            if not rows:
                continue
            group = QTreeWidgetItem([title])
            group.setFont(0, bold)
            self.links.addTopLevelItem(group)
            for link in rows:
                other = link.target_id if link.source_id == chain.document_id else link.source_id
                group.addChild(self._link_item(link.link_type.label, link.other_label, link.id, other))
                if other is not None:
                    labels[other] = link.other_label
        if self.links.topLevelItemCount() == 0:
            empty = QTreeWidgetItem(["Chưa có liên kết.\nDùng “Thêm liên kết…” để nối với văn bản gốc,\n"
                                     "văn bản trả lời hoặc văn bản được viện dẫn."])
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.links.addTopLevelItem(empty)
        self.links.expandAll()
        self._link_labels = labels

    @staticmethod
    def _link_item(kind: str | None, label: str, link_id: int | None, doc_id: int | None) -> QTreeWidgetItem:
        prefix = f"{kind}: " if kind else ""
        item = QTreeWidgetItem([prefix + two_lines(label)])
        item.setToolTip(0, prefix + label + ("" if doc_id is None else "\nNhấn đúp để mở văn bản này."))
        item.setData(0, LINK_ROLE, link_id)
        item.setData(0, DOC_ROLE, doc_id)
        if doc_id is None:
            font = item.font(0)
            font.setItalic(True)
            item.setFont(0, font)
        return item

    def _show_files(self, files: list[AttachmentRecord]) -> None:
        self.files.clear()
        for a in files:
            item = QListWidgetItem(f"{a.file_name} — {size_text(a.size)} — {local_time(a.added_at)} ({a.added_by})")
            item.setData(Qt.ItemDataRole.UserRole, a.id)
            item.setToolTip(f"SHA-256: {a.sha256}")
            self.files.addItem(item)

    def _show_history(self, events: list[AuditRecord]) -> None:
        self.history.clear()
        # Links named by id whose link is gone (or never was this pane's): name them from the register.
        unknown = {t for e in events for data in (e.before, e.after) if data
                   if isinstance(t := data.get("target_id"), int) and t not in self._link_labels}
        if unknown:
            for r in self.registry.documents.records(sorted(unknown)):
                self._link_labels[r.id] = short_label(r)
        for event in events:
            self.history.addItem(describe_event(event, self._link_labels))

    def _update_buttons(self) -> None:
        r = self.record
        live = r is not None and not r.cancelled
        self.edit_button.setVisible(not self.editing)
        allow(self.edit_button, self.registry, Permission.REGISTER, live)
        self.save_button.setVisible(self.editing)
        self.discard_button.setVisible(self.editing)
        allow(self.cancel_button, self.registry, Permission.REGISTER, live and not self.editing)
        allow(self.add_link_button, self.registry, Permission.REGISTER, r is not None)
        allow(self.remove_link_button, self.registry, Permission.REGISTER, self._selected_link() is not None)
        allow(self.add_file_button, self.registry, Permission.REGISTER, r is not None)
        has_file = self._selected_attachment() is not None
        self.open_file_button.setEnabled(has_file)
        allow(self.remove_file_button, self.registry, Permission.REGISTER, has_file)

    # editing
    def start_editing(self) -> None:
        if self.record is None or self.record.cancelled or self.editing or not self.registry.can(Permission.REGISTER):
            return
        self.editing = True
        for field in self.fields.values():
            field.set_editing(True)
        self._update_buttons()
        self.fields["subject"].editor.setFocus()

    def changes(self) -> dict[str, Any]:
        """Only the fields the clerk changed, as typed (the service parses and checks them)."""
        result: dict[str, Any] = {}
        for key, field in self.fields.items():
            if field.changed():
                value: Any = field.value()
                if field.kind == CHOICE and not value.strip():
                    value = None
                result[key] = value
        return result

    def save(self) -> bool:
        """Send the changed fields to the register; a refusal is shown under each field and nothing is lost."""
        if self.record is None or not self.editing:
            return False
        for field in self.fields.values():
            field.clear_error()
        self.message.hide()
        changes = self.changes()
        if not changes:
            self.discard()
            return True
        doc_id = self.record.id
        try:
            try:
                self.registry.documents.update(doc_id, changes)
            except DuplicateError as exc:
                if not self.confirm("Văn bản trùng", f"{exc}\n\nVẫn lưu thay đổi?"):
                    return False
                self.registry.documents.update(doc_id, changes, allow_duplicate=True)
        except ValidationError as exc:
            for error in exc.errors:
                if error.field in self.fields:
                    self.fields[error.field].show_error(error.message)
                else:
                    self._set_message(str(error))
            return False
        except VanThuError as exc:
            self._set_message(str(exc))
            return False
        self.show_document(doc_id)
        self.document_changed.emit(doc_id)
        return True

    def discard(self) -> None:
        """Bỏ qua: restore the saved values."""
        if self.record is None or not self.editing:
            return
        self.editing = False
        self.message.hide()
        for key, field in self.fields.items():
            field.load(record_value(self.record, key))
            field.set_editing(False)
        self._update_buttons()

    # cancelling
    def cancel_current(self) -> CancelDialog | None:
        """Open the cancel dialog (window-modal, not blocking); the pane refreshes when it cancels."""
        if self.record is None or self.record.cancelled or not self.registry.can(Permission.REGISTER):
            return None
        dialog = CancelDialog(self.registry, self.record, self)
        dialog.accepted.connect(self._after_dialog)
        self.dialog = dialog
        return_focus_on_close(dialog)
        dialog.open()
        return dialog

    # links
    def add_link(self) -> LinkDialog | None:
        if self.record is None or not self.registry.can(Permission.REGISTER):
            return None
        dialog = LinkDialog(self.registry, self.record, self)
        dialog.accepted.connect(self._after_dialog)
        self.dialog = dialog
        return_focus_on_close(dialog)
        dialog.open()
        return dialog

    def _routing_changed(self, doc_id: int) -> None:
        if doc_id == self.doc_id:
            self.refresh()
            self.document_changed.emit(doc_id)

    def _after_dialog(self) -> None:
        self.dialog = None
        doc_id = self.doc_id
        if doc_id is not None:
            self.refresh()
            self.document_changed.emit(doc_id)

    def _selected_link(self) -> int | None:
        item = self.links.currentItem()
        value = item.data(0, LINK_ROLE) if item is not None and item.isSelected() else None
        return int(value) if value is not None else None

    def remove_link(self) -> None:
        link_id, doc_id = self._selected_link(), self.doc_id
        if doc_id is None:
            return
        if link_id is None:
            self.show_error("Chọn một liên kết của văn bản này (các cấp xa hơn trong chuỗi thuộc văn bản khác).")
            return
        text = self.links.currentItem().text(0)
        if not self.confirm("Bỏ liên kết", f"Bỏ liên kết “{text}”?\nViệc này được ghi vào lịch sử thay đổi."):
            return
        try:
            self.registry.links.remove(link_id)
        except VanThuError as exc:
            self.show_error(str(exc))
        self.refresh()
        self.document_changed.emit(doc_id)

    def _open_linked(self, item: QTreeWidgetItem, _column: int) -> None:
        doc_id = item.data(0, DOC_ROLE)
        if doc_id is not None and doc_id != self.doc_id:
            self.open_document.emit(int(doc_id))

    # attachments
    def _selected_attachment(self) -> int | None:
        item = self.files.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None and item.isSelected() else None

    def add_attachment(self) -> None:
        path = self.choose_file()
        if path:
            self.attach_file(path)

    def attach_file(self, path: str | Path) -> AttachmentRecord | None:
        doc_id = self.doc_id
        if doc_id is None:
            return None
        try:
            record = self.registry.attachments.attach(doc_id, path)
        except VanThuError as exc:
            self.show_error(str(exc))
            return None
        self.refresh()
        self.document_changed.emit(doc_id)
        return record

    def open_attachment(self) -> None:
        attachment_id = self._selected_attachment()
        if attachment_id is None:
            return
        try:
            path = self.registry.attachments.path(attachment_id)
        except VanThuError as exc:
            self.show_error(str(exc))
            return
        self.open_path(path)

    def remove_attachment(self) -> None:
        attachment_id, doc_id = self._selected_attachment(), self.doc_id
        if attachment_id is None or doc_id is None:
            return
        name = self.files.currentItem().text().split(" — ")[0]
        if not self.confirm("Gỡ tệp đính kèm", f"Gỡ tệp “{name}” khỏi văn bản?\nBản lưu vẫn được giữ và việc gỡ "
                                               "được ghi vào lịch sử thay đổi."):
            return
        try:
            self.registry.attachments.detach(attachment_id)
        except VanThuError as exc:
            self.show_error(str(exc))
        self.refresh()
        self.document_changed.emit(doc_id)

