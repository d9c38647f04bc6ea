"""The deadlines settings page: deadline rules (working days by type and urgency) and each year's holidays."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core.dates import format_date, today
from app.core.enums import Family, Urgency
from app.core.errors import VanThuError
from app.core.records import DeadlineRuleRecord, HolidayRecord
from app.core.text import fold
from app.services import Registry
from app.ui.form import Form
from app.ui.settings.widgets import (
    add_row,
    button,
    date_edit,
    fill,
    hint,
    reselect,
    select_data,
    selected_id,
    table,
    to_date,
)
from app.ui.unsaved import Snapshot, settle_unsaved

ANY_TYPE, ANY_URGENCY = "(mọi loại)", "(mọi độ khẩn)"
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
PROVISIONAL = QColor("#9a5b00")  # a day still 'dự kiến' stands out until the Government's notice confirms it


class DeadlinesPage(QWidget):
    """The deadline rules (working days by type and urgency) and the holiday table of a chosen year.

    Neither changes a deadline already given: the units were told it; only routings made afterwards follow."""

    def __init__(self, registry: Registry) -> None:
        super().__init__()
        self.registry = registry
        # One form per group: the names of deadline_rules.save's and holidays.add's refusals.
        self.rule_form, self.holiday_form = Form(), Form()
        self.editing: int | None = None

        self.rules = table(["Loại văn bản", "Độ khẩn", "Số ngày làm việc"])
        self.rules.itemSelectionChanged.connect(self._pick)
        self.doc_type = QComboBox()
        self.doc_type.setEditable(True)  # the list is long: typing the first letters is quicker
        self.doc_type.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.rule_form.bind("doc_type", self.doc_type)  # once editable, so typing clears its refusal
        self.urgency = self.rule_form.choice("urgency", [(ANY_URGENCY, None), *((u.label, u.value) for u in Urgency)])
        self.working_days = QSpinBox()
        self.working_days.setRange(0, 365)
        self.working_days.setValue(10)
        self.working_days.setSpecialValueText("0 (trong ngày)")
        rule_rows = QFormLayout()
        add_row(rule_rows, "Loại &văn bản:", self.rule_form, self.doc_type, "doc_type")
        add_row(rule_rows, "Độ &khẩn:", self.rule_form, self.urgency, "urgency")
        add_row(rule_rows, "&Số ngày làm việc:", self.rule_form, self.working_days, "working_days")
        self.doc_type.lineEdit().returnPressed.connect(self.save_rule)
        self.working_days.lineEdit().returnPressed.connect(self.save_rule)
        self.rule_snapshot = Snapshot({"Loại văn bản": self.doc_type, "Độ khẩn": self.urgency,
                                       "Số ngày làm việc": self.working_days})
        self.new_rule_button = button("Quy định &mới", self.start_new_rule)
        self.save_rule_button = button("&Lưu quy định", self.save_rule)
        self.remove_rule_button = button("&Xóa quy định đang chọn", self.remove_rule)
        self.rule_mode = QLabel()
        self.rule_mode.setWordWrap(True)

        self.year = QSpinBox()
        self.year.setRange(1990, 2100)
        self.year.setValue(today().year)
        self.year.valueChanged.connect(self.load_holidays)
        self.holidays = table(["Ngày", "Thứ", "Tên ngày nghỉ", "Ghi chú"])
        self.holidays.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.holidays.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.day = date_edit()
        self.holiday_name = self.holiday_form.line("name", "ví dụ Nghỉ bù Quốc khánh")
        self.holiday_name.returnPressed.connect(self.add_holiday)
        holiday_rows = QFormLayout()
        add_row(holiday_rows, "Ngà&y nghỉ:", self.holiday_form, self.day, "day")
        add_row(holiday_rows, "Tên ngày ng&hỉ:", self.holiday_form, self.holiday_name, "name")
        self.add_holiday_button = button("Thêm ngày nghỉ", self.add_holiday)
        self.remove_holiday_button = button("Bỏ ngày nghỉ đang &chọn", self.remove_holiday)
        year_row = QHBoxLayout()
        year_label = QLabel("&Năm:")
        year_label.setBuddy(self.year)
        year_row.addWidget(year_label)
        year_row.addWidget(self.year)
        self.holiday_count = QLabel()
        year_row.addWidget(self.holiday_count, 1)

        layout = QVBoxLayout(self)
        groups = QHBoxLayout()
        groups.addWidget(self._rules_group(rule_rows), 1)
        groups.addWidget(self._holidays_group(year_row, holiday_rows), 1)
        layout.addLayout(groups, 1)
        layout.addWidget(hint("Sửa quy định hay bảng ngày nghỉ không làm thay đổi thời hạn đã giao cho các "
                              "đơn vị; chỉ những lần chuyển từ nay mới tính theo quy định mới."))
        self.load()

    def _rules_group(self, rule_rows: QFormLayout) -> QGroupBox:
        group = QGroupBox("Thời hạn giải quyết văn bản đến")
        column = QVBoxLayout(group)
        column.addWidget(hint("Tính theo ngày làm việc từ ngày lãnh đạo cho ý kiến chỉ đạo. Quy định ghi cả "
                              "loại và độ khẩn được dùng trước, rồi đến quy định theo độ khẩn, theo loại, "
                              "cuối cùng là quy định chung."))
        column.addWidget(self.rules, 1)
        column.addLayout(rule_rows)
        column.addWidget(self.rule_form.general)
        row = QHBoxLayout()
        for push in (self.new_rule_button, self.save_rule_button, self.remove_rule_button):
            row.addWidget(push)
        row.addStretch(1)
        column.addLayout(row)
        column.addWidget(self.rule_mode)
        return group

    def _holidays_group(self, year_row: QHBoxLayout, holiday_rows: QFormLayout) -> QGroupBox:
        group = QGroupBox("Ngày nghỉ lễ, Tết (ngoài thứ Bảy, Chủ nhật)")
        column = QVBoxLayout(group)
        column.addLayout(year_row)
        column.addWidget(self.holidays, 1)
        column.addLayout(holiday_rows)
        column.addWidget(self.holiday_form.general)
        row = QHBoxLayout()
        row.addWidget(self.add_holiday_button)
        row.addWidget(self.remove_holiday_button)
        row.addStretch(1)
        column.addLayout(row)
        column.addWidget(hint("Ngày ghi \"dự kiến\" cần đối chiếu với thông báo nghỉ Tết, Quốc khánh của "
                              "Chính phủ từng năm."))
        return group

    def load(self) -> None:
        self.load_types()
        self.load_rules()
        self.load_holidays()

    # deadline rules
    def load_types(self) -> None:
        """The agency's own types first, then the other family's (incoming documents come from both)."""
        typed = self.doc_type.currentText()
        names: list[str] = []
        own = self.registry.settings.agency().family
        for family in (own, *(f for f in Family if f is not own)):
            for t in self.registry.types.list(family):
                if fold(t.name) not in {fold(n) for n in names}:
                    names.append(t.name)
        self.doc_type.blockSignals(True)
        self.doc_type.clear()
        self.doc_type.addItem(ANY_TYPE)
        self.doc_type.addItems(names)
        self.doc_type.setEditText(typed or ANY_TYPE)
        self.doc_type.blockSignals(False)

    def load_rules(self) -> None:
        self.rule_records = {r.id: r for r in self.registry.deadline_rules.list()}
        self.rules.blockSignals(True)
        fill(self.rules, [(r.id, self._rule_cells(r)) for r in self.rule_records.values()])
        self.rules.blockSignals(False)
        self.start_new_rule()

    @staticmethod
    def _rule_cells(r: DeadlineRuleRecord) -> tuple[str, ...]:
        days = "0 (trong ngày)" if r.working_days == 0 else str(r.working_days)
        return (r.doc_type or ANY_TYPE, r.urgency.label if r.urgency else ANY_URGENCY, days)

    def start_new_rule(self) -> None:
        self.editing = None
        self.rules.clearSelection()
        self.doc_type.setEditText(ANY_TYPE)
        self.urgency.setCurrentIndex(0)
        self.working_days.setValue(10)
        self.rule_form.clear()
        self.rule_snapshot.take()
        self.rule_mode.setText("Thêm quy định mới.")

    def unsaved(self) -> list[str]:
        """What closing the settings would lose: a rule typed and not saved, a holiday named and not added."""
        lines = []
        if changed := self.rule_snapshot.changed():
            lines.append(f"Thời hạn, {'quy định đang sửa' if self.editing else 'quy định mới'}: {', '.join(changed)}")
        if self.holiday_name.text().strip():
            lines.append(f"Ngày nghỉ chưa thêm: {self.holiday_name.text().strip()}")
        return lines

    def save_unsaved(self) -> bool:
        """Lưu for the question: the rule, then the holiday, each only if typed; False at the first refusal."""
        if self.rule_snapshot.is_dirty() and not self.save_rule():
            return False
        return not self.holiday_name.text().strip() or self.add_holiday()

    def _pick(self) -> None:
        record = self.rule_records.get(selected_id(self.rules) or -1) if self.rules.selectedItems() else None
        if record is None or record.id == self.editing:
            return
        if self.rule_snapshot.is_dirty() and not settle_unsaved(self, self.unsaved()[:1], self.save_rule,
                                                                "chọn quy định khác"):
            reselect(self.rules, self.editing)  # Quay lại, or the save refused: stay on what was being typed
            return
        record = self.rule_records.get(record.id)  # after Lưu the list was reloaded
        if record is None:
            return
        reselect(self.rules, record.id)
        self.editing = record.id
        self.doc_type.setEditText(record.doc_type or ANY_TYPE)
        select_data(self.urgency, record.urgency.value if record.urgency else None)
        self.working_days.setValue(record.working_days)
        self.rule_form.clear()
        self.rule_snapshot.take()
        self.rule_mode.setText(f"Đang sửa quy định: {self._rule_cells(record)[0]}, {self._rule_cells(record)[1]}.")

    def _typed_type(self) -> str | None:
        text = self.doc_type.currentText().strip()
        return None if text in ("", ANY_TYPE) else text

    def save_rule(self) -> bool:
        """Add or edit the rule; a refusal is shown under its field. True once saved."""
        self.rule_form.clear()
        try:
            saved = self.registry.deadline_rules.save(self._typed_type(), self.urgency.currentData(),
                                                      self.working_days.value(), self.editing)
        except VanThuError as exc:
            self.rule_form.show(exc)
            return False
        self.load_rules()
        cells = self._rule_cells(saved)
        self.rule_mode.setText(f"Đã lưu: {cells[0]}, {cells[1]}: {saved.working_days} ngày làm việc.")
        return True

    def remove_rule(self) -> None:
        record = self.rule_records.get(selected_id(self.rules) or -1) if self.rules.selectedItems() else None
        if record is None:
            self.rule_form.show(VanThuError("Chọn một quy định trong bảng để xóa."))
            return
        try:
            self.registry.deadline_rules.remove(record.id)
        except VanThuError as exc:
            self.rule_form.show(exc)
            return
        self.load_rules()
        cells = self._rule_cells(record)
        self.rule_mode.setText(f"Đã xóa quy định: {cells[0]}, {cells[1]}.")

    # holidays
    def load_holidays(self) -> None:
        year = self.year.value()
        found = self.registry.holidays.list(year)
        self.holiday_records = {h.id: h for h in found}
        fill(self.holidays, [(h.id, self._holiday_cells(h)) for h in found])
        for r, h in enumerate(found):
            if self._provisional(h):
                for c in range(self.holidays.columnCount()):
                    self.holidays.item(r, c).setForeground(QBrush(PROVISIONAL))
        provisional = sum(self._provisional(h) for h in found)
        self.holiday_count.setText(f"{len(found)} ngày nghỉ" + (f", {provisional} ngày dự kiến" if provisional
                                                                 else ""))
        if self.day.date().year() != year:
            self.day.setDate(QDate(year, 1, 1))

    @staticmethod
    def _provisional(h: HolidayRecord) -> bool:
        return "du kien" in fold(h.name)

    def _holiday_cells(self, h: HolidayRecord) -> tuple[str, ...]:
        return (format_date(h.day), WEEKDAYS[h.day.weekday()], h.name, "Dự kiến" if self._provisional(h) else "")

    def add_holiday(self) -> bool:
        """Add the day; a refusal is shown under its field. True once added."""
        self.holiday_form.clear()
        try:
            added = self.registry.holidays.add(to_date(self.day.date()), self.holiday_name.text())
        except VanThuError as exc:
            self.holiday_form.show(exc)
            return False
        self.holiday_name.clear()
        if self.year.value() != added.day.year:
            self.year.setValue(added.day.year)  # loads that year through valueChanged
        else:
            self.load_holidays()
        self._select_holiday(added.id)
        self.holiday_name.setFocus()
        return True

    def _select_holiday(self, holiday_id: int) -> None:
        for r in range(self.holidays.rowCount()):
            if self.holidays.item(r, 0).data(Qt.ItemDataRole.UserRole) == holiday_id:
                self.holidays.selectRow(r)

    def remove_holiday(self) -> None:
        self.holiday_form.clear()
        record = self.holiday_records.get(selected_id(self.holidays) or -1) \
            if self.holidays.selectedItems() else None
        if record is None:
            self.holiday_form.show(VanThuError("Chọn một ngày nghỉ trong bảng để bỏ."))
            return
        try:
            self.registry.holidays.remove(record.day)
        except VanThuError as exc:
            self.holiday_form.show(exc)
            return
        self.load_holidays()
