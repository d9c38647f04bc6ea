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
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.dates import format_date, parse_date, parse_moment, today
from app.core.errors import FieldError, ValidationError, VanThuError
from app.core.records import AssignmentRecord, DocumentRecord, RoutingRecord
from app.services import Registry
from app.ui.cancel_dialog import entry_name
from app.ui.form import Form

# The fields by the names routing.route() and routing.handover() give in their refusals, and their row labels.
ROUTE_LABELS = {"directive": "Ý kiến chỉ đạo", "directed_by": "Lãnh đạo cho ý kiến", "directed_at": "Ngày chỉ đạo",
                "lead": "Đơn vị chủ trì", "deadline": "Thời hạn giải quyết", "assignee": "Người được giao",
                "support": "Đơn vị phối hợp"}
HANDOVER_LABELS = {"unit": "Đơn vị nhận", "signed_by": "Người ký nhận", "at": "Thời điểm nhận"}


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


def _rows(form: Form, widgets: dict[str, QWidget]) -> QFormLayout:
    """The form's rows, labelled from form.labels, each widget with the error line of its name under it, so a
    refusal shows under the field it names."""
    rows = QFormLayout()
    rows.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    for name, widget in widgets.items():
        rows.addRow(f"{form.labels[name]}:", form.boxed(widget, name))
    return rows


def _read_date(text: str, name: str, label: str, errors: list[FieldError], prefix: str = "") -> date | None:
    """The day typed (None when empty); a non-date adds a refusal of the field `name`."""
    if not text.strip():
        return None
    try:
        return parse_date(text.strip())
    except ValueError as exc:
        errors.append(FieldError(name, label, f"{prefix}{exc}"))
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
        self.form = Form(ROUTE_LABELS)
        self.directive = self.form.text(
            "directive", "Ví dụ: Giao Phòng Nghiệp vụ Y chủ trì, phối hợp Văn phòng tham mưu trả lời.")
        self.directive.setObjectName("route_directive")
        self.directive.setFixedHeight(64)
        previous = steps[-1] if steps else None
        self.directed_by = self.form.line("directed_by")
        self.directed_by.setText(previous.directed_by or "" if previous else "")
        self.directed_by.setCompleter(self._completer([p.full_name for p in self.people]))
        self.directed_at = self.form.line("directed_at", "DD/MM/YYYY")
        self.directed_at.setText(format_date(today()))
        self.directed_at.editingFinished.connect(self._show_default_deadline)
        lead = QComboBox()
        lead.setObjectName("route_lead")
        lead.setEditable(True)
        lead.addItems(["", *[d.name for d in departments]])
        lead.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        lead.currentTextChanged.connect(self._lead_changed)
        self.lead = self.form.bind("lead", lead)
        self.deadline = self.form.line("deadline")
        self.deadline.setObjectName("route_deadline")
        self.assignee = self.form.line("assignee")
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

        # The support table is no form field (a unit's own deadline is typed in it), but refusals of "support"
        # still go under it.
        rows = _rows(self.form, {**self.form.fields, "support": self.supports})

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(rows)
        layout.addWidget(self.form.general)
        layout.addWidget(_buttons(self, "Chuyển (Ctrl+Enter)"))
        if not departments:
            self.form.general.setText("Chưa có đơn vị nào: thêm các phòng, ban ở Cài đặt → Phòng ban, cán bộ "
                                      "(Ctrl+,).")
            self.form.general.show()
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
        problems: list[FieldError] = []
        values = self.form.values()
        directed_at = _read_date(values["directed_at"], "directed_at", ROUTE_LABELS["directed_at"], problems)
        deadline = _read_date(values["deadline"], "deadline", ROUTE_LABELS["deadline"], problems)
        supports: list[str] = []
        own: dict[str, date] = {}
        for row in range(self.supports.rowCount()):
            name_item = self.supports.item(row, self.SUPPORT_NAME)
            if name_item.checkState() is not Qt.CheckState.Checked:
                continue
            supports.append(name_item.text())
            day = _read_date(self.supports.item(row, self.SUPPORT_DEADLINE).text(), "support",
                             ROUTE_LABELS["support"], problems, f"{name_item.text()}: ")
            if day is not None:
                own[name_item.text()] = day
        try:
            if problems:
                raise ValidationError(problems)
            self.result_step = self.registry.routing.route(
                self.record.id, values["lead"], supports, deadline, values["directive"], values["directed_by"],
                directed_at, values["assignee"], own)
        except VanThuError as exc:
            self.form.show(exc)
            return
        self.form.clear()
        super().accept()


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
        self.form = Form(HANDOVER_LABELS)
        self.unit = QComboBox()
        self.unit.setObjectName("handover_unit")
        for a in waiting:
            self.unit.addItem(f"{a.unit} ({a.role.label.lower()})", a.unit)
        if unit is not None and self.unit.findData(unit) >= 0:
            self.unit.setCurrentIndex(self.unit.findData(unit))
        self.form.bind("unit", self.unit)
        self.signed_by = self.form.line("signed_by")
        self.signed_by.setObjectName("handover_signed_by")
        self.at = self.form.line("at", "DD/MM/YYYY HH:MM")
        self.at.setText(datetime.now().strftime("%d/%m/%Y %H:%M"))
        self.unit.currentIndexChanged.connect(self._unit_changed)
        self._unit_changed()
        self.ok_button: QPushButton
        buttons = _buttons(self, "Ghi ký nhận (Ctrl+Enter)")
        self.ok_button = buttons.buttons()[0]
        self.ok_button.setEnabled(bool(waiting))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(_rows(self.form, dict(self.form.fields)))
        layout.addWidget(self.form.general)
        layout.addWidget(buttons)
        if not waiting:
            self.form.general.setText("Mọi đơn vị của lần chuyển này đã ký nhận.")
            self.form.general.show()
        self.signed_by.setFocus()

    def _unit_changed(self) -> None:
        name = self.unit.currentData()
        mine = [p.full_name for p in self.people if p.department_name == name]
        completer = QCompleter(sorted(set(mine or [p.full_name for p in self.people])))
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.signed_by.setCompleter(completer)

    def accept(self) -> None:
        if self.unit.currentData() is None:
            self.form.clear()
            return
        try:
            at = parse_moment(self.at.text()) if self.at.text().strip() else None
        except ValueError as exc:
            self.form.show(ValidationError.single("at", HANDOVER_LABELS["at"], str(exc)))
            return
        try:
            self.result_assignment = self.registry.routing.handover(self.record.id, self.unit.currentData(),
                                                                    self.signed_by.text(), at)
        except VanThuError as exc:
            self.form.show(exc)
            return
        self.form.clear()
        super().accept()
