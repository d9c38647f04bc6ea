"""The register books settings page: the books and how each numbers, and opening a new book."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QMessageBox, QSpinBox, QVBoxLayout, QWidget

from app.core.dates import format_date
from app.core.enums import BookCategory, Direction, Family, NumberingPeriod, NumberingScope
from app.core.errors import VanThuError
from app.core.records import BookRecord
from app.services import Registry
from app.ui.form import Form
from app.ui.settings.widgets import (
    add_row,
    button,
    chosen,
    date_edit,
    fill,
    hint,
    select_data,
    selected_id,
    table,
    to_date,
)

PERIOD_LABELS = {NumberingPeriod.CALENDAR_YEAR: "Năm", NumberingPeriod.TERM: "Nhiệm kỳ"}
SCOPE_LABELS = {NumberingScope.SINGLE: "Một dãy chung", NumberingScope.PER_TYPE: "Mỗi loại một dãy"}


class BooksPage(QWidget):
    """The register books and how each numbers, and a form to open a new book (quyển mới, sổ nhiệm kỳ)."""

    HEADERS = ("Tên sổ", "Loại văn bản", "Độ mật", "Khối", "Đánh số theo", "Dãy số", "Nhiệm kỳ", "Quyển số",
               "Trạng thái")

    def __init__(self, registry: Registry) -> None:
        super().__init__()
        self.registry = registry
        self.form = Form()  # the names of registry.books.add's refusals
        self.table = table(self.HEADERS)
        self.close_button = button("Đóng sổ đang &chọn", self.close_selected)
        self.direction = self.form.choice("direction", [(d.label, d) for d in Direction])
        self.category = self.form.choice("category", [(c.label, c) for c in BookCategory])
        self.family = self.form.choice("family", [(f.label, f) for f in Family])
        self.period = self.form.choice("period", [(label, p) for p, label in PERIOD_LABELS.items()])
        self.scope = self.form.choice("scope", [("Theo mặc định của khối", None),
                                                *((label, s) for s, label in SCOPE_LABELS.items())])
        self.term_start, self.term_end = date_edit(), date_edit()
        self.name = self.form.line("name", "để trống: tên mặc định, ví dụ Sổ đăng ký văn bản đi")
        self.name.returnPressed.connect(self.open_book)
        self.book_number = QSpinBox()
        self.book_number.setRange(1, 999)
        self.period.currentIndexChanged.connect(self._period_changed)
        rows = QFormLayout()
        add_row(rows, "&Loại văn bản:", self.form, self.direction, "direction")
        add_row(rows, "Độ mậ&t:", self.form, self.category, "category")
        add_row(rows, "&Khối:", self.form, self.family, "family")
        add_row(rows, "Đánh số t&heo:", self.form, self.period, "period")
        add_row(rows, "Nh&iệm kỳ từ ngày:", self.form, self.term_start)
        add_row(rows, "Nhiệm kỳ đến ngà&y:", self.form, self.term_end, "term")  # the term as a whole
        add_row(rows, "&Dãy số:", self.form, self.scope, "scope")
        add_row(rows, "Tê&n sổ:", self.form, self.name, "name")
        add_row(rows, "Quyển &số:", self.form, self.book_number, "book_number")
        self.open_button = button("&Mở sổ mới", self.open_book)
        group = QGroupBox("Mở sổ mới")
        column = QVBoxLayout(group)
        column.addLayout(rows)
        column.addWidget(hint("Mở sổ mới thì sổ đang mở cùng loại được đóng lại; số thứ tự vẫn nối tiếp trong năm "
                              "(hoặc nhiệm kỳ). Chỉ sổ văn bản đi của cơ quan Đảng mới đánh số theo nhiệm kỳ."))
        column.addWidget(self.form.general)
        column.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(group)
        self.load()

    def _period_changed(self) -> None:
        term = chosen(self.period, NumberingPeriod) is NumberingPeriod.TERM
        self.term_start.setEnabled(term)
        self.term_end.setEnabled(term)

    def load(self) -> None:
        select_data(self.family, self.registry.settings.agency().family)
        self._period_changed()
        self.records = {b.id: b for b in self.registry.books.list()}
        fill(self.table, [(b.id, self._cells(b)) for b in self.records.values()])

    @staticmethod
    def _cells(b: BookRecord) -> tuple[str, ...]:
        term = f"{format_date(b.term_start)} – {format_date(b.term_end)}" if b.term_start and b.term_end else ""
        return (b.name, b.direction.label, b.category.label, b.family.label, PERIOD_LABELS[b.period],
                SCOPE_LABELS[b.scope], term, str(b.book_number), "Đã đóng" if b.closed else "Đang mở")

    def unsaved(self) -> list[str]:
        """What closing the settings would lose: the name typed for a new book that was not opened (the choices
        above it have defaults and say nothing on their own)."""
        name = self.name.text().strip()
        return [f"Sổ đăng ký: sổ mới «{name}» chưa mở (Lưu là mở sổ mới)"] if name else []

    def open_book(self) -> bool:
        """Open the new book; a refusal is shown under its field. True once opened."""
        self.form.clear()
        term = chosen(self.period, NumberingPeriod) is NumberingPeriod.TERM
        start = to_date(self.term_start.date()) if term else None
        end = to_date(self.term_end.date()) if term else None
        try:
            direction, category = chosen(self.direction, Direction), chosen(self.category, BookCategory)
            assert direction is not None and category is not None
            self.registry.books.add(direction, category, chosen(self.scope, NumberingScope), self.name.text() or None,
                                    start, end, self.book_number.value(), chosen(self.family, Family))
        except VanThuError as exc:
            self.form.show(exc)
            return False
        self.name.clear()
        self.load()
        return True

    save_unsaved = open_book  # Lưu in the question before closing opens the book whose name was typed

    def close_selected(self) -> None:
        book = self.records.get(selected_id(self.table) or -1)
        if book is None or book.closed:
            return
        answer = QMessageBox.question(self, "Đóng sổ", (
            f"Đóng {book.name} (quyển số {book.book_number})? Lần vào sổ tiếp theo của loại này sẽ mở sổ mới "
            "theo cách đánh số mặc định."))
        if answer == QMessageBox.StandardButton.Yes:
            try:
                self.registry.books.close(book.id)
            except VanThuError as exc:
                self.form.show(exc)
            self.load()
