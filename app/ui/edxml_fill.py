"""Filling the incoming registration form from an edXML message (.edxml, QCVN 102:2016): its fields, the sender's
mã định danh, each file's signature check, the replies it links and the files left out; saving registers it whole."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QObject, Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from app.core.dates import format_date
from app.core.errors import VanThuError
from app.core.records import DocumentRecord, IncomingInput
from app.extraction.reader import IMAGE_SUFFIXES, PDF_SUFFIXES
from app.services import Registry
from app.services.parts.edxml_inbox import SUFFIXES
from app.services.signature_checks import SignatureNeedsConfirmation
from app.ui import file_dialogs
from app.ui.detail_files import ask_signature_reason
from app.ui.form import Form
from app.ui.register_form import SignatureBanner
from app.ui.text_fill import TextFill

log = logging.getLogger(__name__)

# Part of the dialog's style sheet: the box under the file row that tells what the message brings.
STYLE = ("QFrame#edxmlBox { border: 1px solid #9fc5e8; background: #f3f8fd; }\n"
         "QLabel#edxmlSender { font-weight: bold; color: #0b5394; }\n"
         "QLabel#edxmlWarning { color: #b45f06; font-weight: bold; }\n"
         "QLabel#edxmlSkipped { color: #b00020; }\n")
# Secrecy first: choosing a level may lock or free the trích yếu, which is filled after it.
_FIELDS = ("secrecy", "issuer", "reference", "issued_on", "doc_type", "subject", "urgency", "pages")
_TYPED = (*_FIELDS, "note")  # sent as the form holds them, blank included: the clerk's "Thường" beats a Khẩn read
_OPENED = (".txt", *PDF_SUFFIXES, *IMAGE_SUFFIXES, *SUFFIXES)
def is_message(path: str | Path) -> bool:
    """An edXML message by its name (.edxml, or .xml as the inbox takes them)."""
    return bool(str(path)) and Path(path).suffix.lower() in SUFFIXES


@dataclass(frozen=True)
class _Said:
    """A line of the box drawn as a signature verdict (SignatureBanner.show_report reads these two)."""

    status: str
    verdict: str


class CheckedTextFill(TextFill):
    """TextFill that also tells the dialog of each file it is given to read (dropped, opened or pasted as a file),
    so a PDF's signatures are checked the moment it is chosen; `chosen(path, taken)`, taken when the file is read
    (or being recognised) to be attached. An edXML message goes to `message(path)` instead of being read as text."""

    def __init__(self, *args: Any, chosen: Callable[[Path, bool], object], message: Callable[[Path], bool],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.chosen = chosen
        self.message = message
        self.open_button.setToolTip("Đọc tệp .txt, .pdf, bản quét, ảnh chụp (PNG, JPEG, TIFF) hoặc thông điệp "
                                    "edXML (.edxml); cũng có thể kéo thả tệp vào hộp thoại")

    def accepts(self, mime: QMimeData) -> bool:
        return super().accepts(mime) or any(is_message(u.toLocalFile()) for u in mime.urls())

    def from_mime(self, mime: QMimeData) -> bool:
        messages = [u.toLocalFile() for u in mime.urls() if is_message(u.toLocalFile())]
        return self.from_file(messages[0]) if messages else super().from_mime(mime)

    def from_file(self, path: str | Path) -> bool:
        if is_message(path):
            if self.scan.busy:
                self.say("Đang nhận dạng chữ một bản quét: hãy chờ xong hoặc bấm Hủy trước khi đọc tệp khác.",
                         "error")
                return False
            return self.message(Path(path))
        taken = super().from_file(path)
        self.chosen(Path(path), taken)
        return taken

    def open_file(self) -> bool:
        kinds = " ".join(f"*{s}" for s in _OPENED)
        path = file_dialogs.open_file(self.parent_widget, "Đọc văn bản từ tệp",
                                     f"Văn bản, bản quét, thông điệp edXML ({kinds})")
        return self.from_file(path) if path else False


class EdxmlFill(QObject):
    """The message dropped or opened on the incoming form, kept open (its files staged) until it is registered,
    replaced by another file or text, or the dialog closes. `box` shows what the form does not hold: the sender's
    OrganId, each file with its signature verdict, the replies to link, the files left out and a likely duplicate.
    It speaks through `say(text, kind)` and calls `filled()` after filling (the number preview may change)."""

    def __init__(self, registry: Registry, form: Form, text_fill: TextFill, say: Callable[[str, str], object],
                 filled: Callable[[], object], parent: QWidget) -> None:
        super().__init__(parent)
        self.registry, self.form, self.text_fill = registry, form, text_fill
        self.say, self.filled, self.parent_widget = say, filled, parent
        self.package: Any = None  # app.edxml.message.Package, open while the form holds its message
        self.preview: Any = None  # registry.edxml.preview of it
        self.reason: str | None = None  # why its failed signatures are accepted, asked once per message
        self.banners: list[SignatureBanner] = []
        self.box = QFrame()
        self.box.setObjectName("edxmlBox")
        self.sender = self._label("edxmlSender")
        self.notes = self._label("")
        self.notes.setProperty("role", "note")
        self.skipped = self._label("edxmlSkipped")
        self.warning = self._label("edxmlWarning")
        self.files = QVBoxLayout()
        self.files.setSpacing(2)
        layout = QVBoxLayout(self.box)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(3)
        layout.addWidget(self.sender)
        layout.addLayout(self.files)
        for label in (self.notes, self.skipped, self.warning):
            layout.addWidget(label)
        self.box.hide()

    @staticmethod
    def _label(name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    # reading
    def load(self, path: Path, replacing: Callable[[], object]) -> bool:
        """Read the message into the form; `replacing()` lets go of what the form was filled from before. A broken
        or hostile file is refused with the reader's own sentence, and nothing changes."""
        package = None
        try:
            package = self.registry.edxml.read(path)
            preview = self.registry.edxml.preview(package)
        except VanThuError as exc:
            self._discard(package)
            self.say(str(exc), "error")
            return False
        except Exception as exc:  # a file the clerk picked must not take the dialog down
            log.exception("reading the edXML message %s failed", path)
            self._discard(package)
            self.say(f"Không đọc được thông điệp «{path.name}»: lỗi hệ thống ({exc}).", "error")
            return False
        replacing()
        self.close()
        self.package, self.preview = package, preview
        filled = self._fill(preview.data)
        self._show(package, preview)
        attached = len(package.message.attachments) - len(preview.skipped)
        self.say(f"Đã điền {filled} trường từ thông điệp edXML «{path.name}». Các trường tô vàng cần xem lại: đi "
                 f"qua từng trường (Tab) để xác nhận; Ctrl+Enter vào sổ kèm {attached} tệp.", "ok")
        return True

    @staticmethod
    def _discard(package: Any) -> None:
        if package is not None:
            package.close()

    def _fill(self, data: IncomingInput) -> int:
        values = {"secrecy": data.secrecy or "", "issuer": data.issuer, "reference": data.reference,
                  "issued_on": format_date(data.issued_on) if data.issued_on else "", "doc_type": data.doc_type,
                  "subject": data.subject, "urgency": data.urgency or "", "pages": str(data.pages or "")}
        filled = 0
        for name in _FIELDS:
            widget = self.form.fields.get(name)
            if widget is None:
                continue
            value = str(values[name] or "")
            self.form.set_value(name, value)
            self.text_fill.mark(widget, bool(value))  # yellow until the clerk passes through it
            widget.setToolTip("Lấy từ thông điệp edXML" if value else "")
            filled += bool(value)
        self.filled()
        self.form.fields["issuer"].setFocus()
        return filled

    def _show(self, package: Any, preview: Any) -> None:
        message = package.message
        sender = message.sender
        self.sender.setText(f"Thông điệp edXML «{package.source.name}» — nơi gửi: {sender.name or '(không ghi)'}; "
                            f"mã định danh điện tử (OrganId): {sender.organ_id or '(không ghi)'}")
        for item in message.attachments:
            if item.name in preview.skipped:
                continue
            report = preview.checks.get(item.name) or _Said("none", "ảnh, không có chữ ký số để kiểm tra.")
            self._banner(item.name, report)
        if preview.unsigned:
            self._banner(package.source.name, _Said("missing", "thông điệp không kèm tệp PDF nào có chữ ký số; "
                                                    "khi vào sổ sẽ hỏi lý do vẫn nhận (NĐ 30 Điều 21)."))
        self._set(self.notes, self._notes(preview))
        self._set(self.skipped, "Không đính kèm (vẫn lưu trong thông điệp gốc):\n" + "\n".join(
            f"• {name}: {why}" for name, why in preview.skipped.items()) if preview.skipped else "")
        self._set(self.warning, f"⚠ Có thể trùng: {preview.duplicate}" if preview.duplicate
                  else "")
        self.box.show()

    def _banner(self, name: str, report: Any) -> None:
        banner = SignatureBanner()
        banner.show_report(name, report)
        self.files.addWidget(banner)
        self.banners.append(banner)

    @staticmethod
    def _notes(preview: Any) -> str:
        """What the entry also keeps from the message (not in the form), and the links it makes."""
        extras = preview.extras
        kept = []
        if extras.get("signer"):
            authority = f"{extras['authority'].value} " if extras.get("authority") else ""
            title = f" ({extras['signer_title']})" if extras.get("signer_title") else ""
            kept.append(f"người ký: {authority}{extras['signer']}{title}")
        if extras.get("due_on"):
            kept.append(f"hạn giải quyết: {format_date(extras['due_on'])}")
        if extras.get("recipients"):
            kept.append(f"nơi nhận: {'; '.join(extras['recipients'])}")
        lines = [f"Cũng ghi vào sổ — {', '.join(kept)}."] if kept else []
        if preview.replies:
            lines.append("Liên kết sẽ tạo khi vào sổ:")
            lines += [f"• {reply.describe()}" for reply in preview.replies]
        return "\n".join(lines)

    @staticmethod
    def _set(label: QLabel, text: str) -> None:
        label.setText(text)
        label.setVisible(bool(text))

    # saving
    @staticmethod
    def overrides(typed: IncomingInput) -> dict[str, Any]:
        """The form as the clerk left it, blanks included (a day or hour left empty is today's, or none)."""
        values = asdict(typed)
        given = {name: "" if values[name] is None else values[name] for name in _TYPED}
        given.update({name: values[name] for name in ("received_on", "received_at") if values[name] not in (None, "")})
        return given

    def register(self, typed: IncomingInput, allow_duplicate: bool = False) -> DocumentRecord | None:
        """Vào sổ the message with what the form holds, its files attached. A broken, untrusted or missing signature
        is taken only with the clerk's reason, asked before anything is written; None when none is given. A
        duplicate or a refused field raises, for the dialog to show."""
        if self.package is None:
            raise RuntimeError("no edXML message to register")
        while True:
            try:
                result = self.registry.edxml.register(self.package, overrides=self.overrides(typed),
                                                      allow_duplicate=allow_duplicate, signature_reason=self.reason)
            except SignatureNeedsConfirmation as exc:
                if self.reason is not None:
                    raise
                self.reason = ask_signature_reason(self.parent_widget, exc.report.file_name, exc.report.verdict)
                if self.reason is None:
                    self.say(f"Chưa vào sổ, chưa ghi gì: chữ ký số của «{exc.report.file_name}» không đạt và chưa có "
                             "lý do vẫn nhận. Nếu không nhận, trả lại văn bản cho nơi gửi (NĐ 30 Điều 21).", "error")
                    return None
                continue
            return result.document

    def close(self) -> None:
        """Let go of the message: its staging folder is removed, the box emptied."""
        self._discard(self.package)
        self.package = self.preview = self.reason = None
        for banner in self.banners:
            self.files.removeWidget(banner)
            banner.deleteLater()
        self.banners.clear()
        self.box.hide()
