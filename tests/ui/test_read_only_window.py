"""The window on a register that cannot be written: a banner says so and why, and a save is refused with it."""

from __future__ import annotations

from pathlib import Path

from app.core.records import IncomingInput
from app.services import Registry
from app.ui.main_window import MainWindow
from tests.mounts import lock, tmpfs


def test_the_window_says_the_register_is_read_only(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with tmpfs(tmp_path / "usb") as disk:
        path = disk / "so.sqlite3"
        reg = Registry(str(path), actor="van_thu_test")
        reg.documents.register_incoming(IncomingInput(
            issuer="SỞ Y TẾ", reference="1/SYT-VP", issued_on="02/03/2026", received_on="03/03/2026",
            doc_type="Công văn", subject="Về việc tiêm chủng"))
        reg.close()
        lock(disk)
        reg = Registry(str(path), actor="van_thu_test")
        try:
            window = MainWindow(reg)
            qtbot.addWidget(window)
            window.show()
            window.wait_loaded()
            banner = window.read_only_banner
            assert banner.isVisible() and "CHỈ ĐỌC" in banner.text() and "chỉ cho phép đọc" in banner.text()
            assert window.books.page.model.rowCount() == 1  # the register reads as usual
            window.close()
        finally:
            reg.close()


def test_no_banner_on_a_register_that_can_be_written(qtbot, registry: Registry) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(registry)
    qtbot.addWidget(window)
    window.show()
    window.wait_loaded()
    assert not window.read_only_banner.isVisible()
    window.close()
