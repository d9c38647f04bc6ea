"""Every dialog opens inside the screen's available area: never taller or wider than it, moved in where it would
leave it (a 1366×768 laptop, or 1280×720 at 125 %, has less room than the dialogs were drawn for)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget


def inside_screen(window: QWidget) -> None:
    """Shrink `window` to its screen's available area where it is larger (its layout's minimum permitting: the
    rows of a long form scroll, see form_scroll), then move its frame inside that area."""
    screen = window.screen()
    if screen is None or not window.isWindow():
        return
    area = screen.availableGeometry()
    frame = window.frameGeometry()
    extra_w, extra_h = frame.width() - window.width(), frame.height() - window.height()
    width = min(window.width(), area.width() - extra_w)
    height = min(window.height(), area.height() - extra_h)
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
        frame = window.frameGeometry()
    x = max(area.x(), min(frame.x(), area.right() + 1 - frame.width()))
    y = max(area.y(), min(frame.y(), area.bottom() + 1 - frame.height()))
    if (x, y) != (frame.x(), frame.y()):
        window.move(x, y)


class _DialogsInsideScreen(QObject):
    """Watches every widget of the application for a dialog being shown."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Show and isinstance(watched, QDialog) and watched.isWindow():
            # Once QDialog's own showEvent has centred it on its parent: moving it now would stop that.
            QTimer.singleShot(0, watched, lambda: inside_screen(watched))
        return False


_filter: _DialogsInsideScreen | None = None


def install() -> None:
    """Keep every dialog of the running application inside its screen (once per application)."""
    global _filter
    app = QApplication.instance()
    if app is not None and _filter is None:
        _filter = _DialogsInsideScreen(app)
        app.installEventFilter(_filter)
