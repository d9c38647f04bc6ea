"""The registration form: its fields and rows, what they hold as IncomingInput/OutgoingInput, and the number preview."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QStringListModel, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.dates import format_date, parse_date, today
from app.core.enums import Authority, Direction, Family, Secrecy, Urgency
from app.core.errors import VanThuError
from app.core.records import DocumentTypeRecord, IncomingInput, OutgoingInput
from app.core.references import build_reference, canonical_type, pad_number
from app.core.text import fold
from app.services import Registry
from app.signatures.verdicts import INVALID as SIGNATURE_INVALID
from app.signatures.verdicts import MISSING, UNTRUSTED, VALID
from app.ui.document_table_model import SIGNATURE_MARKS
from app.ui.form import INVALID, Form, repolish
from app.ui.unnumbered_box import REFERENCE_PLACEHOLDER, UnnumberedBox

log = logging.getLogger(__name__)

LABELS: dict[str, str] = {
    "received_on": "Ngày đến", "received_at": "Giờ đến", "issuer": "Cơ quan ban hành (tác giả)",
    "reference": "Số, ký hiệu", "issued_on": "Ngày văn bản", "doc_type": "Tên loại", "subject": "Trích yếu",
    "urgency": "Độ khẩn", "secrecy": "Độ mật", "pages": "Số trang", "note": "Ghi chú",
    "unit": "Đơn vị soạn thảo", "signer": "Người ký", "signer_title": "Chức vụ", "authority": "Thẩm quyền ký",
    "recipients": "Nơi nhận", "copies": "Số lượng bản", "signed_on": "Ngày ký", "archive_holder": "Đơn vị lưu",
    "reply_due": "Hạn trả lời", "replies_to": "Trả lời văn bản đến số", "due_on": "Hạn giải quyết",
}
DATE_FIELDS = ("received_on", "issued_on", "signed_on", "reply_due", "due_on")
SUBJECT_PLACEHOLDER = "Trích yếu nội dung văn bản"
TUYET_MAT_SUBJECT = "Văn bản Tuyệt mật: sổ không ghi trích yếu, chỉ ghi tên loại"


# Part of the dialog's style sheet: the banner's colours by the state of the file's signatures.
SIGNATURE_STYLE = "".join(
    f'QLabel#signatureBanner[state="{state}"] {{ color: {SIGNATURE_MARKS[state][1]}; background: {background}; '
    f"border: 1px solid {SIGNATURE_MARKS[state][1]}; font-weight: bold; }}\n"
    for state, background in ((VALID, "#e6f4ea"), (UNTRUSTED, "#fff0d9"), (SIGNATURE_INVALID, "#fde2e1"))
) + 'QLabel#signatureBanner[state="none"] { color: #5f6368; }\n'


_BANNER_STATES = {VALID: VALID, UNTRUSTED: UNTRUSTED, SIGNATURE_INVALID: SIGNATURE_INVALID,
                  MISSING: SIGNATURE_INVALID}  # a broken or missing signature is red, as an invalid one


class SignatureBanner(QLabel):
    """One line under the file row of the registration dialog: what the check of the chosen PDF's signatures
    found (green valid, orange untrusted, red invalid or missing, grey unsigned)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signatureBanner")
        self.setWordWrap(True)
        self.setMargin(4)  # not a style sheet padding: a wrapped label's height would leave it out
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.state = ""
        self.hide()

    def show_report(self, file_name: str, report: Any) -> None:
        """A VerifyReport (registry.signatures.check_file): its one-line verdict."""
        mark = SIGNATURE_MARKS.get(report.status)
        state = _BANNER_STATES.get(report.status, "none")
        self._show(f"{mark[0] if mark else '–'} «{file_name}»: {report.verdict}", state)

    def show_problem(self, file_name: str, message: str) -> None:
        """The check could not be made (a locked or damaged file): said in red."""
        self._show(f"✖ «{file_name}»: không kiểm tra được chữ ký số — {message}", SIGNATURE_INVALID)

    def _show(self, text: str, state: str) -> None:
        self.state = state
        self.setText(text)
        self.setProperty("state", state)
        repolish(self)
        self.show()


def matching(entries: list[tuple[str, str]], text: str, limit: int = 15) -> list[str]:
    """What to offer for the text: entries are (offered text, folded text searched), so 'van phong' finds VP."""
    key = fold(text)
    return [offered for offered, searched in entries if key in searched][:limit] if key else []


