"""Saving a form read from text with yellow fields never checked: asked once, "Không hỏi lại" turns it off."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QCheckBox, QMessageBox, QWidget

from app.core.errors import VanThuError
from app.services import Registry
from app.services.settings import ASK_UNCHECKED

log = logging.getLogger(__name__)

SAVE, BACK, NOT_AGAIN = "&Lưu", "&Quay lại", "&Không hỏi lại"


def wants_question(registry: Registry) -> bool:
    """Whether the register asks (the setting, on unless turned off); an unreadable setting asks."""
    try:
        return registry.settings.all().get(ASK_UNCHECKED, "1") != "0"
    except VanThuError:
        return True


def ask_unchecked(parent: QWidget, registry: Registry, labels: Sequence[str],
                  said: Callable[[str, str], object]) -> bool:
    """True to save. Enter and Escape go back (the safe answer); ticking "Không hỏi lại" stores the setting, and
    says so through `said` when this account may not change settings."""
    box = QMessageBox(QMessageBox.Icon.Question, parent.windowTitle(),
                      f"Còn {len(labels)} trường chưa kiểm tra — vẫn lưu?", parent=parent)
    box.setInformativeText("Các trường tô vàng đọc từ văn bản, chưa đi qua để đối chiếu với bản giấy: "
                           f"{', '.join(labels)}.")
    go = box.addButton(SAVE, QMessageBox.ButtonRole.AcceptRole)
    back = box.addButton(BACK, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(back)
    box.setEscapeButton(back)
    not_again = QCheckBox(NOT_AGAIN, box)  # held here: a temporary's wrapper would be collected under the box
    not_again.setToolTip("Không hỏi câu này khi lưu nữa (bật lại: settings set form.ask_unchecked 1)")
    box.setCheckBox(not_again)
    box.exec()
    if not_again.isChecked():
        try:
            registry.settings.set(ASK_UNCHECKED, "0")
        except VanThuError as exc:  # e.g. an account without the right to change settings: still asked next time
            log.info("form.ask_unchecked not stored: %s", exc)
            said(f"Chưa lưu được lựa chọn «Không hỏi lại»: {exc}", "error")
    return box.clickedButton() is go
