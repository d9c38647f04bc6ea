"""Starts the Qt application on a register database and shows the main window."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QMessageBox

from app import APP_NAME, __version__
from app.core.errors import VanThuError
from app.services import Registry
from app.ui.main_window import MainWindow


def launch(db: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    try:
        registry = Registry(db)
    except (VanThuError, OSError) as exc:
        QMessageBox.critical(None, APP_NAME, f"Không mở được cơ sở dữ liệu:\n{exc}")
        return 2
    window = MainWindow(registry)
    window.show()
    try:
        return app.exec()
    finally:
        registry.close()