class RegisterForm(QObject):
    """The fields of one incoming or outgoing entry, bound in `form` by the services' field names and laid out in
    `rows`, with suggestions under the name fields (`completers`) and the number the next save would give
    (`preview`, a peek: nothing is reserved)."""

    def __init__(self, registry: Registry, direction: Direction, next_field: Callable[[], object],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.incoming = direction is Direction.INCOMING
        self.agency = registry.settings.agency()
        self.next_field = next_field  # a picked suggestion moves on, as Enter does
        self.form = Form(LABELS, label_errors=True)
        self.preview = QLabel()
        self.preview.setObjectName("preview")
        self.preview_number: int | None = None  # what the preview shows; never reserved
        self.completers: dict[str, QCompleter] = {}
        self._people: dict[str, str] = {}  # signer name -> title, to fill Chức vụ when a signer is picked
        self._kept_subject = ""  # what was typed as trích yếu before Tuyệt mật was chosen
        self.unnumbered: UnnumberedBox | None = None  # giấy mời, thư … without số, ký hiệu (incoming only)
        self._types = self._load_types()
        self.rows = QFormLayout()
        self.rows.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        if self.incoming:
            self._build_incoming()
        else:
            self._build_outgoing()
        self.refresh_preview()

    @property
    def first_field(self) -> QLineEdit | QPlainTextEdit | QComboBox:
        return self.form.fields["issuer" if self.incoming else "doc_type"]

    # building
    def _build_incoming(self) -> None:
        f = self.form
        self._row(self._date("received_on", format_date(today())), f.line("received_at", "HH:MM", 80))
        self._row(f.line("issuer", "gõ không dấu cũng được, ví dụ: so y te"))
        self._suggest("issuer", lambda text: [org.name for org in self.registry.directory.organizations(text, 15)])
        reference = f.line("reference", REFERENCE_PLACEHOLDER)
        issued_on = self._date("issued_on")
        self.unnumbered = UnnumberedBox(reference, issued_on, self.next_field, self)
        self._row(reference, extra=self.unnumbered.box)
        self._row(issued_on)
        self._row(self._type_combo())
        self._row(f.text("subject", SUBJECT_PLACEHOLDER))
        self._urgency_rows()
        self._row(f.line("pages", "", 80))
        self._row(f.line("note", ""))
        self._row(self._date("due_on"), note="Thời hạn văn bản yêu cầu (ví dụ “trước ngày 15/7/2023”), nếu có.")

    def _build_outgoing(self) -> None:
        f = self.form
        state = self.agency.family is Family.STATE
        self._row(self._type_combo())
        unit_hint = (f"Bắt buộc với công văn: ký hiệu ghi theo đơn vị soạn thảo, ví dụ "
                     f"05/{self.agency.abbreviation or 'SYT'}-VP." if state else "Mã đơn vị soạn thảo, nếu có.")
        self._row(f.line("unit", "ví dụ VP", 120), note=unit_hint)
        f.widget("unit", QLineEdit).editingFinished.connect(self.refresh_preview)
        codes = [(d.code, fold(f"{d.code} {d.name}")) for d in self.registry.directory.departments() if d.code]
        self._suggest("unit", lambda text: matching(codes, text))
        self._row(f.text("subject", SUBJECT_PLACEHOLDER))
        self._row(f.line("signer", "họ và tên"))
        self._people = {p.full_name: p.title or "" for p in self.registry.directory.people()}
        people = [(name, fold(name)) for name in self._people]
        self._suggest("signer", lambda text: matching(people, text))
        self._row(f.line("signer_title", "ví dụ Giám đốc"))
        forms = ([Authority.TM, Authority.KT, Authority.TL, Authority.TUQ, Authority.Q] if state
                 else [Authority.PARTY_TM, Authority.PARTY_KT, Authority.PARTY_TL, Authority.Q])
        self._row(f.choice("authority", [("(không)", None), *((a.label, a.value) for a in forms)]))
        self._row(f.text("recipients", "Mỗi nơi nhận một dòng"))
        self._row(f.line("copies", "", 80))
        self._row(self._date("signed_on", format_date(today())))
        self._row(f.line("archive_holder", "ví dụ VT, VP"))
        self._row(self._date("reply_due"))
        self._row(f.line("replies_to", "số đến, ví dụ 125 hoặc 125/2025", 260),
                  note="Văn bản đến được trả lời sẽ ghi “Đã trả lời” và thôi theo dõi hạn.")
        self._urgency_rows()
        self._row(f.line("pages", "", 80))
        self._row(f.line("note", ""))

    def _date(self, name: str, value: str = "") -> QLineEdit:
        edit = self.form.date(name, value)
        if name in ("received_on", "signed_on"):
            # The day decides the number shown; a date the form just refused keeps the last preview.
            edit.editingFinished.connect(lambda: None if edit.property(INVALID) else self.refresh_preview())
        return edit

    def _urgency_rows(self) -> None:
        self.form.choice("urgency", [("Thường", None), *((u.label, u.value) for u in Urgency)])
        # Only the levels this account is cleared for (an open register: all three).
        cleared = [s for s in Secrecy if self.registry.principal.cleared_for(s)]
        secrecy = self.form.choice("secrecy", [("Thường", None), *((s.label, s.value) for s in cleared)])
        self._row(self.form.fields["urgency"], secrecy,
                  note="Văn bản mật vào sổ văn bản mật riêng, số theo dãy riêng.")
        secrecy.currentIndexChanged.connect(self.refresh_preview)
        secrecy.currentIndexChanged.connect(self._secrecy_changed)

    def _type_combo(self) -> QComboBox:
        combo = QComboBox()
        combo.setEditable(True)  # before binding: the form then also listens to what is typed in it
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.setMaxVisibleItems(20)
        names = [record.name for record in self._types.values()]
        combo.addItems(sorted(names, key=lambda name: name != "Công văn"))  # the commonest type first
        combo.setCurrentIndex(-1)
        combo.setEditText("")
        line = combo.lineEdit()
        line.setPlaceholderText("chọn hoặc gõ, ví dụ Công văn, Quyết định")
        self.form.bind("doc_type", combo)
        line.editingFinished.connect(self._doc_type_finished)
        combo.activated.connect(lambda _index: self._doc_type_finished())
        return combo

    def _load_types(self) -> dict[str, DocumentTypeRecord]:
        """The agency's list of types by folded name; incoming documents also come from the other family."""
        own = self.agency.family
        families = [own] if not self.incoming else [own, Family.PARTY if own is Family.STATE else Family.STATE]
        types: dict[str, DocumentTypeRecord] = {}
        for family in families:
            for record in self.registry.types.list(family):
                types.setdefault(fold(record.name), record)
        return types

    def _row(self, *widgets: QLineEdit | QPlainTextEdit | QComboBox, note: str = "",
             extra: QWidget | None = None) -> None:
        """One form row: the fields side by side, each with its (hidden) error line under it, then a hint. The
        error line spans a second field's caption too, so the row is laid out here rather than with form.boxed.
        `extra` (a check box) sits after the fields, on their line."""
        names = [widget.objectName() for widget in widgets]
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for index, (name, widget) in enumerate(zip(names, widgets, strict=True)):
            column = QVBoxLayout()
            column.setSpacing(2)
            line = QHBoxLayout()
            if index:
                line.addSpacing(12)
                caption = QLabel(LABELS[name])
                caption.setBuddy(widget)
                line.addWidget(caption)
            line.addWidget(widget, 1)
            if extra is not None and index == len(widgets) - 1:
                line.addSpacing(12)
                line.addWidget(extra)
            column.addLayout(line)
            column.addWidget(self.form.error_label(name))
            row.addLayout(column, 0 if self._narrow(widget) else 1)
        if all(self._narrow(widget) for widget in widgets):
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
        label.setBuddy(widgets[0])
        self.rows.addRow(label, cell)

    @staticmethod
    def _narrow(widget: QLineEdit | QPlainTextEdit | QComboBox) -> bool:
        return (isinstance(widget, QComboBox) and not widget.isEditable()) or (
            isinstance(widget, QLineEdit) and widget.maximumWidth() < 1000)

    # suggestions
    def _suggest(self, name: str, source: Callable[[str], list[str]]) -> None:
        """A suggestion list under a line edit, refilled on each edit from a search that ignores diacritics.
        Qt's own prefix filter is off (unfiltered popup): it would hide 'Đảng ủy' from someone typing 'dang uy'."""
        model = QStringListModel(self)
        completer = QCompleter(model, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setMaxVisibleItems(12)
        edit = self.form.widget(name, QLineEdit)
        edit.setCompleter(completer)
        edit.textEdited.connect(lambda text: model.setStringList(source(text) if text.strip() else []))
        completer.activated.connect(lambda text: QTimer.singleShot(0, lambda: self._suggestion_chosen(name, text)))
        self.completers[name] = completer

    def _suggestion_chosen(self, name: str, text: str) -> None:
        """A suggestion was picked (Enter, Tab or click): fill what it implies, then go on to the next field."""
        if name == "signer" and not self.form.value("signer_title").strip() and self._people.get(text):
            self.form.widget("signer_title", QLineEdit).setText(self._people[text])
        if self.form.fields[name].hasFocus():
            self.next_field()

    def hide_suggestions(self) -> None:
        for completer in self.completers.values():
            completer.popup().hide()

    # field behaviour
    def _secrecy_changed(self) -> None:
        """A Tuyệt mật entry carries no trích yếu (only its type): the subject is put aside and locked; another
        level gives back what was typed."""
        subject = self.form.widget("subject", QPlainTextEdit)
        if self.form.value("secrecy") == Secrecy.TUYET_MAT.value:
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

    def _doc_type_finished(self) -> None:
        """Spell the type as the agency's list does ('quyet dinh' -> 'Quyết định'); unknown types stay as typed."""
        combo = self.form.widget("doc_type", QComboBox)
        text = combo.currentText()
        known = self._types.get(fold(text))
        spelled = known.name if known is not None else canonical_type(text)
        if text.strip() and spelled != text:
            combo.setEditText(spelled)
        if not self.incoming:
            self.refresh_preview()

    def tidy_dates(self) -> None:
        """Rewrite each valid date DD/MM/YYYY; leave anything else for the service to explain."""
        for name in DATE_FIELDS:
            if name in self.form.fields:
                edit = self.form.widget(name, QLineEdit)
                try:
                    edit.setText(format_date(parse_date(edit.text())))
                except ValueError:
                    pass

    def blank(self) -> None:
        """Empty the fields for the next entry; the day it came in (or was signed) stays, as it usually does."""
        keep = {"received_on"} if self.incoming else {"signed_on"}
        self._kept_subject = ""  # the next entry starts empty, whatever level the last one had
        if self.unnumbered is not None:
            self.unnumbered.reset()
        for name, widget in self.form.fields.items():
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

    # values
    def _subject(self) -> str:
        """The trích yếu as typed; none for a Tuyệt mật entry (whatever a text fill may have put in the field)."""
        return "" if self.form.value("secrecy") == Secrecy.TUYET_MAT.value else self.form.value("subject")

    def incoming_input(self) -> IncomingInput:
        v = self.form.value
        return IncomingInput(
            issuer=v("issuer"), reference=self.unnumbered.value() if self.unnumbered else v("reference"),
            issued_on=v("issued_on") or None, doc_type=v("doc_type"),
            subject=self._subject(), received_on=v("received_on") or None, received_at=v("received_at") or None,
            urgency=v("urgency") or None, secrecy=v("secrecy") or None, pages=v("pages") or None, note=v("note"),
            due_on=v("due_on") or None)

    def outgoing_input(self) -> OutgoingInput:
        v = self.form.value
        return OutgoingInput(
            doc_type=v("doc_type"), subject=self._subject(), unit=v("unit"), signer=v("signer"),
            signer_title=v("signer_title"), authority=v("authority") or None, recipients=v("recipients"),
            copies=v("copies") or None, signed_on=v("signed_on") or None, archive_holder=v("archive_holder"),
            reply_due=v("reply_due") or None, urgency=v("urgency") or None, secrecy=v("secrecy") or None,
            pages=v("pages") or None, note=v("note"), replies_to=v("replies_to"))

    # the number the next save would give
    def refresh_preview(self) -> None:
        """Show the number the next save would give (a peek: nothing is reserved)."""
        v = self.form.value
        secret = bool(v("secrecy"))
        caption = "Số đến dự kiến" if self.incoming else "Số dự kiến"
        suffix = " (sổ văn bản mật)" if secret else ""
        self.preview_number = None
        try:
            day_text = v("received_on" if self.incoming else "signed_on").strip()
            day = parse_date(day_text) if day_text else today()
            if self.incoming:
                number = self.registry.documents.next_incoming_number(day, secret)
                shown = str(number)
            else:
                doc_type, unit = canonical_type(v("doc_type")), v("unit").strip().upper()
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
