"""The registration dialog filled from the document's text: highlighted fields, links shown, saved with links."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtWidgets import QApplication

from app.core.enums import Direction
from app.services import Registry
from app.ui.register_dialog import RegisterDialog
from tests.ui.keyboard import key

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
    assert dialog.value("reference") == "3646/SYT-VP" and dialog.value("issuer") == "SỞ Y TẾ"
    assert dialog.value("issued_on") == "24/10/2023" and dialog.value("doc_type") == "Công văn"
    assert dialog.value("subject").startswith("Tham mưu thực hiện Thông báo số 1737-TB/VPTU")
    assert set(fill.pending()) >= {"issuer", "reference", "issued_on", "doc_type", "subject"}
    assert fill.links.isVisible() and "5068/UBND-TH" in fill.links.text()
    for _ in range(3):  # the clerk passes through the first fields: they are confirmed
        key(Qt.Key.Key_Tab)
    assert "issuer" not in fill.pending() and "reference" not in fill.pending()
    dialog.inputs["received_on"].setText("24/10/2023")
    record = dialog.save(close=False)
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
