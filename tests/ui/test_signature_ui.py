"""Electronic signatures in the window: the registration dialog's banner and reason, the Tệp tab's checks and the
register table's icon column, with real PDFs signed by the app's own signer under a test CA the register trusts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from app.core.enums import Direction
from app.core.records import DocumentQuery, IncomingInput
from app.services import Registry
from app.signatures import signing
from app.signatures.keys import KeySource
from app.signatures.placement import top_right_box
from app.signatures.verdicts import STATUS_LABELS, VIETNAM
from app.ui import file_dialogs
from app.ui.detail_files import REASON_QUESTION
from app.ui.detail_pane import DetailPane
from app.ui.document_table_model import BLOCK, SIGNATURE_COLUMN, SIGNATURE_MARKS, DocumentTableModel
from app.ui.filter_bar import FilterBar
from app.ui.register_books import RegisterBooks
from app.ui.register_dialog import RegisterDialog
from app.ui.tasks import BackgroundTasks
from tests import pki
from tests.signatures.documents import flip_byte
from tests.ui.dialogs import Asked, drop, open_incoming

SENDER = "Sở Y tế tỉnh Tây Ninh"
SIGNER = "Nguyễn Văn An"
PASSWORD = "mật-khẩu-ký"
REASON = "Đã gọi điện xác nhận"
GREEN, RED = SIGNATURE_MARKS["valid"][1], SIGNATURE_MARKS["invalid"][1]
LETTER = ["UBND TỈNH TÂY NINH", "SỞ Y TẾ", "Số: {reference}", "Tây Ninh, ngày 24 tháng 10 năm 2023",
          "V/v triển khai tiêm chủng mở rộng năm 2024", "Kính gửi: Sở Nội vụ tỉnh Tây Ninh.",
          "Sở Y tế đề nghị các đơn vị phối hợp thực hiện.", "GIÁM ĐỐC", SIGNER]


@dataclass(frozen=True)
class Files:
    good: Path  # signed by a certificate of the CA the register trusts
    bad: Path  # the same, one byte of its first content stream changed after signing


def letter(path: Path, reference: str) -> Path:
    """A one-page công văn whose text the dialog can read (issuer, số, date, trích yếu)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from app.resources import resource

    if "VanThuSerif" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("VanThuSerif", str(resource("fonts", "LiberationSerif-Regular.ttf"))))
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("VanThuSerif", 13)
    for i, line in enumerate(LETTER):
        c.drawString(70, 790 - 26 * i, line.format(reference=reference))
    c.showPage()
    c.save()
    return path


def signed(tmp: Path, who: pki.Issued, ca: pki.Issued, name: str, reference: str) -> Path:
    draft = letter(tmp / f"draft-{name}", reference)
    p12 = who.write_p12(tmp / f"{name}.p12", PASSWORD, chain=[ca])
    out = tmp / name
    signing.sign_pdf(draft, out, KeySource(pkcs12=p12, password=PASSWORD), SENDER,
                     signing.Appearance(top_right_box(draft), lines=("1/X", "2026-12-07T10:00:00+07:00")),
                     datetime.now(VIETNAM).replace(microsecond=0))
    return out


@pytest.fixture
def files(tmp_path: Path, state_registry: Registry) -> Files:
    ca = pki.make_ca("CA thử nghiệm", "Ban Cơ yếu Chính phủ (thử)")
    who = pki.issue(ca, SIGNER, SENDER)
    state_registry.trust.add(ca.write_pem(tmp_path / "ca.pem"))
    good = signed(tmp_path, who, ca, "Công văn 12 ký số.pdf", "12/SYT-VP")
    bad = flip_byte(signed(tmp_path, who, ca, "source-bad.pdf", "13/SYT-VP"), tmp_path / "Công văn 13 bị sửa.pdf")
    return Files(good, bad)


@pytest.fixture
def dialog(qtbot, state_registry: Registry) -> RegisterDialog:  # type: ignore[no-untyped-def]
    return open_incoming(qtbot, state_registry, 760)


def incoming_count(reg: Registry) -> int:
    return len(reg.documents.search_ids(DocumentQuery(direction=Direction.INCOMING, year=None)))


