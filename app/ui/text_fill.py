"""Filling the incoming registration form from the document's own text: paste it, open or drop a .txt, a PDF or a
scan (read by text recognition in the background, with progress and Hủy); the fields read are highlighted until
the clerk passes through them, the links to be made are shown before saving, and the file is kept to be attached."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QMimeData, QObject, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from app.core.dates import format_date
from app.core.errors import VanThuError
from app.core.files import sha256_of
from app.core.records import IncomingInput
from app.extraction.confidence import FIELD_LABELS, weak_fields
from app.extraction.extractor import extract
from app.extraction.reader import IMAGE_SUFFIXES, PDF_SUFFIXES, NeedsRecognition, read_document
from app.extraction.records import ExtractedDocument, Extraction, ReceivedStamp
from app.services.attachment_text import LAYER, AttachedText, discard
from app.ui import file_dialogs
from app.ui.form import Form
from app.ui.scan_progress import ScanProgress

EXTRACTED = "extracted"  # widget property: filled from the text, not yet looked at by the clerk
WEAK = "weak"  # widget property: read from a weak line of a scan; must be typed over or edited before saving
STYLE = 'QLineEdit[extracted="true"], QPlainTextEdit[extracted="true"], QComboBox[extracted="true"] ' \
        "{ background: #fff7cc; border: 1px solid #d4a100; }" \
        'QLineEdit[weak="true"], QPlainTextEdit[weak="true"], QComboBox[weak="true"] ' \
        "{ background: #fde2e1; border: 2px solid #c62828; }"
_FIELDS = ("issuer", "reference", "issued_on", "doc_type", "subject", "urgency", "secrecy", "due_on")
_FILE_TYPES = (".txt", *PDF_SUFFIXES, *IMAGE_SUFFIXES)
_ATTACHABLE = (*PDF_SUFFIXES, *IMAGE_SUFFIXES)  # a .txt is read, never attached
# Fields of the extraction that land in another field of the form (a weak "Số" line makes the số, ký hiệu weak).
_FORM_FIELD = {"number": "reference", "notation": "reference", "deadline": "due_on"}
_SOURCE_FIELD = {"due_on": "deadline"}  # the extraction's name of a form field's value, where they differ
_INDENT = 24  # pixels: one level of the planned links' tree
# (file, progress(i, n), cancelled()) → its text: registry.attachments.read_text, run on a worker thread
ReadScan = Callable[[Path, Callable[[int, int], None], Callable[[], bool]], AttachedText]


class LinkPlan(Protocol):
    """A link the registration would make (registry.text_entry.plan_links gives them)."""

    depth: int  # 0: made by the entry being registered; 1: by a document it forwards; …

    def describe(self) -> str: ...


class TextFill(QObject):
    """Fills an incoming registration form's fields (by the Form's field names); keeps the extraction so saving can
    also make the links. It speaks through `say(text, kind)` ("ok" or "error") and calls `filled()` after filling
    (the number preview may change); `parent` also parents the file chooser."""

    def __init__(self, form: Form, plan_links: Callable[[Extraction], Sequence[LinkPlan]],
                 say: Callable[[str, str], object], filled: Callable[[], object],
                 parent: QWidget | None = None, read_scan: ReadScan | None = None,
                 issuer_name: Callable[[ExtractedDocument], str | None] | None = None) -> None:
        super().__init__(parent)
        self.form = form
        self.plan_links = plan_links
        # The issuer to fill in: the full name the registry makes of the header lines (as read when not given).
        self.issuer_name = issuer_name or (lambda doc: doc.issuer)
        self.unchecked_accepted = False  # the clerk chose to save with yellow fields unchecked: not asked again
        self.say = say
        self.filled = filled
        self.parent_widget = parent
        self.read_scan = read_scan
        self.extraction: Extraction | None = None
        self.source: tuple[Path, AttachedText] | None = None  # the file read, to attach to the new entry
        self.weak: dict[str, float] = {}  # form field → confidence of the scan line it was read from
        self.scan = ScanProgress(parent)
        self.scan.busy_changed = self._busy
        self.progress, self.stop_button = self.scan.bar, self.scan.stop_button
        self.paste_button = QPushButton("Dán văn bản (Ctrl+Shift+V)")
        self.paste_button.setToolTip("Dán nội dung văn bản đã sao chép (hoặc tệp) để tự điền các trường")
        self.open_button = QPushButton("Đọc từ tệp…")
        self.open_button.setToolTip("Đọc tệp .txt, .pdf hoặc bản quét, ảnh chụp (PNG, JPEG, TIFF); cũng có thể kéo "
                                    "thả tệp vào hộp thoại")
        self.paste_button.clicked.connect(self.paste)
        self.open_button.clicked.connect(self.open_file)
        self.links = QLabel()
        self.links.setTextFormat(Qt.TextFormat.RichText)  # indented paragraphs: the tree of links
        self.link_rows: list[tuple[int, str]] = []  # what `links` shows: (depth, text) in order
        self.links.setWordWrap(True)
        self.links.setProperty("role", "note")
        self.links.hide()
        self.row = QHBoxLayout()
        self.row.addWidget(self.paste_button)
        self.row.addWidget(self.open_button)
        self.row.addWidget(self.progress, 1)
        self.row.addWidget(self.stop_button)
        self.row.addStretch(1)
        self._watch_edits()

    # sources of text
    def paste(self) -> bool:
        mime = QGuiApplication.clipboard().mimeData()
        return self.from_mime(mime) if mime is not None else False

    def open_file(self) -> bool:
        kinds = " ".join(f"*{s}" for s in _FILE_TYPES)
        path = file_dialogs.open_file(self.parent_widget, "Đọc văn bản từ tệp", f"Văn bản, bản quét ({kinds})")
        return self.from_file(path) if path else False

    last_message = ""

    def accepts(self, mime: QMimeData) -> bool:
        return mime.hasText() or any(u.toLocalFile().lower().endswith(_FILE_TYPES) for u in mime.urls())

    def from_mime(self, mime: QMimeData) -> bool:
        if self.scan.busy:  # a pasted text would be replaced by the scan's when it arrives
            self.say("Đang nhận dạng chữ một bản quét: hãy chờ xong hoặc bấm Hủy trước khi dán văn bản khác.", "error")
            return False
        files = [u.toLocalFile() for u in mime.urls() if u.toLocalFile().lower().endswith(_FILE_TYPES)]
        if files:
            return self.from_file(files[0])
        return self.from_text(mime.text()) if mime.hasText() else False

    def from_file(self, path: str | Path) -> bool:
        """Read a file into the form: text at once, a scan in the background (True once it has started)."""
        if self.scan.busy:
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
        # Its hash as read: attaching refuses the file if it was replaced before saving.
        self.source = (file, AttachedText(text, LAYER, sha256=sha256_of(file))) \
            if file.suffix.lower() in _ATTACHABLE else None
        if self.source is not None:
            self._add_note(f"Tệp «{file.name}» sẽ được đính kèm khi vào sổ.")
        return True

    def from_text(self, text: str, keep: set[str] | frozenset[str] = frozenset()) -> bool:
        """Fill the form from a text; the fields named in `keep` (typed by the clerk meanwhile) are left alone."""
        extraction = extract(text)
        if not extraction.documents:
            self.say("Không đọc được văn bản nào trong nội dung đã dán.", "error")
            return False
        self._drop_source()
        for name in list(self.weak):  # a new text: the old scan's doubts go with it
            self._edited(name)
        self.fill(extraction, keep)
        return True

    # scans, in the background
    def _recognise(self, file: Path) -> bool:
        if self.read_scan is None:
            self.say(f"Tệp «{file.name}» là bản quét; hộp thoại này không nhận dạng chữ được.", "error")
            return False
        read_scan = self.read_scan
        before = self.form.values()  # what the clerk types meanwhile is kept: those fields are not filled
        self.scan.start(file, lambda report, stop: read_scan(file, report, stop),
                        lambda read: self._recognised(file, read, before), self._not_recognised)
        self.say(f"Đang nhận dạng chữ bản quét «{file.name}»; có thể tiếp tục nhập trong khi chờ.", "ok")
        return True

    @property
    def reading(self) -> object | None:
        """The running recognition's stop flag (None when none runs)."""
        return self.scan.reading

    def _recognised(self, file: Path, read: AttachedText, before: dict[str, str] | None = None) -> None:
        if not read.text:
            discard(read)
            self.say(read.problem or f"Không đọc được chữ nào trong «{file.name}».", "error")
            return
        typed = {n for n, v in self.form.values().items() if before is not None and before.get(n) != v}
        if not self.from_text(read.text, keep=typed):
            discard(read)
            return
        self.source = (file, read)
        assert self.extraction is not None
        self._flag_weak(weak_fields(self.extraction.documents[0], read.line_confidence))
        confidence = f", độ tin cậy {read.confidence:.0f}%" if read.confidence is not None else ""
        self._add_note(f"Đã nhận dạng chữ bản quét «{file.name}»{confidence}; bản quét sẽ được đính kèm khi vào "
                       "sổ.")
        if self.weak:
            self._add_note(f"Đọc kém, tô đỏ, phải sửa hoặc gõ lại trước khi vào sổ: {self.weak_text()}.")
        kept = [FIELD_LABELS.get(n, n) for n in _FIELDS if n in typed]
        if kept:
            self._add_note(f"Giữ nguyên những gì đã gõ trong lúc chờ: {', '.join(kept)}.")

    def _not_recognised(self, error: Exception) -> None:
        self.say(str(error) if isinstance(error, VanThuError) else f"Không nhận dạng được chữ: {error}", "error")

    def _busy(self, on: bool) -> None:
        self.paste_button.setEnabled(not on)
        self.open_button.setEnabled(not on)

    def stop(self) -> None:
        """Hủy: the recognition stops after the page it is on; nothing is filled."""
        self.scan.stop()

    def wait(self) -> None:
        """Stop any recognition and wait for its thread (closing the dialog); a scan read and not saved leaves
        no temporary copy behind."""
        self.scan.wait()
        self._drop_source()

    def _add_note(self, note: str) -> None:
        self.last_message = f"{self.last_message} {note}".strip()
        self.say(self.last_message, "ok")

    # weak fields: read from a line the recognition was unsure of
    def _flag_weak(self, weak: dict[str, float]) -> None:
        for name, confidence in weak.items():
            field = _FORM_FIELD.get(name, name)
            widget = self.form.fields.get(field)
            if widget is None or not self.form.value(field):
                continue  # not a field of this form, or nothing was put in it
            self.weak[field] = min(confidence, self.weak.get(field, 100.0))
            self._set_property(widget, WEAK, True)
            widget.setToolTip(f"Đọc kém từ bản quét (độ tin cậy {self.weak[field]:.0f}%): hãy đối chiếu bản giấy, "
                              "sửa hoặc gõ lại")

    def weak_text(self) -> str:
        """The weak fields for a message: "Số, ký hiệu (41%), Ngày văn bản (62%)"."""
        return ", ".join(f"{FIELD_LABELS.get(n, n)} ({c:.0f}%)" for n, c in self.weak.items())

    def _watch_edits(self) -> None:
        """Only the clerk's own edit clears a weak field (signals that programmatic filling does not send)."""
        for name, widget in self.form.fields.items():
            if isinstance(widget, QLineEdit):
                widget.textEdited.connect(lambda _text, n=name: self._edited(n))
            elif isinstance(widget, QComboBox):
                widget.activated.connect(lambda _index, n=name: self._edited(n))
                if widget.lineEdit() is not None:
                    widget.lineEdit().textEdited.connect(lambda _text, n=name: self._edited(n))
            elif isinstance(widget, QPlainTextEdit):
                widget.textChanged.connect(lambda n=name, w=widget: self._edited(n) if w.hasFocus() else None)

    def _edited(self, name: str) -> None:
        if self.weak.pop(name, None) is not None:
            widget = self.form.fields[name]
            self._set_property(widget, WEAK, False)
            widget.setToolTip("")

    def _drop_source(self) -> None:
        """Forget the file read (its temporary searchable copy too): another text replaces it, or nothing."""
        if self.source is not None:
            discard(self.source[1])
        self.source = None

    def take_source(self) -> tuple[Path, AttachedText] | None:
        """The file read into the form, once: the dialog attaches it to the entry just registered."""
        source, self.source = self.source, None
        return source

    # filling
    def fill(self, extraction: Extraction, keep: set[str] | frozenset[str] = frozenset()) -> None:
        doc = extraction.documents[0]
        issuer = self._issuer(doc)
        values: dict[str, Any] = {
            "issuer": issuer, "reference": doc.reference,
            "issued_on": format_date(doc.issued_on) if doc.issued_on else None, "doc_type": doc.doc_type,
            "subject": doc.subject, "urgency": doc.urgency, "secrecy": doc.secrecy,
            "due_on": format_date(doc.deadline) if doc.deadline else None}
        self.unchecked_accepted = False
        filled = []
        for name in _FIELDS:
            value = values[name]
            widget = self.form.fields.get(name)
            if widget is None or not value or name in keep:
                continue  # never overwrite with nothing, nor what the clerk typed: it stays as the clerk left it
            self._set(widget, value)
            line = doc.sources.get(_SOURCE_FIELD.get(name, name))
            tip = f"Đọc từ dòng {line} của văn bản" if line else "Đọc từ văn bản"
            if name == "issuer" and issuer != doc.issuer:
                read = " / ".join(p for p in (doc.issuer_parent, doc.issuer) if p)
                tip += f": «{read}», ghi tên đầy đủ"
            widget.setToolTip(tip)
            self.mark(widget, True)
            filled.append(name)
        self.extraction = extraction
        self._show_links(extraction)
        count = len(extraction.documents)
        bundle = f" (tệp gồm {count} văn bản: văn bản đầu vào sổ, các văn bản sau được liên kết)" if count > 1 else ""
        self.last_message = (f"Đã điền {len(filled)} trường từ văn bản{bundle}. Các trường tô vàng cần xem lại: đi "
                             "qua từng trường (Tab) để xác nhận.")
        stamp = previous_stamp(extraction.received_stamp)
        if stamp:
            self.last_message += f" {stamp}"
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
        self._set_property(widget, EXTRACTED, on)

    @staticmethod
    def _set_property(widget: object, name: str, on: bool) -> None:
        if isinstance(widget, QLineEdit | QPlainTextEdit | QComboBox) and bool(widget.property(name)) != on:
            widget.setProperty(name, on)
            widget.style().unpolish(widget)
            widget.style().polish(widget)

    def confirmed(self, widget: object) -> None:
        """The clerk passed through a highlighted field: it is confirmed."""
        if isinstance(widget, QObject) and widget.property(EXTRACTED):
            self.mark(widget, False)

    def pending(self) -> list[str]:
        return [name for name, w in self.form.fields.items() if w.property(EXTRACTED)]

    def _show_links(self, extraction: Extraction) -> None:
        """Under the form, until saved: the paper's previous ĐẾN stamp, and the links to be made as a tree (each
        forwarded document indented under the one forwarding it; a wrapped line keeps its indentation)."""
        rows = [(0, stamp)] if (stamp := previous_stamp(extraction.received_stamp)) else []
        try:
            plans = self.plan_links(extraction)
        except VanThuError as exc:
            plans = []
            rows.append((0, f"Không xem trước được liên kết: {exc}"))
        if plans:
            rows += [(0, "Liên kết sẽ tạo khi vào sổ:"),
                     (0, f"{extraction.documents[0].reference or 'văn bản đang vào sổ'} (văn bản này)")]
            rows += [(1 + getattr(p, "depth", 0), f"└ {p.describe()}") for p in plans]
        self.link_rows = rows
        self.links.setText("".join(f'<p style="margin: 0 0 0 {_INDENT * depth}px">{html.escape(text)}</p>'
                                   for depth, text in rows))
        self.links.setVisible(bool(rows))

    # saving
    @staticmethod
    def overrides(typed: IncomingInput) -> dict[str, Any]:
        """The whole form as the clerk left it: it wins over what was read."""
        return {k: v for k, v in asdict(typed).items() if v not in (None, "")}

    def _issuer(self, doc: ExtractedDocument) -> str | None:
        try:
            return self.issuer_name(doc) or doc.issuer
        except VanThuError:  # the directory could not be read: the name as printed, still yellow to check
            return doc.issuer

    def unchecked(self) -> list[str]:
        """The yellow fields the clerk has not passed through, in the form's order (weak red ones are refused on
        their own); none when the form was not read from a text."""
        return self.pending() if self.extraction is not None else []

    def clear(self) -> None:
        self.extraction = None
        self.unchecked_accepted = False
        self.link_rows = []
        self._drop_source()
        for name in list(self.weak):
            self._edited(name)
        self.links.hide()
        for widget in self.form.fields.values():
            self.mark(widget, False)


def previous_stamp(stamp: ReceivedStamp | None) -> str:
    """The ĐẾN stamp already on the paper (a previous receiver's), said to the clerk: never our số đến or ngày đến."""
    if stamp is None or stamp.number is None:
        return ""
    day = f", ngày {format_date(stamp.date)}" if stamp.date else ""
    return (f"Dấu ĐẾN của nơi nhận trước: số {stamp.number}{day} (không dùng làm số đến, ngày đến của sổ này).")
