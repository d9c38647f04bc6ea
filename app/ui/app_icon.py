"""The app's icon (resources/icons), drawn at each size so the title bar and taskbar get a sharp picture."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from app.resources import resource

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


@cache
def app_icon() -> QIcon:
    icon = QIcon()
    for size in ICON_SIZES:
        path = resource("icons", f"vanthu-{size}.png")
        if path.is_file():  # a missing size only costs sharpness; Qt scales the nearest one
            icon.addFile(str(path))
    return icon
