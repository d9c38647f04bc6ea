"""The main window: the registers as big id-backed tables, search without marks, filters, sort, selection."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester

import app
from app.core.dates import today
from app.core.enums import Direction
from app.core.records import DocumentQuery, IncomingInput, OutgoingInput
from app.services import Registry
from app.ui.document_table_model import BLOCK, DOC_ID_ROLE, DocumentTableModel
from app.ui.main_window import FIRST_PAGE, MainWindow
from tests.ui.keyboard import type_text


def _fill(reg: Registry) -> None:
    for i, (received, urgency, issuer, subject) in enumerate([
        ("02/01/2023", None, "ỦY BAN NHÂN DÂN TỈNH TÂY NINH", "Đề nghị báo cáo"),
        ("03/01/2023", "Hỏa tốc", "Đảng ủy Khối các cơ quan tỉnh", "Thông báo kết luận hội nghị"),
        ("04/01/2023", None, "Bộ Y tế", "Phòng chống sốt xuất huyết"),
        ("04/01/2024", None, "Bộ Y tế", "Kế hoạch năm 2024"),
    ], start=1):
        reg.documents.register_incoming(IncomingInput(issuer=issuer, reference=f"{i}/UBND-TH", issued_on=received,
                                            received_on=received, doc_type="Công văn", subject=subject,
                                            urgency=urgency))
    reg.documents.cancel(reg.documents.find(Direction.INCOMING, 1, 2023).id, "Vào sổ nhầm")
    reg.documents.register_outgoing(OutgoingInput(doc_type="Quyết định", subject="Khen thưởng",
                                                  signer="Trương Văn Hùng",
                                        signed_on="05/01/2023"))


def _window(qtbot, reg: Registry, year: int | None = None) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(reg)
    qtbot.addWidget(window)
    window.show()
    window.wait_loaded()
    if year is not None:
        window.filters.set_years(reg.documents.years(), year)
        window.reload()
        window.wait_loaded()
    return window


def _column(window: MainWindow, title: str, tab: int = 0) -> list[str]:
    model = window.pages[tab].model
    col = next(i for i, c in enumerate(model.columns) if c.title == title)
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


def test_table_model_passes_qt_model_tester(qtbot, state_registry: Registry) -> None:  # type: ignore[no-untyped-def]
    _fill(state_registry)
    model = DocumentTableModel(Direction.INCOMING, state_registry.documents.records)
    tester = ModelTester(qtbot)
    tester.check(model, force_py=True)
    model.set_ids(state_registry.documents.search_ids(DocumentQuery(year=2023)))
    model.set_ids(state_registry.documents.search_ids(DocumentQuery(year=None)))  # extends: rows inserted, not reset
    model.sort(2, Qt.SortOrder.AscendingOrder)
    assert model.rowCount() == 4 and model.index(0, 0).data(DOC_ID_ROLE) is not None


def test_window_shows_the_paper_register_with_marks(qtbot, state_registry: Registry) -> None:  # type: ignore[no-untyped-def]
    _fill(state_registry)
    window = _window(qtbot, state_registry, 2023)
    model = window.pages[0].model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[:7] == ["Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu văn bản", "Ngày tháng văn bản",
                           "Tên loại và trích yếu nội dung văn bản", "Đơn vị hoặc người nhận"]
    assert _column(window, "Số đến") == ["3", "2", "1"]  # newest first
    assert _column(window, "Ghi chú")[2] == "ĐÃ HỦY — Vào sổ nhầm"
    assert model.index(2, 1).data(Qt.ItemDataRole.FontRole).strikeOut()
    assert model.index(1, 0).data(Qt.ItemDataRole.ForegroundRole) is not None  # hỏa tốc stands out
    assert model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is None
    assert window.count_label.text().startswith("Văn bản đến, năm 2023: 3 văn bản")
    types = [window.filters.doc_type.itemText(i) for i in range(window.filters.doc_type.count())]
    assert {"Công văn", "Quyết định"} <= set(types)  # the type filter offers the agency's list
    assert window.windowTitle() == f"Sổ Văn Thư {app.__version__} — SỞ Y TẾ TỈNH TÂY NINH"
    icon_sizes = {s.width() for s in window.windowIcon().availableSizes()}
    assert {16, 32, 48, 256} <= icon_sizes  # drawn at each size, not one picture scaled
    window.tabs.setCurrentIndex(1)
    window.wait_loaded()
    assert _column(window, "Số, ký hiệu văn bản", 1) == ["01/QĐ-SYT"]


def test_search_box_without_marks_filters_the_table(qtbot, state_registry: Registry) -> None:  # type: ignore[no-untyped-def]
    _fill(state_registry)
    window = _window(qtbot, state_registry, 2023)
    window.focus_search()
    assert QApplication.focusWidget() is window.filters.search
    with qtbot.waitSignal(window.loaded, timeout=5000):
        type_text(window.filters.search, "dang uy")
    window.wait_loaded()
    assert _column(window, "Tác giả") == ["Đảng ủy Khối các cơ quan tỉnh"]
    assert window.detail.doc_id == state_registry.documents.find(Direction.INCOMING, 2, 2023).id
    window.filters.search.clear()
    window.filters.issuer.setText("bo y te")
    with qtbot.waitSignal(window.loaded, timeout=5000):
        window.filters.changed.emit()
    window.wait_loaded()
    assert _column(window, "Số đến") == ["3"]
    window.filters.clear()
    window.filters.status.setCurrentIndex(window.filters.status.findData("cancelled"))
    window.wait_loaded()
    assert _column(window, "Số đến") == ["1"]


def test_clicking_a_header_sorts_in_the_database(qtbot, state_registry: Registry) -> None:  # type: ignore[no-untyped-def]
    _fill(state_registry)
    window = _window(qtbot, state_registry, 2023)
    header = window.pages[0].view.horizontalHeader()
    header.setSortIndicator(2, Qt.SortOrder.AscendingOrder)  # Tác giả, as a click does
    window.wait_loaded()
    names = _column(window, "Tác giả")
    assert names == sorted(names) and len(names) == 3


def test_extending_the_rows_refetches_the_block_that_was_short() -> None:
    fetched: list[list[int]] = []

    def fetch(ids):  # type: ignore[no-untyped-def]
        fetched.append(list(ids))
        return [_Fake(i) for i in ids]

    model = DocumentTableModel(Direction.INCOMING, fetch)  # type: ignore[arg-type]
    model.set_ids(list(range(1, 151)))
    assert model.record(149) is not None  # caches rows 100..149 of block 1
    model.set_ids(list(range(1, 251)))  # the rest of the list arrives
    assert model.record(180) is not None and model.record(180).id == 181  # type: ignore[union-attr]
    assert fetched[-1][0] == 101 and len(fetched[-1]) == BLOCK


class _Fake:
    """Only what record() caching looks at: the id."""

    def __init__(self, doc_id: int) -> None:
        self.id = doc_id


def test_reload_keeps_the_selected_entry(qtbot, state_registry: Registry) -> None:  # type: ignore[no-untyped-def]
    _fill(state_registry)
    window = _window(qtbot, state_registry, 2023)
    wanted = state_registry.documents.find(Direction.INCOMING, 2, 2023).id
    window.select_document(wanted)
    window.wait_loaded()
    assert window.selected_id() == wanted
    window.reload()
    window.wait_loaded()
    assert window.selected_id() == wanted and window.detail.doc_id == wanted
    window.filters.date_from.setFocus()
    window.filters.date_from.editingFinished.emit()  # leaving an empty date box changes nothing
    assert not window.tasks.busy()


@pytest.fixture(scope="module")
def big_register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "200k.sqlite3"
    reg = Registry(str(path), actor="test")
    reg.demo.fill(200_000, today().year, routed=False)  # volume is what this test is about
    reg.close()
    return path


def test_opening_200000_documents_reads_only_the_rows_drawn(qtbot, big_register: Path) -> None:  # type: ignore[no-untyped-def]
    reg = Registry(str(big_register), actor="test")
    try:
        window = MainWindow(reg)
        qtbot.addWidget(window)
        window.show()
        model = window.pages[0].model
        qtbot.waitUntil(lambda: model.rowCount() >= FIRST_PAGE, timeout=10_000)  # the first page comes alone
        window.grab()
        window.wait_loaded()
        assert model.rowCount() == 160_000  # every id of the year is known (80 % of them are incoming)
        window.grab()
        assert 1 <= model.fetches <= 3  # but only the blocks on screen were read
        assert len(model._blocks) * BLOCK < 1000
        first = model.record(0)
        assert first is not None and first.number == 160_000
        view = window.pages[0].view
        view.scrollToBottom()
        window.grab()
        last = model.record(model.rowCount() - 1)
        assert last is not None and last.number == 1
        assert model.fetches <= 6
    finally:
        reg.close()
