"""ImportDialog: bring an old register (.xlsx or .csv) in: check every row first, then import all rows or none."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import VanThuError
from app.services import Registry
from app.services.transfer import ImportReport
from app.ui import file_dialogs
from app.ui.cancel_dialog import ERROR_STYLE, refusal_text
from app.ui.tasks import BackgroundTasks
from app.ui.unsaved import close_unsaved

FILE_FILTER = "Sổ đăng ký (*.xlsx *.csv);;Excel (*.xlsx);;CSV (*.csv)"
BOOKS = (("Tự nhận biết theo tiêu đề cột", None), ("Sổ văn bản đến", "incoming"), ("Sổ văn bản đi", "outgoing"))


def report_text(report: ImportReport) -> str:
    """What the clerk reads after a check or an import: counts, numbering ranges, then every error by row."""
    book = "sổ văn bản đến" if report.book == "incoming" else "sổ văn bản đi"
    lines = [f"Tệp {Path(report.file).name} ({book}): đọc {report.rows_read} dòng."]
    if report.ok:
        verb = "sẽ vào sổ" if report.dry_run else "đã vào sổ"
        lines.append(f"Không có lỗi: {report.rows_imported} văn bản {verb}.")
        lines += [f"  {r}" for r in report.ranges]
    else:
        lines.append(f"Có {report.error_count} lỗi — chưa nhập dòng nào. Sửa tệp rồi kiểm tra lại:")
        lines += [f"  {e}" for e in report.errors]
        if report.error_count > len(report.errors):
            lines.append(f"  … và {report.error_count - len(report.errors)} lỗi khác.")
    if report.ignored_columns:
        lines.append(f"Các cột không dùng: {', '.join(report.ignored_columns)}.")
    return "\n".join(lines)


class ImportDialog(QDialog):
    """Chọn tệp → Kiểm tra (a dry run, nothing written) → Nhập vào sổ, enabled only after a clean check. Both run
    on a worker thread (a big old register takes minutes to import); the dialog stays responsive."""

    reported = Signal(object)  # the ImportReport of a check or an import, or None when refused (tests wait on it)

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.tasks = BackgroundTasks(self)
        self.report: ImportReport | None = None
        self.imported: ImportReport | None = None
        self.setWindowTitle("Nhập sổ cũ từ Excel hoặc CSV")
        self.setMinimumSize(620, 420)
        intro = QLabel("Mỗi dòng của tệp là một văn bản, giữ nguyên số đến / số đi của sổ cũ. Mọi dòng được kiểm tra "
                       "trước; chỉ khi không có lỗi nào mới nhập, và nhập tất cả hoặc không dòng nào.")
        intro.setWordWrap(True)
        self.path = QLineEdit()
        self.path.setObjectName("import_path")
        self.path.textChanged.connect(self._forget_check)
        browse = QPushButton("Chọn tệp…")
        browse.clicked.connect(self._browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)
        self.book = QComboBox()
        for label, value in BOOKS:
            self.book.addItem(label, value)
        self.book.currentIndexChanged.connect(self._forget_check)
        form = QFormLayout()
        form.addRow("Tệp:", file_row)
        form.addRow("Sổ:", self.book)
        self.result_box = QPlainTextEdit()
        self.result_box.setObjectName("import_result")
        self.result_box.setReadOnly(True)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.check_button = QPushButton("Kiểm tra")
        self.import_button = QPushButton("Nhập vào sổ")
        self.import_button.setEnabled(False)
        close = QPushButton("Đóng")
        self.check_button.clicked.connect(self.check)
        self.import_button.clicked.connect(self.run_import)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.result_box, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

    def choose_file(self) -> str | None:
        return file_dialogs.open_file(self, "Chọn sổ cũ để nhập", FILE_FILTER)

    def _browse(self) -> None:
        path = self.choose_file()
        if path:
            self.path.setText(path)
            self.check()

    def _forget_check(self) -> None:
        self.report = None
        self.import_button.setEnabled(False)

    def _run(self, dry_run: bool) -> None:
        self.error.hide()
        path, book = self.path.text().strip(), self.book.currentData()
        if not path:
            self._fail("Tệp: chưa chọn tệp sổ cũ (.xlsx hoặc .csv).")
            self.reported.emit(None)
            return
        self.check_button.setEnabled(False)
        self.import_button.setEnabled(False)
        self.result_box.setPlainText("Đang kiểm tra từng dòng…" if dry_run else "Đang nhập vào sổ…")

        def finished(report: ImportReport) -> None:
            self.result_box.setPlainText(report_text(report))
            if dry_run:
                self.report = report
            elif report.ok:
                self.imported = report
            self.check_button.setEnabled(self.imported is None)
            self.import_button.setEnabled(dry_run and report.ok and report.rows_imported > 0)
            self.reported.emit(report)

        def failed(exc: Exception) -> None:
            self._fail(refusal_text(exc) if isinstance(exc, VanThuError) else f"Lỗi khi đọc tệp: {exc}")
            self.check_button.setEnabled(True)
            self.reported.emit(None)

        self.tasks.run(lambda: self.registry.transfer.import_register(path, book, dry_run), finished, failed)

    def _fail(self, text: str) -> None:
        self.result_box.clear()
        self.error.setText(text)
        self.error.show()

    def check(self) -> None:
        """A dry run: every check a registration makes, nothing written; the result arrives with `reported`."""
        self.report = None
        self._run(dry_run=True)

    def run_import(self) -> None:
        if self.report is not None and self.report.ok:
            self._run(dry_run=False)

    def reject(self) -> None:
        """Đóng, Esc and the window's close box: a file chosen and not imported asks first. Lưu imports it once its
        check was clean (else runs the check, which must come first); the dialog stays to show the outcome."""
        path = self.path.text().strip()
        lost = [f"Nhập sổ cũ: tệp «{path}» chưa nhập vào sổ"] if path and self.imported is None else []
        close_unsaved(self, lost, self.run_import if self.report is not None and self.report.ok else self.check,
                      super().reject)
