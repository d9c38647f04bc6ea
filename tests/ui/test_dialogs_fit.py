"""Issue 21 item 2: forms never overlap. Every window and dialog the menus open, every settings page and the
registration form with a pasted 3-level bundle and the duplicate banner are opened on a 1366×768 screen and on a
1280×720 screen at 125 % (dialog_fit_probe.py in a subprocess per screen): each fits the available area, and no
laid-out widget covers another, is cut by its parent or wraps taller than its room. The screenshots are kept in
$VANTHU_SCREENSHOTS when set (to be looked at), else in the test's temporary folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QApplication

from app.services import Registry
from app.ui.form_scroll import FormScroll
from tests.conftest import ROOT
from tests.ui.dialog_fit_probe import SAMPLE
from tests.ui.dialogs import open_incoming
from tests.ui.keyboard import focused, press

PROBE = Path(__file__).with_name("dialog_fit_probe.py")
SCREENS = [(1366, 768, "1"), (1280, 720, "1.25")]


@pytest.mark.parametrize(("width", "height", "scale"), SCREENS, ids=["1366x768", "1280x720-125"])
def test_every_dialog_fits_a_small_screen(tmp_path: Path, width: int, height: int, scale: str) -> None:
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"windowFrameMargins": True, "screens": [
        {"name": "screen", "x": 0, "y": 0, "width": width, "height": height, "logicalDpi": 96, "logicalBaseDpi": 96,
         "dpr": 1}]}), encoding="utf-8")
    shots = Path(os.environ.get("VANTHU_SCREENSHOTS") or tmp_path) / f"{width}x{height}@{scale}"
    shots.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}", "QT_SCALE_FACTOR": scale,
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, str(PROBE), str(tmp_path / "so.sqlite3"), str(shots)], capture_output=True,
                          text=True, encoding="utf-8", env=env, cwd=ROOT, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    shown = json.loads(done.stdout.strip().splitlines()[-1])
    logical = [round(width / float(scale)), round(height / float(scale))]
    assert shown["available"][2:] == logical  # the screen asked for, at the scale asked for

    seen = {entry["what"]: entry for entry in shown["seen"]}
    for expected in ("Vào sổ văn bản đến", "Vào sổ văn bản đi", "Chuyển xử lý — số đến 1/2026",
                     "Ký nhận — số đến 1/2026", "Hủy văn bản", "Tạo bản sao điện tử", "Báo cáo, thống kê văn bản",
                     "Nhật ký thay đổi", "Cài đặt", "Cài đặt - Sổ đăng ký", "Cài đặt - Chứng thư số tin cậy",
                     "Quản lý tài khoản", "In sổ",
                     "Liên kết văn bản", "Sửa bước xử lý", "Ký số văn bản đi", "Tạo tài khoản quản trị", "Đăng nhập",
                     "Vào sổ văn bản đến - dán tập văn bản", "Vào sổ văn bản đến - trùng văn bản"):
        assert expected in seen, sorted(seen)
    assert any(what.endswith("— 1 trang") for what in seen), sorted(seen)  # a print preview (stamp, slip, receipt)
    assert shown["registered"] and shown["banner"]  # the bundle was saved, the second paste raised the banner
    wrong = {what: entry["problems"] for what, entry in seen.items() if entry["problems"]}
    assert not wrong, json.dumps(wrong, ensure_ascii=False, indent=1)
    for entry in shown["seen"]:
        image = QImage(entry["shot"])
        assert not image.isNull() and image.width() > 100, entry  # a real picture of the dialog was kept


def test_enter_brings_the_next_field_into_view_on_a_short_screen(qtbot, registry: Registry) -> None:  # type: ignore[no-untyped-def]
    dialog = open_incoming(qtbot, registry, 640)
    QGuiApplication.clipboard().setText(SAMPLE.read_text(encoding="utf-8"))
    assert dialog.text_fill is not None and dialog.text_fill.paste()
    dialog.resize(dialog.width(), 420)  # shorter than the rows: they scroll
    scroll = dialog.findChild(FormScroll)
    qtbot.waitUntil(lambda: scroll.verticalScrollBar().maximum() > 0)  # more below than the area shows
    qtbot.wait(50)
    assert dialog.height() == 420  # made shorter by the clerk, it stays so: the rows scroll
    dialog.form.fields["subject"].setFocus()
    for _ in range(8):  # Enter from Trích yếu down to Hạn giải quyết, as the clerk goes through the form
        if focused() is dialog.form.fields["due_on"]:
            break
        press(focused(), Qt.Key.Key_Return if focused() is not dialog.form.fields["subject"] else Qt.Key.Key_Tab)
    due = dialog.form.fields["due_on"]
    assert focused() is due
    QApplication.processEvents()
    top_left = due.mapTo(scroll.viewport(), due.rect().topLeft())
    assert 0 <= top_left.y() and top_left.y() + due.height() <= scroll.viewport().height()  # in sight, not below
    assert scroll.verticalScrollBar().value() > 0  # it was scrolled to
