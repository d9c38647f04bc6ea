"""A clerk's session in the main window, keyboard only: register ten documents, find one without marks, see its
forwarding chain, cancel an entry — checked against the register file."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from app.core.dates import format_date, today
from app.core.enums import Direction, LinkType
from app.core.records import DocumentQuery
from app.services import Registry
from app.ui.main_window import MainWindow
from app.ui.register_dialog import RegisterDialog
from tests.ui.keyboard import focused, key, type_text, typed

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
def has_focus(window: QWidget) -> bool:
    widget = QApplication.focusWidget()
    return widget is not None and widget.window() is window


ISSUERS = ["Văn phòng Tỉnh ủy Tây Ninh", "UBND tỉnh Tây Ninh", "Bộ Y tế", "Sở Nội vụ tỉnh Tây Ninh",
           "Đảng ủy Khối các cơ quan tỉnh"]


def test_ten_documents_by_keyboard_then_find_link_and_cancel(qtbot, state_registry: Registry) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(state_registry)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    window.wait_loaded()

    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)  # Ctrl+N: the incoming registration dialog
    dialog = window.dialog
    assert isinstance(dialog, RegisterDialog)
    dialog._confirm_discard = lambda: True  # type: ignore[method-assign]
    dialog.activateWindow()
    qtbot.waitUntil(lambda: has_focus(dialog))
    issued = format_date(today())
    for i in range(10):
        qtbot.waitUntil(lambda: has_focus(dialog))
        typed(ISSUERS[i % len(ISSUERS)])
        typed(f"{100 + i}/{'TB-VPTU' if i == 0 else 'VP'}")
        typed(issued)
        typed("Thông báo" if i == 0 else "Công văn")
        type_text(focused(), f"Về việc triển khai đợt {i + 1} tiêm chủng mở rộng" if i else
                  "Kết luận của Thường trực Tỉnh ủy về phòng, chống dịch")
        key(Qt.Key.Key_Return, CTRL | SHIFT if i < 9 else CTRL)  # Lưu và nhập tiếp … then Lưu
    qtbot.waitUntil(lambda: window.dialog is None)
    window.wait_loaded()
    numbers = [d.number for d in state_registry.documents.search(DocumentQuery(year=today().year, descending=False))]
    assert numbers == list(range(1, 11))
    assert window.pages[0].model.rowCount() == 10
    assert window.detail.doc_id == state_registry.documents.find(Direction.INCOMING, 10,
                                                                 today().year).id  # the last saved

    # Find the Tỉnh ủy notice by typing a few words without marks.
    qtbot.keyClick(window, Qt.Key.Key_F, CTRL)
    assert QApplication.focusWidget() is window.filters.search
    with qtbot.waitSignal(window.loaded, timeout=5000):
        type_text(window.filters.search, "thuong truc tinh uy")
    window.wait_loaded()
    notice = state_registry.documents.find(Direction.INCOMING, 1, today().year)
    assert window.pages[0].model.ids == [notice.id] and window.detail.doc_id == notice.id

    # A forwarding chain: số đến 2 forwards số đến 1; the detail pane of số đến 2 shows it.
    second = state_registry.documents.find(Direction.INCOMING, 2, today().year)
    state_registry.links.add(second.id, LinkType.FORWARDS, notice.id)
    window.select_document(second.id)
    window.wait_loaded()
    assert window.detail.doc_id == second.id
    labels = []
    item = window.detail.links.topLevelItem(0)
    while item is not None:
        labels.append(item.text(0))
        item = item.child(0) if item.childCount() else None
    assert any("100/TB-VPTU" in label for label in labels), labels

    # Cancel số đến 2 from the keyboard: Ctrl+Del, type the reason, Ctrl+Enter.
    window.pages[0].view.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_Delete, CTRL)
    cancel = window.detail.dialog
    assert cancel is not None
    cancel.activateWindow()
    qtbot.waitUntil(lambda: has_focus(cancel))
    type_text(focused(), "Vào sổ nhầm, trùng số đến 3")
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: state_registry.documents.get(second.id).cancelled, timeout=3000)
    assert state_registry.documents.get(second.id).cancel_reason == "Vào sổ nhầm, trùng số đến 3"
    window.wait_loaded()
    model = window.pages[0].model
    row = model.row_of(second.id)
    assert row >= 0 and model.index(row, 1).data(Qt.ItemDataRole.FontRole).strikeOut()
