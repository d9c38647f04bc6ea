"""Settings dialog: the agency, its departments and staff, its register books, document types, deadlines, holidays."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.dates import format_date, today
from app.core.enums import BookCategory, Direction, Family, NumberingPeriod, NumberingScope, Urgency
from app.core.errors import ValidationError, VanThuError
from app.core.records import BookRecord, DeadlineRuleRecord, HolidayRecord
from app.core.text import fold
from app.services import Registry

E = TypeVar("E", bound=StrEnum)
_ERROR_STYLE = "color: #b00020;"
_PERIOD_LABELS = {NumberingPeriod.CALENDAR_YEAR: "Năm", NumberingPeriod.TERM: "Nhiệm kỳ"}
_SCOPE_LABELS = {NumberingScope.SINGLE: "Một dãy chung", NumberingScope.PER_TYPE: "Mỗi loại một dãy"}
_ANY_TYPE, _ANY_URGENCY = "(mọi loại)", "(mọi độ khẩn)"
_WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
_PROVISIONAL = QColor("#9a5b00")  # a day still 'dự kiến' stands out until the Government's notice confirms it


class FieldErrors:
    """Red messages under the fields a ValidationError names; the others go to one general line."""

    def __init__(self) -> None:
        self.labels: dict[str, QLabel] = {}
        self.general = self._label()

    @staticmethod
    def _label() -> QLabel:
        label = QLabel()
        label.setStyleSheet(_ERROR_STYLE)
        label.setWordWrap(True)
        label.setVisible(False)
        return label

    def label_for(self, field: str) -> QLabel:
        return self.labels.setdefault(field, self._label())

    def clear(self) -> None:
        for label in (*self.labels.values(), self.general):
            label.clear()
            label.setVisible(False)

    def show(self, error: VanThuError) -> None:
        self.clear()
        items = error.errors if isinstance(error, ValidationError) else []
        general = [] if items else [str(error)]
        for item in items:
            label = self.labels.get(item.field)
            if label is None:
                general.append(str(item))
            else:
                label.setText(f"{label.text()}\n{item.message}".strip())
                label.setVisible(True)
        if general:
            self.general.setText("\n".join(general))
            self.general.setVisible(True)


def _button(text: str, slot: Callable[[], Any]) -> QPushButton:
    button = QPushButton(text)
    button.setAutoDefault(False)  # Enter in a field runs that form's action, never a stray button
    button.clicked.connect(slot)
    return button


def _combo(items: Sequence[tuple[str, object]]) -> QComboBox:
    combo = QComboBox()
    for text, data in items:
        combo.addItem(text, data)
    return combo


def _chosen(combo: QComboBox, kind: type[E]) -> E | None:
    """The enum member a combo holds (Qt hands back a StrEnum item's data as a plain str)."""
    value = combo.currentData()
    return None if value is None else kind(value)


def _select_data(combo: QComboBox, data: object) -> None:
    index = combo.findData(data)
    combo.setCurrentIndex(max(index, 0))


def _add_row(form: QFormLayout, text: str, widget: QWidget, errors: FieldErrors, *fields: str) -> None:
    """A labelled row whose label's mnemonic (&) focuses the widget, with the fields' error lines under it."""
    label = QLabel(text)
    label.setBuddy(widget)
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    column.addWidget(widget)
    for field in fields:
        column.addWidget(errors.label_for(field))
    form.addRow(label, box)


def _table(headers: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setTabKeyNavigation(False)  # Tab leaves the table for the form, as a clerk expects
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the name column takes the room
    return table


def _fill(table: QTableWidget, rows: Sequence[tuple[int, Sequence[str]]]) -> None:
    """Replace the table's rows; each row's id is kept on its first cell."""
    table.setRowCount(len(rows))
    for r, (row_id, values) in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            item.setData(Qt.ItemDataRole.UserRole, row_id)
            table.setItem(r, c, item)


def _selected_id(table: QTableWidget) -> int | None:
    item = table.item(table.currentRow(), 0) if table.currentRow() >= 0 else None
    return item.data(Qt.ItemDataRole.UserRole) if item is not None else None


def _to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _yes(active: bool) -> str:
    return "Có" if active else "Không"


class AgencyPage(QWidget):
    """Tên cơ quan, chữ viết tắt, cơ quan chủ quản, khối and địa danh, saved through registry.settings.set."""

    TEXT_KEYS = ("agency.name", "agency.abbreviation", "agency.parent", "agency.place")

    def __init__(self, registry: Registry, on_saved: Callable[[], None]) -> None:
        super().__init__()
        self.registry, self.on_saved = registry, on_saved
        self.errors = FieldErrors()
        self.fields = {key: QLineEdit() for key in self.TEXT_KEYS}
        self.fields["agency.abbreviation"].setPlaceholderText("ví dụ SYT, UBND, TU")
        self.fields["agency.place"].setPlaceholderText("ví dụ Tây Ninh")
        self.family = _combo([(f.label, f.value) for f in Family])
        form = QFormLayout()
        _add_row(form, "&Tên cơ quan:", self.fields["agency.name"], self.errors, "agency.name")
        _add_row(form, "Chữ &viết tắt:", self.fields["agency.abbreviation"], self.errors, "agency.abbreviation")
        _add_row(form, "Cơ quan &chủ quản:", self.fields["agency.parent"], self.errors, "agency.parent")
        _add_row(form, "&Khối:", self.family, self.errors, "agency.family")
        _add_row(form, "Địa &danh:", self.fields["agency.place"], self.errors, "agency.place")
        for edit in self.fields.values():
            edit.returnPressed.connect(self.save)
        self.save_button = _button("&Lưu thông tin cơ quan", self.save)
        self.status = QLabel()
        hint = QLabel("Đổi khối (Nhà nước/Đảng) thì lần vào sổ tiếp theo mở sổ mới đánh số theo khối đó.")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.errors.general)
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addWidget(self.status, 1)
        layout.addLayout(row)
        layout.addStretch(1)
        self.load()

    def load(self) -> None:
        self.stored = self.registry.settings.all()
        for key, edit in self.fields.items():
            edit.setText(self.stored.get(key, ""))
        _select_data(self.family, self.stored.get("agency.family", Family.STATE.value))

    def values(self) -> dict[str, str]:
        values = {key: edit.text() for key, edit in self.fields.items()}
        values["agency.family"] = str(self.family.currentData())
        return values

    def save(self) -> None:
        """Save the changed settings one by one; each refusal is shown under its own field."""
        self.errors.clear()
        refused: list[Any] = []
        saved = 0
        for key, value in self.values().items():
            if value == self.stored.get(key, ""):
                continue
            try:
                stored = self.registry.settings.set(key, value)
            except ValidationError as exc:
                refused.extend(exc.errors)
                continue
            self.stored[key] = stored
            if key in self.fields:
                self.fields[key].setText(stored)
            saved += 1
        if refused:
            self.errors.show(ValidationError(refused))
        self.status.setText(f"Đã lưu {saved} mục." if saved else ("" if refused else "Không có gì thay đổi."))
        if saved:
            self.on_saved()


class PeoplePage(QWidget):
    """The agency's departments (with codes) and staff (with titles and departments)."""

    def __init__(self, registry: Registry) -> None:
        super().__init__()
        self.registry = registry
        self.department_errors, self.person_errors = FieldErrors(), FieldErrors()
        self.departments = _table(["Tên đơn vị", "Mã", "Đang dùng"])
        self.department_name, self.department_code = QLineEdit(), QLineEdit()
        self.department_code.setPlaceholderText("ví dụ VP, TCCB")
        for edit in (self.department_name, self.department_code):
            edit.returnPressed.connect(self.add_department)
        department_form = QFormLayout()
        _add_row(department_form, "Tên đơn &vị:", self.department_name, self.department_errors, "name")
        _add_row(department_form, "&Mã đơn vị:", self.department_code, self.department_errors, "code")
        self.add_department_button = _button("Thêm đơn vị", self.add_department)
        self.toggle_department_button = _button("Ngừng dùng / dùng &lại đơn vị đang chọn", self.toggle_department)

        self.people = _table(["Họ và tên", "Chức vụ", "Đơn vị", "Đang dùng"])
        self.person_name, self.person_title = QLineEdit(), QLineEdit()
        self.person_department = QComboBox()
        for edit in (self.person_name, self.person_title):
            edit.returnPressed.connect(self.add_person)
        person_form = QFormLayout()
        _add_row(person_form, "&Họ và tên:", self.person_name, self.person_errors, "full_name")
        _add_row(person_form, "&Chức vụ:", self.person_title, self.person_errors, "title")
        _add_row(person_form, "Thuộc đơ&n vị:", self.person_department, self.person_errors, "department")
        self.add_person_button = _button("Thêm cán bộ", self.add_person)
        self.toggle_person_button = _button("Ngừng &dùng / dùng lại cán bộ đang chọn", self.toggle_person)

        layout = QHBoxLayout(self)
        for title, table, form, errors, buttons in (
                ("Phòng ban, đơn vị", self.departments, department_form, self.department_errors,
                 (self.add_department_button, self.toggle_department_button)),
                ("Cán bộ", self.people, person_form, self.person_errors,
                 (self.add_person_button, self.toggle_person_button))):
            group = QGroupBox(title)
            column = QVBoxLayout(group)
            column.addWidget(table, 1)
            column.addLayout(form)
            column.addWidget(errors.general)
            row = QHBoxLayout()
            for button in buttons:
                row.addWidget(button)
            row.addStretch(1)
            column.addLayout(row)
            layout.addWidget(group)
        self.load()

    def load(self) -> None:
        departments = self.registry.directory.departments(include_inactive=True)
        self.department_records = {d.id: d for d in departments}
        _fill(self.departments, [(d.id, (d.name, d.code or "", _yes(d.active))) for d in departments])
        chosen = self.person_department.currentData()
        self.person_department.clear()
        self.person_department.addItem("(không thuộc đơn vị nào)", None)
        for d in departments:
            if d.active:
                self.person_department.addItem(d.name, d.id)
        _select_data(self.person_department, chosen)
        people = self.registry.directory.people(include_inactive=True)
        self.person_records = {p.id: p for p in people}
        _fill(self.people, [(p.id, (p.full_name, p.title or "", p.department_name or "", _yes(p.active)))
                            for p in people])

    def _run(self, errors: FieldErrors, action: Callable[[], object]) -> bool:
        errors.clear()
        try:
            action()
        except VanThuError as exc:
            errors.show(exc)
            return False
        self.load()
        return True

    def add_department(self) -> None:
        if self._run(self.department_errors, lambda: self.registry.directory.add_department(
                self.department_name.text(), self.department_code.text() or None)):
            self.department_name.clear()
            self.department_code.clear()
            self.department_name.setFocus()

    def toggle_department(self) -> None:
        record = self.department_records.get(_selected_id(self.departments) or -1)
        if record is not None:
            self._run(self.department_errors, lambda: self.registry.directory.update_department(
                record.id, record.name, record.code, not record.active))

    def add_person(self) -> None:
        if self._run(self.person_errors, lambda: self.registry.directory.add_person(
                self.person_name.text(), self.person_title.text() or None, self.person_department.currentData())):
            self.person_name.clear()
            self.person_title.clear()
            self.person_name.setFocus()

    def toggle_person(self) -> None:
        record = self.person_records.get(_selected_id(self.people) or -1)
        if record is not None:
            self._run(self.person_errors, lambda: self.registry.directory.update_person(
                record.id, record.full_name, record.title, record.department_id, not record.active))


class BooksPage(QWidget):
    """The register books and how each numbers, and a form to open a new book (quyển mới, sổ nhiệm kỳ)."""

    HEADERS = ("Tên sổ", "Loại văn bản", "Độ mật", "Khối", "Đánh số theo", "Dãy số", "Nhiệm kỳ", "Quyển số",
               "Trạng thái")

    def __init__(self, registry: Registry) -> None:
        super().__init__()
        self.registry = registry
        self.errors = FieldErrors()
        self.table = _table(self.HEADERS)
        self.close_button = _button("Đóng sổ đang &chọn", self.close_selected)
        self.direction = _combo([(d.label, d) for d in Direction])
        self.category = _combo([(c.label, c) for c in BookCategory])
        self.family = _combo([(f.label, f) for f in Family])
        self.period = _combo([(label, p) for p, label in _PERIOD_LABELS.items()])
        self.scope = _combo([("Theo mặc định của khối", None), *((label, s) for s, label in _SCOPE_LABELS.items())])
        self.term_start, self.term_end = self._date_edit(), self._date_edit()
        self.name = QLineEdit()
        self.name.setPlaceholderText("để trống: tên mặc định, ví dụ Sổ đăng ký văn bản đi")
        self.name.returnPressed.connect(self.open_book)
        self.book_number = QSpinBox()
        self.book_number.setRange(1, 999)
        self.period.currentIndexChanged.connect(self._period_changed)
        form = QFormLayout()
        _add_row(form, "&Loại văn bản:", self.direction, self.errors, "direction")
        _add_row(form, "Độ mậ&t:", self.category, self.errors, "category")
        _add_row(form, "&Khối:", self.family, self.errors, "family")
        _add_row(form, "Đánh số t&heo:", self.period, self.errors, "period")
        _add_row(form, "Nh&iệm kỳ từ ngày:", self.term_start, self.errors)
        _add_row(form, "Nhiệm kỳ đến ngà&y:", self.term_end, self.errors, "term")
        _add_row(form, "&Dãy số:", self.scope, self.errors, "scope")
        _add_row(form, "Tê&n sổ:", self.name, self.errors, "name")
        _add_row(form, "Quyển &số:", self.book_number, self.errors, "book_number")
        self.open_button = _button("&Mở sổ mới", self.open_book)
        hint = QLabel("Mở sổ mới thì sổ đang mở cùng loại được đóng lại; số thứ tự vẫn nối tiếp trong năm "
                      "(hoặc nhiệm kỳ). Chỉ sổ văn bản đi của cơ quan Đảng mới đánh số theo nhiệm kỳ.")
        hint.setWordWrap(True)
        group = QGroupBox("Mở sổ mới")
        column = QVBoxLayout(group)
        column.addLayout(form)
        column.addWidget(hint)
        column.addWidget(self.errors.general)
        column.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(group)
        self.load()

    @staticmethod
    def _date_edit() -> QDateEdit:
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setDate(QDate.currentDate())
        return edit

    def _period_changed(self) -> None:
        term = _chosen(self.period, NumberingPeriod) is NumberingPeriod.TERM
        self.term_start.setEnabled(term)
        self.term_end.setEnabled(term)

    def load(self) -> None:
        _select_data(self.family, self.registry.settings.agency().family)
        self._period_changed()
        self.records = {b.id: b for b in self.registry.books.list()}
        _fill(self.table, [(b.id, self._cells(b)) for b in self.records.values()])

    @staticmethod
    def _cells(b: BookRecord) -> tuple[str, ...]:
        term = f"{format_date(b.term_start)} – {format_date(b.term_end)}" if b.term_start and b.term_end else ""
        return (b.name, b.direction.label, b.category.label, b.family.label, _PERIOD_LABELS[b.period],
                _SCOPE_LABELS[b.scope], term, str(b.book_number), "Đã đóng" if b.closed else "Đang mở")

    def open_book(self) -> None:
        self.errors.clear()
        term = _chosen(self.period, NumberingPeriod) is NumberingPeriod.TERM
        start = _to_date(self.term_start.date()) if term else None
        end = _to_date(self.term_end.date()) if term else None
        try:
            direction, category = _chosen(self.direction, Direction), _chosen(self.category, BookCategory)
            assert direction is not None and category is not None
            self.registry.books.add(direction, category, _chosen(self.scope, NumberingScope), self.name.text() or None,
                                   start, end, self.book_number.value(), _chosen(self.family, Family))
        except VanThuError as exc:
            self.errors.show(exc)
            return
        self.name.clear()
        self.load()

    def close_selected(self) -> None:
        book = self.records.get(_selected_id(self.table) or -1)
        if book is None or book.closed:
            return
        answer = QMessageBox.question(self, "Đóng sổ", (
            f"Đóng {book.name} (quyển số {book.book_number})? Lần vào sổ tiếp theo của loại này sẽ mở sổ mới "
            "theo cách đánh số mặc định."))
        if answer == QMessageBox.StandardButton.Yes:
            try:
                self.registry.books.close(book.id)
            except VanThuError as exc:
                self.errors.show(exc)
            self.load()


class DocumentTypesPage(QWidget):
    """The family's document types (tên loại, chữ viết tắt, đang dùng): pick a row to edit it, or add one."""

    def __init__(self, registry: Registry) -> None:
        super().__init__()
        self.registry = registry
        self.errors = FieldErrors()
        self.editing: int | None = None
        self.family = _combo([(f"Khối {f.label}", f) for f in Family])
        self.family.currentIndexChanged.connect(self.load)
        self.table = _table(["Tên loại", "Viết tắt", "Đang dùng"])
        self.table.itemSelectionChanged.connect(self._pick)
        self.name, self.abbreviation = QLineEdit(), QLineEdit()
        self.abbreviation.setPlaceholderText("ví dụ QĐ, QyĐ, CTr; để trống: ghi ký hiệu như công văn")
        self.active = QCheckBox("Đang &dùng")
        self.active.setChecked(True)
        for edit in (self.name, self.abbreviation):
            edit.returnPressed.connect(self.save)
        self.mode = QLabel()
        form = QFormLayout()
        _add_row(form, "&Tên loại:", self.name, self.errors, "name")
        _add_row(form, "Chữ &viết tắt:", self.abbreviation, self.errors, "abbreviation")
        form.addRow("", self.active)
        self.new_button = _button("Loại &mới", self.start_new)
        self.save_button = _button("&Lưu loại văn bản", self.save)
        top = QHBoxLayout()
        family_label = QLabel("Danh mục &của:")
        family_label.setBuddy(self.family)
        top.addWidget(family_label)
        top.addWidget(self.family)
        top.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.mode, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.errors.general)
        layout.addLayout(buttons)
        self.reset_family()

    def reset_family(self) -> None:
        """Show the agency's own family (after the agency's khối changed, too)."""
        family = self.registry.settings.agency().family
        if _chosen(self.family, Family) is family:
            self.load()
        else:
            _select_data(self.family, family)  # loads through currentIndexChanged

    def load(self) -> None:
        self.records = {t.id: t for t in self.registry.types.list(_chosen(self.family, Family),
                                                                       include_inactive=True)}
        self.table.blockSignals(True)
        _fill(self.table, [(t.id, (t.name, t.abbreviation or "—", _yes(t.active))) for t in self.records.values()])
        self.table.blockSignals(False)
        self.start_new()

    def start_new(self) -> None:
        self.editing = None
        self.table.clearSelection()
        self.name.clear()
        self.abbreviation.clear()
        self.active.setChecked(True)
        self.errors.clear()
        self.mode.setText("Thêm loại mới vào danh mục.")

    def _pick(self) -> None:
        record = self.records.get(_selected_id(self.table) or -1) if self.table.selectedItems() else None
        if record is None:
            return
        self.editing = record.id
        self.name.setText(record.name)
        self.abbreviation.setText(record.abbreviation or "")
        self.active.setChecked(record.active)
        self.errors.clear()
        self.mode.setText(f"Đang sửa: {record.name}. Chữ viết tắt mới chỉ áp dụng cho số cấp từ nay.")

    def save(self) -> None:
        self.errors.clear()
        try:
            saved = self.registry.types.save(self.name.text(), self.abbreviation.text() or None,
                                                     self.active.isChecked(), self.editing,
                                                     _chosen(self.family, Family))
        except VanThuError as exc:
            self.errors.show(exc)
            return
        self.load()
        self.mode.setText(f"Đã lưu: {saved.name} ({saved.abbreviation or 'không có chữ viết tắt'}).")
        self.name.setFocus()


