"""A dialog's rows in a scroll area: the dialog grows to show them all where the screen allows and scrolls beyond,
so rows are never squeezed over one another and its buttons never leave the screen."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QLayout,
    QScrollArea,
    QStyle,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.ui.screen_fit import inside_screen

SHORTEST = 160  # the least the rows' area shrinks to: a few rows and the scroll bar, never nothing


class RowsArea(QScrollArea):
    """A scroll area around `content` whose size hint is the content's whole height at its width, not
    QScrollArea's small default: a dialog opens showing every row when the screen has room, and scrolls when not."""

    def __init__(self, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidget(content)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # rows wrap, never scroll sideways
        app = QApplication.instance()
        if isinstance(app, QApplication):  # Enter moves focus through the dialog, not the area: follow it
            app.focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        content = self.widget()
        if new is not None and content is not None and content.isAncestorOf(new):
            self.ensureWidgetVisible(new, 8, 8)

    def _bar(self) -> int:
        return self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)

    def rows_height(self, width: int) -> int:
        """How tall the content is at `width` (wrapped labels at that width, not at the size hint's guess)."""
        content = self.widget()
        layout = content.layout()
        if layout is None:
            return content.sizeHint().height()
        layout.activate()
        if layout.hasHeightForWidth():
            return layout.totalHeightForWidth(width)
        return layout.totalSizeHint().height()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        width = self.widget().sizeHint().width()
        return QSize(width + self._bar(), self.rows_height(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(self.widget().minimumSizeHint().width() + self._bar(), SHORTEST)


class FormScroll(RowsArea):
    """Holds `layout` (a dialog's rows) in a RowsArea; `fit()` grows the dialog after the rows grew (a pasted
    text's notes, a banner), up to the screen's available height, and keeps it inside the screen."""

    def __init__(self, layout: QLayout, dialog: QDialog) -> None:
        content = QWidget()
        content.setObjectName("form_rows")
        content.setLayout(layout)
        super().__init__(content, dialog)
        self.dialog = dialog
        self._pending = False
        self._rows = 0  # the rows' height at the last fit: only growth grows the dialog
        content.installEventFilter(self)
        dialog.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in (QEvent.Type.LayoutRequest, QEvent.Type.Show) and not self._pending:
            self._pending = True  # one fit for a burst of changes, after they are laid out
            QTimer.singleShot(0, self, self.fit)
        return False

    def fit(self) -> None:
        """When the rows grew (a pasted text's notes, a banner), grow the dialog by as much, never past the screen's
        available area (then they scroll); a dialog the clerk made shorter stays so until the rows grow again.
        Either way its frame is kept inside the screen."""
        self._pending = False
        dialog = self.dialog
        screen = dialog.screen()
        if not dialog.isVisible() or screen is None:
            return
        rows = self.rows_height(self.viewport().width())
        if rows > self._rows:
            frame_extra = dialog.frameGeometry().height() - dialog.height()
            wanted = dialog.height() - self.viewport().height() + rows
            height = min(wanted, screen.availableGeometry().height() - frame_extra)
            # The first fit also trims what the size hint, guessed at a narrower width, gave too much.
            if height > dialog.height() or (self._rows == 0 and height < dialog.height()):
                dialog.resize(dialog.width(), height)
        self._rows = rows
        inside_screen(dialog)

class ScrollingTabs(QTabWidget):
    """Tabs whose pages scroll when the dialog is shorter than a page. `currentWidget`, `setCurrentWidget` and
    `indexOf` speak of the pages themselves, not of the areas around them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pages: list[QWidget] = []

    def addTab(self, page: QWidget, label: str) -> int:  # type: ignore[override]  # noqa: N802 - Qt's name
        self._pages.append(page)
        return super().addTab(RowsArea(page), label)

    def currentWidget(self) -> QWidget | None:  # noqa: N802 - Qt's name
        index = self.currentIndex()
        return self._pages[index] if 0 <= index < len(self._pages) else None

    def setCurrentWidget(self, page: QWidget) -> None:  # noqa: N802 - Qt's name
        self.setCurrentIndex(self._pages.index(page))

    def indexOf(self, page: QWidget) -> int:  # noqa: N802 - Qt's name
        return self._pages.index(page) if page in self._pages else super().indexOf(page)


def lay_out(dialog: QDialog, rows: list[QWidget | QLayout], below: list[QWidget | QLayout]) -> FormScroll:
    """Give `dialog` its layout: `rows` in a FormScroll (they scroll when the screen is short), `below` (the
    message, the buttons) under it, always in sight."""
    inner = QVBoxLayout()
    inner.setContentsMargins(0, 0, 0, 0)
    for part in rows:
        inner.addLayout(part) if isinstance(part, QLayout) else inner.addWidget(part)
    inner.addStretch(1)
    scroll = FormScroll(inner, dialog)
    outer = QVBoxLayout(dialog)
    outer.addWidget(scroll, 1)
    for part in below:
        outer.addLayout(part) if isinstance(part, QLayout) else outer.addWidget(part)
    return scroll
