"""The registration dialog filled from the document's text: highlighted fields, links shown, saved with links."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, Qt, QTimer, QUrl
from PySide6.QtWidgets import QApplication, QMessageBox

from app.core.dates import format_date, today
from app.core.enums import Direction
from app.core.records import IncomingInput
from app.services import Registry
from app.ui.register_dialog import RegisterDialog
from tests.ui.keyboard import focused, key, press, typed

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"
CHAIN = SAMPLES / "incoming_forward_chain.txt"
pytestmark = pytest.mark.skipif(not CHAIN.exists(), reason=f"shared samples not found at {SAMPLES}")


@pytest.fixture
def dialog(qtbot, state_registry: Registry) -> RegisterDialog:  # type: ignore[no-untyped-def]
    d = RegisterDialog(state_registry, Direction.INCOMING)
    qtbot.addWidget(d)
    d._confirm_discard = lambda: True  # type: ignore[method-assign]
    d.show()
    d.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    return d


def test_paste_fills_highlights_shows_links_and_saves_with_them(dialog: RegisterDialog,
                                                                 state_registry: Registry) -> None:
    QApplication.clipboard().setText(CHAIN.read_text(encoding="utf-8"))
    key(Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    fill = dialog.text_fill
    assert fill is not None and fill.extraction is not None
    assert dialog.value("reference") == "3646/SYT-VP" and dialog.value("issuer") == "Sở Y tế tỉnh Tây Ninh"
    assert dialog.value("issued_on") == "24/10/2023" and dialog.value("doc_type") == "Công văn"
    assert dialog.value("subject").startswith("Tham mưu thực hiện Thông báo số 1737-TB/VPTU")
    assert set(fill.pending()) >= {"issuer", "reference", "issued_on", "doc_type", "subject"}
    assert fill.links.isVisible() and "5068/UBND-TH" in fill.links.text()
    for _ in range(3):  # the clerk passes through the first fields: they are confirmed
        key(Qt.Key.Key_Tab)
    assert "issuer" not in fill.pending() and "reference" not in fill.pending()
    dialog.inputs["received_on"].setText("24/10/2023")
    record = dialog.save(close=False)  # called directly: the question belongs to the keys and buttons
    assert record is not None and record.reference == "3646/SYT-VP"
    saved = state_registry.documents.get(record.id)
    assert {link.target_reference for link in saved.links} >= {"5068/UBND-TH"}
    assert fill.extraction is None and not fill.pending()  # the next document starts clean


def test_dropping_a_file_fills_the_form(dialog: RegisterDialog) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(CHAIN))])
    assert dialog.text_fill is not None and dialog.text_fill.accepts(mime)
    assert dialog.text_fill.from_mime(mime)
    assert dialog.value("reference") == "3646/SYT-VP"


# issue 21 item 5: what is read reaches the clerk
CLOSING = "nghiêm túc triển khai thực hiện./."
WITH_DEADLINE = "nghiêm túc triển khai thực hiện, báo cáo kết quả về Sở Y tế trước ngày 15/11/2023./."
CTRL = Qt.KeyboardModifier.ControlModifier


def paste_chain(deadline: bool = True) -> None:
    text = CHAIN.read_text(encoding="utf-8")
    QApplication.clipboard().setText(text.replace(CLOSING, WITH_DEADLINE, 1) if deadline else text)
    key(Qt.Key.Key_V, CTRL | Qt.KeyboardModifier.ShiftModifier)


def answer_question(answers: list[str], asked: list[str], not_again: bool = False) -> None:
    """The unchecked-fields question answered by keys as the clerk does: Enter (the default, Quay lại) or L (the
    underlined letter of Lưu); Space on "Không hỏi lại" ticks it."""
    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        if not_again:
            press(box.checkBox(), Qt.Key.Key_Space)
            assert box.checkBox().isChecked()
        box.grab().save("/tmp/text-fill-question.png")
        if answers.pop(0) == "save":
            press(box, Qt.Key.Key_L)
        else:
            press(box, Qt.Key.Key_Return)
    QTimer.singleShot(0, answer)


def test_the_bundle_reaches_the_clerk_full_issuer_nested_links_deadline_stamp_and_one_question(
        qtbot, dialog: RegisterDialog, state_registry: Registry, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    paste_chain()
    fill = dialog.text_fill
    assert fill is not None and fill.extraction is not None
    assert dialog.value("issuer") == "Sở Y tế tỉnh Tây Ninh"  # not the bare "SỞ Y TẾ" of the second line
    assert "«UBND TỈNH TÂY NINH / SỞ Y TẾ»" in dialog.inputs["issuer"].toolTip()
    assert dialog.value("due_on") == "15/11/2023"  # Hạn giải quyết, from "trước ngày 15/11/2023"
    assert {"issuer", "due_on"} <= set(fill.pending())  # yellow, to be checked
    assert dialog.value("received_on") == format_date(today())  # the paper's ĐẾN 24/10/23 is not ours
    stamp = "Dấu ĐẾN của nơi nhận trước: số 1363, ngày 24/10/2023"
    assert stamp in dialog.message.text() and stamp in fill.links.text()
    rows = fill.link_rows
    start = rows.index((0, "Liên kết sẽ tạo khi vào sổ:"))
    assert rows[start + 1] == (0, "3646/SYT-VP (văn bản này)")
    assert [(depth, text.split(" ngày")[0]) for depth, text in rows[start + 2:]] == [
        (1, "└ Sao gửi / chuyển tiếp: 5068/UBND-TH"),
        (2, "└ Sao gửi / chuyển tiếp: 1737-TB/VPTU"),  # the Tỉnh ủy notice under the UBND letter forwarding it
        (1, "└ Căn cứ / viện dẫn: 1737-TB/VPTU")]
    assert 'margin: 0 0 0 48px">└ Sao gửi / chuyển tiếp: 1737-TB/VPTU' in fill.links.text()  # shown indented
    dialog.grab().save("/tmp/text-fill-chain.png")

    key(Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)  # Giờ đến
    key(Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)  # Ngày đến: its text selected, typing replaces it
    typed("251023", then=Qt.Key.Key_Tab)
    assert dialog.value("received_on") == "25/10/2023"
    assert focused() is dialog.inputs["received_at"]
    unchecked = fill.unchecked()
    asked: list[str] = []
    answer_question(["back"], asked)
    key(Qt.Key.Key_Return, CTRL)
    # the issuer, where the cursor was, is passed through (confirmed); the others the clerk never looked at
    assert unchecked == ["reference", "issued_on", "doc_type", "subject", "due_on"]
    assert asked == ["Còn 5 trường chưa kiểm tra — vẫn lưu?"]
    assert state_registry.documents.next_incoming_number(today(), False) == 1  # nothing saved
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.inputs["reference"])  # the first yellow one

    key(Qt.Key.Key_Tab)  # the clerk checks the số, ký hiệu and moves on: one fewer to ask about
    answer_question(["save"], asked, not_again=True)
    key(Qt.Key.Key_Return, CTRL)
    assert asked[1:] == ["Còn 4 trường chưa kiểm tra — vẫn lưu?"]
    qtbot.waitUntil(lambda: not dialog.isVisible())  # Lưu is clicked as a key press shows it, then saved
    assert dialog.result() == 1 and not dialog.isVisible(), dialog.message.text()
    assert state_registry.settings.all()["form.ask_unchecked"] == "0"  # "Không hỏi lại" kept in the register

    with closing(sqlite3.connect(db_path)) as db:  # what the register file holds
        (doc_id, number, received, due, issuer), = db.execute(
            "SELECT d.id, d.number, d.received_on, d.due_on, o.name FROM documents d "
            "JOIN organizations o ON o.id = d.issuer_id WHERE d.reference = '3646/SYT-VP'").fetchall()
        made = db.execute("SELECT source_id, link_type, target_id, target_reference FROM document_links "
                          "ORDER BY id").fetchall()
    assert (number, received, due, issuer) == (1, "2023-10-25", "2023-11-15", "Sở Y tế tỉnh Tây Ninh")
    assert {(kind.lower(), ref) for source, kind, _target, ref in made if source == doc_id} == {
        ("forwards", "5068/UBND-TH"), ("cites", "1737-TB/VPTU")}  # 1737 is forwarded by 5068, not by this one
    assert all(source == doc_id for source, *_rest in made)  # 5068 is not in the register: no entry to hold it


def test_with_the_forwarded_letter_registered_saving_links_it_to_the_notice_without_asking(
        qtbot, state_registry: Registry, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    state_registry.settings.set("form.ask_unchecked", "0")
    ubnd = state_registry.documents.register_incoming(IncomingInput(
        issuer="UBND tỉnh Tây Ninh", reference="5068/UBND-TH", issued_on="28/09/2023", received_on="29/09/2023",
        doc_type="Công văn", subject="Tham mưu thực hiện kết luận của BCH Đảng bộ tỉnh"))
    d = RegisterDialog(state_registry, Direction.INCOMING)
    qtbot.addWidget(d)
    d.show()
    d.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    paste_chain(deadline=False)
    assert d.value("due_on") == ""  # the sample itself states no deadline
    assert d.text_fill is not None and "→ 5068/UBND-TH" in d.text_fill.links.text()
    key(Qt.Key.Key_Return, CTRL)  # the setting is off: saved at once, yellow fields and all
    assert d.result() == 1 and not d.isVisible(), d.message.text()
    with closing(sqlite3.connect(db_path)) as db:
        made = db.execute("SELECT source_id, link_type, target_id, target_reference FROM document_links "
                          "WHERE link_type = 'FORWARDS' OR link_type = 'forwards' ORDER BY id").fetchall()
    assert d.last_record is not None and d.last_record.reference == "3646/SYT-VP"
    cover = d.last_record.id
    assert [(source, target, ref) for source, _kind, target, ref in made] == [
        (cover, ubnd.id, None), (ubnd.id, None, "1737-TB/VPTU")]  # each forwards its own parent
