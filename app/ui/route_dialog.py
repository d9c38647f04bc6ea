"""RouteDialog records the leader's directive and routes an incoming entry; HandoverDialog records a ký nhận."""

from __future__ import annotations

import html
from datetime import date, datetime

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.dates import format_date, parse_date, parse_moment, today
from app.core.errors import ValidationError, VanThuError
from app.core.records import AssignmentRecord, DocumentRecord, RoutingRecord
from app.services import Registry
from app.ui.cancel_dialog import ERROR_STYLE, entry_name, refusal_text


class _FieldForm:
    """A form whose rows each carry an inline error line, so a refusal is shown under the field it names."""

    def __init__(self) -> None:
        self.layout = QFormLayout()
        self.layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.errors: dict[str, QLabel] = {}

    def add(self, key: str, label: str, editor: QWidget) -> None:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(1)
        column.addWidget(editor)
        error = QLabel()
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        column.addWidget(error)
        self.errors[key] = error
        self.layout.addRow(label, box)

    def clear(self) -> None:
        for error in self.errors.values():
            error.clear()
            error.hide()

    def show(self, key: str, message: str) -> bool:
        """Show a message under the field; False when the form has no such field."""
        error = self.errors.get(key)
        if error is None:
            return False
        error.setText(f"{error.text()}\n{message}" if error.text() else message)
        error.show()
        return True


class _ConfirmOnCtrlEnter(QObject):
    """Ctrl+Enter confirms from multi-line boxes too, as it does in the registration dialog."""

    def __init__(self, dialog: QDialog) -> None:
        super().__init__(dialog)
        self.dialog = dialog

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            self.dialog.accept()
            return True
        return False


