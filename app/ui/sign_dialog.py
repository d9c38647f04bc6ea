"""Ký số và phát hành (an outgoing entry's PDF signed as the agency) and Tạo bản sao điện tử (an entry's copy signed
as the agency): the file, where the signed file goes, the key, and a preview of the page with a red frame where
the seal or the text will be. The signing runs off the UI thread; its check, or its refusal, is shown here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.core.enums import Direction
from app.core.errors import ValidationError, VanThuError
from app.core.records import DocumentRecord
from app.services import Registry
from app.services.issuing import COPY_FORMS
from app.signatures.verdicts import VALID
from app.ui import file_dialogs
from app.ui.form import Form
from app.ui.form_scroll import FormScroll
from app.ui.questions import ask_two_ways
from app.ui.settings.widgets import add_row
from app.ui.sign_preview import PREVIEW_SIZE, Preview, make_preview, preview_pixmap
from app.ui.tasks import BackgroundTasks
from app.ui.unsaved import settle_unsaved

ERROR_STYLE, OK_STYLE, WARN_STYLE = "color: #b00020;", "color: #2e7d32;", "color: #a15c00;"
PDF_FILTER = "Tệp PDF (*.pdf)"


def _entry(doc: DocumentRecord) -> str:
    if doc.direction is Direction.INCOMING:
        return f"văn bản đến số {doc.number}/{doc.year}" + (f" ({doc.reference})" if doc.reference else "")
    book = "bản sao" if doc.direction is Direction.COPY else "văn bản đi"
    return f"{book} số {doc.reference or doc.number}"


class SignDialog(QDialog):
    """One dialog for both: `copy` False signs the outgoing entry `doc` (registry.signatures.sign), True makes an
    electronic copy of `doc` (registry.signatures.make_copy). Emits `issued(issuing.Issued)` once the file is
    signed, attached and checked."""

    issued = Signal(object)
    previewed = Signal()  # a preview (or its problem) is shown: tests wait on it

    def __init__(self, registry: Registry, doc: DocumentRecord, tasks: BackgroundTasks, copy: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry, self.doc, self.tasks, self.copy = registry, doc, tasks, copy
        self.signing, self._alive, self._preview_token, self._auto_output = False, True, 0, ""
        self.done_issued: Any = None  # the issuing.Issued once signed: the dialog never signs twice
        self.preview_data: Preview | None = None
        self.finished.connect(lambda _result: setattr(self, "_alive", False))
        self.setWindowTitle("Tạo bản sao điện tử" if copy else "Ký số và phát hành")
        self.form = Form()
        heading = QLabel(self._heading())
        heading.setWordWrap(True)
        heading.setStyleSheet("font-weight: bold;")

        rows = QFormLayout()
        self.copy_form = self.form.choice("form", [(label, key) for key, (_kind, label) in COPY_FORMS.items()])
        self.copy_signer = self.form.line("signer", "trống: tên trên chứng thư số")
        if copy:
            add_row(rows, "&Hình thức sao:", self.form, self.copy_form, "form")
            add_row(rows, "Người ký bản sa&o:", self.form, self.copy_signer, "signer")
        self.draft = self.form.line("draft", "bản đã có chữ ký của người có thẩm quyền" if not copy else
                                    "tệp PDF của văn bản cần sao")
        self.output = self.form.line("output", "tệp PDF đã ký số")
        self._file_row(rows, "&Văn bản cần sao (PDF):" if copy else "&Bản thảo đã ký (PDF):", self.draft,
                       self.choose_draft, "draft")
        self._file_row(rows, "&Lưu tệp đã ký thành:", self.output, self.choose_output, "output")
        self.attachment = QCheckBox("Văn bản kèm th&eo (không hiện hình dấu)")
        self.attachment.setToolTip("Tệp riêng kèm theo văn bản chính: ghi số, ký hiệu và thời gian ký ở góc trên "
                                   "bên phải trang đầu thay cho hình con dấu (NĐ 30 Phụ lục I).")
        self.attachment.setVisible(not copy)
        self.attachment.toggled.connect(lambda _on: self.refresh_preview())
        self.draft.editingFinished.connect(self._draft_changed)
        self.copy_form.currentIndexChanged.connect(lambda _index: self._suggest_output())

        self.use_p12 = QRadioButton("Tệp khóa .&p12")
        self.use_token = QRadioButton("&USB token (PKCS#11)")
        self.use_p12.setChecked(True)
        self.pkcs12 = self.form.line("pkcs12", "tệp .p12 hoặc .pfx của cơ quan")
        self.password = self.form.line("password")
        self.pkcs11_lib = self.form.line("pkcs11_lib", "tệp .dll/.so của nhà cung cấp USB token")
        self.token_label = self.form.line("token_label", "trống: thiết bị đang cắm")
        self.key_label = self.form.line("key_label", "trống: khóa của thiết bị")
        self.pin = self.form.line("pin")
        for secret in (self.password, self.pin):
            secret.setEchoMode(QLineEdit.EchoMode.Password)
        p12_rows, token_rows = QFormLayout(), QFormLayout()
        self._file_row(p12_rows, "Tệp khó&a:", self.pkcs12, self.choose_pkcs12, "pkcs12")
        add_row(p12_rows, "&Mật khẩu:", self.form, self.password, "password")
        self._file_row(token_rows, "Thư viện PK&CS#11:", self.pkcs11_lib, self.choose_library, "pkcs11_lib")
        add_row(token_rows, "Nhãn &thiết bị:", self.form, self.token_label, "token_label")
        add_row(token_rows, "Nhãn &khóa:", self.form, self.key_label, "key_label")
        add_row(token_rows, "Mã P&IN:", self.form, self.pin, "pin")
        self.p12_fields, self.token_fields = QWidget(), QWidget()
        for holder, inner in ((self.p12_fields, p12_rows), (self.token_fields, token_rows)):
            inner.setContentsMargins(22, 0, 0, 0)
            holder.setLayout(inner)
        self.use_p12.toggled.connect(self._key_kind_changed)
        key_box = QGroupBox("Khóa ký số của cơ quan")
        key_layout = QVBoxLayout(key_box)
        for widget in (self.use_p12, self.p12_fields, self.use_token, self.token_fields,
                       self.form.error_label("certificate")):
            key_layout.addWidget(widget)
        self._key_kind_changed()

        self.preview = QLabel("Chọn tệp PDF để xem trước chỗ đóng dấu.")
        self.preview.setFixedSize(*PREVIEW_SIZE)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setStyleSheet("background: #e8e8e8; border: 1px solid #b0b0b0;")
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setFixedWidth(PREVIEW_SIZE[0])
        self.caption.setMinimumHeight(self.caption.fontMetrics().lineSpacing() * 4)  # wrapped lines never cut
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for line in (self.result, self.form.general):  # room for the wrapped lines (a layout may not give it)
            line.setMinimumHeight(line.fontMetrics().lineSpacing() * 5)

        self.buttons = QDialogButtonBox()
        self.sign_button = QPushButton("Ký &số")
        self.sign_button.setDefault(True)
        self.buttons.addButton(self.sign_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = self.buttons.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button.setAutoDefault(False)
        self.sign_button.clicked.connect(self.sign)
        self.buttons.rejected.connect(self.reject)

        left = QVBoxLayout()
        left.addWidget(heading)
        left.addLayout(rows)
        left.addWidget(self.attachment)
        left.addWidget(key_box)
        left.addWidget(self.form.general)
        left.addWidget(self.result)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.preview)
        right.addWidget(self.caption)
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right)
        columns.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.addWidget(FormScroll(columns, self), 1)  # on a small screen the rows scroll, the buttons stay
        layout.addWidget(self.buttons)
        self.resize(960, 640)
        self.form.mark_clean()
        self.draft.setFocus()

    def _heading(self) -> str:
        doc = self.doc
        if self.copy:
            return f"Bản sao điện tử của {_entry(doc)}: {doc.subject}"
        signer = f" — người ký: {doc.signer}" if doc.signer else " — chưa ghi người ký"
        return f"Ký số {_entry(doc)}: {doc.subject}{signer}"

    def _file_row(self, rows: QFormLayout, text: str, edit: QLineEdit, slot: Any, name: str) -> None:
        """A labelled row of a path and its "Chọn…" button; the label's mnemonic focuses the path."""
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(edit, 1)
        choose = QPushButton("Chọn…")
        choose.setAutoDefault(False)
        choose.clicked.connect(slot)
        row.addWidget(choose)
        label = QLabel(text)
        label.setBuddy(edit)
        rows.addRow(label, self.form.boxed(holder, name))
        self.form.labels[name] = text.replace("&", "").rstrip(": ")  # to say what closing would lose

    def _key_kind_changed(self) -> None:
        p12 = self.use_p12.isChecked()
        self.p12_fields.setEnabled(p12)
        self.token_fields.setEnabled(not p12)

    # files
    def _open_file(self, title: str, start: str, filters: str) -> str:
        return file_dialogs.open_file(self, title, filters, start) or ""

    def choose_draft(self) -> None:
        path = self._open_file("Văn bản cần sao" if self.copy else "Bản thảo đã ký", self.draft.text(), PDF_FILTER)
        if path:
            self.draft.setText(path)
            self._draft_changed()

    def choose_output(self) -> None:
        path = file_dialogs.save_file(self, "Lưu tệp đã ký số", PDF_FILTER, self.output.text())
        if path:
            self.output.setText(path if path.lower().endswith(".pdf") else f"{path}.pdf")
            self._auto_output = ""

    def choose_pkcs12(self) -> None:
        path = self._open_file("Tệp khóa ký số", self.pkcs12.text(), "Tệp khóa ký số (*.p12 *.pfx);;Mọi tệp (*)")
        if path:
            self.pkcs12.setText(path)
            self.password.setFocus()

    def choose_library(self) -> None:
        path = self._open_file("Thư viện PKCS#11 của USB token", self.pkcs11_lib.text(),
                               "Thư viện PKCS#11 (*.dll *.so *.dylib);;Mọi tệp (*)")
        if path:
            self.pkcs11_lib.setText(path)

    def suggested_output(self) -> str:
        """"<bản thảo> (đã ký số).pdf" (a copy: "(bản sao y).pdf") beside the file."""
        text = self.draft.text().strip()
        if not text:
            return ""
        source = Path(text).expanduser()
        what = COPY_FORMS[self.copy_form.currentData()][0].lower() if self.copy else "đã ký số"
        return str(source.with_name(f"{source.stem} ({what}).pdf"))

    def _suggest_output(self) -> None:
        current = self.output.text().strip()
        if not current or current == self._auto_output:
            self._auto_output = self.suggested_output()
            self.output.setText(self._auto_output)

    def _draft_changed(self) -> None:
        self._suggest_output()
        self.form.clear_error("draft")
        self.refresh_preview()

    # the preview
    def refresh_preview(self) -> None:
        text = self.draft.text().strip()
        if not text:
            return
        self._preview_token += 1
        token, path = self._preview_token, Path(text).expanduser()
        signer, top_right = self.doc.signer or "", self.copy or self.attachment.isChecked()
        registry = self.registry

        def work() -> Preview:
            settings = registry.settings.all()
            return make_preview(path, signer, top_right, settings.get("agency.seal_image", ""),
                                settings.get("agency.seal_size_mm", ""))

        self.caption.setStyleSheet("")
        self.caption.setText("Đang đọc tệp…")
        self.tasks.run(work, lambda preview: self._show_preview(preview, token),
                       lambda exc: self._preview_failed(exc, token))

    def _show_preview(self, preview: Preview, token: int) -> None:
        if not self._alive or token != self._preview_token:
            return
        self.preview_data = preview
        self.preview.setPixmap(QPixmap() if preview.page is None else preview_pixmap(preview))
        if preview.page is None:
            self.preview.setText("Không xem trước được tệp này.")
        self.caption.setStyleSheet(ERROR_STYLE if preview.problem else "")
        self.caption.setText(preview.problem or self._caption(preview))
        self.previewed.emit()

    def _caption(self, preview: Preview) -> str:
        where = f"Trang {preview.index + 1}/{preview.pages}"
        if self.copy:
            return (f"{where}: khung đỏ là chỗ ghi hình thức sao, tên cơ quan và thời gian ký (góc trên bên phải "
                    "trang đầu).")
        if self.attachment.isChecked():
            return f"{where}: khung đỏ là chỗ ghi số, ký hiệu và thời gian ký (góc trên bên phải trang đầu)."
        return (f"{where} (trang cuối): khung đỏ là hình con dấu, đúng cỡ thật, trùm lên 1/3 chữ ký bên trái, "
                f"phía trên họ tên «{self.doc.signer}».")

    def _preview_failed(self, exc: Exception, token: int) -> None:
        problem = str(exc) if isinstance(exc, VanThuError) else f"Không đọc được tệp: {exc}"
        self._show_preview(Preview(None, 0, 0, None, problem), token)

    # signing
    def key_source(self) -> Any:
        """The key as chosen; a missing file or library is named under its field."""
        from app.signatures.keys import KeySource

        if self.use_p12.isChecked():
            path = self.pkcs12.text().strip()
            if not path:
                raise ValidationError.single("pkcs12", "Tệp khóa", "chọn tệp khóa ký số (.p12, .pfx) của cơ quan.")
            return KeySource(pkcs12=Path(path).expanduser(), password=self.password.text())
        lib = self.pkcs11_lib.text().strip()
        if not lib:
            raise ValidationError.single("pkcs11_lib", "Thư viện PKCS#11", "chọn thư viện PKCS#11 (.dll/.so) của "
                                         "nhà cung cấp USB token.")
        return KeySource(pkcs11_lib=lib, token_label=self.token_label.text().strip() or None,
                         key_label=self.key_label.text().strip() or None, pin=self.pin.text())

    def _paths(self) -> tuple[Path, Path]:
        draft, output = self.draft.text().strip(), self.output.text().strip()
        errors = []
        if not draft:
            errors += ValidationError.single("draft", "Tệp", "chọn tệp PDF cần ký.").errors
        if not output:
            errors += ValidationError.single("output", "Tệp kết quả", "chọn nơi lưu tệp đã ký số.").errors
        if errors:
            raise ValidationError(errors)
        return Path(draft).expanduser(), Path(output).expanduser()

    def confirm(self, title: str, text: str) -> bool:
        return ask_two_ways(self, QMessageBox.Icon.Question, title, text, "Ghi đè", "Không")

    def sign(self) -> None:
        if self.signing or self.done_issued is not None:
            return
        self.form.clear()
        self.result.clear()
        try:
            draft, output = self._paths()
            key = self.key_source()
        except ValidationError as exc:
            self.form.show(exc)
            return
        if output.exists() and not self.confirm("Ghi đè tệp", f"Đã có tệp {output.name}. Ghi đè bằng tệp đã ký?"):
            return
        signatures, doc_id = self.registry.signatures, self.doc.id
        if self.copy:
            form, signer = self.copy_form.currentData(), self.copy_signer.text().strip()

            def work() -> Any:
                return signatures.make_copy(doc_id, form, draft, output, key, signer)
        else:
            attachment = self.attachment.isChecked()

            def work() -> Any:
                return signatures.sign(doc_id, draft, output, key, attachment=attachment)

        self._set_signing(True)
        self.tasks.run(work, self._signed, self._failed)

    def _set_signing(self, on: bool) -> None:
        self.signing = on
        self.sign_button.setEnabled(not on and self.done_issued is None)
        for widget in (self.draft, self.output, self.attachment, self.copy_form, self.copy_signer, self.use_p12,
                       self.use_token, self.p12_fields, self.token_fields):
            widget.setEnabled(not on)
        if not on:
            self._key_kind_changed()
        self.result.setStyleSheet("")
        self.result.setText("Đang ký số và kiểm tra lại tệp đã ký…" if on else self.result.text())

    def _signed(self, issued: Any) -> None:
        self.done_issued = issued
        if not self._alive:
            return
        self._set_signing(False)
        what = "bản sao" if self.copy else ("văn bản kèm theo" if self.attachment.isChecked() else "văn bản")
        by = issued.signer + (f" — {issued.organization}" if issued.organization else "")
        self.result.setStyleSheet(OK_STYLE if issued.check.status == VALID else WARN_STYLE)
        self.result.setText(f"Đã ký số {what} và đính kèm «{issued.attachment.file_name}» vào "
                            f"{_entry(issued.document)}.\nLưu tại thư mục: {issued.output.parent}\nKý bằng chứng "
                            f"thư của {by}.\nKiểm tra lại tệp đã ký: {issued.check.verdict}")
        self.close_button.setFocus()
        self.issued.emit(issued)

    def _failed(self, exc: Exception) -> None:
        if not self._alive:
            return
        self._set_signing(False)
        self.result.clear()
        if isinstance(exc, VanThuError):
            self.form.show(exc)
        else:
            self.form.show(VanThuError(f"Không ký được: {exc}. Chưa ghi tệp nào."))

    def reject(self) -> None:
        """Escape, Đóng and the window's close box; refused while signing (the register is being written); with
        files or the key given and nothing signed yet, asked first (Lưu signs and stays to show the outcome)."""
        if self.signing:
            self.result.setText("Đang ký số, xin chờ xong rồi đóng.")
            return
        changed = ", ".join(self.form.labels.get(n, n) for n in self.form.changed()) if not self.done_issued else ""
        if not changed or settle_unsaved(self, f"{self.windowTitle()} (chưa ký): {changed}", self.sign):
            super().reject()
