"""The agency settings page: tên cơ quan, chữ viết tắt, cơ quan chủ quản, khối, địa danh, the seal that its
digital signature shows (ảnh con dấu, đường kính) and its edXML exchange (mã định danh, thư mục nhận)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.core.enums import Family
from app.core.errors import ValidationError
from app.services import Registry
from app.ui import file_dialogs
from app.ui.form import Form
from app.ui.settings.saving import save_changed
from app.ui.settings.widgets import add_row, button, hint

SEAL_IMAGE, SEAL_SIZE = "agency.seal_image", "agency.seal_size_mm"
ORGAN_ID, INBOX = "agency.organ_id", "edxml.inbox"


class AgencyPage(QWidget):
    """Tên cơ quan, chữ viết tắt, cơ quan chủ quản, khối, địa danh and the seal, saved through
    registry.settings.set."""

    TEXT_KEYS = ("agency.name", "agency.abbreviation", "agency.parent", "agency.place", SEAL_IMAGE, SEAL_SIZE,
                 ORGAN_ID, INBOX)

    def __init__(self, registry: Registry, on_saved: Callable[[], None]) -> None:
        super().__init__()
        self.registry, self.on_saved = registry, on_saved
        # The field names are the setting keys: registry.settings.set refuses a value under its own key.
        self.form = Form()
        name = self.form.line("agency.name")
        abbreviation = self.form.line("agency.abbreviation", "ví dụ SYT, UBND, TU")
        parent = self.form.line("agency.parent")
        place = self.form.line("agency.place", "ví dụ Tây Ninh")
        self.seal_image = self.form.line(SEAL_IMAGE, "tệp PNG nền trong suốt, màu đỏ (NĐ 30 Phụ lục I)")
        self.seal_size = self.form.line(SEAL_SIZE, "trống: theo độ phân giải của ảnh", width=220)
        self.choose_seal_button = button("C&họn…", self.choose_seal)
        seal_row = QHBoxLayout()
        seal_row.setContentsMargins(0, 0, 0, 0)
        seal_row.addWidget(self.seal_image, 1)
        seal_row.addWidget(self.choose_seal_button)
        seal_holder = QWidget()
        seal_holder.setLayout(seal_row)
        self.organ_id = self.form.line(ORGAN_ID, "ví dụ 000.00.31.H53 (QĐ 20/2020/QĐ-TTg)", width=320)
        self.inbox = self.form.line(INBOX, "thư mục lưu các tệp .edxml nhận được (ổ mạng, thư mục đồng bộ)")
        self.choose_inbox_button = button("Chọn…", self.choose_inbox)  # no mnemonic left: Tab from the field
        inbox_holder = _beside(self.inbox, self.choose_inbox_button)
        self.family = self.form.choice("agency.family", [(f.label, f.value) for f in Family])  # saved last
        rows = QFormLayout()
        add_row(rows, "&Tên cơ quan:", self.form, name, "agency.name")
        add_row(rows, "Chữ &viết tắt:", self.form, abbreviation, "agency.abbreviation")
        add_row(rows, "Cơ quan &chủ quản:", self.form, parent, "agency.parent")
        add_row(rows, "&Khối:", self.form, self.family, "agency.family")
        add_row(rows, "Địa &danh:", self.form, place, "agency.place")
        add_row(rows, "Ảnh con dấ&u (PNG nền trong suốt):", self.form, seal_holder, SEAL_IMAGE)
        rows.itemAt(rows.rowCount() - 1, QFormLayout.ItemRole.LabelRole).widget().setBuddy(self.seal_image)
        add_row(rows, "Đường kính con dấu (&mm):", self.form, self.seal_size, SEAL_SIZE)
        add_row(rows, "Mã định danh điện tử (&OrganId):", self.form, self.organ_id, ORGAN_ID)
        add_row(rows, "Thư mục nhận văn bản điện tử (&edXML):", self.form, inbox_holder, INBOX)
        rows.itemAt(rows.rowCount() - 1, QFormLayout.ItemRole.LabelRole).widget().setBuddy(self.inbox)
        for edit in (name, abbreviation, parent, place, self.seal_image, self.seal_size, self.organ_id, self.inbox):
            edit.returnPressed.connect(self.save)
        self.save_button = button("&Lưu thông tin cơ quan", self.save)
        self.status = QLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(rows)
        layout.addWidget(hint("Đổi khối (Nhà nước/Đảng) thì lần vào sổ tiếp theo mở sổ mới đánh số theo khối đó."))
        layout.addWidget(hint("Ảnh con dấu hiện trên văn bản đi khi ký số (Ký số và phát hành…, Ctrl+Shift+K), "
                              "đúng cỡ thật: theo đường kính ghi ở đây, hoặc theo độ phân giải (DPI) lưu trong ảnh "
                              "khi để trống."))
        layout.addWidget(hint("Văn bản điện tử (edXML, QCVN 102:2016): mã định danh ghi vào thông điệp gửi đi; các "
                              "tệp .edxml lưu vào thư mục nhận hiện ở danh sách «Văn bản điện tử chờ vào sổ» "
                              "(Ctrl+Shift+D) để vào sổ hoặc từ chối."))
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

    def choose_seal(self) -> None:
        path = file_dialogs.open_file(self, "Chọn ảnh con dấu", "Ảnh PNG (*.png)", self.seal_image.text())
        if path:
            self.seal_image.setText(path)
            self.form.clear_error(SEAL_IMAGE)

    def choose_inbox(self) -> None:
        folder = file_dialogs.choose_folder(self, "Chọn thư mục nhận văn bản điện tử (edXML)", self.inbox.text())
        if folder:
            self.inbox.setText(folder)
            self.form.clear_error(INBOX)

    def values(self) -> dict[str, str]:
        return self.form.values()

    def pending(self) -> dict[str, str]:
        """The fields that differ from what the register holds (an unset khối shows as Nhà nước): what was typed
        and not saved, a refused value included."""
        held = {**dict.fromkeys(self.TEXT_KEYS, ""), "agency.family": Family.STATE.value, **self.stored}
        return {key: value for key, value in self.values().items() if value != held.get(key, "")}

    def unsaved(self) -> list[str]:
        """What closing the settings would lose, for the Lưu / Bỏ / Quay lại question."""
        changed = self.pending()
        return [f"Cơ quan: {', '.join(self.form.labels.get(key, key) for key in changed)}"] if changed else []

    def save(self) -> bool:
        """Save the changed settings one by one; each refusal is shown under its own field. True when none was
        refused."""
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
        return not refused

    save_unsaved = save  # Lưu in the question before closing: the same save, refusals named


def _beside(edit: QWidget, push: QWidget) -> QWidget:
    """A field with its button on the right, as one form row."""
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(edit, 1)
    row.addWidget(push)
    holder = QWidget()
    holder.setLayout(row)
    return holder
