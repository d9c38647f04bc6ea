"""How a sheet prints: A4 landscape, and for narrow tables every column on one page width."""

from __future__ import annotations

from typing import Any


def landscape_fit_width(sheet: Any, fit: bool = True) -> None:
    """Set on a normal or a write-only worksheet before rows are written. fit=False for a sheet with many
    columns (the whole register), which would print unreadably small on one page width."""
    from openpyxl.worksheet.properties import PageSetupProperties

    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = 9  # A4 (openpyxl's Worksheet.PAPERSIZE_A4; write-only sheets lack the name)
    if fit:
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
