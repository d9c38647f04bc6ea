"""Filling the incoming registration form from the document's own text: paste it, open or drop a .txt, a PDF or a
scan (read by text recognition in the background, with progress and Hủy); the fields read are highlighted until
the clerk passes through them, the links to be made are shown before saving, and the file is kept to be attached."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QMimeData, QObject, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QWidget,
)

from app.core.dates import format_date
from app.core.errors import VanThuError
from app.core.records import IncomingInput
from app.extraction.extractor import extract
from app.extraction.reader import IMAGE_SUFFIXES, PDF_SUFFIXES, NeedsRecognition, read_document
from app.extraction.records import Extraction
from app.services.attachment_text import LAYER, AttachedText
from app.ui.form import Form
from app.ui.tasks import BackgroundTasks

EXTRACTED = "extracted"  # widget property: filled from the text, not yet looked at by the clerk
STYLE = 'QLineEdit[extracted="true"], QPlainTextEdit[extracted="true"], QComboBox[extracted="true"] ' \
        "{ background: #fff7cc; border: 1px solid #d4a100; }"
_FIELDS = ("issuer", "reference", "issued_on", "doc_type", "subject", "urgency", "secrecy")
_FILE_TYPES = (".txt", *PDF_SUFFIXES, *IMAGE_SUFFIXES)
_ATTACHABLE = (*PDF_SUFFIXES, *IMAGE_SUFFIXES)  # a .txt is read, never attached
# (file, progress(i, n), cancelled()) → its text: registry.attachments.read_text, run on a worker thread
ReadScan = Callable[[Path, Callable[[int, int], None], Callable[[], bool]], AttachedText]


class LinkPlan(Protocol):
    """A link the registration would make (registry.text_entry.plan_links gives them)."""

    def describe(self) -> str: ...


class TextFill(QObject):
    """Fills an incoming registration form's fields (by the Form's field names); keeps the extraction so saving can
    also make the links. It speaks through `say(text, kind)` ("ok" or "error") and calls `filled()` after filling
    (the number preview may change); `parent` also parents the file chooser."""

    def __init__(self, form: Form, plan_links: Callable[[Extraction], Sequence[LinkPlan]],
                 say: Callable[[str, str], object], filled: Callable[[], object],
                 parent: QWidget | None = None, read_scan: ReadScan | None = None) -> None:
        super().__init__(parent)
        self.form = form
        self.plan_links = plan_links
        self.say = say
        self.filled = filled
        self.parent_widget = parent
        self.read_scan = read_scan
        self.extraction: Extraction | None = None
        self.source: tuple[Path, AttachedText] | None = None  # the file read, to attach to the new entry
        # Its own worker: a 30-page scan must not hold up the register table's queries behind it.
        self.tasks = BackgroundTasks(self)
        self.reading: threading.Event | None = None  # set by Hủy; the recognition stops at the next page
        self.paste_button = QPushButton("Dán văn bản (Ctrl+Shift+V)")
        self.paste_button.setToolTip("Dán nội dung văn bản đã sao chép (hoặc tệp) để tự điền các trường")
        self.open_button = QPushButton("Đọc từ tệp…")
        self.open_button.setToolTip("Đọc tệp .txt, .pdf hoặc bản quét, ảnh chụp (PNG, JPEG, TIFF); cũng có thể kéo "
                                    "thả tệp vào hộp thoại")
        self.paste_button.clicked.connect(self.paste)
        self.open_button.clicked.connect(self.open_file)
        self.links = QLabel()
        self.links.setWordWrap(True)
        self.links.setProperty("role", "note")
        self.links.hide()
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.stop_button = QPushButton("Hủy")
        self.stop_button.setToolTip("Dừng nhận dạng chữ; chưa có gì được điền hay ghi")
        self.stop_button.clicked.connect(self.stop)
        self.stop_button.hide()
        self.row = QHBoxLayout()
        self.row.addWidget(self.paste_button)
        self.row.addWidget(self.open_button)
        self.row.addWidget(self.progress, 1)
        self.row.addWidget(self.stop_button)
        self.row.addStretch(1)

    # sources of text
    def paste(self) -> bool:
        mime = QGuiApplication.clipboard().mimeData()
        return self.from_mime(mime) if mime is not None else False

    def open_file(self) -> bool:
        kinds = " ".join(f"*{s}" for s in _FILE_TYPES)
        path, _filter = QFileDialog.getOpenFileName(self.parent_widget, "Đọc văn bản từ tệp", "",
                                                    f"Văn bản, bản quét ({kinds})")
        return self.from_file(path) if path else False

    last_message = ""

    def accepts(self, mime: QMimeData) -> bool:
        return mime.hasText() or any(u.toLocalFile().lower().endswith(_FILE_TYPES) for u in mime.urls())

    def from_mime(self, mime: QMimeData) -> bool:
        files = [u.toLocalFile() for u in mime.urls() if u.toLocalFile().lower().endswith(_FILE_TYPES)]
        if files:
            return self.from_file(files[0])
        return self.from_text(mime.text()) if mime.hasText() else False

    def from_file(self, path: str | Path) -> bool:
        """Read a file into the form: text at once, a scan in the background (True once it has started)."""
        if self.reading is not None:
            self.say("Đang nhận dạng chữ một bản quét: hãy chờ xong hoặc bấm Hủy trước khi đọc tệp khác.", "error")
            return False
        file = Path(path)
        try:
            # A scan is not recognised on the window's thread: Tesseract takes seconds a page.
            text = read_document(file, recognise=False).text
        except NeedsRecognition:
            return self._recognise(file)
        except VanThuError as exc:
            self.say(str(exc), "error")
            return False
        if not self.from_text(text):
            return False
        self.source = (file, AttachedText(text, LAYER)) if file.suffix.lower() in _ATTACHABLE else None
        if self.source is not None:
            self._add_note(f"Tệp «{file.name}» sẽ được đính kèm khi vào sổ.")
        return True

    def from_text(self, text: str) -> bool:
        extraction = extract(text)
        if not extraction.documents:
            self.say("Không đọc được văn bản nào trong nội dung đã dán.", "error")
            return False
        self.source = None
        self.fill(extraction)
        return True

    # scans, in the background
    def _recognise(self, file: Path) -> bool:
        if self.read_scan is None:
            self.say(f"Tệp «{file.name}» là bản quét; hộp thoại này không nhận dạng chữ được.", "error")
            return False
        read_scan = self.read_scan
        stop = self.reading = threading.Event()
        self._busy(True, file)

        def work(report: Callable[[int, int], None]) -> AttachedText:
            return read_scan(file, report, stop.is_set)

        self.tasks.run(work, lambda read: self._recognised(file, read), self._not_recognised, self._page_done)
        return True

    def _page_done(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.setFormat(f"Đang nhận dạng chữ: xong trang {done}/{total}")

    def _recognised(self, file: Path, read: AttachedText) -> None:
        self._busy(False)
        if not read.text:
            self.say(read.problem or f"Không đọc được chữ nào trong «{file.name}».", "error")
            return
        if not self.from_text(read.text):
            return
        self.source = (file, read)
        confidence = f", độ tin cậy {read.confidence:.0f}%" if read.confidence is not None else ""
        self._add_note(f"Đã nhận dạng chữ bản quét «{file.name}»{confidence}; bản quét sẽ được đính kèm khi vào "
                       "sổ.")

    def _not_recognised(self, error: Exception) -> None:
        self._busy(False)
        self.say(str(error) if isinstance(error, VanThuError) else f"Không nhận dạng được chữ: {error}", "error")

    def _busy(self, on: bool, file: Path | None = None) -> None:
        if not on:
            self.reading = None
        self.paste_button.setEnabled(not on)
        self.open_button.setEnabled(not on)
        self.progress.setVisible(on)
        self.stop_button.setVisible(on)
        self.stop_button.setEnabled(on)
        if on and file is not None:
            self.progress.setRange(0, 0)  # busy until the first page is done and the count is known
            self.progress.setFormat("Đang mở bản quét…")
            self.say(f"Đang nhận dạng chữ bản quét «{file.name}»; có thể tiếp tục nhập trong khi chờ.", "ok")

    def stop(self) -> None:
        """Hủy: the recognition stops after the page it is on; nothing is filled."""
        if self.reading is not None:
            self.reading.set()
            self.stop_button.setEnabled(False)
            self.progress.setFormat("Đang dừng…")

    def wait(self) -> None:
        """Stop any recognition and wait for its thread (closing the dialog)."""
        self.stop()
        self.tasks.wait()

    def _add_note(self, note: str) -> None:
        self.say(f"{self.last_message} {note}".strip(), "ok")

    def take_source(self) -> tuple[Path, AttachedText] | None:
        """The file read into the form, once: the dialog attaches it to the entry just registered."""
        source, self.source = self.source, None
        return source

    # filling
    def fill(self, extraction: Extraction) -> None:
        doc = extraction.documents[0]
        values: dict[str, Any] = {
            "issuer": doc.issuer, "reference": doc.reference,
            "issued_on": format_date(doc.issued_on) if doc.issued_on else None, "doc_type": doc.doc_type,
            "subject": doc.subject, "urgency": doc.urgency, "secrecy": doc.secrecy}
        filled = []
        for name in _FIELDS:
            value = values[name]
            widget = self.form.fields.get(name)
            if widget is None or not value:
                continue  # never overwrite with nothing: what cannot be read stays as the clerk left it
            self._set(widget, value)
            line = doc.sources.get(name)
            widget.setToolTip(f"Đọc từ dòng {line} của văn bản" if line else "Đọc từ văn bản")
            self.mark(widget, True)
            filled.append(name)
        self.extraction = extraction
        self._show_links(extraction)
        count = len(extraction.documents)
        bundle = f" (tệp gồm {count} văn bản: văn bản đầu vào sổ, các văn bản sau được liên kết)" if count > 1 else ""
        self.last_message = (f"Đã điền {len(filled)} trường từ văn bản{bundle}. Các trường tô vàng cần xem lại: đi "
                             "qua từng trường (Tab) để xác nhận.")
        self.say(self.last_message, "ok")
        self.filled()
        first = next((self.form.fields[n] for n in _FIELDS if n in self.form.fields), None)
        if first is not None:
            first.setFocus()

    @staticmethod
    def _set(widget: object, value: str) -> None:
        if isinstance(widget, QPlainTextEdit):
            widget.setPlainText(value)
        elif isinstance(widget, QComboBox):
            index = widget.findData(value)
            if index < 0:
                index = widget.findText(value, Qt.MatchFlag.MatchFixedString)
            if index >= 0:
                widget.setCurrentIndex(index)
            elif widget.isEditable():
                widget.setEditText(value)
        elif isinstance(widget, QLineEdit):
            widget.setText(value)

    def mark(self, widget: object, on: bool) -> None:
        if isinstance(widget, QLineEdit | QPlainTextEdit | QComboBox) and bool(widget.property(EXTRACTED)) != on:
            widget.setProperty(EXTRACTED, on)
            widget.style().unpolish(widget)
            widget.style().polish(widget)

    def confirmed(self, widget: object) -> None:
        """The clerk passed through a highlighted field: it is confirmed."""
        if isinstance(widget, QObject) and widget.property(EXTRACTED):
            self.mark(widget, False)

    def pending(self) -> list[str]:
        return [name for name, w in self.form.fields.items() if w.property(EXTRACTED)]

    def _show_links(self, extraction: Extraction) -> None:
        try:
            plans = self.plan_links(extraction)
        except VanThuError as exc:
            self.links.setText(f"Không xem trước được liên kết: {exc}")
            self.links.show()
            return
        if not plans:
            self.links.hide()
            return
        lines = "\n".join(f"• {p.describe()}" for p in plans)
        self.links.setText(f"Liên kết sẽ tạo khi vào sổ:\n{lines}")
        self.links.show()

    # saving
    @staticmethod
    def overrides(typed: IncomingInput) -> dict[str, Any]:
        """The whole form as the clerk left it: it wins over what was read."""
        return {k: v for k, v in asdict(typed).items() if v not in (None, "")}

    def clear(self) -> None:
        self.extraction = None
        self.source = None
        self.links.hide()
        for widget in self.form.fields.values():
            self.mark(widget, False)
