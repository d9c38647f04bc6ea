"""Filling the incoming registration form from the document's own text: paste it, open or drop a .txt/.pdf; the
fields read are highlighted until the clerk passes through them, and the links to be made are shown before saving."""

from __future__ import annotations

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
    QPushButton,
    QWidget,
)

from app.core.dates import format_date
from app.core.errors import VanThuError
from app.core.records import IncomingInput
from app.extraction.extractor import extract
from app.extraction.reader import read_document
from app.extraction.records import Extraction
from app.ui.form import Form

EXTRACTED = "extracted"  # widget property: filled from the text, not yet looked at by the clerk
STYLE = 'QLineEdit[extracted="true"], QPlainTextEdit[extracted="true"], QComboBox[extracted="true"] ' \
        "{ background: #fff7cc; border: 1px solid #d4a100; }"
_FIELDS = ("issuer", "reference", "issued_on", "doc_type", "subject", "urgency", "secrecy")
_FILE_TYPES = (".txt", ".pdf")


class LinkPlan(Protocol):
    """A link the registration would make (registry.text_entry.plan_links gives them)."""

    def describe(self) -> str: ...


class TextFill(QObject):
    """Fills an incoming registration form's fields (by the Form's field names); keeps the extraction so saving can
    also make the links. It speaks through `say(text, kind)` ("ok" or "error") and calls `filled()` after filling
    (the number preview may change); `parent` also parents the file chooser."""

    def __init__(self, form: Form, plan_links: Callable[[Extraction], Sequence[LinkPlan]],
                 say: Callable[[str, str], object], filled: Callable[[], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = form
        self.plan_links = plan_links
        self.say = say
        self.filled = filled
        self.parent_widget = parent
        self.extraction: Extraction | None = None
        self.paste_button = QPushButton("Dán văn bản (Ctrl+Shift+V)")
        self.paste_button.setToolTip("Dán nội dung văn bản đã sao chép (hoặc tệp) để tự điền các trường")
        self.open_button = QPushButton("Đọc từ tệp…")
        self.open_button.setToolTip("Đọc tệp .txt hoặc .pdf có lớp chữ; cũng có thể kéo thả tệp vào hộp thoại")
        self.paste_button.clicked.connect(self.paste)
        self.open_button.clicked.connect(self.open_file)
        self.links = QLabel()
        self.links.setWordWrap(True)
        self.links.setProperty("role", "note")
        self.links.hide()
        self.row = QHBoxLayout()
        self.row.addWidget(self.paste_button)
        self.row.addWidget(self.open_button)
        self.row.addStretch(1)

    # sources of text
    def paste(self) -> bool:
        mime = QGuiApplication.clipboard().mimeData()
        return self.from_mime(mime) if mime is not None else False

    def open_file(self) -> bool:
        path, _filter = QFileDialog.getOpenFileName(self.parent_widget, "Đọc văn bản từ tệp", "",
                                                    "Văn bản (*.txt *.pdf)")
        return self.from_file(path) if path else False

    def accepts(self, mime: QMimeData) -> bool:
        return mime.hasText() or any(u.toLocalFile().lower().endswith(_FILE_TYPES) for u in mime.urls())

    def from_mime(self, mime: QMimeData) -> bool:
        files = [u.toLocalFile() for u in mime.urls() if u.toLocalFile().lower().endswith(_FILE_TYPES)]
        if files:
            return self.from_file(files[0])
        return self.from_text(mime.text()) if mime.hasText() else False

    def from_file(self, path: str | Path) -> bool:
        try:
            # A scan is not recognised here: Tesseract takes seconds a page and this runs on the window's thread.
            text = read_document(path, recognise=False).text
        except VanThuError as exc:
            self.say(str(exc), "error")
            return False
        return self.from_text(text)

    def from_text(self, text: str) -> bool:
        extraction = extract(text)
        if not extraction.documents:
            self.say("Không đọc được văn bản nào trong nội dung đã dán.", "error")
            return False
        self.fill(extraction)
        return True

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
        self.say(f"Đã điền {len(filled)} trường từ văn bản{bundle}. Các trường tô vàng cần "
                 "xem lại: đi qua từng trường (Tab) để xác nhận.", "ok")
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
        self.links.hide()
        for widget in self.form.fields.values():
            self.mark(widget, False)
