"""The "Văn bản điện tử chờ vào sổ" dock: the .edxml files waiting in the inbox folder, vào sổ with Enter or từ chối
with Delete (a reason, and the status message for the sender written beside the file)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QEvent, QFileSystemWatcher, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.access import Permission
from app.core.dates import format_date
from app.core.errors import DuplicateError, VanThuError
from app.services import Registry
from app.services.parts.edxml import ImportResult
from app.services.parts.edxml_inbox import REFUSED_DIR, REGISTERED_DIR, InboxItem
from app.services.signature_checks import SignatureNeedsConfirmation
from app.ui.detail_files import ask_signature_reason
from app.ui.form import repolish
from app.ui.permissions import allow
from app.ui.questions import ask_two_ways

TITLE = "Văn bản điện tử chờ vào sổ"
COLUMNS = ("Nơi gửi", "Số, ký hiệu", "Ngày", "Trích yếu")
PATH_ROLE = Qt.ItemDataRole.UserRole
PROBLEM = QColor("#b00020")
NOT_SET = ("Chưa chọn thư mục nhận văn bản điện tử (edXML). Chọn ở Cài đặt → Cơ quan (Ctrl+,), mục «Thư mục nhận "
           "văn bản điện tử (edXML)»: các tệp .edxml nhận được (trục liên thông, thư điện tử, USB) lưu vào đó sẽ "
           "hiện ở đây để vào sổ.")
WRITE_STATUS = "Ghi thông điệp trạng thái Từ chối tiếp nhận để gửi lại nơi gửi"
REFRESH_MS = 30_000
T = TypeVar("T")
_STYLE = ('QLabel#inboxMessage[kind="error"] { color: #b00020; font-weight: bold; }\n'
          'QLabel#inboxMessage[kind="ok"] { color: #137333; font-weight: bold; }\n')


def _waiting(call: Callable[[], T]) -> T:
    """Run a write that reads the whole message (its files decoded, their signatures checked) under a busy cursor."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return call()
    finally:
        QApplication.restoreOverrideCursor()


def title(count: int | None) -> str:
    """The dock's title: "Văn bản điện tử chờ vào sổ (3)"; without a count when no folder is set."""
    return TITLE if count is None else f"{TITLE} ({count})"


