"""The people settings page: the agency's departments (with codes) and its staff (with titles and departments)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from app.core.errors import VanThuError
from app.services import Registry
from app.ui.form import Form
from app.ui.settings.widgets import add_row, button, fill, select_data, selected_id, table, yes


class PeoplePage(QWidget):
    """The agency's departments (with codes) and staff (with titles and departments)."""

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

        self.people = table(["Họ và tên", "Chức vụ", "Đơn vị", "Đang dùng"])
        self.person_name = self.person_form.line("full_name")
        self.person_title = self.person_form.line("title")
        self.person_department = self.person_form.bind("department", QComboBox())
        for edit in (self.person_name, self.person_title):
            edit.returnPressed.connect(self.add_person)
        person_rows = QFormLayout()
        add_row(person_rows, "&Họ và tên:", self.person_form, self.person_name, "full_name")
        add_row(person_rows, "&Chức vụ:", self.person_form, self.person_title, "title")
        add_row(person_rows, "Thuộc đơ&n vị:", self.person_form, self.person_department, "department")
        self.add_person_button = button("Thêm cán bộ", self.add_person)
        self.toggle_person_button = button("Ngừng &dùng / dùng lại cán bộ đang chọn", self.toggle_person)

        layout = QHBoxLayout(self)
        layout.addWidget(self._group("Phòng ban, đơn vị", self.departments, department_rows, self.department_form,
                                     (self.add_department_button, self.toggle_department_button)))
        layout.addWidget(self._group("Cán bộ", self.people, person_rows, self.person_form,
                                     (self.add_person_button, self.toggle_person_button)))
        self.load()

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
        chosen = self.person_department.currentData()
        self.person_department.clear()
        self.person_department.addItem("(không thuộc đơn vị nào)", None)
        for d in departments:
            if d.active:
                self.person_department.addItem(d.name, d.id)
        select_data(self.person_department, chosen)
        people = self.registry.directory.people(include_inactive=True)
        self.person_records = {p.id: p for p in people}
        fill(self.people, [(p.id, (p.full_name, p.title or "", p.department_name or "", yes(p.active)))
                           for p in people])

    def _run(self, form: Form, action: Callable[[], object]) -> bool:
        form.clear()
        try:
            action()
        except VanThuError as exc:
            form.show(exc)
            return False
        self.load()
        return True

    def add_department(self) -> None:
        if self._run(self.department_form, lambda: self.registry.directory.add_department(
                self.department_name.text(), self.department_code.text() or None)):
            self.department_name.clear()
            self.department_code.clear()
            self.department_name.setFocus()

    def toggle_department(self) -> None:
        record = self.department_records.get(selected_id(self.departments) or -1)
        if record is not None:
            self._run(self.department_form, lambda: self.registry.directory.update_department(
                record.id, record.name, record.code, not record.active))

    def add_person(self) -> None:
        if self._run(self.person_form, lambda: self.registry.directory.add_person(
                self.person_name.text(), self.person_title.text() or None, self.person_department.currentData())):
            self.person_name.clear()
            self.person_title.clear()
            self.person_name.setFocus()

    def toggle_person(self) -> None:
        record = self.person_records.get(selected_id(self.people) or -1)
        if record is not None:
            self._run(self.person_form, lambda: self.registry.directory.update_person(
                record.id, record.full_name, record.title, record.department_id, not record.active))
