"""Registration dialog: the clerk types one incoming or outgoing document from the keyboard and vào sổ it."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.enums import Direction
from app.core.errors import DuplicateError, ValidationError, VanThuError
from app.core.records import DocumentRecord, IncomingInput, OutgoingInput
from app.services import Registry
from app.services.signature_checks import is_pdf
from app.ui.detail_files import ask_signature_reason
from app.ui.duplicate_banner import STYLE as BANNER_STYLE
from app.ui.duplicate_banner import DuplicateBanner
from app.ui.edxml_fill import STYLE as EDXML_STYLE
from app.ui.edxml_fill import CheckedTextFill, EdxmlFill
from app.ui.form import repolish
from app.ui.form_scroll import FormScroll
from app.ui.register_form import (
    LABELS,
    SIGNATURE_STYLE,
    SUBJECT_PLACEHOLDER,
    TUYET_MAT_SUBJECT,
    RegisterForm,
    SignatureBanner,
)
from app.ui.register_keys import KeyActions, KeyFilter
from app.ui.text_fill import STYLE as TEXT_FILL_STYLE
from app.ui.text_fill import TextFill
from app.ui.unchecked_question import ask_unchecked, wants_question
from app.ui.unsaved import Answer, ask_unsaved

__all__ = ["LABELS", "SUBJECT_PLACEHOLDER", "TUYET_MAT_SUBJECT", "RegisterDialog"]  # importers name them here

log = logging.getLogger(__name__)

SAVE_TEXT = "Lưu (Ctrl+Enter)"
SAVE_NEXT_TEXT = "Lưu và nhập tiếp (Ctrl+Shift+Enter)"
CANCEL_TEXT = "Hủy (Esc)"

_STYLE = """
QLabel#preview { font-size: 15pt; font-weight: bold; color: #0b5394; }
QLabel[role="error"] { color: #b00020; }
QLabel[role="note"] { color: #5f6368; }
QLabel#message[kind="error"] { color: #b00020; font-weight: bold; }
QLabel#message[kind="ok"] { color: #137333; font-weight: bold; }
QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"], QComboBox[invalid="true"] {
    border: 2px solid #c62828; background: #fff3f3; }
"""


class RegisterDialog(QDialog):
    """Vào sổ one document after another: Enter moves on, Ctrl+Enter saves, errors appear next to their field.
    The fields are `entry` (its Form is `form`); incoming documents can also be read from their own text
    (`text_fill`) or an edXML message (`edxml`); a likely duplicate is offered in `banner`; the keys are `keys`."""

    registered = Signal(object)  # DocumentRecord, after each successful save

    def __init__(self, registry: Registry, direction: Direction, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if direction not in (Direction.INCOMING, Direction.OUTGOING):
            raise ValueError(f"RegisterDialog registers incoming or outgoing documents, not {direction}")
        self.registry = registry
        self.direction = direction
        self.incoming = direction is Direction.INCOMING
        self.last_record: DocumentRecord | None = None
        self._close_after_duplicate = True
        self.setWindowTitle("Vào sổ văn bản đến" if self.incoming else "Vào sổ văn bản đi")
        self.setStyleSheet(_STYLE + BANNER_STYLE + TEXT_FILL_STYLE + SIGNATURE_STYLE + EDXML_STYLE)
        self.setMinimumWidth(640)

        self.entry = RegisterForm(registry, direction, self.focusNextChild, self)
        self.form = self.entry.form
        self.agency = self.entry.agency
        self.preview = self.entry.preview

        self.banner = DuplicateBanner()
        self.banner.save_anyway.connect(lambda: self.save(self._close_after_duplicate, allow_duplicate=True))
        self.banner.fix.connect(lambda: self.form.fields["reference"].setFocus())

        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.save_button = QPushButton(SAVE_TEXT)
        self.save_button.setToolTip("Vào sổ và đóng (Ctrl+Enter hoặc Ctrl+S)")
        self.save_next_button = QPushButton(SAVE_NEXT_TEXT)
        self.save_next_button.setToolTip("Vào sổ rồi nhập văn bản tiếp theo (Ctrl+Shift+Enter)")
        self.cancel_button = QPushButton(CANCEL_TEXT)
        self.save_button.clicked.connect(lambda: self.request_save(close=True))
        self.save_next_button.clicked.connect(lambda: self.request_save(close=False))
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.save_button, self.save_next_button, self.cancel_button):
            buttons.addWidget(button)

        # Incoming documents can be read from their own text (paste, open, drop a file) or from an edXML message
        # (`edxml`); a PDF's signatures are checked as soon as it is chosen (signature_banner), and one that fails is
        # registered only with a reason.
        self.signature_banner = SignatureBanner()
        self._signature: tuple[Path, Any] | None = None  # the PDF last checked and its VerifyReport (None: failed)
        self._signature_reason: tuple[Path, str] | None = None  # the reason given for it, asked once
        self.text_fill: TextFill | None = None
        self.edxml: EdxmlFill | None = None
        if self.incoming:
            self.text_fill = CheckedTextFill(
                self.form, registry.text_entry.plan_links, self._text_fill_said, self._text_filled, self,
                lambda path, report, stop: registry.attachments.read_text(path, True, report, stop),
                registry.text_entry.issuer_name, chosen=self._file_chosen, message=self._message_chosen)
            self.edxml = EdxmlFill(registry, self.form, self.text_fill, self._show_message,
                                   self.entry.refresh_preview, self)
            self.setAcceptDrops(True)
        rows = QVBoxLayout()
        rows.setContentsMargins(0, 0, 0, 0)
        rows.addWidget(self.preview)
        if self.text_fill is not None:
            rows.addLayout(self.text_fill.row)
            rows.addWidget(self.signature_banner)
        if self.edxml is not None:
            rows.addWidget(self.edxml.box)
        rows.addLayout(self.entry.rows)
        if self.text_fill is not None:
            rows.addWidget(self.text_fill.links)
        rows.addStretch(1)
        # The rows scroll when the screen is too short for them; the duplicate banner, the message and the buttons
        # stay in sight under them.
        self.scroll = FormScroll(rows, self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.banner)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        chain: list[QWidget] = [*self.form.fields.values(), self.banner.force_button, self.banner.fix_button,
                                self.save_button, self.save_next_button, self.cancel_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        paste = self.text_fill.paste if self.text_fill is not None else None
        self.keys = KeyFilter(KeyActions(self.focusNextChild, self.request_save, self.reject, paste),
                              self.entry.completers, self.text_fill.confirmed if self.text_fill is not None else None,
                              self._suggestions_closed, self)
        self.keys.watch(self.findChildren(QWidget))
        if not self.incoming and not self.agency.abbreviation:
            self._show_message("Chưa cài đặt chữ viết tắt tên cơ quan (Cài đặt → Cơ quan, Ctrl+,), nên chưa ghi "
                               "được ký hiệu văn bản đi. Hãy cài đặt trước khi vào sổ.", "error")
        self.form.mark_clean()
        self.entry.first_field.setFocus()

    # what the form holds
    @property
    def inputs(self) -> dict[str, QLineEdit | QPlainTextEdit | QComboBox]:
        """The fields by name (the Form's)."""
        return self.form.fields

    @property
    def preview_number(self) -> int | None:
        return self.entry.preview_number

    def value(self, name: str) -> str:
        return self.form.value(name)

    def is_dirty(self) -> bool:
        """Whether something was typed since the dialog opened or the last save: nothing typed is ever lost."""
        return self.form.is_dirty()

    def incoming_input(self) -> IncomingInput:
        return self.entry.incoming_input()

    def outgoing_input(self) -> OutgoingInput:
        return self.entry.outgoing_input()

    # saving
    def request_save(self, close: bool) -> DocumentRecord | None:
        """What Ctrl+Enter, Ctrl+Shift+Enter and the buttons do: with yellow fields read from a text and never looked
        at, ask once (unless turned off) before saving; "Quay lại" puts the cursor in the first of them."""
        fill = self.text_fill
        unchecked = fill.unchecked() if fill is not None and not fill.weak and fill.reading is None else []
        if fill is not None and unchecked and not fill.unchecked_accepted and wants_question(self.registry):
            self.entry.hide_suggestions()
            if not ask_unchecked(self, self.registry, [LABELS.get(n, n) for n in unchecked], self._show_message):
                self.activateWindow()  # the closed question may leave no window active: keys would go nowhere
                self.form.fields[unchecked[0]].setFocus()
                return None
            fill.unchecked_accepted = True  # a refusal or a duplicate question after this does not ask again
        return self.save(close)

    def save(self, close: bool = True, allow_duplicate: bool = False) -> DocumentRecord | None:
        """Vào sổ what the form holds; on refusal show why next to the fields and keep everything typed."""
        self.entry.hide_suggestions()
        if self.text_fill is not None and self.text_fill.reading is not None:
            self._show_message("Đang nhận dạng chữ bản quét: hãy chờ xong (các trường sẽ được điền) hoặc bấm Hủy "
                               "rồi mới vào sổ.", "error")
            return None
        if self.text_fill is not None and self.text_fill.weak:
            self._show_message(f"Chưa vào sổ: các trường tô đỏ đọc kém từ bản quét, hãy đối chiếu bản giấy rồi sửa "
                               f"hoặc gõ lại: {self.text_fill.weak_text()}.", "error")
            self.form.fields[next(iter(self.text_fill.weak))].setFocus()
            return None
        self._clear_feedback()
        self.entry.tidy_dates()
        taken, reason = self._confirm_signature()
        if not taken:  # asked before anything is written: a refusal leaves the register as it was
            return None
        try:
            if self.edxml is not None and self.edxml.package is not None:  # the message, with its files
                record = self.edxml.register(self.incoming_input(), allow_duplicate)
                if record is None:  # a failed signature and no reason given: nothing was written
                    return None
            elif self.text_fill is not None and self.text_fill.extraction is not None:
                record, _links = self.registry.text_entry.register(
                    self.text_fill.extraction, self.text_fill.overrides(self.incoming_input()), allow_duplicate)
            elif self.incoming:
                record = self.registry.documents.register_incoming(self.incoming_input(), allow_duplicate)
            else:
                record = self.registry.documents.register_outgoing(self.outgoing_input())
        except DuplicateError as exc:
            self._show_duplicate(str(exc), close)
            return None
        except ValidationError as exc:
            self._show_refusal(exc)
            return None
        except VanThuError as exc:
            self._show_message(str(exc), "error")
            return None
        except Exception as exc:  # a locked or vanished database must not cost the clerk what was typed
            log.exception("registration failed")
            self._show_message(f"Chưa vào sổ được do lỗi hệ thống: {exc}", "error")
            return None
        self.last_record = record
        problem = self._attach_source(record, reason)
        self._forget_signature()
        if self.edxml is not None:
            self.edxml.close()
        if self.text_fill is not None:
            self.text_fill.clear()
        self.registered.emit(record)
        if problem is not None:  # the entry stands; the clerk must see that its file is not on it yet
            self._start_next(record)
            self._show_message(problem, "error")
        elif close:
            self.form.mark_clean()
            self.accept()
        else:
            self._start_next(record)
        return record

    def _attach_source(self, record: DocumentRecord, reason: str | None = None) -> str | None:
        """Attach the file the form was read from (a scan with its recognised text), with the reason a failed
        signature was accepted for; why not, when it fails."""
        source = self.text_fill.take_source() if self.text_fill is not None else None
        if source is None:
            return None
        path, read = source
        try:
            self.registry.attachments.attach(record.id, path, read, signature_reason=reason)
        except VanThuError as exc:
            return (f"Đã vào sổ số đến {record.number}, nhưng chưa đính kèm được tệp «{path.name}»: {exc} Hãy đính "
                    "kèm tệp ở khung chi tiết của văn bản.")
        return None

    # the chosen file's signatures
    def _file_chosen(self, path: Path, taken: bool) -> None:
        """A file was dropped or opened: a PDF read to be attached is checked now and its verdict shown."""
        if taken and self.edxml is not None:
            self.edxml.close()  # another file replaces the message
        if taken and is_pdf(path):
            self._check_signature(path)
        elif taken:
            self._forget_signature()  # an image or a text: nothing signed
        self._sync_signature()
        self._make_room()

    def _message_chosen(self, path: Path) -> bool:
        """An edXML message was dropped or opened: it fills the form, its files and their checks show under the
        file row; a broken one changes nothing."""
        assert self.edxml is not None and self.text_fill is not None
        fill = self.text_fill
        loaded = self.edxml.load(path, lambda: (fill.clear(), self._forget_signature()))
        self._make_room()
        return loaded

    def _text_filled(self) -> None:
        """The form was filled from a text or a file's text: a message read before is let go."""
        if self.edxml is not None:
            self.edxml.close()
        self.entry.refresh_preview()
        self._make_room()  # the notes and the tree of links under the form

    def _make_room(self) -> None:
        """Grow the dialog for the new lines (up to the screen, then the rows scroll) rather than squeeze them."""
        self.scroll.fit()

    def _check_signature(self, path: Path) -> Any:
        """Check the PDF with the register's trust store (milliseconds, on this thread) and show the verdict; the
        VerifyReport, or None when the check could not be made (said in the banner)."""
        self._signature_reason = None
        report = None
        try:
            report = self.registry.signatures.check_file(path, strict=False)  # as attaching will check it
        except VanThuError as exc:
            self.signature_banner.show_problem(path.name, str(exc))
        except Exception as exc:  # a check is a courtesy before saving: it must not take the dialog down
            log.exception("checking the signatures of %s failed", path)
            self.signature_banner.show_problem(path.name, f"lỗi hệ thống ({exc})")
        else:
            self.signature_banner.show_report(path.name, report)
        self._signature = (path, report)
        return report

    def _sync_signature(self) -> None:
        """The banner speaks of the file to be attached only: hidden once another text replaced it."""
        fill = self.text_fill
        if self._signature is None or fill is None:
            self.signature_banner.hide()
            return
        source = fill.source[0] if fill.source is not None else None
        self.signature_banner.setVisible(source == self._signature[0] or fill.scan.busy)

    def _forget_signature(self) -> None:
        self._signature, self._signature_reason = None, None
        self.signature_banner.hide()

    def _confirm_signature(self) -> tuple[bool, str | None]:
        """Whether saving may go on, and the reason to attach the file with. A PDF whose signature is broken,
        untrusted or missing is taken only with the clerk's reason (NĐ 30 Điều 21), asked once, before anything
        is written; Cancel or no reason: nothing is saved and the form stays as typed."""
        source = self.text_fill.source if self.text_fill is not None else None
        if source is None or not is_pdf(source[0]):
            return True, None
        path = source[0]
        if self._signature_reason is not None and self._signature_reason[0] == path:
            return True, self._signature_reason[1]  # given already (a duplicate asked, a field refused)
        report = self._signature[1] if self._signature is not None and self._signature[0] == path \
            else self._check_signature(path)
        if report is None or not report.needs_confirmation:
            return True, None  # a good or unsigned file; one that could not be checked is judged when attached
        reason = ask_signature_reason(self, path.name, report.verdict)
        if reason is None:
            self._show_message(f"Chưa vào sổ, chưa ghi gì: chữ ký số của tệp «{path.name}» không đạt và chưa có lý "
                               "do vẫn nhận. Nếu không nhận, trả lại văn bản cho nơi gửi (NĐ 30 Điều 21).", "error")
            return False, None
        self._signature_reason = (path, reason)
        return True, reason

    def _start_next(self, record: DocumentRecord) -> None:
        self.entry.blank()
        self._clear_feedback()
        if self.incoming:
            book = " (sổ văn bản mật)" if record.secrecy else ""
            self._show_message(f"Đã vào sổ số đến {record.number}{book}: {record.reference or ''} — "
                               f"{record.issuer or ''}.", "ok")
        else:
            self._show_message(f"Đã vào sổ văn bản đi số {record.reference}.", "ok")
        self.entry.refresh_preview()
        self.form.mark_clean()
        self.entry.first_field.setFocus()

    def _show_duplicate(self, message: str, close: bool) -> None:
        self._close_after_duplicate = close
        self.form.mark("reference", True)
        self.banner.offer(message)

    # feedback
    def _show_refusal(self, error: ValidationError) -> None:
        """Each refusal under its field; those naming no field of the form join the summary on the message line
        (rather than the form's general line), where the clerk looks after saving."""
        placed = [item for item in error.errors if item.field in self.form.errors]
        unplaced = [str(item) for item in error.errors if item.field not in self.form.errors]
        refused = self.form.show(ValidationError(placed)) if placed else []
        summary = "Chưa vào sổ: hãy sửa các ô tô đỏ." if refused else "Chưa vào sổ."
        self._show_message("\n".join([summary, *unplaced]), "error")

    def _clear_feedback(self) -> None:
        self.form.clear()
        self.banner.hide()
        self._show_message("", "")

    def _text_fill_said(self, text: str, kind: str) -> None:
        self._show_message(text, kind)
        self._sync_signature()  # what it says follows a change of the file to be attached

    def _show_message(self, text: str, kind: str) -> None:
        self.message.setText(text)
        self.message.setProperty("kind", kind)
        repolish(self.message)

    # keyboard, drops and closing
    def keyPressEvent(self, event: QKeyEvent) -> None:
        action = self.keys.action(self, event)
        if action is not None:
            action()
            return
        super().keyPressEvent(event)

    def _suggestions_closed(self) -> None:
        if self.isVisible():
            # Some platforms leave the closed suggestion list as the active window: keys would go nowhere.
            QTimer.singleShot(0, self.activateWindow)

    def dragEnterEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 - Qt's name
        if self.text_fill is not None and self.text_fill.accepts(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 - Qt's name
        if self.text_fill is not None and self.text_fill.from_mime(event.mimeData()):
            event.acceptProposedAction()

    def done(self, result: int) -> None:
        self.entry.hide_suggestions()  # a suggestion list must not outlive its dialog
        if self.text_fill is not None:
            self.text_fill.wait()  # a recognition still running is stopped, and its thread ends with the dialog
        if self.edxml is not None:
            self.edxml.close()  # the message's staged files go with the dialog
        super().done(result)

    def reject(self) -> None:
        if self.is_dirty() and not self._confirm_discard():
            return
        super().reject()

    def _confirm_discard(self) -> bool:
        """Lưu / Bỏ / Quay lại; True lets reject close without saving (Bỏ). Lưu vào sổ as Ctrl+Enter does: saved,
        the dialog closes by being accepted; refused, it stays open with the reason under the field. Either way
        reject itself does nothing more."""
        changed = ", ".join(self.form.labels.get(name, name) for name in self.form.changed())
        answer = ask_unsaved(self, f"{self.windowTitle()} (chưa vào sổ): {changed}", "đóng")
        if answer is Answer.SAVE:
            self.request_save(close=True)  # what Ctrl+Enter does, its own questions included
        return answer is Answer.DISCARD