class DeadlinesPage(QWidget):
    """The deadline rules (working days by type and urgency) and the holiday table of a chosen year.

    Neither changes a deadline already given: the units were told it; only routings made afterwards follow."""

    def __init__(self, registry: Registry) -> None:
        super().__init__()
        self.registry = registry
        self.rule_errors, self.holiday_errors = FieldErrors(), FieldErrors()
        self.editing: int | None = None

        self.rules = _table(["Loại văn bản", "Độ khẩn", "Số ngày làm việc"])
        self.rules.itemSelectionChanged.connect(self._pick)
        self.doc_type = QComboBox()
        self.doc_type.setEditable(True)  # the list is long: typing the first letters is quicker
        self.doc_type.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.urgency = _combo([(_ANY_URGENCY, None), *((u.label, u.value) for u in Urgency)])
        self.working_days = QSpinBox()
        self.working_days.setRange(0, 365)
        self.working_days.setValue(10)
        self.working_days.setSpecialValueText("0 (trong ngày)")
        rule_form = QFormLayout()
        _add_row(rule_form, "Loại &văn bản:", self.doc_type, self.rule_errors, "doc_type")
        _add_row(rule_form, "Độ &khẩn:", self.urgency, self.rule_errors, "urgency")
        _add_row(rule_form, "&Số ngày làm việc:", self.working_days, self.rule_errors, "working_days")
        self.doc_type.lineEdit().returnPressed.connect(self.save_rule)
        self.working_days.lineEdit().returnPressed.connect(self.save_rule)
        self.new_rule_button = _button("Quy định &mới", self.start_new_rule)
        self.save_rule_button = _button("&Lưu quy định", self.save_rule)
        self.remove_rule_button = _button("&Xóa quy định đang chọn", self.remove_rule)
        self.rule_mode = QLabel()
        self.rule_mode.setWordWrap(True)

        self.year = QSpinBox()
        self.year.setRange(1990, 2100)
        self.year.setValue(today().year)
        self.year.valueChanged.connect(self.load_holidays)
        self.holidays = _table(["Ngày", "Thứ", "Tên ngày nghỉ", "Ghi chú"])
        self.holidays.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.holidays.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd/MM/yyyy")
        self.day.setDate(QDate.currentDate())
        self.holiday_name = QLineEdit()
        self.holiday_name.setPlaceholderText("ví dụ Nghỉ bù Quốc khánh")
        self.holiday_name.returnPressed.connect(self.add_holiday)
        holiday_form = QFormLayout()
        _add_row(holiday_form, "Ngà&y nghỉ:", self.day, self.holiday_errors, "day")
        _add_row(holiday_form, "Tên ngày ng&hỉ:", self.holiday_name, self.holiday_errors, "name")
        self.add_holiday_button = _button("Thêm ngày nghỉ", self.add_holiday)
        self.remove_holiday_button = _button("Bỏ ngày nghỉ đang &chọn", self.remove_holiday)
        year_row = QHBoxLayout()
        year_label = QLabel("&Năm:")
        year_label.setBuddy(self.year)
        year_row.addWidget(year_label)
        year_row.addWidget(self.year)
        self.holiday_count = QLabel()
        year_row.addWidget(self.holiday_count, 1)

        rules_group = QGroupBox("Thời hạn giải quyết văn bản đến")
        column = QVBoxLayout(rules_group)
        column.addWidget(self._hint("Tính theo ngày làm việc từ ngày lãnh đạo cho ý kiến chỉ đạo. Quy định ghi cả "
                                    "loại và độ khẩn được dùng trước, rồi đến quy định theo độ khẩn, theo loại, "
                                    "cuối cùng là quy định chung."))
        column.addWidget(self.rules, 1)
        column.addLayout(rule_form)
        column.addWidget(self.rule_errors.general)
        row = QHBoxLayout()
        for button in (self.new_rule_button, self.save_rule_button, self.remove_rule_button):
            row.addWidget(button)
        row.addStretch(1)
        column.addLayout(row)
        column.addWidget(self.rule_mode)

        holidays_group = QGroupBox("Ngày nghỉ lễ, Tết (ngoài thứ Bảy, Chủ nhật)")
        column = QVBoxLayout(holidays_group)
        column.addLayout(year_row)
        column.addWidget(self.holidays, 1)
        column.addLayout(holiday_form)
        column.addWidget(self.holiday_errors.general)
        row = QHBoxLayout()
        row.addWidget(self.add_holiday_button)
        row.addWidget(self.remove_holiday_button)
        row.addStretch(1)
        column.addLayout(row)
        column.addWidget(self._hint("Ngày ghi \"dự kiến\" cần đối chiếu với thông báo nghỉ Tết, Quốc khánh của "
                                    "Chính phủ từng năm."))

        layout = QVBoxLayout(self)
        groups = QHBoxLayout()
        groups.addWidget(rules_group, 1)
        groups.addWidget(holidays_group, 1)
        layout.addLayout(groups, 1)
        layout.addWidget(self._hint("Sửa quy định hay bảng ngày nghỉ không làm thay đổi thời hạn đã giao cho các "
                                    "đơn vị; chỉ những lần chuyển từ nay mới tính theo quy định mới."))
        self.load()

    @staticmethod
    def _hint(text: str) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        return label

    def load(self) -> None:
        self.load_types()
        self.load_rules()
        self.load_holidays()

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
        self.doc_type.addItem(_ANY_TYPE)
        self.doc_type.addItems(names)
        self.doc_type.setEditText(typed or _ANY_TYPE)
        self.doc_type.blockSignals(False)

    def load_rules(self) -> None:
        self.rule_records = {r.id: r for r in self.registry.deadline_rules.list()}
        self.rules.blockSignals(True)
        _fill(self.rules, [(r.id, self._rule_cells(r)) for r in self.rule_records.values()])
        self.rules.blockSignals(False)
        self.start_new_rule()

    @staticmethod
    def _rule_cells(r: DeadlineRuleRecord) -> tuple[str, ...]:
        days = "0 (trong ngày)" if r.working_days == 0 else str(r.working_days)
        return (r.doc_type or _ANY_TYPE, r.urgency.label if r.urgency else _ANY_URGENCY, days)

    def start_new_rule(self) -> None:
        self.editing = None
        self.rules.clearSelection()
        self.doc_type.setEditText(_ANY_TYPE)
        self.urgency.setCurrentIndex(0)
        self.working_days.setValue(10)
        self.rule_errors.clear()
        self.rule_mode.setText("Thêm quy định mới.")

    def _pick(self) -> None:
        record = self.rule_records.get(_selected_id(self.rules) or -1) if self.rules.selectedItems() else None
        if record is None:
            return
        self.editing = record.id
        self.doc_type.setEditText(record.doc_type or _ANY_TYPE)
        _select_data(self.urgency, record.urgency.value if record.urgency else None)
        self.working_days.setValue(record.working_days)
        self.rule_errors.clear()
        self.rule_mode.setText(f"Đang sửa quy định: {self._rule_cells(record)[0]}, {self._rule_cells(record)[1]}.")

    def _typed_type(self) -> str | None:
        text = self.doc_type.currentText().strip()
        return None if text in ("", _ANY_TYPE) else text

    def save_rule(self) -> None:
        self.rule_errors.clear()
        try:
            saved = self.registry.deadline_rules.save(self._typed_type(), self.urgency.currentData(),
                                                     self.working_days.value(), self.editing)
        except VanThuError as exc:
            self.rule_errors.show(exc)
            return
        self.load_rules()
        cells = self._rule_cells(saved)
        self.rule_mode.setText(f"Đã lưu: {cells[0]}, {cells[1]}: {saved.working_days} ngày làm việc.")

    def remove_rule(self) -> None:
        record = self.rule_records.get(_selected_id(self.rules) or -1) if self.rules.selectedItems() else None
        if record is None:
            self.rule_errors.show(VanThuError("Chọn một quy định trong bảng để xóa."))
            return
        try:
            self.registry.deadline_rules.remove(record.id)
        except VanThuError as exc:
            self.rule_errors.show(exc)
            return
        self.load_rules()
        cells = self._rule_cells(record)
        self.rule_mode.setText(f"Đã xóa quy định: {cells[0]}, {cells[1]}.")

    def load_holidays(self) -> None:
        year = self.year.value()
        found = self.registry.holidays.list(year)
        self.holiday_records = {h.id: h for h in found}
        _fill(self.holidays, [(h.id, self._holiday_cells(h)) for h in found])
        for r, h in enumerate(found):
            if self._provisional(h):
                for c in range(self.holidays.columnCount()):
                    self.holidays.item(r, c).setForeground(QBrush(_PROVISIONAL))
        provisional = sum(self._provisional(h) for h in found)
        self.holiday_count.setText(f"{len(found)} ngày nghỉ" + (f", {provisional} ngày dự kiến" if provisional
                                                                 else ""))
        if self.day.date().year() != year:
            self.day.setDate(QDate(year, 1, 1))

    @staticmethod
    def _provisional(h: HolidayRecord) -> bool:
        return "du kien" in fold(h.name)

    def _holiday_cells(self, h: HolidayRecord) -> tuple[str, ...]:
        return (format_date(h.day), _WEEKDAYS[h.day.weekday()], h.name, "Dự kiến" if self._provisional(h) else "")

    def add_holiday(self) -> None:
        self.holiday_errors.clear()
        try:
            added = self.registry.holidays.add(_to_date(self.day.date()), self.holiday_name.text())
        except VanThuError as exc:
            self.holiday_errors.show(exc)
            return
        self.holiday_name.clear()
        if self.year.value() != added.day.year:
            self.year.setValue(added.day.year)  # loads that year through valueChanged
        else:
            self.load_holidays()
        self._select_holiday(added.id)
        self.holiday_name.setFocus()

    def _select_holiday(self, holiday_id: int) -> None:
        for r in range(self.holidays.rowCount()):
            if self.holidays.item(r, 0).data(Qt.ItemDataRole.UserRole) == holiday_id:
                self.holidays.selectRow(r)

    def remove_holiday(self) -> None:
        self.holiday_errors.clear()
        record = self.holiday_records.get(_selected_id(self.holidays) or -1) \
            if self.holidays.selectedItems() else None
        if record is None:
            self.holiday_errors.show(VanThuError("Chọn một ngày nghỉ trong bảng để bỏ."))
            return
        try:
            self.registry.holidays.remove(record.day)
        except VanThuError as exc:
            self.holiday_errors.show(exc)
            return
        self.load_holidays()


class SettingsDialog(QDialog):
    """Cài đặt: one tab per area; every change goes through the Registry and is audited there."""

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.setWindowTitle("Cài đặt")
        self.resize(960, 640)
        self.types_page = DocumentTypesPage(registry)
        self.deadlines_page = DeadlinesPage(registry)
        self.books_page = BooksPage(registry)
        self.people_page = PeoplePage(registry)
        self.agency_page = AgencyPage(registry, self._agency_saved)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.agency_page, "Cơ &quan")
        self.tabs.addTab(self.people_page, "&Phòng ban, cán bộ")
        self.tabs.addTab(self.books_page, "Sổ đăn&g ký")
        self.tabs.addTab(self.types_page, "Loại văn &bản")
        self.tabs.addTab(self.deadlines_page, "&Thời hạn, ngày nghỉ")
        self.tabs.currentChanged.connect(self._tab_changed)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText("Đóng")
        close.setAutoDefault(False)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)

    def _agency_saved(self) -> None:
        self.types_page.reset_family()
        self.books_page.load()
        self.deadlines_page.load_types()

    def _tab_changed(self) -> None:
        if self.tabs.currentWidget() is self.deadlines_page:
            self.deadlines_page.load_types()  # a type added on the types tab can get a rule at once
