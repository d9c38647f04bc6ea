"""The audit trail window: shows the events, filters them, pages through them and checks the hash chain."""

from __future__ import annotations

import sqlite3

from app.core.records import IncomingInput
from app.services import Registry
from app.ui import audit_dialog
from app.ui.audit_dialog import AuditDialog
from app.ui.main_window import MainWindow


def incoming(ref: str) -> IncomingInput:
    return IncomingInput(issuer="SỞ Y TẾ", reference=ref, issued_on="05/03/2024", received_on="05/03/2024",
                         doc_type="Công văn", subject=f"Văn bản {ref}")


def column(dialog: AuditDialog, index: int) -> list[str]:
    return [dialog.table.item(row, index).text() for row in range(dialog.table.rowCount())]


def wait_verified(qtbot, dialog: AuditDialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: dialog.verify_button.isEnabled() and not dialog.tasks.busy(), timeout=10_000)


def test_shows_filters_and_verifies(qtbot, state_registry: Registry, db_path) -> None:  # type: ignore[no-untyped-def]
    first = state_registry.documents.register_incoming(incoming("1/UBND-VP")).id
    second = state_registry.documents.register_incoming(incoming("2/UBND-VP")).id
    state_registry.documents.update(first, {"subject": "Trích yếu mới"})
    state_registry.documents.cancel(second, "Vào sổ nhầm")
    dialog = AuditDialog(state_registry)
    qtbot.addWidget(dialog)
    assert not dialog.isModal() and dialog.windowTitle() == "Nhật ký thay đổi"
    total = state_registry.audit.count()
    assert dialog.table.rowCount() == total and dialog.page_label.text() == f"Mục 1–{total} / {total}"
    assert column(dialog, 2)[:2] == ["Hủy văn bản", "Sửa"]
    assert "Trích yếu mới" in column(dialog, 4)[1] and column(dialog, 3)[1] == f"Văn bản mã {first}"
    assert "Đổi cài đặt" in column(dialog, 2)

    dialog.document.setText(str(first))
    dialog.search()
    assert column(dialog, 2) == ["Sửa", "Vào sổ"]
    dialog.action.setCurrentIndex(dialog.action.findData("create"))
    dialog.search()
    assert column(dialog, 2) == ["Vào sổ"]
    dialog.clear_filters()
    dialog.actor.setText("không_ai")
    dialog.search()
    assert dialog.table.rowCount() == 0 and dialog.message.text() == "Không có mục nào khớp bộ lọc."
    dialog.actor.clear()
    dialog.date_from.setText("32/01/2026")
    dialog.search()
    assert dialog.message.text().startswith("Từ ngày:")
    dialog.date_from.setText("01/01/2000")
    dialog.date_to.setText("31/12/2000")
    dialog.search()
    assert dialog.table.rowCount() == 0

    dialog.verify_button.click()
    wait_verified(qtbot, dialog)
    assert dialog.verify_result.text().startswith(f"Nhật ký nguyên vẹn: {total} mục")

    con = sqlite3.connect(db_path)
    con.execute("DROP TRIGGER audit_no_update")
    con.execute("UPDATE audit_events SET actor = 'ke_gian' WHERE id = 2")
    con.commit()
    con.close()
    dialog.verify_button.click()
    wait_verified(qtbot, dialog)
    assert dialog.verify_result.text().startswith("Nhật ký bị sửa tại mục #2:")


def test_pages_through_a_long_log(qtbot, registry: Registry, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(audit_dialog, "PAGE_SIZE", 4)
    for i in range(10):
        registry.settings.set("agency.place", f"Nơi {i}")
    dialog = AuditDialog(registry)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 4 and not dialog.previous.isEnabled() and dialog.next.isEnabled()
    newest = column(dialog, 4)
    dialog.next.click()
    assert dialog.page_label.text() == "Mục 5–8 / 10" and column(dialog, 4) != newest
    dialog.next.click()
    assert dialog.table.rowCount() == 2 and not dialog.next.isEnabled()
    dialog.previous.click()
    assert dialog.page_label.text() == "Mục 5–8 / 10"


def test_main_window_opens_one_audit_window(qtbot, state_registry: Registry) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(state_registry)
    qtbot.addWidget(window)
    window.wait_loaded()
    actions = [a for a in window.findChildren(type(window.actions()[0])) if a.text() == "Nhật ký thay đổi…"]
    assert len(actions) == 1
    actions[0].trigger()
    first = window.audit_window
    assert first.isVisible() and not first.isModal()
    state_registry.settings.set("agency.place", "Tây Ninh")
    first.close()
    window.open_audit()
    assert window.audit_window is first and "Tây Ninh" in " ".join(column(first, 4))
    first.close()


def test_on_open_the_chain_is_held_against_the_newest_backup(qtbot, state_registry: Registry,  # type: ignore[no-untyped-def]
                                                             db_path) -> None:
    state_registry.documents.register_incoming(incoming("7/UBND-VP"))
    dialog = AuditDialog(state_registry)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "Chưa có bản sao lưu" in dialog.anchor_result.text(), timeout=10_000)
    dialog.close()

    assert state_registry.backups.auto() is not None  # today's copy in backups/ beside the register
    state_registry.documents.register_incoming(incoming("8/UBND-VP"))
    dialog = AuditDialog(state_registry)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "nối tiếp" in dialog.anchor_result.text(), timeout=10_000)
    assert dialog.anchor_result.styleSheet() == audit_dialog.OK_STYLE
    dialog.close()

    # Someone with the file cuts the newest events (guards dropped): the window says so on its next open.
    with sqlite3.connect(db_path) as conn:
        conn.execute("DROP TRIGGER IF EXISTS audit_no_delete")
        first_lost = conn.execute("SELECT min(id) FROM audit_events WHERE action = 'create' AND entity = 'document'"
                                  ).fetchone()[0]
        conn.execute("DELETE FROM audit_events WHERE id >= ?", (first_lost,))
    dialog = AuditDialog(state_registry)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "đã mất" in dialog.anchor_result.text(), timeout=10_000)
    assert dialog.anchor_result.styleSheet() == audit_dialog.ERROR_STYLE
    assert f"từ mục #{first_lost} trở đi" in dialog.anchor_result.text()
    dialog.close()