def complete_form(dialog: RegisterDialog, reference: str) -> None:
    """What the reader could not fill (a tampered file's content stream no longer inflates): typed by the clerk."""
    for name, value in (("issuer", SENDER), ("reference", reference), ("issued_on", "24/10/2023")):
        if not dialog.value(name):
            dialog.inputs[name].setText(value)  # type: ignore[union-attr]
    if not dialog.value("doc_type"):
        dialog.inputs["doc_type"].setEditText("Công văn")  # type: ignore[union-attr]
    if not dialog.value("subject"):
        dialog.inputs["subject"].setPlainText("Về việc triển khai tiêm chủng mở rộng")  # type: ignore[union-attr]


def colour(text: str) -> str:
    found = re.search(r"color: (#[0-9a-f]{6})", text)
    return found.group(1) if found else ""


def test_good_file_green_banner_and_saved_without_a_question(dialog: RegisterDialog, state_registry: Registry,
                                                              files: Files, monkeypatch: pytest.MonkeyPatch) -> None:
    asked = Asked(monkeypatch, ("", False))
    assert drop(dialog, files.good)
    banner = dialog.signature_banner
    assert banner.isVisible() and banner.state == "valid"
    assert "Chữ ký số hợp lệ" in banner.text() and SIGNER in banner.text() and SENDER in banner.text()
    assert files.good.name in banner.text()
    assert dialog.value("reference") == "12/SYT-VP"
    complete_form(dialog, "12/SYT-VP")
    dialog.grab().save("/tmp/ui19_green.png")
    record = dialog.save(close=False)
    assert record is not None and asked.labels == []  # a good signature is not questioned
    attached = state_registry.attachments.list(record.id)
    assert [a.file_name for a in attached] == [files.good.name]
    check = state_registry.signatures.latest([attached[0].id])[attached[0].id]
    assert check.status == "valid" and check.confirmed_reason is None
    assert not banner.isVisible()  # the next document starts without a file


def test_tampered_file_red_banner_reason_asked_once_before_registering(  # type: ignore[no-untyped-def]
        qtbot, dialog: RegisterDialog, state_registry: Registry, files: Files,
        monkeypatch: pytest.MonkeyPatch) -> None:
    asked = Asked(monkeypatch, (REASON, True))
    monkeypatch.setattr(file_dialogs, "open_file", lambda *_a, **_k: str(files.bad))  # the clerk's pick
    assert dialog.text_fill is not None
    qtbot.mouseClick(dialog.text_fill.open_button, Qt.MouseButton.LeftButton)  # "Đọc từ tệp…"
    banner = dialog.signature_banner
    assert banner.isVisible() and banner.state == "invalid"
    assert banner.text().startswith("✖") and "Chữ ký số không hợp lệ" in banner.text()
    assert "thay đổi sau khi ký" in banner.text()
    complete_form(dialog, "13/SYT-VP")
    dialog.grab().save("/tmp/ui19_red.png")
    before = incoming_count(state_registry)
    issued_on = dialog.value("issued_on")
    dialog.inputs["issued_on"].setText("32/13/2023")  # type: ignore[union-attr]  # refused first: the reason is kept
    assert dialog.save(close=False) is None and incoming_count(state_registry) == before
    assert len(asked.labels) == 1
    assert "Chữ ký số không hợp lệ" in asked.labels[0] and REASON_QUESTION in asked.labels[0]
    assert colour(asked.labels[0]) == RED
    assert dialog.form.errors["issued_on"].text()
    dialog.inputs["issued_on"].setText(issued_on)  # type: ignore[union-attr]
    record = dialog.save(close=False)
    assert record is not None, dialog.message.text()
    assert len(asked.labels) == 1  # asked once for the file, not at each try
    assert incoming_count(state_registry) == before + 1
    attached = state_registry.attachments.list(record.id)
    check = state_registry.signatures.latest([attached[0].id])[attached[0].id]
    assert check.status == "invalid" and check.confirmed_reason == REASON


