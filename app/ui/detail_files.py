"""The Tệp tab: the entry's attached scans, with the buttons to add, open and detach one."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from app.core.records import AttachmentRecord
from app.services.attachments import size_text
from app.ui.detail_history import local_time
from app.ui.scan_progress import ScanProgress

SCAN_FILTER = ("Bản quét PDF hoặc ảnh (*.pdf *.png *.jpg *.jpeg *.tif *.tiff *.bmp *.gif *.webp);;"
               "PDF (*.pdf);;Ảnh (*.png *.jpg *.jpeg *.tif *.tiff *.bmp *.gif *.webp)")
_ID_ROLE = Qt.ItemDataRole.UserRole  # the attachment's id


def _text_note(a: AttachmentRecord) -> str:
    """What the file brings to search: its text layer, the recognised text (with its confidence), or nothing."""
    if a.derived_from_id is not None:
        return " — bản có lớp chữ của bản quét"
    if a.text_source == "ocr":
        confidence = f" {a.text_confidence:.0f}%" if a.text_confidence is not None else ""
        return f" — tìm được nội dung (nhận dạng chữ{confidence})"
    if a.text_source == "layer":
        return " — tìm được nội dung"
    return ""


class FilesBox(QGroupBox):
    """The attachments list and its buttons (the pane runs the buttons: they change the register)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Tệp đính kèm", parent)
        self.files = QListWidget()
        self.files.setMinimumHeight(90)
        self.files.setWordWrap(True)
        self.add_file_button = QPushButton("Thêm tệp…")
        self.open_file_button = QPushButton("Mở")
        self.remove_file_button = QPushButton("Gỡ")
        layout = QVBoxLayout(self)
        layout.addWidget(self.files)
        # A scan being attached is read (its text, for search) off the window's thread, with page i of n and Hủy.
        self.reading = ScanProgress(self)
        self.reading.busy_changed = lambda on: self.add_file_button.setEnabled(not on)
        row = QHBoxLayout()
        for button in (self.add_file_button, self.open_file_button, self.remove_file_button):
            row.addWidget(button)
        row.addWidget(self.reading.bar, 1)
        row.addWidget(self.reading.stop_button)
        row.addStretch(1)
        layout.addLayout(row)

    def show_files(self, files: list[AttachmentRecord]) -> None:
        self.files.clear()
        for a in files:
            item = QListWidgetItem(f"{a.file_name} — {size_text(a.size)} — {local_time(a.added_at)} ({a.added_by})"
                                   f"{_text_note(a)}")
            item.setData(_ID_ROLE, a.id)
            item.setToolTip(f"SHA-256: {a.sha256}")
            self.files.addItem(item)

    def selected(self) -> int | None:
        """The id of the selected attachment, or None."""
        item = self.files.currentItem()
        return int(item.data(_ID_ROLE)) if item is not None and item.isSelected() else None

    def selected_name(self) -> str:
        """The selected attachment's file name (the row's text up to the size)."""
        item = self.files.currentItem()
        return item.text().split(" — ")[0] if item is not None else ""
