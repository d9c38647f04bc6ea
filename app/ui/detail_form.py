"""The Thông tin tab: the entry's fields, read-only until F2 opens the editable ones; what the clerk changed."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from app.core.dates import format_date
from app.core.enums import Authority, Direction, Family, LabelledEnum, Secrecy, Urgency
from app.core.errors import VanThuError
from app.core.records import DocumentRecord
from app.core.unnumbered import shown_reference
from app.ui.detail_history import field_label, local_time
from app.ui.form import Field, Form, repolish

# Field kinds: a line, several lines, a choice, or fixed (shown, never editable here).
LINE, TEXT, CHOICE, FIXED = "line", "text", "choice", "fixed"
INCOMING, OUTGOING = "incoming", "outgoing"
INCOMING_FIELDS = [
    ("number", FIXED), ("received_on", LINE), ("received_at", LINE), ("issuer", LINE), ("reference", LINE),
    ("issued_on", LINE), ("doc_type", LINE), ("subject", TEXT), ("urgency", CHOICE), ("secrecy", CHOICE),
    ("pages", LINE), ("copies", LINE), ("note", TEXT), ("file_code", LINE), ("recipient_text", FIXED),
    ("directive", FIXED), ("due_on", FIXED), ("book_name", FIXED), ("created", FIXED),
]
OUTGOING_FIELDS = [
    ("reference", FIXED), ("signed_on", FIXED), ("doc_type", FIXED), ("unit", FIXED), ("subject", TEXT),
    ("authority", CHOICE), ("signer_title", LINE), ("signer", LINE), ("recipients", TEXT), ("archive_holder", LINE),
    ("copies", LINE), ("reply_due", LINE), ("urgency", CHOICE), ("secrecy", CHOICE), ("pages", LINE),
    ("note", TEXT), ("file_code", LINE), ("book_name", FIXED), ("created", FIXED),
]
NORMAL = "Thường"  # độ khẩn or độ mật not set: shown in words, never as a blank box
TEXT_HEIGHT = 68  # three lines of the pane's font, as the fields have always been


def record_value(record: DocumentRecord, key: str) -> str:
    """A field of the entry as the form shows it (and as the service accepts it back)."""
    if key == "signed_on":
        return format_date(record.registered_on)
    if key == "unit":
        return record.drafting_unit or ""
    if key == "created":
        return f"{record.created_by} — {local_time(record.created_at)}"
    if key == "recipients":
        return "\n".join(record.recipients)
    if key == "reference" and record.direction is Direction.INCOMING:
        return shown_reference(record.reference)  # "Không số", which the service takes back as no reference
    value = getattr(record, key)
    if value is None:
        return ""
    if isinstance(value, LabelledEnum):
        return value.label
    if isinstance(value, datetime):
        return local_time(value)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value)


def authority_forms(family: Family) -> list[str]:
    """The thẩm quyền ký an outgoing entry of this kind of agency may be signed under (TM., KT., …)."""
    forms = ([Authority.PARTY_TM, Authority.PARTY_KT, Authority.PARTY_TL, Authority.Q] if family is Family.PARTY
             else [Authority.TM, Authority.KT, Authority.TL, Authority.TUQ, Authority.Q])
    return [a.value for a in forms]


def set_choices(combo: QComboBox, choices: list[str], none: str = "") -> None:
    """`none` first (no value: for độ khẩn and độ mật that is "Thường", as the registration form says), then the
    choices; each item's data is its text, which the service parses."""
    combo.clear()
    combo.addItem(none, None)
    for text in choices:
        combo.addItem(text, text)


class DetailForm(QGroupBox):
    """One form per kind of entry (incoming, outgoing), only the one of the shown entry visible. Refusals that
    name no field of the form go to the pane's message line, `general`."""

    def __init__(self, general: QLabel, parent: QWidget | None = None) -> None:
        super().__init__("Thông tin văn bản", parent)
        layout = QVBoxLayout(self)
        self.kinds: dict[str, dict[str, str]] = {}  # form -> field -> its kind (LINE, TEXT, CHOICE, FIXED)
        self.forms: dict[str, Form] = {}
        self.pages: dict[str, QWidget] = {}
        for name, specs in ((INCOMING, INCOMING_FIELDS), (OUTGOING, OUTGOING_FIELDS)):
            form = Form(general=general)
            page = QWidget()
            rows = QFormLayout(page)
            rows.setContentsMargins(0, 0, 0, 0)
            rows.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
            rows.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for key, kind in specs:
                label = QLabel(f"{field_label(key)}:")
                label.setWordWrap(True)
                rows.addRow(label, form.boxed(self._editor(form, key, kind), key))
            set_choices(form.widget("urgency", QComboBox), [u.label for u in Urgency], NORMAL)
            set_choices(form.widget("secrecy", QComboBox), [s.label for s in Secrecy], NORMAL)
            self.kinds[name], self.forms[name], self.pages[name] = dict(specs), form, page
            layout.addWidget(page)
        self.kind = INCOMING

    @staticmethod
    def _editor(form: Form, key: str, kind: str) -> Field:
        editor: Field
        if kind == TEXT:
            editor = form.text(key)
            editor.setFixedHeight(TEXT_HEIGHT)
        elif kind == CHOICE:
            editor = form.choice(key, [])
        else:
            dated = kind != FIXED and (key.endswith("_on") or key == "reply_due")
            editor = form.line(key, "DD/MM/YYYY" if dated else "")
        editor.setObjectName(f"field_{key}")
        return editor

    @property
    def form(self) -> Form:
        """The form of the shown entry's kind."""
        return self.forms[self.kind]

    def editable(self) -> list[str]:
        return [key for key, kind in self.kinds[self.kind].items() if kind != FIXED]

    def load(self, record: DocumentRecord, family: Family | None = None) -> None:
        """Show the entry read-only (its kind's form), dropping anything typed; `family` (the agency's) sets the
        thẩm quyền ký an outgoing entry offers."""
        self.kind = INCOMING if record.direction is Direction.INCOMING else OUTGOING
        for name, page in self.pages.items():
            page.setVisible(name == self.kind)
        form, kinds = self.form, self.kinds[self.kind]
        if self.kind == OUTGOING and family is not None:
            set_choices(form.widget("authority", QComboBox), authority_forms(family))
        values = {key: record_value(record, key) for key in kinds}
        for key in (k for k, kind in kinds.items() if kind == CHOICE):
            combo = form.widget(key, QComboBox)
            if values[key] and combo.findData(values[key]) < 0:
                combo.addItem(values[key], values[key])  # a stored value no longer offered is still shown
        form.load(values)
        self.set_editing(False)

    def set_editing(self, on: bool) -> None:
        for key, kind in self.kinds[self.kind].items():
            editor = self.form.fields[key]
            if isinstance(editor, QComboBox):
                editor.setEnabled(on and kind != FIXED)
            else:
                editor.setReadOnly(not (on and kind != FIXED))
                repolish(editor)  # the read-only look comes from a style sheet property selector

    def changes(self) -> dict[str, Any]:
        """Only the fields the clerk changed, as typed (the service parses and checks them); a blank choice is
        None."""
        kinds = self.kinds[self.kind]
        return {key: None if kinds[key] == CHOICE and not value.strip() else value
                for key, value in self.form.changed(self.editable()).items()}

    def is_dirty(self) -> bool:
        return self.form.is_dirty()

    def show_error(self, error: VanThuError) -> None:
        """A refusal under the fields it names (the first one focused), the rest on the pane's message line."""
        self.form.show(error)

    def focus_first(self) -> None:
        self.form.fields["subject"].setFocus()