@pytest.mark.parametrize("answer", [("", False), ("   ", True)], ids=["cancel", "empty"])
def test_no_reason_registers_nothing_and_keeps_the_form(dialog: RegisterDialog, state_registry: Registry,
                                                        files: Files, monkeypatch: pytest.MonkeyPatch,
                                                        answer: tuple[str, bool]) -> None:
    asked = Asked(monkeypatch, answer)
    assert drop(dialog, files.bad)
    complete_form(dialog, "13/SYT-VP")
    typed = {name: dialog.value(name) for name in dialog.inputs}
    before = incoming_count(state_registry)
    assert dialog.save(close=True) is None
    assert len(asked.labels) == 1 and incoming_count(state_registry) == before
    assert dialog.isVisible() and {name: dialog.value(name) for name in dialog.inputs} == typed
    assert dialog.message.text().startswith("Chưa vào sổ, chưa ghi gì") and files.bad.name in dialog.message.text()
    assert dialog.text_fill is not None and dialog.text_fill.source is not None  # the file is still to attach
    assert dialog.signature_banner.isVisible()


def test_unsigned_pdf_grey_and_pasted_text_hides_the_banner(dialog: RegisterDialog, tmp_path: Path) -> None:
    plain = letter(tmp_path / "Công văn 14.pdf", "14/SYT-VP")
    assert drop(dialog, plain)
    banner = dialog.signature_banner
    assert banner.isVisible() and banner.state == "none" and "Không có chữ ký số" in banner.text()
    assert dialog.text_fill is not None and dialog.text_fill.from_text("\n".join(LETTER).format(reference="15/SYT-VP"))
    assert not banner.isVisible()  # the pasted text replaced the file: nothing is attached, nothing to say


