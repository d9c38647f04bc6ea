"""The sort arrow on Số đến points the way the rows run: down while the newest (largest) number is on top."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from app.core.records import IncomingInput
from app.services import Registry
from app.ui.main_window import MainWindow


def _arrow_widths(image: QImage, left: int, right: int) -> list[int]:
    """Dark pixels per row in the right end of a header section, top to bottom, rows without any left out."""
    widths = []
    for y in range(image.height()):
        dark = sum(1 for x in range(left, right) if image.pixelColor(x, y).lightness() < 140)
        if dark:
            widths.append(dark)
    return widths


def _points_down(window: MainWindow) -> bool:
    header = window.page.view.horizontalHeader()
    section = next(i for i, c in enumerate(window.page.model.columns) if c.sort_key == "number")
    image = header.grab().toImage()
    x = header.sectionViewportPosition(section) + header.sectionSize(section)
    widths = _arrow_widths(image, x - 14, x - 2)  # where the style draws the arrow, right of the title
    assert len(widths) >= 3, widths
    return widths[0] > widths[-1]  # wide at the top: ▼


def test_sort_arrow_points_down_for_newest_first(qtbot, state_registry: Registry) -> None:  # type: ignore[no-untyped-def]
    for i in range(3):
        state_registry.documents.register_incoming(IncomingInput(
            issuer="Sở Y tế tỉnh Tây Ninh", reference=f"{i + 1}/SYT-VP", issued_on="01/12/2026",
            received_on="02/12/2026", doc_type="Công văn", subject="Phòng chống dịch"))
    window = MainWindow(state_registry)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.wait_loaded()
    header = window.page.view.horizontalHeader()
    section = next(i for i, c in enumerate(window.page.model.columns) if c.sort_key == "number")
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert [window.page.model.index(r, section).data() for r in range(3)] == ["3", "2", "1"]
    assert _points_down(window)
    header.setSortIndicator(section, Qt.SortOrder.AscendingOrder)  # as a click on the header does
    window.wait_loaded()
    assert [window.page.model.index(r, section).data() for r in range(3)] == ["1", "2", "3"]
    assert not _points_down(window)
