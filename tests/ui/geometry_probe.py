"""Starts the window as `vanthu gui` does (launcher.open_window) on an offscreen screen of a given size, optionally
moves it, closes it, and prints where it was as JSON: test_window_geometry runs it in a subprocess per screen."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def main(db: str, settings_dir: str, move: str = "") -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):  # never the tester's own settings
        QSettings.setPath(fmt, QSettings.Scope.UserScope, settings_dir)
    app = QApplication(sys.argv[:1])
    from app.services import Registry
    from app.ui.launcher import open_window
    from app.ui.single_instance import WindowGuard

    registry = Registry(db)
    guard = WindowGuard(registry.file)
    window = open_window(registry, guard, clerk="Nguyễn Thị Lan")
    assert window is not None
    for _ in range(5):
        app.processEvents()
    if move:  # the clerk moves and resizes the window: "x,y,w,h" of its frame
        x, y, w, h = (int(v) for v in move.split(","))
        window.showNormal()
        window.resize(w, h)
        window.move(x, y)
        app.processEvents()
    bar = window.statusBar()
    bar_top_left = bar.mapToGlobal(bar.rect().topLeft())
    bar_bottom_right = bar.mapToGlobal(bar.rect().bottomRight())

    def rect(r) -> list[int]:  # type: ignore[no-untyped-def]
        return [r.x(), r.y(), r.width(), r.height()]

    shown = {"available": rect(window.screen().availableGeometry()), "frame": rect(window.frameGeometry()),
             "normal": rect(window.normalGeometry()), "maximised": window.isMaximized(),
             "status_bar": [bar_top_left.x(), bar_top_left.y(), bar_bottom_right.x(), bar_bottom_right.y()],
             "status_visible": bar.isVisible(), "platform": os.environ.get("QT_QPA_PLATFORM", "")}
    window.close()  # saves the geometry, as the clerk closing the window does
    guard.close()
    registry.close()
    print(json.dumps(shown))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    sys.exit(main(*sys.argv[1:]))