class RefusalDialog(QDialog):
    """Từ chối tiếp nhận: the reason (required, kept and audited) and whether to write the status message."""

    def __init__(self, item: InboxItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Từ chối tiếp nhận văn bản điện tử")
        self.setMinimumWidth(520)
        what = f"{item.reference} — {item.sender}" if item.reference else item.path.name
        intro = QLabel(f"Từ chối tiếp nhận «{what}». Tệp được chuyển vào thư mục «{REFUSED_DIR}», không vào sổ.")
        intro.setWordWrap(True)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("ví dụ: văn bản gửi nhầm cơ quan; chữ ký số không hợp lệ; thiếu tệp đính kèm")
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(70)
        self.write_status = QCheckBox(WRITE_STATUS)
        self.write_status.setChecked(not item.problem)
        if item.problem:  # the status message answers the message's own DocumentId: unreadable, there is none
            self.write_status.setEnabled(False)
            self.write_status.setToolTip("Tệp không đọc được nên không ghi được thông điệp trạng thái.")
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton("Từ chối", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.ok.setEnabled(False)
        self.reason.textChanged.connect(lambda: self.ok.setEnabled(bool(self.text())))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(QLabel("Lý do từ chối (bắt buộc, gửi kèm thông điệp trạng thái):"))
        layout.addWidget(self.reason)
        layout.addWidget(self.write_status)
        layout.addWidget(self.buttons)
        self.reason.setFocus()

    def text(self) -> str:
        return self.reason.toPlainText().strip()


class EdxmlInboxPanel(QWidget):
    """Lists registry.edxml_inbox.items(), refreshed when the folder changes (a watcher), every 30 s and when
    shown; `registered` carries each DocumentRecord vào sổ here, `title_changed` the title with its count. Every
    read and write goes through the registry."""

    registered = Signal(object)  # DocumentRecord
    title_changed = Signal(str)

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.items: list[InboxItem] = []
        self.folder: Path | None = None
        self.setStyleSheet(_STYLE)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.register_button = QPushButton("Vào sổ (Enter)")
        self.refuse_button = QPushButton("Từ chối… (Delete)")
        self.refresh_button = QPushButton("Tải lại")
        self.register_button.setToolTip("Vào sổ văn bản điện tử đang chọn cùng các tệp đính kèm của nó")
        self.refuse_button.setToolTip("Từ chối tiếp nhận: ghi lý do, viết thông điệp trạng thái để gửi lại nơi gửi")
        self.register_button.clicked.connect(self.register_selected)
        self.refuse_button.clicked.connect(self.refuse_selected)
        self.refresh_button.clicked.connect(self.refresh)
        self.message = QLabel()
        self.message.setObjectName("inboxMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        self.tree = QTreeWidget()
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((240, 150, 90)):
            header.resizeSection(column, width)
        self.tree.itemActivated.connect(lambda _item, _column: self.register_selected())
        self.tree.currentItemChanged.connect(lambda *_: self._enable())
        self.tree.installEventFilter(self)
        row = QHBoxLayout()
        row.addWidget(self.heading, 1)
        for button in (self.register_button, self.refuse_button, self.refresh_button):
            button.setAutoDefault(False)
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(self.tree, 1)
        self.watcher = QFileSystemWatcher(self)
        self.watcher.directoryChanged.connect(lambda _path: self._soon.start())
        self.watcher.fileChanged.connect(lambda _path: self._soon.start())
        self._soon = QTimer(self)  # a file copied in sends many changes: read the folder once they settle
        self._soon.setSingleShot(True)
        self._soon.setInterval(300)
        self._soon.timeout.connect(self.refresh)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self.refresh()

    def stop(self) -> None:
        """The window is closing: no more reads of a register that is about to be closed."""
        self.timer.stop()
        self._soon.stop()
        self.watcher.blockSignals(True)

    # the list
    def refresh(self) -> None:
        """Read the folder again (files already read are not parsed again); the selection stays on its file."""
        current = self.selected()
        try:
            self.folder = self.registry.edxml_inbox.folder()
            self.items = self.registry.edxml_inbox.items() if self.folder is not None else []
        except VanThuError as exc:
            self.folder, self.items = None, []
            self.heading.setText(str(exc))
        else:
            self.heading.setText(self._heading())
        self._watch()
        self.tree.clear()
        for item in self.items:
            self.tree.addTopLevelItem(self._row(item))
        keep = next((i for i, item in enumerate(self.items) if current is not None and item.path == current.path), 0)
        if self.items:
            self.tree.setCurrentItem(self.tree.topLevelItem(keep))
        self._enable()
        self.title_changed.emit(title(len(self.items) if self.folder is not None else None))

    def _heading(self) -> str:
        if self.folder is None:
            return NOT_SET
        if not self.folder.is_dir():
            return (f"Không mở được thư mục nhận văn bản điện tử {self.folder} (ổ mạng chưa nối, USB chưa cắm?). "
                    "Sửa ở Cài đặt → Cơ quan (Ctrl+,).")
        if not self.items:
            return f"Không có văn bản điện tử nào chờ vào sổ trong {self.folder}."
        return (f"Thư mục {self.folder}: Enter vào sổ văn bản đang chọn, Delete từ chối tiếp nhận. Tệp đã xử lý "
                f"chuyển vào «{REGISTERED_DIR}» hoặc «{REFUSED_DIR}».")

    def _row(self, item: InboxItem) -> QTreeWidgetItem:
        if item.problem:
            row = QTreeWidgetItem([f"«{item.path.name}»", "", "", f"Không đọc được: {item.problem}"])
            for column in range(len(COLUMNS)):
                row.setForeground(column, QBrush(PROBLEM))
            tip = f"{item.path.name}\n{item.problem}\nChỉ có thể từ chối tiếp nhận (Delete)."
        else:
            day = format_date(item.issued_on) if item.issued_on else ""
            subject = f"{item.doc_type}: {item.subject}" if item.doc_type else item.subject
            shown = f"(Đã vào sổ, {item.registered}) {subject}" if item.registered else subject
            row = QTreeWidgetItem([item.sender, item.reference, day, shown])
            tip = f"{item.path.name}\nNơi gửi: {item.sender} (mã định danh {item.organ_id or 'không ghi'})\n{subject}"
            if item.registered:  # delivered twice: Enter would ask; Delete refuses the copy
                tip += f"\nThông điệp này đã vào sổ ({item.registered}): nhấn Delete để từ chối bản nhận lại."
        row.setData(0, PATH_ROLE, str(item.path))
        for column in range(len(COLUMNS)):
            row.setToolTip(column, tip)
        return row

    def _watch(self) -> None:
        """Watch the folder, and the files that could not be read (still being copied in?)."""
        wanted = {str(self.folder)} if self.folder is not None and self.folder.is_dir() else set()
        wanted |= {str(item.path) for item in self.items if item.problem}
        watched = set(self.watcher.directories()) | set(self.watcher.files())
        if watched - wanted:
            self.watcher.removePaths(sorted(watched - wanted))
        if wanted - watched:
            self.watcher.addPaths(sorted(wanted - watched))

    def _enable(self) -> None:
        """Vào sổ a readable file, từ chối any; a greyed button says which permission is missing."""
        item = self.selected()
        allow(self.register_button, self.registry, Permission.REGISTER, item is not None and not item.problem)
        allow(self.refuse_button, self.registry, Permission.REGISTER, item is not None)

    def selected(self) -> InboxItem | None:
        row = self.tree.currentItem()
        path = row.data(0, PATH_ROLE) if row is not None else None
        return next((item for item in self.items if str(item.path) == path), None)

    def select(self, path: Path) -> None:
        for i, item in enumerate(self.items):
            if item.path == path:
                self.tree.setCurrentItem(self.tree.topLevelItem(i))

    # vào sổ and từ chối
    def register_selected(self) -> ImportResult | None:
        """Vào sổ the selected file: a failed signature asks the reason, a likely duplicate asks whether to go on,
        both before anything is written."""
        item = self.selected()
        if item is None or not self.register_button.isEnabled():
            if item is not None and item.problem:
                self.say(f"«{item.path.name}» không đọc được ({item.problem}): chỉ có thể từ chối tiếp nhận.", "error")
            elif item is not None:
                self.say(self.register_button.toolTip(), "error")
            return None
        options: dict[str, object] = {}
        while True:
            try:
                result = _waiting(lambda: self.registry.edxml_inbox.register(item.path, **options))
            except SignatureNeedsConfirmation as exc:
                if "signature_reason" in options:
                    self.say(str(exc), "error")
                    return None
                reason = self.ask_reason(exc.report.file_name, exc.report.verdict)
                if reason is None:
                    self.say(f"Chưa vào sổ, chưa ghi gì: chữ ký số của «{exc.report.file_name}» không đạt và chưa có "
                             "lý do vẫn nhận. Nếu không nhận, bấm Từ chối… để trả lại nơi gửi.", "error")
                    return None
                options["signature_reason"] = reason
            except DuplicateError as exc:
                if "allow_duplicate" in options or not self.confirm_duplicate(str(exc)):
                    self.say(f"Đã bỏ qua «{item.path.name}»: chưa vào sổ, tệp vẫn chờ trong thư mục.", "ok")
                    return None
                options["allow_duplicate"] = True
            except VanThuError as exc:
                self.say(f"Chưa vào sổ «{item.path.name}»: {exc} Có thể kéo thả tệp vào hộp thoại Vào sổ văn bản "
                         "đến (Ctrl+N) để sửa các trường.", "error")
                self.refresh()
                return None
            else:
                break
        doc = result.document
        self.say(f"Đã vào sổ số đến {doc.number}: {doc.reference or ''} — {doc.issuer or ''}, kèm "
                 f"{len(result.attachments)} tệp; «{item.path.name}» chuyển vào «{REGISTERED_DIR}».", "ok")
        self.registered.emit(doc)
        self.refresh()
        return result

    def refuse_selected(self) -> Path | None:
        """Từ chối tiếp nhận the selected file with the clerk's reason; the status file's path when written."""
        item = self.selected()
        if item is None or not self.refuse_button.isEnabled():
            return None
        answer = self.ask_refusal(item)
        if answer is None:
            return None
        reason, write_status = answer
        try:
            refusal = _waiting(lambda: self.registry.edxml_inbox.refuse(item.path, reason, write_status))
        except VanThuError as exc:
            self.say(f"Chưa từ chối được «{item.path.name}»: {exc}", "error")
            self.refresh()
            return None
        status = refusal.status.path if refusal.status is not None else None
        where = (f" Thông điệp trạng thái «Từ chối tiếp nhận» đã ghi tại {status}: hãy gửi tệp này lại cho nơi gửi."
                 if status is not None else "")
        self.say(f"Đã từ chối tiếp nhận «{item.path.name}»; tệp chuyển vào {refusal.moved_to.parent}.{where}", "ok")
        self.refresh()
        return status

    # the questions (tests answer them)
    def ask_reason(self, file_name: str, verdict: str) -> str | None:
        return ask_signature_reason(self, file_name, verdict)

    def confirm_duplicate(self, message: str) -> bool:
        return ask_two_ways(self, QMessageBox.Icon.Warning, TITLE, f"⚠ Có thể trùng: {message}\n\nVẫn vào sổ thêm "
                            "một lần (số đến mới), hay bỏ qua tệp này?", "Vẫn vào sổ", "Bỏ qua")

    def ask_refusal(self, item: InboxItem) -> tuple[str, bool] | None:
        dialog = RefusalDialog(item, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.text():
            return None
        return dialog.text(), dialog.write_status.isChecked()

    def say(self, text: str, kind: str) -> None:
        self.message.setText(text)
        self.message.setProperty("kind", kind)
        repolish(self.message)
        self.message.setVisible(bool(text))

    # keys and showing
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.tree and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.register_selected()
                return True
            if event.key() == Qt.Key.Key_Delete:
                self.refuse_selected()
                return True
        return super().eventFilter(watched, event)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(900, 220)  # a few rows under the register, not half the window

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.refresh()


class InboxDock(QDockWidget):
    """The panel as a dock of the main window, titled with its count; shown at start when files are waiting."""

    def __init__(self, registry: Registry, parent: QWidget) -> None:
        super().__init__(TITLE, parent)
        self.setObjectName("edxml_inbox_dock")
        self.panel = EdxmlInboxPanel(registry)
        self.panel.title_changed.connect(self.setWindowTitle)
        self.setWidget(self.panel)
        self.setWindowTitle(title(len(self.panel.items) if self.panel.folder is not None else None))
        self.setAllowedAreas(Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.TopDockWidgetArea)

    def open(self) -> None:
        """Show it in front (Theo dõi → Văn bản điện tử chờ vào sổ), the list read again, the keys on it."""
        self.show()
        self.raise_()
        self.panel.refresh()
        self.panel.tree.setFocus()
