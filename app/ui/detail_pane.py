"""DetailPane: the selected entry's head, its fields (F2 to edit), routing, links, attachments and history, as tabs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME
from app.core.access import Permission
from app.core.enums import Direction
from app.core.errors import DuplicateError, NotFoundError, VanThuError
from app.core.records import AttachmentRecord, DocumentRecord, ForwardChain
from app.services import Registry
from app.services.attachment_text import AttachedText
from app.services.signature_checks import SignatureNeedsConfirmation
from app.ui import file_dialogs
from app.ui.cancel_dialog import CancelDialog, entry_name, return_focus_on_close
from app.ui.detail_files import SCAN_FILTER, FilesBox, ask_signature_reason, signature_reason
from app.ui.detail_form import DetailForm
from app.ui.detail_header import DetailHeader
from app.ui.detail_history import ACTIONS, HistoryBox, describe_event, field_label, local_time
from app.ui.detail_links import LinksBox
from app.ui.form import ERROR_STYLE, Form
from app.ui.link_dialog import LinkDialog
from app.ui.permissions import allow
from app.ui.questions import ask_two_ways
from app.ui.routing_panel import RoutingPanel
from app.ui.unsaved import Answer, ask_unsaved

# The audit window and the users dialog word times and events as the history does (importers of this module).
__all__ = ["ACTIONS", "DetailPane", "describe_event", "local_time"]


class DetailPane(QWidget):
    """The right-hand pane of the main window for one register entry: it composes the parts and runs the actions
    that change the register (edit, cancel, link, attach), asking and warning through its own message boxes."""

    document_changed = Signal(int)  # the entry was edited, cancelled, linked or got/lost an attachment
    open_document = Signal(int)  # the clerk double-clicked a linked, registered document

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.record: DocumentRecord | None = None
        self.chain: ForwardChain | None = None
        self.editing = False
        self.dialog: QDialog | None = None  # the link or cancel dialog while it is open
        self._link_labels: dict[int, str] = {}  # document id -> readable label, for the history
        self.setMinimumWidth(340)
        # Read-only fields look like text on the page, editable ones like fields to fill in.
        self.setStyleSheet('QLineEdit[readOnly="true"], QPlainTextEdit[readOnly="true"] '
                           "{ background: palette(window); }")

        self.heading = DetailHeader()
        self.header, self.status, self.banner = self.heading.header, self.heading.status, self.heading.banner
        self.message = QLabel()  # why an entry could not be read or saved (and refusals naming no field)
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()

        self.edit_button = QPushButton("Sửa (F2)")
        self.save_button = QPushButton("Lưu thay đổi")
        self.discard_button = QPushButton("Bỏ qua")
        self.cancel_button = QPushButton("Hủy văn bản…")
        self.edit_button.clicked.connect(self.start_editing)
        self.save_button.clicked.connect(self.save)
        self.discard_button.clicked.connect(self.discard)
        self.cancel_button.clicked.connect(self.cancel_current)
        self.edit_button.setToolTip("Sửa các trường của văn bản (F2); mọi thay đổi được ghi vào lịch sử.")
        self.save_button.setToolTip("Lưu các trường đã sửa (Ctrl+Enter hoặc Ctrl+S)")
        self.discard_button.setToolTip("Bỏ các thay đổi chưa lưu (Esc hỏi trước khi bỏ)")
        buttons = QHBoxLayout()
        for button in (self.edit_button, self.save_button, self.discard_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        # F2 works from anywhere in the window (the register table too); saving (Ctrl+Enter as in the registration
        # dialog, or Ctrl+S) and Esc only inside the pane.
        inside = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys, slot, context in ((QKeySequence(Qt.Key.Key_F2), self.start_editing,
                                     Qt.ShortcutContext.WindowShortcut),
                                    (QKeySequence(QKeySequence.StandardKey.Save), self.save, inside),
                                    (QKeySequence("Ctrl+Return"), self.save, inside),
                                    (QKeySequence("Ctrl+Enter"), self.save, inside),
                                    (QKeySequence(Qt.Key.Key_Escape), self.escape, inside)):
            shortcut = QShortcut(keys, self)
            shortcut.setContext(context)
            shortcut.activated.connect(slot)

        self.info_box = DetailForm(self.message)

        self.links_box = LinksBox()
        self.links = self.links_box.links
        self.add_link_button = self.links_box.add_link_button
        self.remove_link_button = self.links_box.remove_link_button
        self.links_box.open_document.connect(self.open_document)
        self.links.itemSelectionChanged.connect(self._update_buttons)
        self.add_link_button.clicked.connect(self.add_link)
        self.remove_link_button.clicked.connect(self.remove_link)

        self.files_box = FilesBox(latest=registry.signatures.latest)  # each PDF with its signature check
        self.files = self.files_box.files
        self.add_file_button = self.files_box.add_file_button
        self.open_file_button = self.files_box.open_file_button
        self.remove_file_button = self.files_box.remove_file_button
        self.files.itemDoubleClicked.connect(lambda _item: self.open_attachment())
        self.files.itemSelectionChanged.connect(self._update_buttons)
        self.add_file_button.clicked.connect(self.add_attachment)
        self.open_file_button.clicked.connect(self.open_attachment)
        self.remove_file_button.clicked.connect(self.remove_attachment)

        self.history_box = HistoryBox(registry.documents.records)
        self.history = self.history_box.history
        self.routing = RoutingPanel(registry)
        self.routing.changed.connect(self._routing_changed)

        # One tab per aspect, so the links and the history are one click (or Ctrl+Tab) away, not a long scroll.
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(self.info_box)
        self.sections = QTabWidget()
        self.sections.addTab(self.scroll, "Thông tin")
        for widget, title in ((self.routing, "Xử lý"), (self.links_box, "Liên kết"), (self.files_box, "Tệp"),
                              (self.history_box, "Lịch sử")):
            self.sections.addTab(widget, title)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        for widget in (self.heading, self.message):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        layout.addWidget(self.sections, 1)
        self.show_document(None)

    # interaction points tests replace (message boxes and file dialogs block)
    def confirm(self, title: str, text: str) -> bool:
        return ask_two_ways(self, QMessageBox.Icon.Question, title, text, "Đồng ý", "Không",
                            QMessageBox.ButtonRole.YesRole)

    def show_error(self, text: str) -> None:
        QMessageBox.warning(self, APP_NAME, text)

    def choose_file(self) -> str | None:
        return file_dialogs.open_file(self, "Chọn bản quét để đính kèm", SCAN_FILTER)

    def open_path(self, path: Path) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    # showing
    @property
    def doc_id(self) -> int | None:
        return self.record.id if self.record else None

    @property
    def form(self) -> Form:
        """The fields of the shown entry's kind (incoming or outgoing), by the services' field names."""
        return self.info_box.form

    def has_unsaved_changes(self) -> bool:
        return self.editing and self.info_box.is_dirty()

    def show_document(self, doc_id: int | None) -> None:
        """Show an entry (or nothing); unsaved edits of the previous one are dropped (ask has_unsaved_changes())."""
        self.editing = False
        self.message.hide()
        self.record, self.chain = None, None
        if doc_id is not None:
            try:
                self.record = self.registry.documents.get(doc_id)
                self.chain = self.registry.links.forward_chain(doc_id)
                files = self.registry.attachments.list(doc_id)
                events = self.registry.documents.history(doc_id)
            except NotFoundError as exc:
                self.record = None
                self._set_message(str(exc))
            except VanThuError as exc:
                self.record = None
                self._set_message(f"Không đọc được văn bản: {exc}")
        if self.record is None:
            self.heading.show_nothing("Chưa chọn văn bản" if doc_id is None else "Không tìm thấy văn bản")
            self.sections.hide()
            self.routing.show_document(None)
            self._update_buttons()
            return
        self.sections.show()
        self.heading.show_record(self.record)
        self._load_fields(self.record)
        self._link_labels = self.links_box.show_chain(self.chain)
        self.files_box.show_files(files)
        self.history_box.show_events(events, self._link_labels)
        steps = self.routing.show_document(self.record)
        for widget, title, count in ((self.routing, "Xử lý", steps),
                                     (self.links_box, "Liên kết", len(self.record.links)),
                                     (self.files_box, "Tệp", len(files)),
                                     (self.history_box, "Lịch sử", len(events))):
            self.sections.setTabText(self.sections.indexOf(widget), f"{title} ({count})" if count else title)
        self._update_buttons()

    def refresh(self) -> None:
        self.show_document(self.doc_id)

    def _set_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _load_fields(self, r: DocumentRecord) -> None:
        # Only an outgoing entry offers thẩm quyền ký, which depends on the kind of agency.
        family = self.registry.settings.agency().family if r.direction is Direction.OUTGOING else None
        self.info_box.load(r, family)

    def _update_buttons(self) -> None:
        r = self.record
        live = r is not None and not r.cancelled
        self.edit_button.setVisible(not self.editing)
        allow(self.edit_button, self.registry, Permission.REGISTER, live)
        self.save_button.setVisible(self.editing)
        self.discard_button.setVisible(self.editing)
        allow(self.cancel_button, self.registry, Permission.REGISTER, live and not self.editing)
        allow(self.add_link_button, self.registry, Permission.REGISTER, r is not None)
        allow(self.remove_link_button, self.registry, Permission.REGISTER, self.links_box.selected_link() is not None)
        allow(self.add_file_button, self.registry, Permission.REGISTER, r is not None)
        has_file = self.files_box.selected() is not None
        self.open_file_button.setEnabled(has_file)
        allow(self.remove_file_button, self.registry, Permission.REGISTER, has_file)

    # editing
    def start_editing(self) -> None:
        if self.record is None or self.record.cancelled or self.editing or not self.registry.can(Permission.REGISTER):
            return
        self.editing = True
        self.info_box.set_editing(True)
        self._update_buttons()
        self.info_box.focus_first()

    def changes(self) -> dict[str, Any]:
        """Only the fields the clerk changed, as typed (the service parses and checks them)."""
        return self.info_box.changes()

    def save(self) -> bool:
        """Send the changed fields to the register; a refusal is shown under each field and nothing is lost."""
        if self.record is None or not self.editing:
            return False
        self.form.clear()  # the fields' errors and the message line
        changes = self.changes()
        if not changes:
            self.discard()
            return True
        doc_id = self.record.id
        try:
            try:
                self.registry.documents.update(doc_id, changes)
            except DuplicateError as exc:
                if not self.confirm("Văn bản trùng", f"{exc}\n\nVẫn lưu thay đổi?"):
                    return False
                self.registry.documents.update(doc_id, changes, allow_duplicate=True)
        except VanThuError as exc:  # a ValidationError under its fields, anything else on the message line
            self.info_box.show_error(exc)
            return False
        self.show_document(doc_id)
        self.document_changed.emit(doc_id)
        return True

    def settle_edits(self, leaving: str) -> bool:
        """Before the pane shows another entry, or the window closes (`leaving` words it for the question): unsaved
        edits are saved (Lưu; refused: stay, the reason under its field), dropped (Bỏ) or kept (Quay lại). True
        when the caller may go on."""
        if not self.has_unsaved_changes() or self.record is None:
            return True
        changed = ", ".join(field_label(key) for key in self.changes())
        answer = ask_unsaved(self, f"Sửa {entry_name(self.record)}: {changed}", leaving)
        if answer is Answer.SAVE:
            return self.save()
        if answer is Answer.DISCARD:
            self.discard()
        return answer is Answer.DISCARD

    def escape(self) -> None:
        """Esc while editing: without changes it leaves editing; with changes it asks first."""
        if self.editing and not self.settle_edits("thôi sửa"):
            return
        self.discard()

    def discard(self) -> None:
        """Bỏ qua: restore the saved values."""
        if self.record is None or not self.editing:
            return
        self.editing = False
        self.message.hide()
        self._load_fields(self.record)
        self._update_buttons()

    # cancelling
    def cancel_current(self) -> CancelDialog | None:
        """Open the cancel dialog (window-modal, not blocking); the pane refreshes when it cancels."""
        if self.record is None or self.record.cancelled or not self.registry.can(Permission.REGISTER):
            return None
        dialog = CancelDialog(self.registry, self.record, self)
        dialog.accepted.connect(self._after_dialog)
        self.dialog = dialog
        return_focus_on_close(dialog)
        dialog.open()
        return dialog

    # links
    def add_link(self) -> LinkDialog | None:
        if self.record is None or not self.registry.can(Permission.REGISTER):
            return None
        dialog = LinkDialog(self.registry, self.record, self)
        dialog.accepted.connect(self._after_dialog)
        self.dialog = dialog
        return_focus_on_close(dialog)
        dialog.open()
        return dialog

    def _routing_changed(self, doc_id: int) -> None:
        if doc_id == self.doc_id:
            self.refresh()
            self.document_changed.emit(doc_id)

    def _after_dialog(self) -> None:
        self.dialog = None
        doc_id = self.doc_id
        if doc_id is not None:
            self.refresh()
            self.document_changed.emit(doc_id)

    def remove_link(self) -> None:
        link_id, doc_id = self.links_box.selected_link(), self.doc_id
        if doc_id is None:
            return
        if link_id is None:
            self.show_error("Chọn một liên kết của văn bản này (các cấp xa hơn trong chuỗi thuộc văn bản khác).")
            return
        text = self.links_box.selected_text()
        if not self.confirm("Bỏ liên kết", f"Bỏ liên kết “{text}”?\nViệc này được ghi vào lịch sử thay đổi."):
            return
        try:
            self.registry.links.remove(link_id)
        except VanThuError as exc:
            self.show_error(str(exc))
        self.refresh()
        self.document_changed.emit(doc_id)

    # attachments
    def add_attachment(self) -> None:
        path = self.choose_file()
        if path:
            self.attach_file(path)

    def attach_file(self, path: str | Path) -> bool:
        """Check the file now, read its text in the background (a scan takes seconds a page), then attach it to
        the entry shown when it was chosen; True once the reading has started."""
        doc_id, reading = self.doc_id, self.files_box.reading
        if doc_id is None:
            return False
        if reading.busy:
            self.show_error("Đang đọc một tệp khác để đính kèm: hãy chờ xong hoặc bấm Hủy.")
            return False
        try:
            file = self.registry.attachments.check(path)
        except VanThuError as exc:
            self.show_error(str(exc))
            return False
        taken, reason = signature_reason(self, self.registry.signatures.check_file, file)
        if not taken:
            self._not_attached(file)
            return False
        attachments = self.registry.attachments
        reading.start(file, lambda report, stop: attachments.read_text(file, True, report, stop),
                      lambda read: self._attach_read(doc_id, file, read, reason),
                      lambda exc: self.show_error(str(exc) if isinstance(exc, VanThuError) else
                                                  f"Không đọc được tệp {file.name}: {exc}"))
        return True

    def _not_attached(self, file: Path) -> None:
        self.show_error(f"Chưa đính kèm tệp «{file.name}»: chữ ký số của tệp không đạt và chưa ghi lý do vẫn nhận "
                        "văn bản. Không có gì được ghi.")

    def _attach_read(self, doc_id: int, file: Path, read: AttachedText,
                     reason: str | None = None) -> AttachmentRecord | None:
        try:
            record = self.registry.attachments.attach(doc_id, file, read, signature_reason=reason)
        except SignatureNeedsConfirmation as exc:  # the file or the trust store changed since it was checked
            reason = ask_signature_reason(self, file.name, exc.report.verdict)
            if reason is None:
                self._not_attached(file)
                return None
            return self._attach_read(doc_id, file, read, reason)
        except VanThuError as exc:
            self.show_error(str(exc))
            return None
        if self.doc_id == doc_id:
            self.refresh()
        self.document_changed.emit(doc_id)
        return record

    def open_attachment(self) -> None:
        attachment_id = self.files_box.selected()
        if attachment_id is None:
            return
        try:
            path = self.registry.attachments.path(attachment_id)
        except VanThuError as exc:
            self.show_error(str(exc))
            return
        self.open_path(path)

    def remove_attachment(self) -> None:
        attachment_id, doc_id = self.files_box.selected(), self.doc_id
        if attachment_id is None or doc_id is None:
            return
        name = self.files_box.selected_name()
        if not self.confirm("Gỡ tệp đính kèm", f"Gỡ tệp “{name}” khỏi văn bản?\nBản lưu vẫn được giữ và việc gỡ "
                                               "được ghi vào lịch sử thay đổi."):
            return
        try:
            self.registry.attachments.detach(attachment_id)
        except VanThuError as exc:
            self.show_error(str(exc))
        self.refresh()
        self.document_changed.emit(doc_id)
