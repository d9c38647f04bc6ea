"""The report window: its tables show the service's figures, a new year reloads them, export writes the workbook."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate

from app.core.report_records import DIMENSIONS, report_tables
from app.ui.reports_dialog import ReportsDialog
from tests.services.test_reports import ON, Register, build_register


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Register]:
    built = build_register(tmp_path_factory.mktemp("report-ui") / "r.sqlite3")
    yield built
    built.reg.close()


def _dialog(qtbot, register: Register) -> ReportsDialog:  # type: ignore[no-untyped-def]
    dialog = ReportsDialog(register.reg)
    qtbot.addWidget(dialog)
    dialog.on.setDate(QDate(ON.year, ON.month, ON.day))
    dialog.set_year(2026)
    dialog.wait_loaded()
    return dialog


def test_tables_show_the_service_figures_and_a_new_year_reloads(qtbot, register: Register) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot, register)
    assert not dialog.isModal()
    assert dialog.report is not None and (dialog.report.year, dialog.report.on) == (2026, ON)
    expected = {t.dimension: t for t in report_tables(register.reg.reports.build(2026, on=ON))}
    for dimension in DIMENSIONS:
        page = dialog.pages[dimension]
        assert page.figures() == [*expected[dimension].rows, expected[dimension].total], dimension
        headers = [page.table.horizontalHeaderItem(c).text().replace("\n", " ")
                   for c in range(page.table.columnCount())]
        assert tuple(headers) == expected[dimension].headers
        assert page.figure.axes and page.figure.axes[0].patches  # the chart has bars
    units = dialog.pages["unit"]
    assert [units.table.item(units.table.rowCount() - 1, c).text() for c in (0, 1, 8)] == ["Tổng cộng", "8", "57,1 %"]
    assert "Chưa chuyển cho đơn vị nào: 1 văn bản đến" in units.note.text()
    assert "6 văn bản đến, 3 văn bản đi" in dialog.status.text()

    dialog.set_year(2025)
    dialog.wait_loaded()
    assert dialog.report is not None and dialog.report.year == 2025
    assert dialog.pages["month"].figures()[-1] == ("Tổng cộng", 1, 0, 0, 0)  # the one entry of 30/12/2025
    assert dialog.pages["unit"].figures() == [("Tổng cộng", 0, 0, 0, 0, 0, 0, 0, None)]

    dialog.on.setDate(QDate(2026, 7, 1))  # a later report date: VP's d3 (due 30/06) becomes overdue
    dialog.set_year(2026)
    dialog.wait_loaded()
    vp = next(r for r in dialog.pages["unit"].figures() if r[0] == "Văn phòng")
    assert vp[6:8] == (1, 0)
    dialog.book.setCurrentIndex(1)  # the secret book
    dialog.wait_loaded()
    assert dialog.report is not None and dialog.report.secret and dialog.report.month_total is not None
    assert dialog.report.month_total.incoming == 1


def test_export_writes_the_workbook_of_the_choice(qtbot, register: Register, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot, register)
    dialog.export_to(tmp_path / "báo cáo")  # the .xlsx suffix is added
    dialog.wait_loaded()
    target = tmp_path / "báo cáo.xlsx"
    assert dialog.last_export == target and target.exists()
    assert str(target) in dialog.status.text()
    sheet = load_workbook(target)["Theo đơn vị"]
    shown = dialog.pages["unit"].figures()
    assert [tuple(c.value for c in row) for row in sheet.iter_rows(min_row=5, max_row=4 + len(shown))] == shown

    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    dialog.export_to(blocker / "x.xlsx")  # a file where a folder is needed: said on the status line
    dialog.wait_loaded()
    assert "Không ghi được tệp Excel" in dialog.status.text() and dialog.export_button.isEnabled()
    assert dialog.last_export == target


def test_the_unit_tab_draws(qtbot, register: Register, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The unit tab (table, note, stacked chart) renders to a real picture."""
    dialog = _dialog(qtbot, register)
    dialog.show()
    dialog.tabs.setCurrentIndex(DIMENSIONS.index("unit"))
    qtbot.wait(50)
    picture = tmp_path / "bao-cao-don-vi.png"
    assert dialog.grab().save(str(picture)) and picture.stat().st_size > 10_000
