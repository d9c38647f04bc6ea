"""RoutingPanel: the "Xử lý" tab of the detail pane: every routing step, each unit's deadline, ký nhận and status."""

from __future__ import annotations

import html
import textwrap
from datetime import UTC

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.access import Permission
from app.core.dates import format_date, today
from app.core.enums import Direction, DocumentStatus
from app.core.errors import VanThuError
from app.core.records import CLOSED_STATUSES, AssignmentRecord, DocumentRecord, RoutingRecord
from app.services import Registry
from app.services.routing import INCOMING_STATUSES, UNIT_STATUSES, days_late
from app.ui.cancel_dialog import ERROR_STYLE, return_focus_on_close
from app.ui.permissions import allow
from app.ui.route_dialog import HandoverDialog, RouteDialog

UNIT_ROLE = Qt.ItemDataRole.UserRole  # the unit's name on rows of the current step (actions apply to them)
STEP_ROLE = Qt.ItemDataRole.UserRole + 1  # on every row: the id of the routing version it belongs to
LATE = QColor("#b00020")
CORRECTED = QColor("#8a8a8a")  # a version a correction replaced: history, greyed
DIRECTIVE_WIDTH = 50  # the directive is broken into lines this long: rows never wrap (see the tree's setup)


def step_title(step: RoutingRecord) -> str:
    """'Lần 2 — 05/11/2026 — Nguyễn Văn A' and the directive on the next lines; a corrected version says
    "đã sửa" with when and by whom, a correction says it is one."""
    head = f"Lần {step.step} — ngày {format_date(step.directed_at)}"
    if step.directed_by:
        head += f" — {step.directed_by}"
    if step.version > 1:
        head += f" (bản sửa {step.version - 1})"
    if step.corrected_at is not None:
        local = step.corrected_at.replace(tzinfo=UTC).astimezone()  # stored in UTC, like every created_at
        head += f"\nđã sửa {local:%H:%M %d/%m/%Y} ({step.corrected_by})"  # a line of its own: a narrow pane
    elif not step.current:
        head += " (đã chuyển lại)"
    if not step.directive:
        return head
    return head + "\n" + textwrap.fill(f"“{step.directive}”", DIRECTIVE_WIDTH, break_long_words=True)


def tip(text: str) -> str:
    """A tooltip that wraps (Qt wraps rich text only), line breaks kept: nothing long is cut at the screen's edge."""
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>"


def unit_text(a: AssignmentRecord) -> str:
    """Three short lines per unit (rows do not wrap): role, name and deadline; status and assignee; ký nhận and
    completion."""
    first = f"{a.role.label}: {a.unit}"
    if a.deadline:
        first += f" — hạn {format_date(a.deadline)}"
    second = a.status.label + (f" · giao {a.assignee}" if a.assignee else "")
    third = f"{a.signed_by} ký nhận {a.received_at:%H:%M %d/%m/%Y}" if a.received_at else "Chưa ký nhận"
    if a.done_at and a.status in CLOSED_STATUSES:
        third += f" · xong {a.done_at:%d/%m/%Y}"
        if a.deadline:
            third += " (trễ hạn)" if a.done_at.date() > a.deadline else " (đúng hạn)"
    return f"{first}\n    {second}\n    {third}"  # indented under the unit's name, so units stand apart


def is_late(a: AssignmentRecord) -> bool:
    return a.deadline is not None and a.status not in CLOSED_STATUSES and a.deadline < today()


