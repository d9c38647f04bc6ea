"""A scan dropped on the registration dialog: read in the background with a progress bar (page i of n) and Hủy,
the window never waits on it, the form fills as from text, and saving attaches the scan with its text, so a word
of its body finds the entry."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QUrl
from PySide6.QtWidgets import QApplication

from app.core.enums import Direction
from app.core.records import DocumentQuery
from app.services import Registry
from app.services.attachment_text import SEARCHABLE_PREFIX
from app.ui.register_dialog import RegisterDialog
from tests.ocr.scans import image_pdf, letter_pdf, rasterise, spoil
from tests.ui.keyboard import type_text


@pytest.fixture(scope="module")
def scan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("scan")
    pages = rasterise(letter_pdf(folder / "goc.pdf", pages=2), dpi=200)
    return image_pdf([spoil(p) for p in pages], folder / "bản quét 3646.pdf", dpi=200)


@pytest.fixture
def dialog(qtbot, state_registry: Registry) -> RegisterDialog:  # type: ignore[no-untyped-def]
    d = RegisterDialog(state_registry, Direction.INCOMING)
    qtbot.addWidget(d)
    d._confirm_discard = lambda: True  # type: ignore[method-assign]
    d.show()
    return d


def drop(dialog: RegisterDialog, path: Path) -> bool:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    assert dialog.text_fill is not None and dialog.text_fill.accepts(mime)
    return dialog.text_fill.from_mime(mime)


def test_a_dropped_scan_is_read_in_the_background_then_attached_and_searchable(
        qtbot, dialog: RegisterDialog, state_registry: Registry, scan: Path) -> None:  # type: ignore[no-untyped-def]
    fill = dialog.text_fill
    assert fill is not None
    seen: list[tuple[int, int]] = []
    fill.progress.valueChanged.connect(lambda value: seen.append((value, fill.progress.maximum())))
    assert drop(dialog, scan)
    # The call came back at once: the dialog is reading, the bar and Hủy are shown, the fields not yet filled.
    assert fill.reading is not None and fill.progress.isVisible() and fill.stop_button.isVisible()
    assert not fill.open_button.isEnabled() and dialog.value("reference") == ""
    assert "Đang nhận dạng chữ" in dialog.message.text()
    assert dialog.save() is None and "Đang nhận dạng chữ" in dialog.message.text()  # no half-read entry
    QApplication.processEvents()  # the window keeps answering while Tesseract works
    qtbot.waitUntil(lambda: fill.reading is None, timeout=60_000)
    assert (1, 2) in seen and seen[-1] == (2, 2)  # page i of n, for each page
    assert not fill.progress.isVisible() and fill.open_button.isEnabled()
    assert dialog.value("reference") == "3646/SYT-VP"
    assert dialog.value("issued_on") == "24/10/2023"
    assert "bản quét sẽ được đính kèm" in dialog.message.text() and "độ tin cậy" in dialog.message.text()
    dialog.inputs["received_on"].setText("25/10/2023")
    record = dialog.save(close=False)
    assert record is not None, dialog.message.text()
    attached = state_registry.attachments.list(record.id)
    assert [a.file_name for a in attached] == ["bản quét 3646.pdf", "bản quét 3646 (có lớp chữ).pdf"]
    assert attached[0].text_source == "ocr" and (attached[0].text_confidence or 0) > 50
    assert attached[1].derived_from_id == attached[0].id
    from pypdf import PdfReader

    copy = PdfReader(str(state_registry.attachments.path(attached[1].id)))
    assert len(copy.pages) == 2 and "3646/SYT-VP" in copy.pages[0].extract_text()  # the searchable copy
    scanned = PdfReader(str(scan)).pages[0].mediabox
    size = copy.pages[0].mediabox  # the scan's size, not Tesseract's 70 dpi guess (an A4 page three feet wide)
    assert abs(float(size.width) - float(scanned.width)) < 0.05 * float(scanned.width)
    assert abs(float(size.height) - float(scanned.height)) < 0.05 * float(scanned.height)
    assert not list(Path(tempfile.gettempdir()).glob(f"{SEARCHABLE_PREFIX}*{os.getpid()}*"))  # no temp left
    hits = state_registry.documents.search_ids(DocumentQuery(direction=Direction.INCOMING, text="khan truong"))
    assert hits == [record.id]  # "khẩn trương" is in the body, not in the trích yếu
    assert state_registry.fulltext.places("khan truong", hits) == {record.id: "nội dung"}


def test_huy_stops_the_reading_and_fills_nothing(qtbot, dialog: RegisterDialog, scan: Path) -> None:  # type: ignore[no-untyped-def]
    fill = dialog.text_fill
    assert fill is not None and drop(dialog, scan)
    fill.stop()
    assert fill.progress.format() == "Đang dừng…" and not fill.stop_button.isEnabled()
    qtbot.waitUntil(lambda: fill.reading is None, timeout=60_000)
    assert "Đã hủy nhận dạng chữ" in dialog.message.text()
    assert dialog.value("reference") == "" and fill.source is None and fill.extraction is None
    assert fill.open_button.isEnabled()


def test_closing_the_dialog_while_reading_stops_the_worker(qtbot, dialog: RegisterDialog, scan: Path) -> None:  # type: ignore[no-untyped-def]
    fill = dialog.text_fill
    assert fill is not None and drop(dialog, scan)
    dialog.reject()  # the discard question is answered yes by the fixture
    assert not fill.scan.tasks.busy() or fill.scan.tasks.wait(60_000)
    assert fill.reading is None or fill.reading.is_set()


def test_a_file_that_is_not_a_scan_is_refused_naming_it(qtbot, dialog: RegisterDialog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fake = tmp_path / "ảnh hỏng.png"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    fill = dialog.text_fill
    assert fill is not None and drop(dialog, fake)  # a PNG is a scan: it is read in the background
    qtbot.waitUntil(lambda: fill.reading is None, timeout=30_000)
    assert "ảnh hỏng.png" in dialog.message.text() and dialog.message.property("kind") == "error"
    assert fill.source is None


LETTER = """UBND TỈNH TÂY NINH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ Y TẾ Độc lập - Tự do - Hạnh phúc
Số: 3646/SYT-VP Tây Ninh, ngày 24 tháng 10 năm 2023
V/v triển khai tiêm chủng mở rộng

