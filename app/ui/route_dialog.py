"""RouteDialog records the leader's directive and routes an incoming entry; HandoverDialog records a ký nhận."""

from __future__ import annotations

import html
from datetime import date, datetime

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, QTimer
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
    QWidget,
)

from app.core.dates import format_date, parse_date, parse_moment, today
from app.core.errors import FieldError, ValidationError, VanThuError
from app.core.records import AssignmentRecord, DocumentRecord, RoutingRecord
from app.core.text import fold
from app.services import Registry
from app.ui.cancel_dialog import entry_name
from app.ui.form import Form
from app.ui.form_scroll import lay_out
from app.ui.register_form import matching
from app.ui.register_keys import KeyActions, KeyFilter
from app.ui.unsaved import settle_unsaved

# The fields by the names routing.route() and routing.handover() give in their refusals, and their row labels.
ROUTE_LABELS = {"directive": "Ý kiến chỉ đạo", "directed_by": "Lãnh đạo cho ý kiến", "directed_at": "Ngày chỉ đạo",
                "lead": "Đơn vị chủ trì", "deadline": "Thời hạn giải quyết", "assignee": "Người được giao",
                "support": "Đơn vị phối hợp"}
HANDOVER_LABELS = {"unit": "Đơn vị nhận", "signed_by": "Người ký nhận", "at": "Thời điểm nhận"}


class _Dialog(QDialog):
    """The registration dialog's keys (register_keys.KeyFilter, on every widget and suggestion list): Enter moves
    to the next field, Ctrl+Enter saves from anywhere, even with a suggestion list open; Esc closes."""

    completers: dict[str, QCompleter]

    def _watch_keys(self) -> None:
        self.keys = KeyFilter(KeyActions(self.focusNextChild, lambda _close: self.accept(), self.reject),
                              self.completers, list_closed=self._suggestions_closed, parent=self)
        self.keys.watch(self.findChildren(QWidget))

    def _suggestions_closed(self) -> None:
        if self.isVisible():
            # Some platforms leave the closed suggestion list as the active window: keys would go nowhere.
            QTimer.singleShot(0, self.activateWindow)

    def _suggest(self, name: str, edit: QWidget, completer: QCompleter) -> None:
        """Put a suggestion list on the field; its list window gets the dialog's keys too."""
        edit.setCompleter(completer)  # type: ignore[attr-defined]
        self.completers[name] = completer
        if hasattr(self, "keys"):
            self.keys.watch([])

    form: Form

    def unsaved(self) -> list[str]:
        """The labels of what was typed since the dialog opened (a refusal keeps it; closing asks first)."""
        return [self.form.labels.get(name, name) for name in self.form.changed()]

    def reject(self) -> None:
        """Esc, Đóng and the close box: typed content is not dropped without asking Lưu / Bỏ / Quay lại."""
        changed = self.unsaved()
        if changed and not settle_unsaved(self, ", ".join(changed), self._save_asked):
            return
        super().reject()

    def _save_asked(self) -> bool:
        self.accept()
        return self.result() == QDialog.DialogCode.Accepted

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        action = self.keys.action(self, event) if hasattr(self, "keys") else None
        if action is None and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            action = self.focusNextChild  # a plain Enter from a table or box moves on, never saves by surprise
        if action is not None:
            action()
            return
        super().keyPressEvent(event)


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox()
    buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
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


def folded_completer(parent: QWidget, entries: list[str]) -> tuple[QCompleter, QStringListModel]:
    """A suggestion list refilled from a search that ignores marks (the registration form's `matching`), so
    'ke hoach' offers 'Phòng Kế hoạch - Tài chính'; Qt's own prefix filter is off, it would not find it."""
    model = QStringListModel(parent)
    completer = QCompleter(model, parent)
    completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setMaxVisibleItems(12)
    completer.setProperty("entries", [(e, fold(e)) for e in entries])
    return completer, model


def resolve_unit(text: str, names: list[str]) -> str:
    """The unit meant by what was typed: its exact name (marks or not), else the only one containing it; anything
    else is left as typed, for the service to refuse by name."""
    key = fold(text)
    exact = [n for n in names if fold(n) == key]
    if exact or not key:
        return exact[0] if exact else text
    found = matching([(n, fold(n)) for n in names], text, limit=2)
    return found[0] if len(found) == 1 else text