class RoutingPanel(QWidget):
    """Shows the steps newest first; routes again, records a ký nhận, or sets a unit's status."""

    changed = Signal(int)  # the document's routing changed (its row and the overdue list must follow)

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.record: DocumentRecord | None = None
        self.steps: list[RoutingRecord] = []
        self.dialog: QDialog | None = None

        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setIndentation(14)
        # Lines are short and never wrapped (a wrapped row was measured too short and lost its last line); what a
        # narrow pane cuts is in the tooltip.
        self.tree.setWordWrap(False)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.setUniformRowHeights(False)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.tree.itemDoubleClicked.connect(lambda _item, _col: self.record_handover())
        self.route_button = QPushButton("Chuyển xử lý… (Ctrl+R)")
        self.route_button.setToolTip("Ghi ý kiến chỉ đạo của lãnh đạo, đơn vị chủ trì, phối hợp và thời hạn")
        self.correct_button = QPushButton("Sửa bước này…")
        self.correct_button.setToolTip("Lần chuyển ghi sai: sửa lại (bản cũ vẫn giữ trong lịch sử, ghi “đã sửa”)")
        self.correct_button.clicked.connect(lambda: self.correct())
        # Reached with Tab from the list, as the other buttons (F2 is already the pane's "edit the fields").
        self.handover_button = QPushButton("Ký nhận…")
        self.handover_button.setToolTip("Ghi đơn vị đã nhận văn bản và người ký nhận (nhấn đúp vào đơn vị)")
        self.status_choice = QComboBox()
        self.status_choice.setObjectName("unit_status")
        self.status_label = QLabel()
        self.status_button = QPushButton("Cập nhật")
        self.file_button = QPushButton("Lưu hồ sơ")
        self.file_button.setToolTip("Đơn vị chủ trì đã xong: ghi văn bản vào hồ sơ")
        self.file_button.clicked.connect(lambda: self.set_status(DocumentStatus.FILED))
        self.route_button.clicked.connect(self.route)
        self.handover_button.clicked.connect(lambda: self.record_handover())
        self.status_button.clicked.connect(lambda: self.set_status())
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()

        top = QHBoxLayout()
        top.addWidget(self.route_button)
        top.addWidget(self.handover_button)
        top.addWidget(self.correct_button)
        top.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label)
        bottom.addWidget(self.status_choice)
        bottom.addWidget(self.status_button)
        bottom.addStretch(1)
        bottom.addWidget(self.file_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.message)

    # showing
    def show_document(self, record: DocumentRecord | None) -> int:
        """Show the entry's routing; returns the number of steps (for the tab title)."""
        self.record = record
        self.message.hide()
        self.tree.clear()
        self.steps = []
        if record is not None and record.direction is Direction.INCOMING:
            try:
                self.steps = self.registry.routing.history(record.id)
            except VanThuError as exc:
                self._say(str(exc))
        if record is None or record.direction is not Direction.INCOMING:
            self._note("Chỉ văn bản đến được chuyển xử lý và theo dõi ở đây.")
        elif not self.steps:
            self._note("Chưa chuyển xử lý.\nGhi ý kiến chỉ đạo của lãnh đạo và chuyển cho đơn vị chủ trì, phối "
                       "hợp: “Chuyển xử lý…” (Ctrl+R).")
        bold = QFont(self.tree.font())
        bold.setBold(True)
        days_off = {h.day for h in self.registry.holidays.list()} if self.steps else set()
        for step in reversed(self.steps):  # the current step on top: that is what the clerk acts on
            node = QTreeWidgetItem([step_title(step)])
            node.setFont(0, bold)
            node.setData(0, STEP_ROLE, step.id)
            node.setToolTip(0, tip(f"{step_title(step)}\nGhi bởi {step.created_by}"))
            grey = step.corrected_at is not None
            if grey:
                node.setForeground(0, QBrush(CORRECTED))
            self.tree.addTopLevelItem(node)
            for a in step.assignments:
                child = QTreeWidgetItem([unit_text(a)])
                child.setData(0, STEP_ROLE, step.id)
                child.setToolTip(0, tip(unit_text(a)))  # a narrow pane cuts the second line
                if step.current:
                    child.setData(0, UNIT_ROLE, a.unit)
                if grey:
                    child.setForeground(0, QBrush(CORRECTED))
                if is_late(a) and step.current and a.deadline is not None:
                    child.setForeground(0, QBrush(LATE))
                    late = days_late(a.deadline, today(), days_off)
                    child.setToolTip(0, tip(f"{unit_text(a)}\nQuá hạn {late} ngày làm việc"))
                node.addChild(child)
            node.setExpanded(step.current)
        self._update_buttons()
        return len(self.steps)

    def _note(self, text: str) -> None:
        item = QTreeWidgetItem([text])
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        self.tree.addTopLevelItem(item)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def selected_unit(self) -> str | None:
        item = self.tree.currentItem()
        value = item.data(0, UNIT_ROLE) if item is not None and item.isSelected() else None
        return str(value) if value is not None else None

    def select_unit(self, unit: str) -> None:
        top = self.tree.topLevelItem(0)
        for i in range(top.childCount() if top else 0):
            if top.child(i).data(0, UNIT_ROLE) == unit:
                self.tree.setCurrentItem(top.child(i))
                return
        raise KeyError(unit)

    def _current(self) -> RoutingRecord | None:
        return self.steps[-1] if self.steps else None

    def selected_step(self) -> RoutingRecord | None:
        """The routing version of the chosen row (a step's title or one of its units), None when none is chosen."""
        item = self.tree.currentItem()
        wanted = item.data(0, STEP_ROLE) if item is not None and item.isSelected() else None
        return next((s for s in self.steps if s.id == wanted), None)

    def _update_buttons(self) -> None:
        r = self.record
        live = r is not None and r.direction is Direction.INCOMING and not r.cancelled
        current = self._current()
        allow(self.route_button, self.registry, Permission.ROUTE, live)
        waiting = current is not None and any(a.received_at is None for a in current.assignments)
        allow(self.handover_button, self.registry, Permission.ROUTE, live and waiting)
        chosen = self.selected_step()
        # Only the current step can be corrected; an older one was already replaced by routing again.
        allow(self.correct_button, self.registry, Permission.ROUTE,
              live and current is not None and (chosen is None or chosen is current))
        unit = self.selected_unit()
        # Routed: the choice is the selected unit's progress. Not routed: the entry's own status.
        choices = UNIT_STATUSES if current is not None else INCOMING_STATUSES
        if [self.status_choice.itemData(i) for i in range(self.status_choice.count())] != list(choices):
            self.status_choice.clear()
            for status in choices:
                self.status_choice.addItem(status.label, status)
        self.status_label.setText("Tiến độ đơn vị:" if current is not None else "Trạng thái:")
        self.status_label.setToolTip("Tiến độ của đơn vị đang chọn trong lần chuyển hiện tại" if current is not None
                                     else "Trạng thái của văn bản chưa chuyển xử lý")
        usable = live and (unit is not None or current is None)
        # A unit's progress needs UNIT_STATUS; the entry's own status (not routed yet) is a routing decision.
        needed = Permission.UNIT_STATUS if current is not None else Permission.ROUTE
        usable = allow(self.status_button, self.registry, needed, usable) and usable
        self.status_choice.setEnabled(usable)
        self.file_button.setVisible(current is not None)
        allow(self.file_button, self.registry, Permission.ROUTE, live and r is not None
              and r.status in CLOSED_STATUSES and r.status is not DocumentStatus.FILED)
        if current is None and r is not None and self.status_choice.findData(r.status) >= 0:
            self.status_choice.setCurrentIndex(self.status_choice.findData(r.status))
        if current is not None and unit is not None:
            status = next((a.status for a in current.assignments if a.unit == unit), None)
            if status is not None and self.status_choice.findData(status) >= 0:
                self.status_choice.setCurrentIndex(self.status_choice.findData(status))

    # actions (dialogs are window-modal and non-blocking; self.dialog is the open one)
    def route(self) -> RouteDialog | None:
        if self.record is None or not self.route_button.isEnabled():
            return None
        dialog = RouteDialog(self.registry, self.record, self.steps, self)
        self._open(dialog)
        return dialog

    def correct(self) -> RouteDialog | None:
        """The routing dialog filled with the current step; saving writes a corrected version of it."""
        current = self._current()
        if self.record is None or current is None or not self.correct_button.isEnabled():
            if current is not None and self.selected_step() not in (None, current):
                self._say(f"Chỉ sửa được lần chuyển hiện tại (lần {current.step}): lần chuyển đang chọn đã được "
                          "thay bằng lần chuyển sau.")
            return None
        dialog = RouteDialog(self.registry, self.record, self.steps, self, correcting=current)
        self._open(dialog)
        return dialog

    def record_handover(self, unit: str | None = None) -> HandoverDialog | None:
        current = self._current()
        if self.record is None or current is None or not self.handover_button.isEnabled():
            return None
        dialog = HandoverDialog(self.registry, self.record, list(current.assignments),
                                unit or self.selected_unit(), self)
        self._open(dialog)
        return dialog

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.accepted.connect(self._after_change)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        return_focus_on_close(dialog)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def set_status(self, status: DocumentStatus | None = None) -> bool:
        """The selected unit's progress; the entry's own status when it is not routed, or when filing it."""
        unit = self.selected_unit()
        chosen = status or self.status_choice.currentData()
        own = not self.steps or chosen is DocumentStatus.FILED and status is not None
        if self.record is None or (unit is None and not own):
            return False
        try:
            if own:
                self.registry.routing.set_document_status(self.record.id, chosen)
            else:
                self.registry.routing.set_unit_status(self.record.id, unit, chosen)
        except VanThuError as exc:
            self._say(str(exc))
            return False
        self._after_change()
        return True

    def _after_change(self) -> None:
        if self.record is not None:
            self.changed.emit(self.record.id)
