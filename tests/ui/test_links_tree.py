"""No row of the Liên kết tree is lost at a narrow pane's edge: each row's whole text is in its tooltip."""

from __future__ import annotations

from PySide6.QtWidgets import QTreeWidgetItem

from app.core.enums import Direction, LinkType
from app.core.records import IncomingInput
from app.services import Registry
from app.ui.main_window import MainWindow

LONG = "Ban Chỉ đạo phòng, chống dịch bệnh truyền nhiễm và các bệnh nguy hiểm mới nổi tỉnh Tây Ninh"


def _rows(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    return [item, *(row for i in range(item.childCount()) for row in _rows(item.child(i)))]


def test_every_links_row_has_its_whole_text_in_a_tooltip(qtbot, state_registry: Registry) -> None:  # type: ignore[no-untyped-def]
    ids = []
    for i, issuer in enumerate((LONG, "Ủy ban nhân dân tỉnh Tây Ninh", "Sở Y tế tỉnh Tây Ninh")):
        ids.append(state_registry.documents.register_incoming(IncomingInput(
            issuer=issuer, reference=f"{i + 10}/VP", issued_on="01/12/2026", received_on="02/12/2026",
            doc_type="Công văn", subject="Phòng chống dịch")).id)
    state_registry.links.add(ids[1], LinkType.FORWARDS, ids[0])
    state_registry.links.add(ids[2], LinkType.FORWARDS, ids[1])
    window = MainWindow(state_registry)
    qtbot.addWidget(window)
    window.resize(1000, 700)
    window.show()
    window.wait_loaded()
    window.select_document(state_registry.documents.find(Direction.INCOMING, 3, 2026).id)
    window.wait_loaded()
    tree = window.detail.links
    rows = [row for i in range(tree.topLevelItemCount()) for row in _rows(tree.topLevelItem(i))]
    assert len(rows) == 3
    for row in rows:
        for line in row.text(0).split("\n"):
            assert line.removeprefix("Sao gửi / chuyển tiếp: ").removesuffix(" (văn bản này)") in row.toolTip(0)
    assert any(LONG in row.toolTip(0) for row in rows)
