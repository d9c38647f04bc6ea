"""registry.settings: the agency's settings (name, parent body, place, family, numbering and backup choices)."""

from __future__ import annotations

from app.core.access import Permission
from app.services import settings as agency_settings
from app.services.parts.base import Part, open_to_all, requires


class Settings(Part):
    """Key-value settings of the agency, each change audited."""

    @open_to_all("the agency's name and choices are printed on every page and shown before sign-in")
    def all(self) -> dict[str, str]:
        with self._session.reading() as s:
            return agency_settings.all_settings(s)

    @open_to_all("the agency's name and family, shown in the title bar before sign-in")
    def agency(self) -> agency_settings.AgencySettings:
        with self._session.reading() as s:
            return agency_settings.agency(s)

    @requires(Permission.SETTINGS)
    def set(self, key: str, value: str) -> str:
        return self._session.write(lambda s: agency_settings.set_setting(s, self._actor, key, value))
