"""The "In" menu: each printout is made from the selected entry, previewed, printed through QPrinter, saved."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPrintSupport import QPrinter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from app.core.dates import today
from app.core.enums import Direction
from app.core.records import IncomingInput
from app.printing.fonts import SERIF, register_fonts
from app.services import Registry
from app.ui.main_window import MainWindow
from app.ui.pdf_output import PREVIEW_PAGES, paint_pdf
from tests.printing.pdf_read import page_sizes_mm, page_texts


def _window(qtbot, reg: Registry) -> MainWindow:  # type: ignore[no-untyped-def]
    for ref, subject in (("1737-TB/VPTU", "Kết luận của Thường trực Tỉnh ủy"), ("5068/UBND-TH", "Triển khai kết luận")):
        reg.documents.register_incoming(IncomingInput(issuer="Văn phòng Tỉnh ủy Tây Ninh", reference=ref,
                                                      issued_on=today(),
                                            received_on=today(), doc_type="Thông báo", subject=subject))
    window = MainWindow(reg)
    qtbot.addWidget(window)
    window.show()
    window.wait_loaded()
    window.select_document(reg.documents.find(Direction.INCOMING, 1, today().year).id)
    return window


def test_stamp_slip_receipt_handover_from_the_selected_entry(qtbot, state_registry: Registry,  # type: ignore[no-untyped-def]
                                                              tmp_path: Path) -> None:
    window = _window(qtbot, state_registry)
    stamp = window.printing.stamp()
    assert stamp is not None and stamp.pages == 1 and not stamp.limited
    assert page_sizes_mm(stamp.path) == [(50.0, 35.0)]
    assert "SỞ Y TẾ TỈNH TÂY NINH" in page_texts(stamp.path)[0]
    stamp.close()

    slip = window.printing.slip()
    assert slip is not None and "1737-TB/VPTU" in " ".join(page_texts(slip.path))
    slip.close()
    receipt = window.printing.receipt(sender="Bưu điện tỉnh Tây Ninh")
    assert receipt is not None and "Bưu điện tỉnh Tây Ninh" in " ".join(page_texts(receipt.path))
    receipt.close()
    handover = window.printing.handover(unit="Phòng Nghiệp vụ Y")
    assert handover is not None
    text = " ".join(page_texts(handover.path))
    assert "SỔ CHUYỂN GIAO VĂN BẢN ĐẾN" in text and "Phòng Nghiệp vụ Y" in text and "5068/UBND-TH" in text
    handover.close()

    register_fonts()
    scan = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(scan), pagesize=A4)
    for n in (1, 2):
        c.setFont(SERIF, 12)
        c.drawString(60, 790, f"Trang gốc {n}")
        c.showPage()
    c.save()
    stamped = window.printing.stamp_scan(str(scan))
    assert stamped is not None and stamped.pages == 2
    assert "ĐẾN" in page_texts(stamped.path)[0] and page_texts(stamped.path)[1] == page_texts(scan)[1]

    # Real printing goes through QPrinter: print the stamp to Qt's own PDF output and read it back.
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "qt.pdf"))
    assert paint_pdf(printer, stamped.path, 150) == 2
    assert [round(w) for w, _h in page_sizes_mm(tmp_path / "qt.pdf")] == [210, 210]


def test_refusals_are_shown_not_raised(qtbot, registry: Registry, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, registry)  # no agency name set
    shown: list[str] = []
    monkeypatch.setattr("app.ui.print_actions.QMessageBox.warning", lambda _p, _t, text: shown.append(text))
    assert window.printing.stamp() is None
    assert shown and "Tên cơ quan" in shown[0]


def test_register_book_dialog_builds_in_the_background(qtbot, state_registry: Registry) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, state_registry)
    dialog = window.printing.register_book()
    dialog.date_from.setText("31/12/1999")
    dialog.make()
    window.wait_loaded()
    assert "không thuộc năm" in dialog.error.text()  # refused in the dialog, which stays open
    dialog.date_from.setText("32/13/2020")
    dialog.make()
    assert "Từ ngày" in dialog.error.text()
    dialog.date_from.clear()
    dialog.kind.setCurrentIndex(dialog.kind.findData("incoming"))
    dialog.make()
    def book_shown() -> bool:
        return window.printing.preview is not None and "Sổ đăng ký" in window.printing.preview.windowTitle()

    qtbot.waitUntil(book_shown, timeout=20_000)
    preview = window.printing.preview
    assert preview is not None and preview.pages >= 2 and preview.pages <= PREVIEW_PAGES
    text = " ".join(page_texts(preview.path))
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in text and "1737-TB/VPTU" in text
    assert all(size == (297.0, 210.0) for size in page_sizes_mm(preview.path))
