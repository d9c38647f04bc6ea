"""The main window shows the register of the chosen year with the paper register's columns."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from app.core.enums import Direction
from app.core.records import IncomingInput, OutgoingInput
from app.services import Registry
from app.ui.main_window import MainWindow


def test_window_lists_each_years_register(qtbot, state_registry: Registry) -> None:  # type: ignore[no-untyped-def]
    for i, (received, urgency) in enumerate([("02/01/2023", None), ("03/01/2023", "Hỏa tốc"),
                                             ("04/01/2024", None)], start=1):
        state_registry.register_incoming(IncomingInput(
            issuer="ỦY BAN NHÂN DÂN TỈNH TÂY NINH", reference=f"{i}/UBND-TH", issued_on=received,
            received_on=received, doc_type="Công văn", subject=f"Đề nghị số {i}", urgency=urgency))
    first = state_registry.find(Direction.INCOMING, 1, 2023)
    state_registry.cancel(first.id, "Vào sổ nhầm")
    state_registry.register_outgoing(OutgoingInput(doc_type="Quyết định", subject="Khen thưởng",
                                                   signer="Trương Văn Hùng", signed_on="05/01/2023"))

    window = MainWindow(state_registry)
    qtbot.addWidget(window)
    window.year.setValue(2023)
    incoming = window.models[Direction.INCOMING]
    headers = [incoming.headerData(c, Qt.Orientation.Horizontal) for c in range(incoming.columnCount())]
    assert headers[:6] == ["Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu văn bản", "Ngày tháng văn bản",
                           "Tên loại và trích yếu nội dung văn bản"]
    assert incoming.rowCount() == 2
    assert incoming.data(incoming.index(0, 1)) == "1"
    assert incoming.data(incoming.index(0, 2)) == "ỦY BAN NHÂN DÂN TỈNH TÂY NINH"
    assert incoming.data(incoming.index(0, 7)) == "ĐÃ HỦY — Vào sổ nhầm"
    assert incoming.data(incoming.index(0, 1), Qt.ItemDataRole.FontRole).strikeOut()
    assert incoming.data(incoming.index(1, 6)) == "Hỏa tốc"
    assert incoming.data(incoming.index(1, 0), Qt.ItemDataRole.ForegroundRole) is not None
    outgoing = window.models[Direction.OUTGOING]
    assert outgoing.data(outgoing.index(0, 0)) == "01/QĐ-SYT"
    assert "Văn bản đến: 2" in window.statusBar().currentMessage()
    assert "SỞ Y TẾ TỈNH TÂY NINH" in window.windowTitle()

    window.year.setValue(2024)
    assert incoming.rowCount() == 1 and incoming.data(incoming.index(0, 3)) == "3/UBND-TH"
    assert outgoing.rowCount() == 0
    assert isinstance(window.tabs.widget(0), QTableView)
