"""The people settings page: the agency's departments (with codes) and its staff (with titles and departments),
each staff row editable."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import VanThuError
from app.services import Registry
from app.ui.form import Form
from app.ui.settings.widgets import add_row, button, fill, reselect, select_data, selected_id, table, yes
from app.ui.unsaved import Snapshot, settle_unsaved

NO_UNIT = "(không thuộc đơn vị nào)"


class PeoplePage(QWidget):
    """The agency's departments (with codes) and staff (with titles and departments): pick a staff row to edit it,
    or add one (Cán bộ mới). Every change goes through registry.directory, which audits it."""

    def __init__(self, registry: Registry) -> None:
        super().__init__()
        self.registry = registry
        # Two forms side by side, each with its own refusals: the names are those of directory.add_department
        # and directory.add_person.
        self.department_form, self.person_form = Form(), Form()
        self.departments = table(["Tên đơn vị", "Mã", "Đang dùng"])
        self.department_name = self.department_form.line("name")
        self.department_code = self.department_form.line("code", "ví dụ VP, TCCB")
        for edit in (self.department_name, self.department_code):
            edit.returnPressed.connect(self.add_department)
        department_rows = QFormLayout()
        add_row(department_rows, "Tên đơn &vị:", self.department_form, self.department_name, "name")
        add_row(department_rows, "&Mã đơn vị:", self.department_form, self.department_code, "code")
        self.add_department_button = button("Thêm đơn vị", self.add_department)
        self.toggle_department_button = button("Ngừng dùng / dùng &lại đơn vị đang chọn", self.toggle_department)

        self.department_snapshot = Snapshot({"Tên đơn vị": self.department_name,
                                             "Mã đơn vị": self.department_code})

        self.person_editing: int | None = None  # the staff row being edited; None: a new person
        self.people = table(["Họ và tên", "Chức vụ", "Đơn vị", "Đang dùng"])
        self.people.itemSelectionChanged.connect(self._pick_person)
        self.person_name = self.person_form.line("full_name")
        self.person_title = self.person_form.line("title")
        self.person_department = self.person_form.bind("department", QComboBox())
        for edit in (self.person_name, self.person_title):
            edit.returnPressed.connect(self.save_person)
        person_rows = QFormLayout()
        add_row(person_rows, "&Họ và tên:", self.person_form, self.person_name, "full_name")
        add_row(person_rows, "&Chức vụ:", self.person_form, self.person_title, "title")
        add_row(person_rows, "Thuộc đơ&n vị:", self.person_form, self.person_department, "department")
        self.person_snapshot = Snapshot({"Họ và tên": self.person_name, "Chức vụ": self.person_title,
                                         "Thuộc đơn vị": self.person_department})
        self.person_mode = QLabel()
        self.person_mode.setWordWrap(True)
        person_rows.addRow(self.person_mode)
        self.new_person_button = button("Cán bộ mới", self.start_new_person)  # M, C: the fields already have them
        self.save_person_button = button("Lư&u cán bộ", self.save_person)
        self.toggle_person_button = button("Ngừng &dùng / dùng lại cán bộ đang chọn", self.toggle_person)

        layout = QHBoxLayout(self)
        layout.addWidget(self._group("Phòng ban, đơn vị", self.departments, department_rows, self.department_form,
                                     (self.add_department_button, self.toggle_department_button)))
        layout.addWidget(self._group("Cán bộ", self.people, person_rows, self.person_form,
                                     (self.new_person_button, self.save_person_button,
                                      self.toggle_person_button)))
        self.load()
        self.start_new_person()

    @staticmethod
    def _group(title: str, grid: QWidget, rows: QFormLayout, form: Form,
               buttons: tuple[QPushButton, ...]) -> QGroupBox:
        """The list, its form, the form's refusals that name no field, and the actions."""
        group = QGroupBox(title)
        column = QVBoxLayout(group)
        column.addWidget(grid, 1)
        column.addLayout(rows)
        column.addWidget(form.general)
        row = QHBoxLayout()
        for push in buttons:
            row.addWidget(push)
        row.addStretch(1)
        column.addLayout(row)
        return group

    def load(self) -> None:
        departments = self.registry.directory.departments(include_inactive=True)
        self.department_records = {d.id: d for d in departments}
        fill(self.departments, [(d.id, (d.name, d.code or "", yes(d.active))) for d in departments])
        chosen = self.person_department.currentData()  # a unit chosen while typing survives a reload
        self.person_department.blockSignals(True)
        self.person_department.clear()
        self.person_department.addItem(NO_UNIT, None)
        for d in departments:
            if d.active:
                self.person_department.addItem(d.name, d.id)
        self._show_closed_unit(chosen)
        select_data(self.person_department, chosen)
        self.person_department.blockSignals(False)
        people = self.registry.directory.people(include_inactive=True)
        self.person_records = {p.id: p for p in people}
        self.people.blockSignals(True)
        fill(self.people, [(p.id, (p.full_name, p.title or "", p.department_name or "", yes(p.active)))
                           for p in people])
        reselect(self.people, self.person_editing)
        self.people.blockSignals(False)

    def unsaved(self) -> list[str]:
        """What would be lost (closing the settings, or picking another staff row): the fields typed, not saved."""
        lines = []
        if changed := self.department_snapshot.changed():
            lines.append(f"Đơn vị mới: {', '.join(changed)}")
        if changed := self.person_snapshot.changed():
            editing = self.person_records.get(self.person_editing or -1)
            what = f"cán bộ «{editing.full_name}» đang sửa" if editing else "cán bộ mới"
            lines.append(f"Cán bộ, {what}: {', '.join(changed)}")
        return lines

    def save_unsaved(self) -> bool:
        """Lưu for the question: the department, then the person, each only if typed; False at the first refusal."""
        if self.department_snapshot.is_dirty() and not self.add_department():
            return False
        return not self.person_snapshot.is_dirty() or self.save_person()

    def _run(self, form: Form, action: Callable[[], object]) -> bool:
        form.clear()
        try:
            action()
        except VanThuError as exc:
            form.show(exc)
            return False
        self.load()
        return True

    def add_department(self) -> bool:
        if not self._run(self.department_form, lambda: self.registry.directory.add_department(
                self.department_name.text(), self.department_code.text() or None)):
            return False
        self.department_name.clear()
        self.department_code.clear()
        self.department_snapshot.take()
        self.department_name.setFocus()
        return True

    def toggle_department(self) -> None:
        record = self.department_records.get(selected_id(self.departments) or -1)
        if record is not None:
            self._run(self.department_form, lambda: self.registry.directory.update_department(
                record.id, record.name, record.code, not record.active))

    # staff: a new person, or the row picked
    def start_new_person(self) -> None:
        """An empty form for the next person: no name, no title, and no unit (the last one chosen is not kept)."""
        self.person_editing = None
        reselect(self.people, None)
        self.person_name.clear()
        self.person_title.clear()
        self._drop_closed_unit()
        self.person_department.setCurrentIndex(0)
        self.person_form.clear()
        self.person_snapshot.take()
        self.person_mode.setText("Thêm cán bộ mới.")

    def _drop_closed_unit(self) -> None:
        """Remove the closed unit shown only for the person whose row was picked."""
        for index in range(self.person_department.count() - 1, 0, -1):
            unit = self.department_records.get(self.person_department.itemData(index))
            if unit is None or not unit.active:
                self.person_department.removeItem(index)

    def _show_closed_unit(self, department_id: int | None) -> None:
        """A unit no longer in use is still offered for the person who belongs to it, marked so: saving their name
        must not move them out of it."""
        unit = self.department_records.get(department_id) if department_id is not None else None
        if unit is not None and self.person_department.findData(unit.id) < 0:
            self.person_department.addItem(f"{unit.name} (ngừng dùng)", unit.id)

    def _pick_person(self) -> None:
        record = self.person_records.get(selected_id(self.people) or -1) if self.people.selectedItems() else None
        if record is None or record.id == self.person_editing:
            return
        if self.person_snapshot.is_dirty() and not settle_unsaved(self, self.unsaved()[-1:], self.save_person,
                                                                  "chọn cán bộ khác"):
            reselect(self.people, self.person_editing)  # Quay lại, or the save refused: stay on what was typed
            return
        record = self.person_records[record.id]  # after Lưu the list was reloaded
        self.person_editing = record.id
        reselect(self.people, record.id)
        self.person_name.setText(record.full_name)
        self.person_title.setText(record.title or "")
        self._drop_closed_unit()
        self._show_closed_unit(record.department_id)
        select_data(self.person_department, record.department_id)
        self.person_form.clear()
        self.person_snapshot.take()
        self.person_mode.setText(f"Đang sửa: {record.full_name}. Sửa rồi bấm Lưu cán bộ (Enter); Cán bộ mới để "
                                 "thêm người khác.")
        self.person_name.setFocus()

    def save_person(self) -> bool:
        """Add the person, or save the row being edited (name, chức vụ, unit); True once saved."""
        name, title, unit = (self.person_name.text(), self.person_title.text() or None,
                             self.person_department.currentData())
        editing = self.person_records.get(self.person_editing or -1)
        directory = self.registry.directory
        if not self._run(self.person_form, (lambda: directory.add_person(name, title, unit)) if editing is None else
                         (lambda: directory.update_person(editing.id, name, title, unit, editing.active))):
            return False
        self.start_new_person()
        self.person_mode.setText(f"Đã lưu cán bộ: {name.strip()}." if editing else
                                 f"Đã thêm cán bộ: {name.strip()}. Nhập người tiếp theo.")
        self.person_name.setFocus()
        return True

    def toggle_person(self) -> None:
        record = self.person_records.get(selected_id(self.people) or -1)
        if record is not None:
            self._run(self.person_form, lambda: self.registry.directory.update_person(
                record.id, record.full_name, record.title, record.department_id, not record.active))
