"""Issue 21 item 3: the window fits the screen it opens on — maximised on a 1366×768 laptop with its status bar on
screen, otherwise as the clerk left it, never larger than the available area. Each start is a real `open_window`
in a subprocess on an offscreen screen of the size asked (Qt's offscreen configfile, with window frames)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from app.services import Registry
from app.ui import window_geometry
from app.ui.main_window import MainWindow
from tests.conftest import ROOT

PROBE = Path(__file__).with_name("geometry_probe.py")


@pytest.fixture
def place(tmp_path: Path, db_path: Path):  # type: ignore[no-untyped-def]
    """start(width, height, move="") runs one start of the window on a screen of that size, on one register and
    one PC's settings (a temporary folder, never the tester's own), and returns what the probe saw."""
    Registry(str(db_path)).close()
    settings = tmp_path / "settings"
    settings.mkdir()

    def start(width: int, height: int, move: str = "") -> dict:  # type: ignore[type-arg]
        config = tmp_path / f"screen-{width}x{height}.json"
        config.write_text(json.dumps({"windowFrameMargins": True, "screens": [
            {"name": "screen", "x": 0, "y": 0, "width": width, "height": height, "logicalDpi": 96,
             "logicalBaseDpi": 96, "dpr": 1}]}), encoding="utf-8")
        env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}", "PYTHONPATH": str(ROOT)}
        done = subprocess.run([sys.executable, str(PROBE), str(db_path), str(settings), move], capture_output=True,
                              text=True, encoding="utf-8", env=env, cwd=ROOT, timeout=120)
        assert done.returncode == 0, done.stderr
        shown = json.loads(done.stdout.strip().splitlines()[-1])
        assert shown["platform"].endswith(config.name)  # the screen asked for, not the default one
        return shown

    return start


def inside(rect: list[int], area: list[int]) -> bool:
    x, y, w, h = rect
    ax, ay, aw, ah = area
    return ax <= x and ay <= y and x + w <= ax + aw and y + h <= ay + ah


def status_bar_on_screen(shown: dict) -> bool:  # type: ignore[type-arg]
    left, top, right, bottom = shown["status_bar"]
    ax, ay, aw, ah = shown["available"]
    return shown["status_visible"] and ax <= left and right < ax + aw and ay <= top and bottom < ay + ah


def test_a_1366x768_laptop_opens_maximised_with_the_frame_and_status_bar_on_screen(place) -> None:  # type: ignore[no-untyped-def]
    shown = place(1366, 768)
    assert shown["available"] == [0, 0, 1366, 768]
    assert shown["maximised"]
    assert inside(shown["frame"], shown["available"]) and status_bar_on_screen(shown)
    again = place(1366, 768)  # and at every start after
    assert again["maximised"] and inside(again["frame"], again["available"]) and status_bar_on_screen(again)


def test_a_large_screen_opens_centred_then_where_the_clerk_left_the_window(place) -> None:  # type: ignore[no-untyped-def]
    first = place(1920, 1080)
    assert not first["maximised"] and inside(first["frame"], first["available"]) and status_bar_on_screen(first)
    x, y, w, h = first["frame"]
    assert abs((x + w / 2) - 960) <= 2 and abs((y + h / 2) - 540) <= 2  # centred
    place(1920, 1080, "100,50,1200,800")  # the clerk moves and resizes it, then closes the window
    again = place(1920, 1080)
    assert not again["maximised"]
    assert again["normal"][2:] == [1200, 800] and again["frame"][:2] == [100, 50]


def test_a_window_saved_larger_than_the_screen_or_off_it_is_brought_inside(place) -> None:  # type: ignore[no-untyped-def]
    place(2560, 1440, "80,60,2400,1300")  # left large on a big screen
    smaller = place(1920, 1080)  # the laptop's own 1920×1080 screen at the next start
    assert inside(smaller["frame"], smaller["available"]) and status_bar_on_screen(smaller)
    assert smaller["frame"][2] <= 1920 and smaller["frame"][3] <= 1080
    place(1920, 1080, "1500,900,1000,700")  # dragged half below the screen's edge
    back = place(1920, 1080)
    assert inside(back["frame"], back["available"]) and status_bar_on_screen(back)
    assert back["normal"][2:] == [1000, 700]  # moved back in, not shrunk


def test_being_maximised_on_a_small_screen_is_not_remembered_as_the_clerk_s_choice(place) -> None:  # type: ignore[no-untyped-def]
    place(1366, 768)
    docked = place(1920, 1080)
    assert not docked["maximised"] and inside(docked["frame"], docked["available"])


def test_a_window_the_launcher_did_not_place_keeps_nothing(qtbot, registry: Registry, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Tests and screenshots make windows of their own: closing them writes nothing into this PC's settings."""
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path))
    window = MainWindow(registry)
    qtbot.addWidget(window)
    window.show()
    window.wait_loaded()
    window.close()
    assert window_geometry.saved(QSettings("SoVanThu", "SoVanThu")) == (None, False)
    placed = MainWindow(registry)
    qtbot.addWidget(placed)
    window_geometry.show(placed)
    placed.wait_loaded()
    placed.close()
    rect, _maximised = window_geometry.saved(QSettings("SoVanThu", "SoVanThu"))
    assert rect is not None and rect.size() == placed.normalGeometry().size()