def test_detail_pane_shows_each_check_and_asks_before_attaching(qtbot, state_registry: Registry,  # type: ignore[no-untyped-def]
                                                                files: Files, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = state_registry.documents.register_incoming(IncomingInput(
        issuer=SENDER, reference="12/SYT-VP", issued_on="24/10/2023", doc_type="Công văn", subject="Tiêm chủng")).id
    pane = DetailPane(state_registry)
    qtbot.addWidget(pane)
    pane.resize(520, 900)
    pane.show()
    errors: list[str] = []
    monkeypatch.setattr(pane, "show_error", errors.append)
    pane.show_document(doc)

    asked = Asked(monkeypatch, ("", False))
    assert not pane.attach_file(files.bad)  # asked before reading: Hủy, nothing attached
    assert len(asked.labels) == 1 and state_registry.attachments.list(doc) == []
    assert errors and errors[-1].startswith("Chưa đính kèm tệp") and files.bad.name in errors[-1]

    asked.answer = (REASON, True)
    with qtbot.waitSignal(pane.document_changed, timeout=5000):
        assert pane.attach_file(files.bad)
    with qtbot.waitSignal(pane.document_changed, timeout=5000):
        assert pane.attach_file(files.good)
    assert len(asked.labels) == 2  # the good file is not questioned
    items = {pane.files.item(i).text().split(" — ")[0]: pane.files.item(i) for i in range(pane.files.count())}
    bad, good = items[files.bad.name], items[files.good.name]
    assert "✖ Chữ ký số không hợp lệ" in bad.text() and f"Đã xác nhận vẫn nhận: {REASON}" in bad.text()
    assert "✔ Chữ ký số hợp lệ" in good.text() and "Đã xác nhận" not in good.text()
    for item in (bad, good):
        assert re.search(r"\nKiểm tra lúc \d\d/\d\d/\d{4} \d\d:\d\d$", item.text())
    assert bad.foreground().color() == QColor(RED) and good.foreground().color() == QColor(GREEN)
    pane.files.setCurrentItem(bad)
    assert pane.files_box.selected_name() == files.bad.name  # the first line is still the file's
    pane.sections.setCurrentWidget(pane.files_box)
    pane.grab().save("/tmp/ui19_files.png")

    # Attached without the question (the file checked, then changed or the CA dropped): asked, then retried.
    second = state_registry.documents.register_incoming(IncomingInput(
        issuer=SENDER, reference="13/SYT-VP", issued_on="24/10/2023", doc_type="Công văn", subject="Tiêm chủng")).id
    read = state_registry.attachments.read_text(files.bad, False)
    record = pane._attach_read(second, files.bad, read)
    assert record is not None and len(asked.labels) == 3
    assert state_registry.signatures.latest([record.id])[record.id].confirmed_reason == REASON


def test_table_signature_column(qtbot, state_registry: Registry, files: Files) -> None:  # type: ignore[no-untyped-def]
    ids = {}
    for reference, path, reason in (("12/SYT-VP", files.good, None), ("13/SYT-VP", files.bad, REASON),
                                    ("14/SYT-VP", None, None)):
        ids[reference] = doc = state_registry.documents.register_incoming(IncomingInput(
            issuer=SENDER, reference=reference, issued_on="24/10/2023", doc_type="Công văn", subject="Tiêm chủng")).id
        if path is not None:
            state_registry.attachments.attach(doc, path, signature_reason=reason)
    books = RegisterBooks(state_registry.documents, FilterBar(), BackgroundTasks(), False, lambda _t: None,
                          lambda _t, _ms: None, "test", signatures=state_registry.signatures.states)
    qtbot.addWidget(books.tabs)
    books.tabs.show()
    with qtbot.waitSignal(books.loaded, timeout=5000):
        books.reload_all()
    page = books.pages[0]
    model, header = page.model, page.view.horizontalHeader()
    column = model.columns.index(SIGNATURE_COLUMN)
    reference = next(i for i, c in enumerate(model.columns) if c.title == "Số, ký hiệu văn bản")
    assert header.visualIndex(column) == header.visualIndex(reference) + 1
    cells = {model.data(model.index(r, reference)): model.index(r, column) for r in range(model.rowCount())}
    good, bad, bare = cells["12/SYT-VP"], cells["13/SYT-VP"], cells["14/SYT-VP"]
    assert good.data() == "✔" and good.data(Qt.ItemDataRole.ToolTipRole) == STATUS_LABELS["valid"]
    assert good.data(Qt.ItemDataRole.ForegroundRole).color() == QColor(GREEN)
    assert bad.data() == "✖" and bad.data(Qt.ItemDataRole.ToolTipRole) == STATUS_LABELS["invalid"]
    assert bad.data(Qt.ItemDataRole.ForegroundRole).color() == QColor(RED)
    assert bare.data() is None and bare.data(Qt.ItemDataRole.ToolTipRole) is None
    books.tabs.resize(1100, 220)
    books.tabs.grab().save("/tmp/ui19_table.png")

    # A click on the column's header sorts nothing and leaves the arrow where the rows are sorted.
    asked: list[tuple[str, bool]] = []
    model.sort_requested.connect(lambda key, desc: asked.append((key, desc)))
    number = next(i for i, c in enumerate(model.columns) if c.sort_key == "number")
    header.setSortIndicator(column, Qt.SortOrder.AscendingOrder)  # as a click does
    assert asked == [] and header.sortIndicatorSection() == number
    model.sort(column, Qt.SortOrder.DescendingOrder)
    assert asked == []
    header.setSortIndicator(reference, Qt.SortOrder.AscendingOrder)  # the other columns still sort
    assert asked == [("reference", False)]


def test_signature_states_fetched_once_per_block_and_dropped_with_it() -> None:
    calls: list[list[int]] = []

    def states(ids):  # type: ignore[no-untyped-def]
        calls.append(list(ids))
        return {i: "valid" for i in ids if i % 2}

    model = DocumentTableModel(Direction.INCOMING, lambda ids: [_Fake(i) for i in ids], None, states)  # type: ignore[arg-type, misc]
    model.set_ids(list(range(1, 251)))
    column = model.columns.index(SIGNATURE_COLUMN)
    for row in (0, 1, 2, 99, 150, 101):
        model.data(model.index(row, column))
    assert [len(c) for c in calls] == [BLOCK, BLOCK] and calls[1][0] == BLOCK + 1
    assert model.data(model.index(0, column)) == "✔" and model.data(model.index(1, column)) is None
    model.refresh(2)  # an attachment changed: its block is read again, states with it
    model.data(model.index(1, column))
    assert len(calls) == 3 and calls[2][0] == 1


class _Fake:
    """A record with only what the model reads for the signature column (and its caching: the id)."""

    def __init__(self, doc_id: int) -> None:
        self.id = doc_id

    def is_overdue(self, _today: object) -> bool:
        return False


def test_the_main_window_wires_the_signature_column(registry, qtbot) -> None:  # type: ignore[no-untyped-def]
    """The running window's tables ask the register for the signature states (not only a test-built model)."""
    from app.ui.main_window import MainWindow

    window = MainWindow(registry)
    qtbot.addWidget(window)
    assert window.books.pages and all(page.model.signatures == registry.signatures.states
                                      for page in window.books.pages)