Kính gửi: Các đơn vị trực thuộc."""


def test_a_field_read_from_a_weak_line_is_flagged_and_must_be_edited(qtbot, dialog: RegisterDialog,  # type: ignore[no-untyped-def]
                                                                      state_registry: Registry,
                                                                      tmp_path: Path) -> None:
    from app.services.attachment_text import OCR, AttachedText
    from app.ui.text_fill import WEAK

    fill = dialog.text_fill
    assert fill is not None
    lines = LETTER.split("\n")
    # What Tesseract gives for a scan whose number line is smudged: that line at 61%, the others sure.
    confidence = tuple(61.0 if line.startswith("Số:") else (None if not line else 94.0) for line in lines)
    scan = tmp_path / "mờ.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    fill._recognised(scan, AttachedText(LETTER, OCR, 88.0, line_confidence=confidence))
    reference = dialog.inputs["reference"]
    assert dialog.value("reference") == "3646/SYT-VP"  # filled, so the clerk sees what was read…
    assert reference.property(WEAK) and "độ tin cậy 61%" in reference.toolTip()  # …and that it is doubtful
    assert dialog.inputs["issued_on"].property(WEAK)  # the date came from the same line
    assert not dialog.inputs["subject"].property(WEAK)
    assert "Đọc kém" in dialog.message.text() and "Số, ký hiệu (61%)" in dialog.message.text()
    dialog.inputs["received_on"].setText("25/10/2023")
    assert dialog.save(close=False) is None  # never registered as guessed
    assert "các trường tô đỏ đọc kém" in dialog.message.text()
    assert state_registry.documents.search_ids(DocumentQuery(direction=Direction.INCOMING)) == []
    for name, typed in (("reference", "3646/SYT-VP"), ("issued_on", "24/10/2023")):  # checked against the paper
        field = dialog.inputs[name]
        field.setFocus()
        field.selectAll()
        type_text(field, typed)  # the same characters, typed by the clerk: an edit is what clears the flag
    assert not reference.property(WEAK) and fill.weak == {}
    record = dialog.save(close=False)
    assert record is not None and record.reference == "3646/SYT-VP", dialog.message.text()


def test_a_scan_added_on_the_files_tab_is_read_in_the_background(qtbot, state_registry: Registry,  # type: ignore[no-untyped-def]
                                                                 scan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.ui.detail_pane import DetailPane
    from tests.ui.test_detail_pane import register

    pane = DetailPane(state_registry)
    qtbot.addWidget(pane)
    pane.show()
    errors: list[str] = []
    monkeypatch.setattr(pane, "show_error", errors.append)
    doc = register(state_registry, "3646/SYT-VP")
    pane.show_document(doc)
    reading = pane.files_box.reading
    with qtbot.waitSignal(pane.document_changed, timeout=60_000):
        assert pane.attach_file(scan)
        assert reading.busy and not reading.bar.isHidden() and not pane.add_file_button.isEnabled()
        assert not pane.attach_file(scan) and "Đang đọc một tệp khác" in errors[-1]
    assert reading.bar.isHidden() and pane.add_file_button.isEnabled()
    assert pane.files.count() == 2  # the scan, and its searchable copy
    assert "tìm được nội dung (nhận dạng chữ" in pane.files.item(0).text()
    copy = pane.files.item(1).text()
    assert "(có lớp chữ).pdf" in copy and "bản có lớp chữ của bản quét" in copy
    assert state_registry.documents.search_ids(DocumentQuery(direction=Direction.INCOMING, text="khan truong")) == [doc]


@pytest.fixture(scope="module")
def one_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("one")
    return image_pdf([spoil(rasterise(letter_pdf(folder / "goc.pdf"), dpi=200)[0])], folder / "một trang.pdf", dpi=200)


def test_huy_on_the_last_page_keeps_nothing(qtbot, dialog: RegisterDialog, one_page: Path) -> None:  # type: ignore[no-untyped-def]
    fill = dialog.text_fill
    assert fill is not None and drop(dialog, one_page)
    fill.stop()  # while Tesseract reads page 1 of 1: the reading ends on its own, and is thrown away
    qtbot.waitUntil(lambda: fill.reading is None, timeout=60_000)
    assert "Đã hủy nhận dạng chữ" in dialog.message.text()
    assert dialog.value("reference") == "" and fill.source is None
    assert not list(Path(tempfile.gettempdir()).glob(f"{SEARCHABLE_PREFIX}{os.getpid()}-*"))


def test_what_the_clerk_types_while_waiting_is_kept_and_paste_waits(qtbot, dialog: RegisterDialog,  # type: ignore[no-untyped-def]
                                                                    one_page: Path) -> None:
    fill = dialog.text_fill
    assert fill is not None and drop(dialog, one_page)
    subject = dialog.inputs["subject"]
    subject.setFocus()
    type_text(subject, "Mời họp giao ban quý IV")
    QApplication.clipboard().setText("Số: 999/UBND-VX\nV/v khác")
    assert not fill.paste() and "trước khi dán" in dialog.message.text()  # the scan would replace it
    qtbot.waitUntil(lambda: fill.reading is None, timeout=60_000)
    assert dialog.value("subject") == "Mời họp giao ban quý IV"  # typed meanwhile: not overwritten
    assert dialog.value("reference") == "3646/SYT-VP"  # the others are filled from the scan
    assert "Giữ nguyên những gì đã gõ trong lúc chờ: Trích yếu" in dialog.message.text()


def test_closing_while_reading_leaves_no_copy_behind(qtbot, dialog: RegisterDialog, one_page: Path) -> None:  # type: ignore[no-untyped-def]
    fill = dialog.text_fill
    assert fill is not None and drop(dialog, one_page)
    dialog.reject()
    qtbot.wait(200)  # the result queued behind the worker arrives, and is thrown away
    assert fill.source is None
    assert not list(Path(tempfile.gettempdir()).glob(f"{SEARCHABLE_PREFIX}{os.getpid()}-*"))
