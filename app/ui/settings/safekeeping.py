"""The safekeeping page: how many automatic backups to keep, and the second folder that anchors the audit trail."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.core.errors import ValidationError
from app.services import Registry
from app.ui import file_dialogs
from app.ui.form import Form
from app.ui.settings.saving import save_changed
from app.ui.settings.widgets import add_row, button, hint

KEEP, ANCHOR = "backup.keep", "audit.anchor_dir"
ERROR_STYLE, OK_STYLE = "color: #b00020;", "color: #2e7d32;"


class SafekeepingPage(QWidget):
    """Số bản sao lưu giữ lại and Thư mục lưu neo nhật ký, saved through registry.settings.set (audited)."""

    def __init__(self, registry: Registry) -> None:
        super().__init__()
        self.registry = registry
        self.form = Form()
        keep = self.form.line(KEEP, "từ 1 đến 1000", width=80)
        self.folder = self.form.line(ANCHOR, "ví dụ ổ mạng hoặc USB: E:\\NeoNhatKy")
        choose = button("&Chọn thư mục…", self.choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(choose)
        holder = QWidget()
        holder.setLayout(folder_row)
        folder_row.setContentsMargins(0, 0, 0, 0)
        rows = QFormLayout()
        add_row(rows, "Số &bản sao lưu tự động giữ lại:", self.form, keep, KEEP)
        add_row(rows, "Thư mục lưu &neo nhật ký:", self.form, holder, ANCHOR)
        for edit in (keep, self.folder):
            edit.returnPressed.connect(self.save)
        self.save_button = button("&Lưu", self.save)
        self.anchor_button = button("&Ghi neo ngay", self.anchor_now)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(rows)
        layout.addWidget(hint(
            "Neo nhật ký là bản ghi đầu chuỗi nhật ký (số mục và mã băm) đặt ở một thư mục khác máy này — ổ mạng "
            "hoặc USB. Chương trình ghi neo khi mở, mỗi giờ và khi đóng; ai sửa hay cắt nhật ký trong tệp sổ sẽ bị "
            "phát hiện khi đối chiếu (Nhật ký thay đổi → Đối chiếu với tệp…, hoặc lệnh audit verify --against)."))
        layout.addWidget(self.form.general)
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addWidget(self.anchor_button)
        row.addWidget(self.status, 1)
        layout.addLayout(row)
        layout.addStretch(1)
        self.load()

    def load(self) -> None:
        self.stored = self.registry.settings.all()
        self.form.load({KEEP: self.stored.get(KEEP, ""), ANCHOR: self.stored.get(ANCHOR, "")})
        self.status.setStyleSheet("")
        self.status.setText(f"Mã kiểm tra nhật ký hiện tại: {self.registry.anchors.head().code}")

    def choose_folder(self) -> None:
        chosen = file_dialogs.choose_folder(self, "Thư mục lưu neo nhật ký", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def unsaved(self) -> list[str]:
        """What closing the settings would lose: the fields that differ from what the register holds."""
        changed = [self.form.labels.get(key, key) for key, value in self.form.values().items()
                   if value != self.stored.get(key, "")]
        return [f"Sao lưu, neo nhật ký: {', '.join(changed)}"] if changed else []

    def save(self) -> bool:
        """Save what changed; a refusal is shown under its field (and stays unsaved). True when none was refused."""
        self.form.clear()
        _saved, refused = save_changed(self.registry, self.stored, self.form.values())
        if refused:
            self.form.show(ValidationError(refused))
            return False
        self.load()
        self.form.mark_clean()
        return True

    save_unsaved = save  # Lưu in the question before closing: the same save, refusals named

    def anchor_now(self) -> None:
        note = self.registry.anchors.write()
        if note is None:
            folder = self.stored.get(ANCHOR, "")
            text = (f"Tệp neo đã có đầu chuỗi hiện tại ({self.registry.anchors.head().code})." if folder else
                    "Chưa chọn thư mục lưu neo nhật ký.")
            self.status.setStyleSheet("")
            self.status.setText(text)
            return
        self.status.setStyleSheet(ERROR_STYLE if note.warning else OK_STYLE)
        self.status.setText(note.message)
