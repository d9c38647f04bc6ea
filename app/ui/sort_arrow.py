"""Sort arrows that point the way the rows run: ▼ for newest (largest) first, ▲ for oldest first."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QProxyStyle, QStyle, QStyleOptionHeader


class SortArrowStyle(QProxyStyle):
    """Qt draws a descending column with an upward arrow (the "sort up" look of some desktops); a clerk reading
    số đến 3, 2, 1 expects the arrow to point down, as in Excel. The arrow alone is turned round."""

    def drawPrimitive(self, element, option, painter, widget=None) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        if element == QStyle.PrimitiveElement.PE_IndicatorHeaderArrow and isinstance(option, QStyleOptionHeader):
            turned = QStyleOptionHeader(option)
            swap = {QStyleOptionHeader.SortIndicator.SortUp: QStyleOptionHeader.SortIndicator.SortDown,
                    QStyleOptionHeader.SortIndicator.SortDown: QStyleOptionHeader.SortIndicator.SortUp}
            turned.sortIndicator = swap.get(option.sortIndicator, option.sortIndicator)
            option = turned
        super().drawPrimitive(element, option, painter, widget)


def point_arrows_the_way_rows_run(header: QHeaderView) -> None:
    style = SortArrowStyle(header.style().name())
    style.setParent(header)  # the style lives as long as the header
    header.setStyle(style)


__all__ = ["SortArrowStyle", "point_arrows_the_way_rows_run"]
