"""The Tệp tab: the entry's attached scans, each PDF with its latest signature check, and the buttons to add, open
and detach one; and the question a file whose signature fails is attached only after (signature_reason)."""

from __future__ import annotations

import logging
import textwrap
from collections.abc import Callable, Sequence
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import VanThuError
from app.core.records import AttachmentRecord, SignatureCheckRecord
from app.services.attachments import size_text
from app.services.signature_checks import is_pdf
from app.signatures.verdicts import INVALID
from app.ui.detail_history import local_time
from app.ui.document_table_model import SIGNATURE_MARKS
from app.ui.scan_progress import ScanProgress

log = logging.getLogger(__name__)

SCAN_FILTER = ("Bản quét PDF hoặc ảnh (*.pdf *.png *.jpg *.jpeg *.tif *.tiff *.bmp *.gif *.webp);;"
               "PDF (*.pdf);;Ảnh (*.png *.jpg *.jpeg *.tif *.tiff *.bmp *.gif *.webp)")
_ID_ROLE = Qt.ItemDataRole.UserRole  # the attachment's id
# attachment ids → id → its newest signature check (registry.signatures.latest); files never checked are absent
LatestChecks = Callable[[Sequence[int]], dict[int, SignatureCheckRecord]]
REASON_TITLE = "Chữ ký số không đạt"
REASON_QUESTION = "Chữ ký số của tệp không đạt. Nếu vẫn nhận văn bản, ghi lý do (ghi vào nhật ký):"


def ask_signature_reason(parent: QWidget | None, file_name: str, verdict: str) -> str | None:
    """Ask why a file whose signature is broken, untrusted or missing is taken all the same (the verdict in red
    above the question); None when the clerk cancels or gives no reason: then nothing is attached."""
    said = "<br>".join(escape(line) for line in textwrap.wrap(f"«{file_name}»: {verdict}", 90))
    label = (f'<p style="color: {SIGNATURE_MARKS[INVALID][1]}; font-weight: bold;">{said}</p>'
             f"<p>{escape(REASON_QUESTION)}</p>")
    text, ok = QInputDialog.getText(parent, REASON_TITLE, label, QLineEdit.EchoMode.Normal, "")
    reason = text.strip() if ok else ""
    return reason or None


def signature_reason(parent: QWidget | None, check_file: Callable[..., Any], file: Path) -> tuple[bool, str | None]:
    """Whether to go on attaching `file`, and with what reason. A PDF's signatures are checked (`check_file`, the
    registry's) before its text is read (seconds for a scan): one that fails is taken only with the clerk's reason,
    asked now; (False, None) when none is given. A check that cannot be made is left to attach, which says why it
    refuses the file."""
    if not is_pdf(file):
        return True, None
    try:
        report = check_file(file, strict=False)
    except VanThuError:
        return True, None
    if not report.needs_confirmation:
        return True, None
    reason = ask_signature_reason(parent, file.name, report.verdict)
    return reason is not None, reason


def signature_lines(check: SignatureCheckRecord) -> list[str]:
    """A stored check as the Tệp tab shows it under the file: the verdict, the reason it was taken anyway, when."""
    mark = SIGNATURE_MARKS.get(check.status)
    lines = [f"{mark[0]} {check.verdict}" if mark else check.verdict]
    if check.confirmed_reason:
        lines.append(f"Đã xác nhận vẫn nhận: {check.confirmed_reason}")
    lines.append(f"Kiểm tra lúc {local_time(check.checked_at)}")
    return lines


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

    def __init__(self, parent: QWidget | None = None, latest: LatestChecks | None = None) -> None:
        super().__init__("Tệp đính kèm", parent)
        self.latest = latest  # without it the files are listed without their signature checks
        self.files = QListWidget()
        self.files.setMinimumHeight(90)
        self.files.setWordWrap(True)
        self.files.setSpacing(2)  # a PDF's item runs over several lines: keep the files apart
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
        """One item per file: its name, size and who added it; a checked PDF's verdict below, the whole item in
        the verdict's colour (green valid, orange untrusted, red invalid or missing)."""
        self.files.clear()
        checks, problem = self._checks(files)
        for a in files:
            lines = [f"{a.file_name} — {size_text(a.size)} — {local_time(a.added_at)} ({a.added_by}){_text_note(a)}"]
            tip = [f"SHA-256: {a.sha256}"]
            check = checks.get(a.id)
            if check is not None:
                lines += signature_lines(check)
                tip.append(f"Chữ ký số: {check.verdict} (kiểm tra bởi {check.checked_by})")
            elif problem and a.file_name.lower().endswith(".pdf"):
                lines.append(problem)
            item = QListWidgetItem("\n".join(lines))
            item.setData(_ID_ROLE, a.id)
            item.setToolTip("\n".join(tip))
            mark = SIGNATURE_MARKS.get(check.status) if check is not None else None
            if mark is not None:
                item.setForeground(QBrush(QColor(mark[1])))
            self.files.addItem(item)

    def _checks(self, files: list[AttachmentRecord]) -> tuple[dict[int, SignatureCheckRecord], str]:
        """The newest check of each file, in one read; a read that fails leaves the list shown without them."""
        if self.latest is None or not files:
            return {}, ""
        try:
            return self.latest([a.id for a in files]), ""
        except VanThuError as exc:
            log.warning("reading the signature checks failed: %s", exc)
            return {}, f"Không đọc được kết quả kiểm tra chữ ký số: {exc}"

    def selected(self) -> int | None:
        """The id of the selected attachment, or None."""
        item = self.files.currentItem()
        return int(item.data(_ID_ROLE)) if item is not None and item.isSelected() else None

    def selected_name(self) -> str:
        """The selected attachment's file name (the row's text up to the size)."""
        item = self.files.currentItem()
        return item.text().split(" — ")[0] if item is not None else ""
