"""registry.holidays: the table of public holidays that deadlines in working days skip."""

from __future__ import annotations

from datetime import date

from app.core.access import Permission
from app.core.records import HolidayRecord
from app.services import routing
from app.services.parts.base import Part, requires


class Holidays(Part):
    """Lễ, Tết and other days off; a change applies to deadlines given afterwards only."""

    @requires(Permission.VIEW)
    def list(self, year: int | None = None) -> list[HolidayRecord]:
        with self._session.reading() as s:
            return routing.list_holidays(s, year)

    @requires(Permission.SETTINGS)
    def add(self, day: date, name: str) -> HolidayRecord:
        return self._session.write(lambda s: routing.add_holiday(s, self._actor, day, name))

    @requires(Permission.SETTINGS)
    def remove(self, day: date) -> HolidayRecord:
        return self._session.write(lambda s: routing.remove_holiday(s, self._actor, day))