class RouteDialog(_Dialog):
    """Ý kiến chỉ đạo, the lead unit with its deadline and assignee, supporting units each with an optional own
    deadline. Routing again adds a step; the earlier ones stay in the history. Given `correcting` (the current
    step), the dialog opens filled with it and saves a corrected version of that step instead."""

    SUPPORT_NAME, SUPPORT_DEADLINE = 0, 1

    def __init__(self, registry: Registry, record: DocumentRecord, steps: list[RoutingRecord],
                 parent: QWidget | None = None, correcting: RoutingRecord | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.record = record
        self.correcting = correcting
        self.result_step: RoutingRecord | None = None
        self.completers = {}
        if correcting is None:
            self.setWindowTitle(f"Chuyển xử lý — số đến {record.number}/{record.year}")
        else:
            self.setWindowTitle(f"Sửa lần chuyển {correcting.step} — số đến {record.number}/{record.year}")
        self.setMinimumWidth(560)
        departments = [d for d in registry.directory.departments() if d.active]
        self.unit_names = [d.name for d in departments]
        self.people = registry.directory.people()

        count = len({s.step for s in steps})
        if correcting is not None:
            again = (f"<br><i>Sửa lần chuyển {correcting.step} đã ghi sai: bản cũ vẫn giữ trong lịch sử, ghi "
                     "“đã sửa”; đơn vị còn trong lần chuyển giữ ký nhận và tiến độ đã có.</i>")
        else:
            again = (f"<br><i>Đã chuyển {count} lần; lần chuyển này được thêm vào, các lần trước vẫn giữ trong "
                     "lịch sử.</i>") if steps else ""
        intro = QLabel(f"<b>{html.escape(entry_name(record))}</b><br>{html.escape(record.subject)}{again}")
        intro.setWordWrap(True)
        self.form = Form(ROUTE_LABELS)
        self.directive = self.form.text(
            "directive", "Ví dụ: Giao Phòng Nghiệp vụ Y chủ trì, phối hợp Văn phòng tham mưu trả lời.")
        self.directive.setObjectName("route_directive")
        self.directive.setFixedHeight(64)
        previous = correcting or (steps[-1] if steps else None)
        self.directed_by = self.form.line("directed_by")
        self.directed_by.setText(previous.directed_by or "" if previous else "")
        self._suggest("directed_by", self.directed_by, self._completer([p.full_name for p in self.people]))
        self.directed_at = self.form.line("directed_at", "DD/MM/YYYY")
        self.directed_at.setText(format_date(correcting.directed_at if correcting else today()))
        self.directed_at.editingFinished.connect(self._show_default_deadline)
        lead = QComboBox()
        lead.setObjectName("route_lead")
        lead.setEditable(True)
        lead.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        lead.addItems(["", *self.unit_names])
        lead.lineEdit().setPlaceholderText("chọn hoặc gõ, không dấu cũng được, ví dụ: ke hoach")
        completer, self.lead_model = folded_completer(self, self.unit_names)
        self._suggest("lead", lead, completer)
        lead.lineEdit().textEdited.connect(
            lambda text: self.lead_model.setStringList(matching(completer.property("entries"), text)))
        lead.lineEdit().editingFinished.connect(self._resolve_lead)
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
            # Not user-checkable for Qt: a click anywhere on the name (box or text) ticks it, here, once.
            name.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            name.setCheckState(Qt.CheckState.Unchecked)
            self.supports.setItem(row, self.SUPPORT_NAME, name)
            self.supports.setItem(row, self.SUPPORT_DEADLINE, QTableWidgetItem(""))
        self.supports.cellClicked.connect(self._support_clicked)
        self.supports.installEventFilter(self)

        # The support table is no form field (a unit's own deadline is typed in it), but refusals of "support"
        # still go under it.
        rows = _rows(self.form, {**self.form.fields, "support": self.supports})

        lay_out(self, [intro, rows, self.form.general],
                [_buttons(self, "Chuyển (Ctrl+Enter)" if correcting is None else "Ghi bản sửa (Ctrl+Enter)")])
        if not departments:
            self.form.general.setText("Chưa có đơn vị nào: thêm các phòng, ban ở Cài đặt → Phòng ban, cán bộ "
                                      "(Ctrl+,).")
            self.form.general.show()
        if correcting is not None:
            self._fill(correcting)
        elif previous is not None and previous.lead is not None:
            self.lead.setCurrentText(previous.lead.unit)  # routing again usually changes little: start from it
        self._show_default_deadline()
        self._watch_keys()
        self.form.mark_clean()
        self._supports_at_start = self.checked_supports()
        self.directive.setFocus()

    def _fill(self, step: RoutingRecord) -> None:
        """The step being corrected, as it was written: the clerk changes what was wrong."""
        self.directive.setPlainText(step.directive or "")
        lead = step.lead
        if lead is not None:
            self.lead.setCurrentText(lead.unit)
            self.deadline.setText(format_date(lead.deadline) if lead.deadline else "")
            self.assignee.setText(lead.assignee or "")
        for a in step.assignments:
            if a is not lead and a.unit in self.unit_names:
                own = a.deadline if a.deadline and (lead is None or a.deadline != lead.deadline) else None
                self.check_support(a.unit, True, format_date(own) if own else "")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        # Space on a supporting unit ticks it (Qt no longer does: the item is ticked here, see _support_clicked).
        if (watched is self.supports and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_Space and self.supports.currentColumn() == self.SUPPORT_NAME):
            self._support_clicked(self.supports.currentRow(), self.SUPPORT_NAME)
            return True
        return super().eventFilter(watched, event)

    def _support_clicked(self, row: int, column: int) -> None:
        item = self.supports.item(row, self.SUPPORT_NAME)
        if column != self.SUPPORT_NAME or item is None:
            return
        item.setCheckState(Qt.CheckState.Unchecked if item.checkState() is Qt.CheckState.Checked
                           else Qt.CheckState.Checked)

    @staticmethod
    def _completer(words: list[str]) -> QCompleter:
        completer = QCompleter(sorted(set(words)))
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        return completer

    def _resolve_lead(self) -> None:
        """'ke hoach' left in the field becomes 'Phòng Kế hoạch - Tài chính' when only that unit matches."""
        typed = self.lead.currentText()
        found = resolve_unit(typed, self.unit_names)
        if found != typed:
            self.lead.setCurrentText(found)

    def _lead_changed(self, name: str) -> None:
        # The assignee is someone of the lead unit: suggest its people first.
        mine = [p.full_name for p in self.people if p.department_name == name]
        self._suggest("assignee", self.assignee, self._completer(mine or [p.full_name for p in self.people]))

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

    def unsaved(self) -> list[str]:
        changed = super().unsaved()
        return changed + ([ROUTE_LABELS["support"]] if self.checked_supports() != self._supports_at_start else [])

    def checked_supports(self) -> list[str]:
        return [self.supports.item(row, self.SUPPORT_NAME).text() for row in range(self.supports.rowCount())
                if self.supports.item(row, self.SUPPORT_NAME).checkState() is Qt.CheckState.Checked]

    def accept(self) -> None:
        """Route (or correct) through the registry; a refusal keeps everything typed and shows each error at its
        field."""
        self._resolve_lead()
        self.completers["lead"].popup().hide()
        problems: list[FieldError] = []
        values = self.form.values()
        directed_at = _read_date(values["directed_at"], "directed_at", ROUTE_LABELS["directed_at"], problems)
        deadline = _read_date(values["deadline"], "deadline", ROUTE_LABELS["deadline"], problems)
        supports = self.checked_supports()
        own: dict[str, date] = {}
        for row in range(self.supports.rowCount()):
            name = self.supports.item(row, self.SUPPORT_NAME).text()
            if name not in supports:
                continue
            day = _read_date(self.supports.item(row, self.SUPPORT_DEADLINE).text(), "support",
                             ROUTE_LABELS["support"], problems, f"{name}: ")
            if day is not None:
                own[name] = day
        try:
            if problems:
                raise ValidationError(problems)
            args = (values["lead"], supports, deadline, values["directive"], values["directed_by"], directed_at,
                    values["assignee"], own)
            if self.correcting is None:
                self.result_step = self.registry.routing.route(self.record.id, *args)
            else:
                self.result_step = self.registry.routing.correct(self.record.id, self.correcting.step, *args)
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
        self.completers = {}
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
        lay_out(self, [intro, _rows(self.form, dict(self.form.fields)), self.form.general], [buttons])
        if not waiting:
            self.form.general.setText("Mọi đơn vị của lần chuyển này đã ký nhận.")
            self.form.general.show()
        self._watch_keys()  # the name list gets them too: Ctrl+Enter with it open saves at the first press
        self.form.mark_clean()
        self.signed_by.setFocus()

    def _unit_changed(self) -> None:
        name = self.unit.currentData()
        mine = [p.full_name for p in self.people if p.department_name == name]
        completer = QCompleter(sorted(set(mine or [p.full_name for p in self.people])))
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self._suggest("signed_by", self.signed_by, completer)

    def accept(self) -> None:
        self.completers["signed_by"].popup().hide()
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
