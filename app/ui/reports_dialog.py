"""The report window: a year's figures by month, issuer, type and unit, each as a table beside its chart."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QFont, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.dates import today
from app.core.errors import VanThuError
from app.core.report_records import (
    DIMENSION_TITLES,
    DIMENSIONS,
    Report,
    ReportTable,
    format_count,
    format_rate,
    report_heading,
    report_tables,
)
from app.services import Registry
from app.ui import file_dialogs
from app.ui.tasks import BackgroundTasks

ERROR_STYLE = "color: #b00020;"
# The unit chart's outcomes, in the table's order: on time, late, overdue, still open in time.
OUTCOME_COLOURS = ("#2e7d32", "#ef6c00", "#c62828", "#90a4ae")
SERIES_COLOURS = ("#1f5fa8", "#8fb8e8")


class ReportPage(QWidget):
    """One tab: the table (with its total row and note) beside a matplotlib chart of the same figures."""

    def __init__(self, dimension: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dimension = dimension
        self.table = QTableWidget()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.figure, self.canvas = _figure_and_canvas()
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.table)
        column.addWidget(self.note)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.canvas)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)

    def show_table(self, table: ReportTable, year: int) -> None:
        rows = (*table.rows, table.total)
        self.table.clear()
        self.table.setColumnCount(len(table.headers))
        self.table.setRowCount(len(rows))
        self.table.setHorizontalHeaderLabels([_two_lines(h) for h in table.headers])
        bold = QFont()
        bold.setBold(True)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                item = QTableWidgetItem(_cell_text(value, c, table))
                item.setData(Qt.ItemDataRole.UserRole, value)  # the figure itself, for checks and copying
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if r == len(rows) - 1:
                    item.setFont(bold)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.note.setText(table.note)
        # The table gets the width its columns need (up to two thirds of the tab), the chart the rest.
        wanted = sum(self.table.columnWidth(c) for c in range(self.table.columnCount())) + 24
        room = max(self.splitter.width(), 900)
        table_width = min(wanted, room * 2 // 3)
        self.splitter.setSizes([table_width, room - table_width])
        _draw_chart(self.figure, table, year)
        self.canvas.draw_idle()

    def figures(self) -> list[tuple[Any, ...]]:
        """What the table shows, as values (rows then the total row)."""
        return [tuple(self.table.item(r, c).data(Qt.ItemDataRole.UserRole) for c in range(self.table.columnCount()))
                for r in range(self.table.rowCount())]


class ReportsDialog(QDialog):
    """Non-modal: the clerk keeps working in the register while it is open. Figures come from the registry in the
    background (a year of a large register takes seconds); a newer choice always wins over an older answer."""

    def __init__(self, registry: Registry, parent: QWidget | None = None,
                 tasks: BackgroundTasks | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.tasks = tasks or BackgroundTasks(self)
        self.report: Report | None = None
        self.last_export: Path | None = None
        self._wanted: tuple[int, bool, Any] | None = None
        self.setModal(False)
        self.setWindowTitle("Báo cáo, thống kê văn bản")
        self.resize(1280, 680)

        self.year = QComboBox()
        years = sorted({*self._years(), today().year}, reverse=True)
        for y in years:
            self.year.addItem(str(y), y)
        self.book = QComboBox()
        self.book.addItem("Sổ thường", False)
        self.book.addItem("Sổ mật", True)
        self.on = QDateEdit()
        self.on.setCalendarPopup(True)
        self.on.setDisplayFormat("dd/MM/yyyy")
        now = today()
        self.on.setDate(QDate(now.year, now.month, now.day))
        self.on.setToolTip("Việc chưa xong mà thời hạn trước ngày này là quá hạn.")
        self.export_button = QPushButton("&Xuất Excel…")
        self.export_button.clicked.connect(self.choose_export)
        refresh = QPushButton("&Tính lại")
        refresh.setToolTip("Tính lại số liệu từ sổ (F5): văn bản vừa vào sổ, vừa chuyển, vừa xong")
        refresh.setShortcut(QKeySequence(Qt.Key.Key_F5))
        refresh.clicked.connect(self.reload)
        close = QPushButton("Đón&g")
        close.clicked.connect(self.close)
        controls = QHBoxLayout()
        for text, widget in (("&Năm:", self.year), ("&Sổ:", self.book), ("Tính quá hạn đến ngà&y:", self.on)):
            label = QLabel(text)
            label.setBuddy(widget)
            controls.addWidget(label)
            controls.addWidget(widget)
        controls.addStretch(1)
        controls.addWidget(refresh)
        controls.addWidget(self.export_button)
        controls.addWidget(close)

        self.heading = QLabel()
        self.heading.setStyleSheet("font-weight: bold;")
        self.tabs = QTabWidget()
        self.pages: dict[str, ReportPage] = {}
        for dimension in DIMENSIONS:
            self.pages[dimension] = ReportPage(dimension)
            self.tabs.addTab(self.pages[dimension], DIMENSION_TITLES[dimension])
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.heading)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)

        # Choices made in quick succession (typing a date, arrowing through years) become one load.
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(200)
        self._debounce.timeout.connect(self._load)
        self.year.currentIndexChanged.connect(self.reload)
        self.book.currentIndexChanged.connect(self.reload)
        self.on.dateChanged.connect(self.reload)
        self.reload()

    def _years(self) -> list[int]:
        try:
            return self.registry.documents.years()
        except VanThuError:
            return []

    def choice(self) -> tuple[int, bool, Any]:
        """(year, secret book, report date) as chosen now."""
        return int(self.year.currentData()), bool(self.book.currentData()), self.on.date().toPython()

    def set_year(self, year: int) -> None:
        index = self.year.findData(year)
        if index < 0:
            self.year.addItem(str(year), year)
            index = self.year.count() - 1
        self.year.setCurrentIndex(index)

    def reload(self) -> None:
        """Load the figures of the current choice shortly (see _debounce)."""
        self._wanted = self.choice()
        self.status.setStyleSheet("")
        self.status.setText(f"Đang tính số liệu năm {self._wanted[0]}…")
        self.export_button.setEnabled(False)
        self._debounce.start()

    def _load(self) -> None:
        wanted = self._wanted
        if wanted is None:
            return
        year, secret, on = wanted

        def work() -> Report | None:
            # Skipped when the clerk has chosen something else meanwhile (a year of a big register takes
            # seconds; the newer choice is queued behind this one).
            return None if wanted != self._wanted else self.registry.reports.build(year, on=on, secret=secret)

        self.tasks.run(work, lambda report: self._loaded(wanted, report), self._failed)

    def _loaded(self, wanted: tuple[int, bool, Any], report: Report | None) -> None:
        if report is None or wanted != self._wanted:
            return  # an answer to an older choice: the newer one is already queued
        self.report = report
        self.heading.setText(report_heading(report))
        for table in report_tables(report):
            self.pages[table.dimension].show_table(table, report.year)
        total = report.month_total
        self.status.setText("" if total is None else
                            f"Năm {report.year}: {format_count(total.incoming)} văn bản đến, "
                            f"{format_count(total.outgoing)} văn bản đi (không kể văn bản đã hủy).")
        self.export_button.setEnabled(True)

    def _failed(self, exc: Exception) -> None:
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setText(str(exc) if isinstance(exc, VanThuError) else f"Không tính được báo cáo: {exc}")
        self.export_button.setEnabled(self.report is not None)

    # export
    def choose_export(self) -> None:
        year, _secret, _on = self.choice()
        suggested = str(Path.home() / f"bao-cao-van-ban-{year}.xlsx")
        target = file_dialogs.save_file(self, "Xuất báo cáo ra Excel", "Tệp Excel (*.xlsx)", suggested)
        if target:
            self.export_to(target)

    def export_to(self, path: str | Path) -> None:
        """Write the workbook of the current choice in the background; the status line says where it went."""
        target = Path(path)
        if target.suffix.lower() != ".xlsx":
            target = target.with_name(target.name + ".xlsx")
        year, secret, on = self.choice()
        self.export_button.setEnabled(False)
        self.status.setStyleSheet("")
        self.status.setText(f"Đang ghi {target.name}…")
        self.tasks.run(lambda: self.registry.reports.export_xlsx(year, target, on=on, secret=secret),
                       self._exported, self._export_failed)

    def _exported(self, path: Path) -> None:
        self.last_export = path
        self.export_button.setEnabled(True)
        self.status.setText(f"Đã ghi tệp Excel: {path}")

    def _export_failed(self, exc: Exception) -> None:
        self.export_button.setEnabled(True)
        self.status.setStyleSheet(ERROR_STYLE)
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        self.status.setText(f"Không ghi được tệp Excel: {reason}")

    # for tests and screenshots
    def wait_loaded(self, msecs: int = 30_000) -> None:
        from PySide6.QtCore import QDeadlineTimer, QEventLoop
        from PySide6.QtWidgets import QApplication

        deadline = QDeadlineTimer(msecs)
        while ((self._debounce.isActive() or self.tasks.busy() or self.tasks.pool.activeThreadCount())
               and not deadline.hasExpired()):
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        QApplication.processEvents()


def _two_lines(heading: str) -> str:
    """A long column heading broken at the space that makes the shorter two lines: narrower columns, so the
    nine columns of the unit table fit beside the chart."""
    words = heading.split(" ")
    if len(heading) <= 10 or len(words) < 2:
        return heading
    cut = min(range(1, len(words)), key=lambda i: max(len(" ".join(words[:i])), len(" ".join(words[i:]))))
    return " ".join(words[:cut]) + "\n" + " ".join(words[cut:])


def _cell_text(value: Any, column: int, table: ReportTable) -> str:
    if column == table.rate_column:
        return format_rate(value)
    return format_count(value) if isinstance(value, int) else str(value)


# ------------------------------------------------------------------------------------------------ charts
# matplotlib is imported here, on first use: the register window never pays for it.


def _figure_and_canvas() -> tuple[Any, QWidget]:
    os.environ.setdefault("QT_API", "pyside6")  # matplotlib's Qt backend must bind to the app's PySide6
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(5.2, 4.2), layout="constrained")
    canvas = FigureCanvasQTAgg(figure)
    canvas.setMinimumWidth(360)
    return figure, canvas


def _draw_chart(figure: Any, table: ReportTable, year: int) -> None:
    """Bars of the same figures as the table (the total row left out): months upright, names lying down."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    figure.clear()
    axes = figure.add_subplot()
    labels = [str(row[0]) for row in table.rows]
    series = [(table.headers[c], [row[c] for row in table.rows]) for c in table.chart_columns]
    axes.set_title(f"{table.title} năm {year}", fontsize=10)
    if not labels:
        axes.text(0.5, 0.5, "Không có số liệu", ha="center", va="center", transform=axes.transAxes)
        axes.set_axis_off()
        return
    positions = list(range(len(labels)))
    if table.dimension == "month":
        width = 0.8 / len(series)
        for i, (name, values) in enumerate(series):
            axes.bar([p + (i - (len(series) - 1) / 2) * width for p in positions], values, width, label=name,
                     color=SERIES_COLOURS[i % len(SERIES_COLOURS)])
        axes.set_xticks(positions, [str(p + 1) for p in positions])
        axes.set_xlabel("Tháng")
        axes.set_ylabel("Số văn bản")
    elif table.stacked:
        left = [0] * len(labels)
        for i, (name, values) in enumerate(series):
            axes.barh(positions, values, left=left, label=name, color=OUTCOME_COLOURS[i % len(OUTCOME_COLOURS)])
            left = [a + b for a, b in zip(left, values, strict=True)]
        _name_axis(axes, positions, labels)
    else:
        height = 0.8 / len(series)
        for i, (name, values) in enumerate(series):
            axes.barh([p + (i - (len(series) - 1) / 2) * height for p in positions], values, height, label=name,
                      color=SERIES_COLOURS[i % len(SERIES_COLOURS)])
        _name_axis(axes, positions, labels)
    # Counts are whole numbers (no 0.5 ticks on a small register), few ticks written 240.000 (room for big ones).
    values_axis = axes.yaxis if table.dimension == "month" else axes.xaxis
    values_axis.set_major_locator(MaxNLocator(nbins=4, integer=True))
    values_axis.set_major_formatter(FuncFormatter(lambda value, _position: format_count(int(value))))
    if len(series) > 1:  # under the plot, never over the bars
        figure.legend(loc="outside lower center", ncols=2, fontsize=8, frameon=False)
    axes.tick_params(labelsize=8)


def _name_axis(axes: Any, positions: list[int], labels: list[str]) -> None:
    short = [text if len(text) <= 28 else text[:27] + "…" for text in labels]
    axes.set_yticks(positions, short)
    axes.invert_yaxis()  # the largest (first) row on top, as in the table
    axes.set_xlabel("Số văn bản")
