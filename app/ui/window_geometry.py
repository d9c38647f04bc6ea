"""Where the main window opens: inside the screen it opens on (frame and status bar included), maximised on a small
screen, otherwise as the clerk left it on this PC."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSettings, QSize, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow

from app.ui.sign_in_dialog import app_settings

# Qt's saveGeometry() blob is refused by restoreGeometry() once the screen's size changed (a laptop on and off its
# docking screen): the normal rectangle and the maximised flag are kept instead, and fitted here.
NORMAL_KEY, MAXIMISED_KEY = "main_window/normal_geometry", "main_window/maximised"
# Below this available size the register's columns and the detail pane need the whole screen: a 1366×768 laptop
# (768 less the taskbar) opens maximised.
COMFORTABLE = QSize(1440, 900)
PLACED = "vanthu_placed"  # property of a window placed here: only such a window saves its geometry on closing


def available(window: QMainWindow) -> QRect:
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def small(area: QRect) -> bool:
    return area.width() < COMFORTABLE.width() or area.height() < COMFORTABLE.height()


def fit(window: QMainWindow, area: QRect) -> None:
    """Shrink and move the window so its frame lies inside `area` (the frame's size is known once it is shown;
    before that it counts as none, and a second fit after showing corrects it)."""
    frame, inner = window.frameGeometry(), window.geometry()
    extra_w, extra_h = frame.width() - inner.width(), frame.height() - inner.height()
    width = max(1, min(inner.width(), area.width() - extra_w))
    height = max(1, min(inner.height(), area.height() - extra_h))
    if (width, height) != (inner.width(), inner.height()):
        window.resize(width, height)
    x = min(max(frame.x(), area.left()), area.left() + area.width() - (window.width() + extra_w))
    y = min(max(frame.y(), area.top()), area.top() + area.height() - (window.height() + extra_h))
    if (x, y) != (frame.x(), frame.y()):
        window.move(max(x, area.left()), max(y, area.top()))  # move() places a window's frame


def saved(settings: QSettings) -> tuple[QRect | None, bool]:
    """The normal (not maximised) geometry kept on this PC, and whether the window was left maximised."""
    rect = settings.value(NORMAL_KEY)
    maximised = str(settings.value(MAXIMISED_KEY, "false")).lower() in ("true", "1")
    return (rect if isinstance(rect, QRect) and rect.isValid() else None), maximised


def show(window: QMainWindow, settings: QSettings | None = None) -> None:
    """Show the window at its place: as it was left on this PC, kept inside the available area of the screen it is
    on (a screen since removed or made smaller gives the primary screen, or a smaller window); maximised on a
    screen smaller than COMFORTABLE, or when it was left maximised; centred the first time."""
    window.setProperty(PLACED, True)
    rect, was_maximised = saved(settings or app_settings())
    screen = (QGuiApplication.screenAt(rect.center()) if rect is not None else None) or window.screen() \
        or QGuiApplication.primaryScreen()
    area = screen.availableGeometry()
    if rect is not None:
        window.setGeometry(rect)
    else:
        size = window.size().boundedTo(area.size())
        window.setGeometry(QRect(area.x() + (area.width() - size.width()) // 2,
                                 area.y() + (area.height() - size.height()) // 2, size.width(), size.height()))
    fit(window, area)  # the normal geometry too: un-maximising gives a window that fits
    if small(area) or was_maximised:
        window.showMaximized()
        return
    window.show()
    fit(window, area)  # now with the frame the window system gave it
    # Some window managers add the frame only after the first show: look again once it is there.
    QTimer.singleShot(0, window, lambda: window.isMaximized() or fit(window, available(window)))


def remember(window: QMainWindow, settings: QSettings | None = None) -> None:
    """Keep the window's normal geometry and maximised state for the next start on this PC (a window the launcher
    did not place, in a test or a screenshot, keeps nothing)."""
    if window.property(PLACED):
        kept = settings or app_settings()
        kept.setValue(NORMAL_KEY, window.normalGeometry())
        if not small(available(window)):  # maximised by this module on a small screen, not by the clerk
            kept.setValue(MAXIMISED_KEY, window.isMaximized())
