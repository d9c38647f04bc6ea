"""The document types settings page: each family's tên loại, chữ viết tắt and đang dùng, to add or edit."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QFormLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.core.enums import Family
from app.core.errors import VanThuError
from app.services import Registry
from app.ui.form import Form
from app.ui.settings.widgets import (
    add_row,
    button,
    chosen,
    combo,
    fill,
    reselect,
    select_data,
    selected_id,
    table,
    yes,
)
from app.ui.unsaved import Snapshot, settle_unsaved


class DocumentTypesPage(QWidget):
    """The family's document types (tên loại, chữ viết tắt, đang dùng): pick a row to edit it, or add one."""

    def __init__(self, registry: Registry) -> None:
        super().__init__()
        self.registry = registry
        self.form = Form()  # the names of registry.types.save's refusals
        self.editing: int | None = None
        self.family = combo([(f"Khối {f.label}", f) for f in Family])  # which list is shown, not a field
        self.family.currentIndexChanged.connect(self.load)
        self.table = table(["Tên loại", "Viết tắt", "Đang dùng"])
        self.table.itemSelectionChanged.connect(self._pick)
        self.name = self.form.line("name")
        self.abbreviation = self.form.line("abbreviation", "ví dụ QĐ, QyĐ, CTr; để trống: ghi ký hiệu như công văn")
        self.active = QCheckBox("Đang &dùng")
        self.active.setChecked(True)
        for edit in (self.name, self.abbreviation):
            edit.returnPressed.connect(self.save)
        self.mode = QLabel()
        rows = QFormLayout()
        add_row(rows, "&Tên loại:", self.form, self.name, "name")
        add_row(rows, "Chữ &viết tắt:", self.form, self.abbreviation, "abbreviation")
        rows.addRow("", self.active)
        self.snapshot = Snapshot({"Tên loại": self.name, "Chữ viết tắt": self.abbreviation, "Đang dùng": self.active})
        self.new_button = button("Loại &mới", self.start_new)
        self.save_button = button("&Lưu loại văn bản", self.save)
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
        layout.addLayout(rows)
        layout.addWidget(self.form.general)
        layout.addLayout(buttons)
        self.reset_family()

    def reset_family(self) -> None:
        """Show the agency's own family (after the agency's khối changed, too)."""
        family = self.registry.settings.agency().family
        if chosen(self.family, Family) is family:
            self.load()
        else:
            select_data(self.family, family)  # loads through currentIndexChanged

    def load(self) -> None:
        self.records = {t.id: t for t in self.registry.types.list(chosen(self.family, Family),
                                                                  include_inactive=True)}
        self.table.blockSignals(True)
        fill(self.table, [(t.id, (t.name, t.abbreviation or "—", yes(t.active))) for t in self.records.values()])
        self.table.blockSignals(False)
        self.start_new()

    def start_new(self) -> None:
        self.editing = None
        self.table.clearSelection()
        self.name.clear()
        self.abbreviation.clear()
        self.active.setChecked(True)
        self.form.clear()
        self.snapshot.take()
        self.mode.setText("Thêm loại mới vào danh mục.")

    def unsaved(self) -> list[str]:
        """What would be lost (closing the settings, or picking another row): the fields typed and not saved."""
        changed = self.snapshot.changed()
        editing = self.records.get(self.editing or -1)
        what = f"loại «{editing.name}» đang sửa" if editing else "loại mới"
        return [f"Loại văn bản, {what}: {', '.join(changed)}"] if changed else []

    def _pick(self) -> None:
        record = self.records.get(selected_id(self.table) or -1) if self.table.selectedItems() else None
        if record is None or record.id == self.editing:
            return
        if self.unsaved() and not settle_unsaved(self, self.unsaved(), self.save, "chọn loại khác"):
            reselect(self.table, self.editing)  # Quay lại, or the save refused: stay on what was being typed
            return
        record = self.records.get(record.id)  # after Lưu the list was reloaded
        if record is None:
            return
        reselect(self.table, record.id)
        self.editing = record.id
        self.name.setText(record.name)
        self.abbreviation.setText(record.abbreviation or "")
        self.active.setChecked(record.active)
        self.form.clear()
        self.snapshot.take()
        self.mode.setText(f"Đang sửa: {record.name}. Chữ viết tắt mới chỉ áp dụng cho số cấp từ nay.")

    def save(self) -> bool:
        """Add or edit the type; a refusal is shown under its field. True once saved."""
        self.form.clear()
        try:
            saved = self.registry.types.save(self.name.text(), self.abbreviation.text() or None,
                                             self.active.isChecked(), self.editing, chosen(self.family, Family))
        except VanThuError as exc:
            self.form.show(exc)
            return False
        self.load()
        self.mode.setText(f"Đã lưu: {saved.name} ({saved.abbreviation or 'không có chữ viết tắt'}).")
        self.name.setFocus()
        return True

    save_unsaved = save  # Lưu in the question before closing: the same save, refusals named
