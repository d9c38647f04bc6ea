"""From the window: export the rows on screen to .xlsx, import an old register (check, then all or nothing),
and open the reports window."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from app.core.dates import format_date, today
from app.core.enums import Direction
from app.core.records import IncomingInput
from app.services import Registry
from app.ui.import_dialog import ImportDialog
from app.ui.main_window import MainWindow


def _window(qtbot, reg: Registry) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(reg)
    qtbot.addWidget(window)
    window.show()
    window.wait_loaded()
    return window


def test_export_writes_exactly_the_rows_on_screen(qtbot, state_registry: Registry, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    day = format_date(today())
    for i, subject in enumerate(("Về việc phòng chống dịch", "Về việc tuyển dụng", "Về việc phòng cháy")):
        state_registry.documents.register_incoming(IncomingInput(
            issuer="UBND TỈNH TÂY NINH", reference=f"{i + 1}/UBND-VX", issued_on=day, received_on=day,
            doc_type="Công văn", subject=subject))
    window = _window(qtbot, state_registry)
    window.filters.search.setText("phong")
    qtbot.waitUntil(lambda: window.page.model.rowCount() == 2)
    window.wait_loaded()
    target = tmp_path / "danh-sach.xlsx"
    with qtbot.waitSignal(window.exported, timeout=20_000) as signal:
        window.export_visible(str(target))
    assert signal.args == [str(target)]
    sheet = load_workbook(target, read_only=True).worksheets[0]
    text = [" ".join(str(c) for c in row if c is not None) for row in sheet.iter_rows(values_only=True)]
    assert sum("Về việc phòng" in line for line in text) == 2 and not any("tuyển dụng" in line for line in text)
    assert "Đã xuất 2 văn bản" in window.statusBar().currentMessage()


def run(qtbot, dialog: ImportDialog, action) -> object:  # type: ignore[no-untyped-def]
    """Start a check or an import and wait for its report (None: refused)."""
    with qtbot.waitSignal(dialog.reported, timeout=20_000) as signal:
        action()
    return signal.args[0]


def test_import_dialog_checks_every_row_then_imports_all(qtbot, state_registry: Registry, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "so-cu.csv"
    rows = ["1,05/01/2026,UBND tỉnh Tây Ninh,01/UBND-VX,04/01/2026,Công văn,Về việc A",
            "2,31/02/2026,UBND tỉnh Tây Ninh,02/UBND-VX,04/01/2026,Công văn,Về việc B"]
    header = 'Số đến,Ngày đến,Tác giả,"Số, ký hiệu văn bản",Ngày tháng văn bản,Tên loại,Trích yếu nội dung văn bản'
    bad.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    dialog = ImportDialog(state_registry)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.path.setText(str(bad))
    report = run(qtbot, dialog, dialog.check)
    assert report is not None and not report.ok
    shown = dialog.result_box.toPlainText()
    assert "chưa nhập dòng nào" in shown and "Dòng 3, Ngày đến" in shown
    assert not dialog.import_button.isEnabled()
    assert state_registry.documents.list(Direction.INCOMING, 2026) == []

    bad.write_text("\n".join([header, rows[0], rows[1].replace("31/02", "06/01")]) + "\n", encoding="utf-8")
    assert not dialog.import_button.isEnabled()  # the file changed: check again first
    report = run(qtbot, dialog, dialog.check)
    assert report is not None and report.ok and dialog.import_button.isEnabled()
    assert state_registry.documents.list(Direction.INCOMING, 2026) == []  # a check writes nothing
    run(qtbot, dialog, dialog.import_button.click)
    assert not dialog.import_button.isEnabled() and not dialog.check_button.isEnabled()
    assert dialog.imported is not None and dialog.imported.rows_imported == 2
    imported = state_registry.documents.list(Direction.INCOMING, 2026)
    assert [(d.number, d.reference) for d in imported] == [(1, "01/UBND-VX"), (2, "02/UBND-VX")]


def test_import_dialog_names_a_missing_file(qtbot, state_registry: Registry, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = ImportDialog(state_registry)
    qtbot.addWidget(dialog)
    assert run(qtbot, dialog, dialog.check) is None and "chưa chọn tệp" in dialog.error.text()
    dialog.path.setText(str(tmp_path / "khong-co.xlsx"))
    assert run(qtbot, dialog, dialog.check) is None
    assert not dialog.error.isHidden() and "khong-co.xlsx" in dialog.error.text()


def test_reports_window_opens_once_from_the_menu(qtbot, state_registry: Registry) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, state_registry)
    window.open_reports()
    first = window.reports
    assert first is not None and first.isVisible()
    window.open_reports()
    assert window.reports is first
    first.close()