class _Dialog(QDialog):
    """Ctrl+Enter confirms from any field (QDialog itself only presses the default button on a plain Enter)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            self.accept()
            return
        super().keyPressEvent(event)


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox()
    ok = buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
    ok.setDefault(True)
    buttons.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def _read_date(box: QLineEdit, key: str, form: _FieldForm, problems: list[str]) -> date | None:
    text = box.text().strip()
    if not text:
        return None
    try:
        return parse_date(text)
    except ValueError as exc:
        form.show(key, str(exc))
        problems.append(key)
        return None


class RouteDialog(_Dialog):
    """Ý kiến chỉ đạo, the lead unit with its deadline and assignee, supporting units each with an optional own
    deadline. Routing again adds a step; the earlier ones stay in the history."""

    SUPPORT_NAME, SUPPORT_DEADLINE = 0, 1

    def __init__(self, registry: Registry, record: DocumentRecord, steps: list[RoutingRecord],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.record = record
        self.result_step: RoutingRecord | None = None
        self.setWindowTitle(f"Chuyển xử lý — số đến {record.number}/{record.year}")
        self.setMinimumWidth(560)
        departments = [d for d in registry.directory.departments() if d.active]
        self.people = registry.directory.people()

        again = (f"<br><i>Đã chuyển {len(steps)} lần; lần chuyển này được thêm vào, các lần trước vẫn giữ trong "
                 "lịch sử.</i>") if steps else ""
        intro = QLabel(f"<b>{html.escape(entry_name(record))}</b><br>{html.escape(record.subject)}{again}")
        intro.setWordWrap(True)
        self.form = _FieldForm()
        self.directive = QPlainTextEdit()
        self.directive.setObjectName("route_directive")
        self.directive.setTabChangesFocus(True)
        self.directive.setFixedHeight(64)
        self.directive.setPlaceholderText("Ví dụ: Giao Phòng Nghiệp vụ Y chủ trì, phối hợp Văn phòng tham mưu trả lời.")
        previous = steps[-1] if steps else None
        self.directed_by = QLineEdit(previous.directed_by or "" if previous else "")
        self.directed_by.setCompleter(self._completer([p.full_name for p in self.people]))
        self.directed_at = QLineEdit(format_date(today()))
        self.directed_at.setPlaceholderText("DD/MM/YYYY")
        self.directed_at.editingFinished.connect(self._show_default_deadline)
        self.lead = QComboBox()
        self.lead.setObjectName("route_lead")
        self.lead.setEditable(True)
        self.lead.addItems(["", *[d.name for d in departments]])
        self.lead.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.lead.currentTextChanged.connect(self._lead_changed)
        self.deadline = QLineEdit()
        self.deadline.setObjectName("route_deadline")
        self.assignee = QLineEdit()
        self.supports = QTableWidget(len(departments), 2)
        self.supports.setObjectName("route_supports")
        self.supports.setHorizontalHeaderLabels(["Đơn vị phối hợp (đánh dấu)", "Hạn riêng (để trống: như chủ trì)"])
        self.supports.verticalHeader().setVisible(False)
        self.supports.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.supports.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.supports.setMinimumHeight(110)
        for row, department in enumerate(departments):
            name = QTableWidgetItem(department.name)
            name.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable)
            name.setCheckState(Qt.CheckState.Unchecked)
            self.supports.setItem(row, self.SUPPORT_NAME, name)
            self.supports.setItem(row, self.SUPPORT_DEADLINE, QTableWidgetItem(""))

        self.form.add("directive", "Ý kiến chỉ đạo:", self.directive)
        self.form.add("directed_by", "Lãnh đạo cho ý kiến:", self.directed_by)
        self.form.add("directed_at", "Ngày chỉ đạo:", self.directed_at)
        self.form.add("lead", "Đơn vị chủ trì:", self.lead)
        self.form.add("deadline", "Thời hạn giải quyết:", self.deadline)
        self.form.add("assignee", "Người được giao:", self.assignee)
        self.form.add("support", "Đơn vị phối hợp:", self.supports)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        if not departments:
            self.error.setText("Chưa có đơn vị nào: thêm các phòng, ban ở Cài đặt → Phòng ban, cán bộ (Ctrl+,).")
            self.error.show()

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self.form.layout)
        layout.addWidget(self.error)
        layout.addWidget(_buttons(self, "Chuyển (Ctrl+Enter)"))
        self.directive.installEventFilter(_ConfirmOnCtrlEnter(self))
        if previous is not None and previous.lead is not None:
            self.lead.setCurrentText(previous.lead.unit)  # routing again usually changes little: start from it
        self._show_default_deadline()
        self.directive.setFocus()

    @staticmethod
    def _completer(words: list[str]) -> QCompleter:
        completer = QCompleter(sorted(set(words)))
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        return completer

    def _lead_changed(self, name: str) -> None:
        # The assignee is someone of the lead unit: suggest its people first.
        mine = [p.full_name for p in self.people if p.department_name == name]
        self.assignee.setCompleter(self._completer(mine or [p.full_name for p in self.people]))

    def _show_default_deadline(self) -> None:
        """The rules' deadline from the directive's day, shown as the placeholder: typing one overrides it."""
        try:
            on = parse_date(self.directed_at.text()) if self.directed_at.text().strip() else today()
            default = self.registry.routing.default_deadline(self.record.id, on)
        except (ValueError, VanThuError):
            default = None
        self.deadline.setPlaceholderText(f"Theo quy định: {format_date(default)} (tính theo ngày làm việc)"
                                         if default else "DD/MM/YYYY")

    def check_support(self, name: str, on: bool = True, deadline: str = "") -> None:
        """Tick (or untick) a supporting unit and set its own deadline; used by the clerk's clicks and tests."""
        for row in range(self.supports.rowCount()):
            if self.supports.item(row, self.SUPPORT_NAME).text() == name:
                self.supports.item(row, self.SUPPORT_NAME).setCheckState(
                    Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
                self.supports.item(row, self.SUPPORT_DEADLINE).setText(deadline)
                return
        raise KeyError(name)

    def accept(self) -> None:
        """Route through the registry; a refusal keeps everything typed and shows each error at its field."""
        self.form.clear()
        self.error.hide()
        problems: list[str] = []
        directed_at = _read_date(self.directed_at, "directed_at", self.form, problems)
        deadline = _read_date(self.deadline, "deadline", self.form, problems)
        supports: list[str] = []
        own: dict[str, date] = {}
        for row in range(self.supports.rowCount()):
            name_item = self.supports.item(row, self.SUPPORT_NAME)
            text = self.supports.item(row, self.SUPPORT_DEADLINE).text().strip()
            if name_item.checkState() is not Qt.CheckState.Checked:
                continue
            supports.append(name_item.text())
            if text:
                try:
                    own[name_item.text()] = parse_date(text)
                except ValueError as exc:
                    self.form.show("support", f"{name_item.text()}: {exc}")
                    problems.append("support")
        if problems:
            return
        try:
            self.result_step = self.registry.routing.route(
                self.record.id, self.lead.currentText(), supports, deadline, self.directive.toPlainText(),
                self.directed_by.text(), directed_at, self.assignee.text(), own)
        except ValidationError as exc:
            for e in exc.errors:
                if not self.form.show(e.field, e.message):
                    self._show_error(str(e))
            return
        except VanThuError as exc:
            self._show_error(refusal_text(exc))
            return
        super().accept()

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()


class HandoverDialog(_Dialog):
    """Ký nhận: which unit of the current step received the document, who signed, and when."""

    def __init__(self, registry: Registry, record: DocumentRecord, assignments: list[AssignmentRecord],
                 unit: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.record = record
        self.result_assignment: AssignmentRecord | None = None
        self.setWindowTitle(f"Ký nhận — số đến {record.number}/{record.year}")
        self.setMinimumWidth(440)
        self.people = registry.directory.people()
        waiting = [a for a in assignments if a.received_at is None]
        intro = QLabel(f"<b>{html.escape(entry_name(record))}</b><br>Ghi đơn vị đã nhận văn bản và người ký nhận.")
        intro.setWordWrap(True)
        self.form = _FieldForm()
        self.unit = QComboBox()
        self.unit.setObjectName("handover_unit")
        for a in waiting:
            self.unit.addItem(f"{a.unit} ({a.role.label.lower()})", a.unit)
        if unit is not None and self.unit.findData(unit) >= 0:
            self.unit.setCurrentIndex(self.unit.findData(unit))
        self.signed_by = QLineEdit()
        self.signed_by.setObjectName("handover_signed_by")
        self.at = QLineEdit(datetime.now().strftime("%d/%m/%Y %H:%M"))
        self.at.setPlaceholderText("DD/MM/YYYY HH:MM")
        self.unit.currentIndexChanged.connect(self._unit_changed)
        self._unit_changed()
        self.form.add("unit", "Đơn vị nhận:", self.unit)
        self.form.add("signed_by", "Người ký nhận:", self.signed_by)
        self.form.add("at", "Thời điểm nhận:", self.at)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.setVisible(not waiting)
        self.error.setText("Mọi đơn vị của lần chuyển này đã ký nhận." if not waiting else "")
        self.ok_button: QPushButton
        buttons = _buttons(self, "Ghi ký nhận (Ctrl+Enter)")
        self.ok_button = buttons.buttons()[0]
        self.ok_button.setEnabled(bool(waiting))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self.form.layout)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.signed_by.setFocus()

    def _unit_changed(self) -> None:
        name = self.unit.currentData()
        mine = [p.full_name for p in self.people if p.department_name == name]
        completer = QCompleter(sorted(set(mine or [p.full_name for p in self.people])))
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.signed_by.setCompleter(completer)

    def accept(self) -> None:
        self.form.clear()
        self.error.hide()
        if self.unit.currentData() is None:
            return
        try:
            at = parse_moment(self.at.text()) if self.at.text().strip() else None
        except ValueError as exc:
            self.form.show("at", str(exc))
            return
        try:
            self.result_assignment = self.registry.routing.handover(self.record.id, self.unit.currentData(),
                                                            self.signed_by.text(), at)
        except ValidationError as exc:
            for e in exc.errors:
                if not self.form.show(e.field, e.message):
                    self.error.setText(str(e))
                    self.error.show()
            return
        except VanThuError as exc:
            self.error.setText(refusal_text(exc))
            self.error.show()
            return
        super().accept()
