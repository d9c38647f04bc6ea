"""Registration dialog: the clerk types one incoming or outgoing document from the keyboard and vào sổ it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.dates import format_date, parse_date, today
from app.core.enums import Authority, Direction, Family, Secrecy, Urgency
from app.core.errors import DuplicateError, FieldError, ValidationError, VanThuError
from app.core.records import DocumentRecord, DocumentTypeRecord, IncomingInput, OutgoingInput
from app.core.references import build_reference, canonical_type, pad_number
from app.core.text import fold
from app.services import Registry
from app.ui.text_fill import STYLE as TEXT_FILL_STYLE
from app.ui.text_fill import TextFill

log = logging.getLogger(__name__)

Field = QLineEdit | QPlainTextEdit | QComboBox
W = TypeVar("W", QLineEdit, QPlainTextEdit, QComboBox)

LABELS: dict[str, str] = {
    "received_on": "Ngày đến", "received_at": "Giờ đến", "issuer": "Cơ quan ban hành (tác giả)",
    "reference": "Số, ký hiệu", "issued_on": "Ngày văn bản", "doc_type": "Tên loại", "subject": "Trích yếu",
    "urgency": "Độ khẩn", "secrecy": "Độ mật", "pages": "Số trang", "note": "Ghi chú",
    "unit": "Đơn vị soạn thảo", "signer": "Người ký", "signer_title": "Chức vụ", "authority": "Thẩm quyền ký",
    "recipients": "Nơi nhận", "copies": "Số lượng bản", "signed_on": "Ngày ký", "archive_holder": "Đơn vị lưu",
    "reply_due": "Hạn trả lời", "replies_to": "Trả lời văn bản đến số",
}
DATE_FIELDS = ("received_on", "issued_on", "signed_on", "reply_due")
SAVE_TEXT = "Lưu (Ctrl+Enter)"
SAVE_NEXT_TEXT = "Lưu và nhập tiếp (Ctrl+Shift+Enter)"
CANCEL_TEXT = "Hủy (Esc)"
SUBJECT_PLACEHOLDER = "Trích yếu nội dung văn bản"
TUYET_MAT_SUBJECT = "Văn bản Tuyệt mật: sổ không ghi trích yếu, chỉ ghi tên loại"

_STYLE = """
QLabel#preview { font-size: 15pt; font-weight: bold; color: #0b5394; }
QLabel[role="error"] { color: #b00020; }
QLabel[role="note"] { color: #5f6368; }
QLabel#message[kind="error"] { color: #b00020; font-weight: bold; }
QLabel#message[kind="ok"] { color: #137333; font-weight: bold; }
QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"], QComboBox[invalid="true"] {
    border: 2px solid #c62828; background: #fff3f3; }
QFrame#duplicateBanner { background: #fff4ce; border: 1px solid #d4a100; }
"""


def _repolish(widget: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property used in it changed."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def _matching(entries: list[tuple[str, str]], text: str, limit: int = 15) -> list[str]:
    """What to offer for the text: entries are (offered text, folded text searched), so 'van phong' finds VP."""
    key = fold(text)
    return [offered for offered, searched in entries if key in searched][:limit] if key else []


class RegisterDialog(QDialog):
    """Vào sổ one document after another: Enter moves on, Ctrl+Enter saves, errors appear next to their field."""

    registered = Signal(object)  # DocumentRecord, after each successful save

    def __init__(self, registry: Registry, direction: Direction, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if direction not in (Direction.INCOMING, Direction.OUTGOING):
            raise ValueError(f"RegisterDialog registers incoming or outgoing documents, not {direction}")
        self.registry = registry
        self.direction = direction
        self._kept_subject = ""  # what was typed as trích yếu before Tuyệt mật was chosen
        self.incoming = direction is Direction.INCOMING
        self.agency = registry.settings.agency()
        self.preview_number: int | None = None  # what the preview shows; never reserved
        self.last_record: DocumentRecord | None = None
        self.inputs: dict[str, Field] = {}
        self.error_labels: dict[str, QLabel] = {}
        self.completers: dict[str, QCompleter] = {}
        self._people: dict[str, str] = {}  # signer name -> title, to fill Chức vụ when a signer is picked
        self._types = self._load_types()
        self._close_after_duplicate = True
        self.setWindowTitle("Vào sổ văn bản đến" if self.incoming else "Vào sổ văn bản đi")
        self.setStyleSheet(_STYLE + TEXT_FILL_STYLE)
        self.setMinimumWidth(640)

        self.preview = QLabel()
        self.preview.setObjectName("preview")
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        if self.incoming:
            self._build_incoming()
        else:
            self._build_outgoing()

        self.banner = QFrame()
        self.banner.setObjectName("duplicateBanner")
        self.banner_text = QLabel()
        self.banner_text.setWordWrap(True)
        self.force_button = QPushButton("Vẫn vào sổ")
        self.force_button.setToolTip("Vào sổ thêm một lần nữa với số đến mới")
        self.fix_button = QPushButton("Sửa lại")
        self.force_button.clicked.connect(self._save_duplicate)
        self.fix_button.clicked.connect(self._fix_duplicate)
        banner_buttons = QHBoxLayout()
        banner_buttons.addStretch(1)
        banner_buttons.addWidget(self.force_button)
        banner_buttons.addWidget(self.fix_button)
        banner_layout = QVBoxLayout(self.banner)
        banner_layout.addWidget(self.banner_text)
        banner_layout.addLayout(banner_buttons)
        self.banner.hide()

        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.save_button = QPushButton(SAVE_TEXT)
        self.save_button.setToolTip("Vào sổ và đóng (Ctrl+Enter hoặc Ctrl+S)")
        self.save_next_button = QPushButton(SAVE_NEXT_TEXT)
        self.save_next_button.setToolTip("Vào sổ rồi nhập văn bản tiếp theo (Ctrl+Shift+Enter)")
        self.cancel_button = QPushButton(CANCEL_TEXT)
        self.save_button.clicked.connect(lambda: self.save(close=True))
        self.save_next_button.clicked.connect(lambda: self.save(close=False))
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.save_button, self.save_next_button, self.cancel_button):
            buttons.addWidget(button)

        # Incoming documents can be read from their own text (paste, open, drop a file).
        self.text_fill: TextFill | None = TextFill(self) if self.incoming else None
        layout = QVBoxLayout(self)
        layout.addWidget(self.preview)
        if self.text_fill is not None:
            layout.addLayout(self.text_fill.row)
        layout.addLayout(self.form)
        if self.text_fill is not None:
            layout.addWidget(self.text_fill.links)
        layout.addWidget(self.banner)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        chain: list[QWidget] = [*self.inputs.values(), self.force_button, self.fix_button, self.save_button,
                                self.save_next_button, self.cancel_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        for child in self.findChildren(QWidget):
            child.installEventFilter(self)
        if not self.incoming and not self.agency.abbreviation:
            self._show_message("Chưa cài đặt chữ viết tắt tên cơ quan (Cài đặt → Cơ quan, Ctrl+,), nên chưa ghi "
                               "được ký hiệu văn bản đi. Hãy cài đặt trước khi vào sổ.", "error")
        self._refresh_preview()
        self._clean_state = self._state()
        self.first_field.setFocus()

    # building the form
    @property
    def first_field(self) -> QWidget:
        return self.inputs["issuer" if self.incoming else "doc_type"]

    def _build_incoming(self) -> None:
        self._row(self._date("received_on", format_date(today())), self._line("received_at", "HH:MM", 80))
        self._row(self._line("issuer", "gõ không dấu cũng được, ví dụ: so y te"))
        self._suggest("issuer", lambda text: [org.name for org in self.registry.directory.organizations(text, 15)])
        self._row(self._line("reference", "ví dụ 3646/SYT-VP"))
        self._row(self._date("issued_on"))
        self._row(self._type_combo())
        self._row(self._text("subject", SUBJECT_PLACEHOLDER))
        self._urgency_rows()
        self._row(self._line("pages", "", 80))
        self._row(self._line("note", ""))

    def _build_outgoing(self) -> None:
        state = self.agency.family is Family.STATE
        self._row(self._type_combo())
        unit_hint = (f"Bắt buộc với công văn: ký hiệu ghi theo đơn vị soạn thảo, ví dụ "
                     f"05/{self.agency.abbreviation or 'SYT'}-VP." if state else "Mã đơn vị soạn thảo, nếu có.")
        self._row(self._line("unit", "ví dụ VP", 120), note=unit_hint)
        self._input("unit", QLineEdit).editingFinished.connect(self._refresh_preview)
        codes = [(d.code, fold(f"{d.code} {d.name}")) for d in self.registry.directory.departments() if d.code]
        self._suggest("unit", lambda text: _matching(codes, text))
        self._row(self._text("subject", SUBJECT_PLACEHOLDER))
        self._row(self._line("signer", "họ và tên"))
        self._people = {p.full_name: p.title or "" for p in self.registry.directory.people()}
        people = [(name, fold(name)) for name in self._people]
        self._suggest("signer", lambda text: _matching(people, text))
        self._row(self._line("signer_title", "ví dụ Giám đốc"))
        forms = ([Authority.TM, Authority.KT, Authority.TL, Authority.TUQ, Authority.Q] if state
                 else [Authority.PARTY_TM, Authority.PARTY_KT, Authority.PARTY_TL, Authority.Q])
        self._row(self._choice("authority", [("(không)", None), *((a.label, a.value) for a in forms)]))
        self._row(self._text("recipients", "Mỗi nơi nhận một dòng"))
        self._row(self._line("copies", "", 80))
        self._row(self._date("signed_on", format_date(today())))
        self._row(self._line("archive_holder", "ví dụ VT, VP"))
        self._row(self._date("reply_due"))
        self._row(self._line("replies_to", "số đến, ví dụ 125 hoặc 125/2025", 260),
                  note="Văn bản đến được trả lời sẽ ghi “Đã trả lời” và thôi theo dõi hạn.")
        self._urgency_rows()
        self._row(self._line("pages", "", 80))
        self._row(self._line("note", ""))

    def _urgency_rows(self) -> None:
        self._choice("urgency", [("Thường", None), *((u.label, u.value) for u in Urgency)])
        # Only the levels this account is cleared for (an open register: all three).
        cleared = [s for s in Secrecy if self.registry.principal.cleared_for(s)]
        self._choice("secrecy", [("Thường", None), *((s.label, s.value) for s in cleared)])
        self._row("urgency", "secrecy", note="Văn bản mật vào sổ văn bản mật riêng, số theo dãy riêng.")
        self._input("secrecy", QComboBox).currentIndexChanged.connect(self._refresh_preview)
        self._input("secrecy", QComboBox).currentIndexChanged.connect(self._secrecy_changed)

    def _secrecy_changed(self) -> None:
        """A Tuyệt mật entry carries no trích yếu (only its type): the subject is put aside and locked; another
        level gives back what was typed."""
        subject = self._input("subject", QPlainTextEdit)
        if self.value("secrecy") == Secrecy.TUYET_MAT.value:
            if subject.isEnabled():
                self._kept_subject = subject.toPlainText()
                subject.clear()
                subject.setPlaceholderText(TUYET_MAT_SUBJECT)
                subject.setEnabled(False)
            return
        if not subject.isEnabled():
            subject.setEnabled(True)
            subject.setPlaceholderText(SUBJECT_PLACEHOLDER)
            if not subject.toPlainText():
                subject.setPlainText(self._kept_subject)
            self._kept_subject = ""

    def _suggest(self, name: str, source: Callable[[str], list[str]]) -> None:
        """A suggestion list under a line edit, refilled on each edit from a search that ignores diacritics.
        Qt's own prefix filter is off (unfiltered popup): it would hide 'Đảng ủy' from someone typing 'dang uy'."""
        model = QStringListModel(self)
        completer = QCompleter(model, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setMaxVisibleItems(12)
        edit = self._input(name, QLineEdit)
        edit.setCompleter(completer)
        edit.textEdited.connect(lambda text: model.setStringList(source(text) if text.strip() else []))
        completer.activated.connect(lambda text: QTimer.singleShot(0, lambda: self._suggestion_chosen(name, text)))
        completer.popup().installEventFilter(self)  # Ctrl+Enter saves even while the list is open
        self.completers[name] = completer

    def _is_unchosen_suggestion_list(self, widget: QObject) -> bool:
        """An open suggestion list in which the clerk has not picked anything."""
        return (isinstance(widget, QAbstractItemView) and any(c.popup() is widget for c in self.completers.values())
                and not widget.selectionModel().hasSelection())

    def _register(self, name: str, widget: Field) -> str:
        widget.setObjectName(name)
        self.inputs[name] = widget
        return name

    def _input(self, name: str, kind: type[W]) -> W:
        widget = self.inputs[name]
        assert isinstance(widget, kind)
        return widget

    def _line(self, name: str, placeholder: str = "", width: int | None = None) -> str:
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        if width:
            edit.setMaximumWidth(width)
        edit.textEdited.connect(lambda _text: self._clear_error(name))
        return self._register(name, edit)

    def _date(self, name: str, value: str = "") -> str:
        self._line(name, "DD/MM/YYYY", 130)
        edit = self._input(name, QLineEdit)
        edit.setToolTip("Gõ 241023, 24/10/23 hoặc 24/10/2023; khi rời ô sẽ thành 24/10/2023.")
        edit.setText(value)
        edit.editingFinished.connect(lambda: self._normalise_date(name))
        return name

    def _text(self, name: str, placeholder: str) -> str:
        edit = QPlainTextEdit()
        edit.setPlaceholderText(placeholder)
        edit.setTabChangesFocus(True)  # Tab leaves; Enter inside is a new line
        edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 3 + 14)
        edit.textChanged.connect(lambda: self._clear_error(name))
        return self._register(name, edit)

    def _choice(self, name: str, items: list[tuple[str, str | None]]) -> str:
        combo = QComboBox()
        for text, value in items:
            combo.addItem(text, value)
        combo.currentIndexChanged.connect(lambda _index: self._clear_error(name))
        return self._register(name, combo)

    def _type_combo(self) -> str:
        combo = QComboBox()
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.setMaxVisibleItems(20)
        names = [record.name for record in self._types.values()]
        combo.addItems(sorted(names, key=lambda name: name != "Công văn"))  # the commonest type first
        combo.setCurrentIndex(-1)
        combo.setEditText("")
        line = combo.lineEdit()
        line.setPlaceholderText("chọn hoặc gõ, ví dụ Công văn, Quyết định")
        line.textEdited.connect(lambda _text: self._clear_error("doc_type"))
        line.editingFinished.connect(self._doc_type_finished)
        combo.activated.connect(lambda _index: self._doc_type_finished())
        return self._register("doc_type", combo)

    def _load_types(self) -> dict[str, DocumentTypeRecord]:
        """The agency's list of types by folded name; incoming documents also come from the other family."""
        own = self.agency.family
        families = [own] if not self.incoming else [own, Family.PARTY if own is Family.STATE else Family.STATE]
        types: dict[str, DocumentTypeRecord] = {}
        for family in families:
            for record in self.registry.types.list(family):
                types.setdefault(fold(record.name), record)
        return types

    def _row(self, *names: str, note: str = "") -> None:
        """One form row: the fields side by side, each with its (hidden) error label under it, then a hint."""
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for index, name in enumerate(names):
            column = QVBoxLayout()
            column.setSpacing(2)
            line = QHBoxLayout()
            if index:
                line.addSpacing(12)
                caption = QLabel(LABELS[name])
                caption.setBuddy(self.inputs[name])
                line.addWidget(caption)
            line.addWidget(self.inputs[name], 1)
            column.addLayout(line)
            error = QLabel()
            error.setProperty("role", "error")
            error.setObjectName(f"error_{name}")
            error.setWordWrap(True)
            error.hide()
            self.error_labels[name] = error
            column.addWidget(error)
            row.addLayout(column, 0 if self._narrow(name) else 1)
        if all(self._narrow(name) for name in names):
            row.addStretch(1)
        cell = QVBoxLayout()
        cell.setSpacing(2)
        cell.addLayout(row)
        if note:
            hint = QLabel(note)
            hint.setProperty("role", "note")
            hint.setWordWrap(True)
            cell.addWidget(hint)
        label = QLabel(LABELS[names[0]])
        label.setBuddy(self.inputs[names[0]])
        self.form.addRow(label, cell)

    def _narrow(self, name: str) -> bool:
        widget = self.inputs[name]
        return (isinstance(widget, QComboBox) and not widget.isEditable()) or (
            isinstance(widget, QLineEdit) and widget.maximumWidth() < 1000)

    # values
    def value(self, name: str) -> str:
        """What the field holds, as text the services parse (a choice gives its code, '' for none)."""
        widget = self.inputs[name]
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        if isinstance(widget, QComboBox):
            return widget.currentText() if widget.isEditable() else (widget.currentData() or "")
        return widget.text()

    def _state(self) -> tuple[str, ...]:
        return tuple(self.value(name) for name in self.inputs)

    def is_dirty(self) -> bool:
        """Whether something was typed since the dialog opened or the last save."""
        return self._state() != self._clean_state

    def _subject(self) -> str:
        """The trích yếu as typed; none for a Tuyệt mật entry (whatever a text fill may have put in the field)."""
        return "" if self.value("secrecy") == Secrecy.TUYET_MAT.value else self.value("subject")

    def incoming_input(self) -> IncomingInput:
        v = self.value
        return IncomingInput(
            issuer=v("issuer"), reference=v("reference"), issued_on=v("issued_on") or None, doc_type=v("doc_type"),
            subject=self._subject(), received_on=v("received_on") or None, received_at=v("received_at") or None,
            urgency=v("urgency") or None, secrecy=v("secrecy") or None, pages=v("pages") or None, note=v("note"))

    def outgoing_input(self) -> OutgoingInput:
        v = self.value
        return OutgoingInput(
            doc_type=v("doc_type"), subject=self._subject(), unit=v("unit"), signer=v("signer"),
            signer_title=v("signer_title"), authority=v("authority") or None, recipients=v("recipients"),
            copies=v("copies") or None, signed_on=v("signed_on") or None, archive_holder=v("archive_holder"),
            reply_due=v("reply_due") or None, urgency=v("urgency") or None, secrecy=v("secrecy") or None,
            pages=v("pages") or None, note=v("note"), replies_to=v("replies_to"))

    # saving
    def save(self, close: bool = True, allow_duplicate: bool = False) -> DocumentRecord | None:
        """Vào sổ what the form holds; on refusal show why next to the fields and keep everything typed."""
        for completer in self.completers.values():
            completer.popup().hide()
        self._clear_feedback()
        for name in DATE_FIELDS:
            if name in self.inputs:
                self._tidy_date(self._input(name, QLineEdit))
        try:
            if self.incoming and self.text_fill is not None and self.text_fill.extraction is not None:
                record, _links = self.registry.text_entry.register(self.text_fill.extraction,
                                                                  self.text_fill.overrides(), allow_duplicate)
            elif self.incoming:
                record = self.registry.documents.register_incoming(self.incoming_input(), allow_duplicate)
            else:
                record = self.registry.documents.register_outgoing(self.outgoing_input())
        except DuplicateError as exc:
            self._show_duplicate(str(exc), close)
            return None
        except ValidationError as exc:
            self._show_errors(exc.errors)
            return None
        except VanThuError as exc:
            self._show_message(str(exc), "error")
            return None
        except Exception as exc:  # a locked or vanished database must not cost the clerk what was typed
            log.exception("registration failed")
            self._show_message(f"Chưa vào sổ được do lỗi hệ thống: {exc}", "error")
            return None
        self.last_record = record
        if self.text_fill is not None:
            self.text_fill.clear()
        self.registered.emit(record)
        if close:
            self._clean_state = self._state()
            self.accept()
        else:
            self._start_next(record)
        return record

    def _start_next(self, record: DocumentRecord) -> None:
        keep = {"received_on"} if self.incoming else {"signed_on"}
        self._kept_subject = ""  # the next entry starts empty, whatever level the last one had
        for name, widget in self.inputs.items():
            if name in keep:
                continue
            if isinstance(widget, QComboBox):
                if widget.isEditable():
                    widget.setCurrentIndex(-1)
                    widget.setEditText("")
                else:
                    widget.setCurrentIndex(0)
            else:
                widget.clear()
        self._clear_feedback()
        if self.incoming:
            book = " (sổ văn bản mật)" if record.secrecy else ""
            self._show_message(f"Đã vào sổ số đến {record.number}{book}: {record.reference or ''} — "
                               f"{record.issuer or ''}.", "ok")
        else:
            self._show_message(f"Đã vào sổ văn bản đi số {record.reference}.", "ok")
        self._refresh_preview()
        self._clean_state = self._state()
        self.first_field.setFocus()

    def _show_duplicate(self, message: str, close: bool) -> None:
        self._close_after_duplicate = close
        self.banner_text.setText(f"⚠ Có thể trùng: {message}\nVẫn vào sổ thêm một lần (số đến mới), hay sửa lại?")
        self.banner.show()
        self._mark("reference", True)
        self.fix_button.setFocus()  # the safe choice; Shift+Tab reaches "Vẫn vào sổ"

    def _save_duplicate(self) -> None:
        self.banner.hide()
        self.save(self._close_after_duplicate, allow_duplicate=True)

    def _fix_duplicate(self) -> None:
        self.banner.hide()
        self.inputs["reference"].setFocus()

    # feedback
    def _show_errors(self, errors: list[FieldError]) -> None:
        unplaced: list[str] = []
        for error in errors:
            if error.field in self.error_labels:
                self._add_error(error.field, f"{LABELS[error.field]}: {error.message}")
            else:
                unplaced.append(str(error))
        fields = {error.field for error in errors}
        bad = [name for name in self.inputs if name in fields]
        summary = "Chưa vào sổ: hãy sửa các ô tô đỏ." if bad else "Chưa vào sổ."
        self._show_message("\n".join([summary, *unplaced]), "error")
        if bad:
            first = self.inputs[bad[0]]
            first.setFocus()
            if isinstance(first, QLineEdit):
                first.selectAll()  # retyping replaces, as after Tab

    def _add_error(self, name: str, text: str) -> None:
        label = self.error_labels[name]
        shown = label.text().split("\n") if not label.isHidden() and label.text() else []
        if text not in shown:
            label.setText("\n".join([*shown, text]))
        label.show()
        self._mark(name, True)

    def _clear_error(self, name: str) -> None:
        if self.error_labels.get(name) is not None and not self.error_labels[name].isHidden():
            self.error_labels[name].hide()
            self.error_labels[name].clear()
        self._mark(name, False)

    def _mark(self, name: str, invalid: bool) -> None:
        widget = self.inputs[name]
        if bool(widget.property("invalid")) != invalid:
            widget.setProperty("invalid", invalid)
            _repolish(widget)

    def _clear_feedback(self) -> None:
        for name in self.inputs:
            self._clear_error(name)
        self.banner.hide()
        self._show_message("", "")

    def _show_message(self, text: str, kind: str) -> None:
        self.message.setText(text)
        self.message.setProperty("kind", kind)
        _repolish(self.message)

    # field behaviour
    def _normalise_date(self, name: str) -> None:
        """On leaving a date field: rewrite it DD/MM/YYYY, or say at once why it is not a date."""
        edit = self._input(name, QLineEdit)
        text = edit.text().strip()
        self._clear_error(name)
        if text:
            try:
                edit.setText(format_date(parse_date(text)))
            except ValueError as exc:
                self._add_error(name, f"{LABELS[name]}: {exc}")
                return
        if name in ("received_on", "signed_on"):
            self._refresh_preview()

    @staticmethod
    def _tidy_date(edit: QLineEdit) -> None:
        """Rewrite a valid date DD/MM/YYYY; leave anything else for the service to explain."""
        try:
            edit.setText(format_date(parse_date(edit.text())))
        except ValueError:
            pass

    def _doc_type_finished(self) -> None:
        """Spell the type as the agency's list does ('quyet dinh' -> 'Quyết định'); unknown types stay as typed."""
        combo = self._input("doc_type", QComboBox)
        text = combo.currentText()
        known = self._types.get(fold(text))
        spelled = known.name if known is not None else canonical_type(text)
        if text.strip() and spelled != text:
            combo.setEditText(spelled)
        if not self.incoming:
            self._refresh_preview()

    def _suggestion_chosen(self, name: str, text: str) -> None:
        """A suggestion was picked (Enter, Tab or click): fill what it implies, then go on to the next field."""
        if name == "signer" and not self.value("signer_title").strip() and self._people.get(text):
            self._input("signer_title", QLineEdit).setText(self._people[text])
        if self.inputs[name].hasFocus():
            self.focusNextChild()

    def _refresh_preview(self) -> None:
        """Show the number the next save would give (a peek: nothing is reserved)."""
        secret = bool(self.value("secrecy"))
        caption = "Số đến dự kiến" if self.incoming else "Số dự kiến"
        suffix = " (sổ văn bản mật)" if secret else ""
        self.preview_number = None
        try:
            day_text = self.value("received_on" if self.incoming else "signed_on").strip()
            day = parse_date(day_text) if day_text else today()
            if self.incoming:
                number = self.registry.documents.next_incoming_number(day, secret)
                shown = str(number)
            else:
                doc_type, unit = canonical_type(self.value("doc_type")), self.value("unit").strip().upper()
                if not doc_type:
                    raise ValueError("no type yet")
                number = self.registry.documents.next_outgoing_number(doc_type, day, unit, secret)
                known = self._types.get(fold(doc_type))
                abbreviation = known.abbreviation if known is not None else None
                shown = (build_reference(number, self.agency.family, self.agency.abbreviation, abbreviation, unit)
                         if self.agency.abbreviation else pad_number(number))
        except (ValueError, VanThuError):  # type or unit still incomplete, or a date not finished
            self.preview.setText(f"{caption}: —{suffix}")
            return
        except Exception:  # the preview is a courtesy: a busy database must not stop the clerk typing
            log.exception("number preview failed")
            self.preview.setText(f"{caption}: —{suffix}")
            return
        self.preview_number = number
        self.preview.setText(f"{caption}: {shown}{suffix}")

    # keyboard
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and self.text_fill is not None:
            self.text_fill.confirmed(watched)
        if event.type() == QEvent.Type.Hide and self.isVisible() and any(
                watched is c.popup() for c in self.completers.values()):
            # Some platforms leave the closed suggestion list as the active window: keys would go nowhere.
            QTimer.singleShot(0, self.activateWindow)
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            action = self._key_action(watched, event)
            if action is not None:
                action()
                return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        action = self._key_action(self, event)
        if action is not None:
            action()
            return
        super().keyPressEvent(event)

    def _key_action(self, watched: QObject, event: QKeyEvent) -> Callable[[], object] | None:
        """Enter = next field (not in a multi-line box), Ctrl+Enter/Ctrl+S = Lưu, Ctrl+Shift+Enter = Lưu và
        nhập tiếp, Esc = Hủy. Handled here rather than with QShortcut so every widget of the form behaves alike."""
        key, mods = event.key(), event.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        alt = bool(mods & (Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier))
        if alt:
            return None
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab) and not ctrl and not shift \
                and self._is_unchosen_suggestion_list(watched):
            # Qt would replace what was typed by the suggestion it highlights on its own (a prefix match):
            # only a suggestion the clerk chose (arrow keys or mouse) is taken; otherwise keep the text and go on.
            popup = watched
            assert isinstance(popup, QWidget)
            return lambda: (popup.hide(), self.focusNextChild())
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if ctrl:
                return lambda: self.save(close=not shift)
            if not shift and isinstance(watched, QLineEdit | QComboBox):
                return self.focusNextChild
        elif key == Qt.Key.Key_S and ctrl and not shift:
            return lambda: self.save(close=True)
        elif key == Qt.Key.Key_V and ctrl and shift and self.text_fill is not None:
            return self.text_fill.paste
        elif key == Qt.Key.Key_Escape and not ctrl and not shift and isinstance(watched, QLineEdit | QComboBox |
                                                                                 QPlainTextEdit):
            return self.reject
        return None

    # closing
    def dragEnterEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 - Qt's name
        if self.text_fill is not None and self.text_fill.accepts(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 - Qt's name
        if self.text_fill is not None and self.text_fill.from_mime(event.mimeData()):
            event.acceptProposedAction()

    def done(self, result: int) -> None:
        for completer in self.completers.values():
            completer.popup().hide()  # a suggestion list must not outlive its dialog
        super().done(result)

    def reject(self) -> None:
        if self.is_dirty() and not self._confirm_discard():
            return
        super().reject()

    def _confirm_discard(self) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, self.windowTitle(),
                          "Văn bản đang nhập chưa được vào sổ. Bỏ những gì đã nhập và đóng?", parent=self)
        discard = box.addButton("Bỏ và đóng", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("Tiếp tục nhập", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.exec()
        return box.clickedButton() is discard
