"""Cài đặt → Sao lưu, neo nhật ký: the anchor folder is chosen, refused with its reason, and anchored at once."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt

from app.core.records import IncomingInput
from app.services import Registry
from app.ui.settings.safekeeping import ANCHOR, ERROR_STYLE, OK_STYLE, SafekeepingPage
from app.ui.settings_dialog import SettingsDialog


def test_the_anchor_folder_is_set_refused_and_written(qtbot, registry: Registry,  # type: ignore[no-untyped-def]
                                                      tmp_path: Path) -> None:
    registry.documents.register_incoming(IncomingInput(
        issuer="SỞ Y TẾ", reference="5/UBND-VP", issued_on="05/03/2024", received_on="05/03/2024",
        doc_type="Công văn", subject="Về tiêm chủng"))
    dialog = SettingsDialog(registry)
    qtbot.addWidget(dialog)
    page = dialog.safekeeping_page
    assert isinstance(page, SafekeepingPage)
    dialog.tabs.setCurrentWidget(page)
    assert page.status.text().startswith("Mã kiểm tra nhật ký hiện tại: #")

    page.folder.setText(str(tmp_path / "khong-co"))
    qtbot.keyClick(page.folder, Qt.Key.Key_Return)
    assert "không có thư mục" in page.form.error_label(ANCHOR).text()
    assert registry.settings.all()[ANCHOR] == ""

    usb = tmp_path / "usb"
    usb.mkdir()
    page.folder.setText(str(usb))
    page.save_button.click()
    assert registry.settings.all()[ANCHOR] == str(usb)
    files = list(usb.glob("so-van-thu-neo-*.json"))  # nothing yet: the page does not write on save
    assert files == []
    page.anchor_button.click()
    assert page.status.styleSheet() == OK_STYLE and page.status.text().startswith("Đã ghi neo nhật ký #")
    (written,) = usb.glob("so-van-thu-neo-*.json")
    head = registry.anchors.head()
    assert json.loads(written.read_text(encoding="utf-8"))["anchors"][-1]["last_hash"] == head.last_hash
    page.anchor_button.click()
    assert page.status.text().startswith("Tệp neo đã có đầu chuỗi hiện tại")

    written.write_text("hỏng", encoding="utf-8")
    page.anchor_button.click()
    assert page.status.styleSheet() == ERROR_STYLE and "JSON" in page.status.text()
