"""The agency settings page: tên cơ quan, chữ viết tắt, cơ quan chủ quản, khối and địa danh."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.core.enums import Family
from app.core.errors import ValidationError
from app.services import Registry
from app.ui.form import Form
from app.ui.settings.saving import save_changed
from app.ui.settings.widgets import add_row, button, hint


class AgencyPage(QWidget):
    """Tên cơ quan, chữ viết tắt, cơ quan chủ quản, khối and địa danh, saved through registry.settings.set."""

    TEXT_KEYS = ("agency.name", "agency.abbreviation", "agency.parent", "agency.place")

    def __init__(self, registry: Registry, on_saved: Callable[[], None]) -> None:
        super().__init__()
        self.registry, self.on_saved = registry, on_saved
        # The field names are the setting keys: registry.settings.set refuses a value under its own key.
        self.form = Form()
        name = self.form.line("agency.name")
        abbreviation = self.form.line("agency.abbreviation", "ví dụ SYT, UBND, TU")
        parent = self.form.line("agency.parent")
        place = self.form.line("agency.place", "ví dụ Tây Ninh")
        self.family = self.form.choice("agency.family", [(f.label, f.value) for f in Family])  # saved last
        rows = QFormLayout()
        add_row(rows, "&Tên cơ quan:", self.form, name, "agency.name")
        add_row(rows, "Chữ &viết tắt:", self.form, abbreviation, "agency.abbreviation")
        add_row(rows, "Cơ quan &chủ quản:", self.form, parent, "agency.parent")
        add_row(rows, "&Khối:", self.form, self.family, "agency.family")
        add_row(rows, "Địa &danh:", self.form, place, "agency.place")
        for edit in (name, abbreviation, parent, place):
            edit.returnPressed.connect(self.save)
        self.save_button = button("&Lưu thông tin cơ quan", self.save)
        self.status = QLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(rows)
        layout.addWidget(hint("Đổi khối (Nhà nước/Đảng) thì lần vào sổ tiếp theo mở sổ mới đánh số theo khối đó."))
        layout.addWidget(self.form.general)
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addWidget(self.status, 1)
        layout.addLayout(row)
        layout.addStretch(1)
        self.load()

    def load(self) -> None:
        self.stored = self.registry.settings.all()
        values = {key: self.stored.get(key, "") for key in self.TEXT_KEYS}
        values["agency.family"] = self.stored.get("agency.family", Family.STATE.value)
        self.form.load(values)

    def values(self) -> dict[str, str]:
        return self.form.values()

    def save(self) -> None:
        """Save the changed settings one by one; each refusal is shown under its own field."""
        self.form.clear()
        changed, refused = save_changed(self.registry, self.stored, self.values())
        for key, stored in changed.items():
            if key in self.TEXT_KEYS and self.form.value(key) != stored:
                self.form.set_value(key, stored)  # as the register tidied it
        saved = len(changed)
        if refused:
            self.form.show(ValidationError(refused))
        self.status.setText(f"Đã lưu {saved} mục." if saved else ("" if refused else "Không có gì thay đổi."))
        if saved:
            self.on_saved()
