"""registry.reports: the year's figures by month, issuer, type and unit, and their Excel workbook."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.core.access import Permission
from app.core.dates import today
from app.core.report_records import Report
from app.services.parts.base import Part, requires


class Reports(Part):
    """Figures are counted by the database (GROUP BY), so a report of a million entries reads no rows."""

    @requires(Permission.REPORT)
    def build(self, year: int, by: str | None = None, on: date | None = None, secret: bool = False,
              top: int = 10) -> Report:
        """The year's report: every dimension, or only `by` (month, issuer, type, unit); open handling past its
        deadline on `on` (default today) is overdue."""
        from app.services import reports

        with self._session.reading() as s:
            return reports.build_report(s, year, on or today(), by, secret, top)

    @requires(Permission.REPORT)
    def export_xlsx(self, year: int, path: str | Path, by: str | None = None, on: date | None = None,
                    secret: bool = False, top: int = 10) -> Path:
        """Write the report as an .xlsx workbook (one sheet and bar chart per dimension); openpyxl loads here."""
        from app.services import reports
        from app.spreadsheets.report_xlsx import write_report

        reports.check_request(year, by, top)  # refused before anything is read or written
        return write_report(self.build(year, by, on, secret, top), path)
