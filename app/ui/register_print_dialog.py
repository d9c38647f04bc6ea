"""Choosing which register book to print (incoming, outgoing, follow-up), its year and a date or number range."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core.dates import today
from app.core.errors import ValidationError, VanThuError
from app.services import Registry
from app.services.printouts import BOOK_KINDS, RegisterRange
from app.ui.form_values import optional_date
from app.ui.tasks import BackgroundTasks

ERROR_STYLE = "color: #b00020;"


class RegisterPrintDialog(QDialog):
    """Builds the book in the background (a busy year takes seconds) and emits `made(path, title, file name)`."""

    made = Signal(str, str, str)

    def __init__(self, registry: Registry, temp: Callable[[str], Path], tasks: BackgroundTasks,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry, self.temp, self.tasks = registry, temp, tasks
        self.setWindowTitle("In sổ")
        self.kind = QComboBox()
        for key, title in BOOK_KINDS.items():
            self.kind.addItem(title, key)
        self.year = QSpinBox()
        self.year.setRange(1990, 2999)
        self.year.setValue(today().year)
        self.date_from, self.date_to = QLineEdit(), QLineEdit()
        self.number_from, self.number_to = QLineEdit(), QLineEdit()
        for box, hint in ((self.date_from, "từ ngày (trống: cả năm)"), (self.date_to, "đến ngày"),
                          (self.number_from, "từ số"), (self.number_to, "đến số")):
            box.setPlaceholderText(hint)
        self.book_number = QSpinBox()
        self.book_number.setRange(1, 99)
        self.secret = QComboBox()
        self.secret.addItem("Sổ thường", False)
        self.secret.addItem("Sổ mật", True)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.progress = QLabel()

        form = QFormLayout()
        form.addRow("&Sổ:", self.kind)
        form.addRow("&Năm:", self.year)
        dates = QHBoxLayout()
        dates.addWidget(self.date_from)
        dates.addWidget(self.date_to)
        form.addRow(self._label("&Ngày:", self.date_from), dates)
        numbers = QHBoxLayout()
        numbers.addWidget(self.number_from)
        numbers.addWidget(self.number_to)
        form.addRow(self._label("S&ố:", self.number_from), numbers)
        form.addRow("&Quyển số:", self.book_number)
        form.addRow("&Loại sổ:", self.secret)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.make_button = self.buttons.addButton("Tạo bản in", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Đóng")
        self.buttons.accepted.connect(self.make)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        """A row label with an Alt shortcut to its first field (a row of two fields has no buddy of its own)."""
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def request(self) -> RegisterRange:
        """The range as typed; every bad field is named at once."""
        problems: list[str] = []

        def a_number(box: QLineEdit, label: str) -> int | None:
            text = box.text().strip()
            if not text:
                return None
            if not text.isdigit() or int(text) < 1:
                problems.append(f"{label}: '{text}' không phải là số dương.")
                return None
            return int(text)

        register = RegisterRange(
            kind=self.kind.currentData(), year=self.year.value(),
            date_from=optional_date(self.date_from, "Từ ngày", problems),
            date_to=optional_date(self.date_to, "Đến ngày", problems), number_from=a_number(self.number_from, "Từ số"),
            number_to=a_number(self.number_to, "Đến số"), secret=bool(self.secret.currentData()),
            book_number=self.book_number.value())
        if problems:
            raise ValidationError.single("range", "Khoảng in", " ".join(problems))
        return register

    def make(self) -> None:
        try:
            register = self.request()
        except ValidationError as exc:
            self.error.setText(str(exc))
            return
        self.error.clear()
        self.make_button.setEnabled(False)
        self.progress.setText("Đang tạo bản in…")
        title = f"{BOOK_KINDS[register.kind]} năm {register.year}"
        name = f"{register.kind}-{register.year}.pdf"
        target = self.temp(name)
        self.tasks.run(lambda: self.registry.printouts.register(register, target),
                       lambda result: self._done(result, title, name), self._failed)

    def _done(self, result: tuple[Path, int, int], title: str, name: str) -> None:
        path, entries, pages = result
        self.progress.setText(f"{entries} văn bản, {pages} trang.")
        self.made.emit(str(path), title, name)
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self.make_button.setEnabled(True)
        self.progress.clear()
        self.error.setText(str(exc) if isinstance(exc, VanThuError) else f"Không in được sổ: {exc}")
