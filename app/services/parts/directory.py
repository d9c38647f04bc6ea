"""registry.directory: the issuing organisations, the agency's own departments and its people."""

from __future__ import annotations

from app.core.access import Permission
from app.core.records import DepartmentRecord, OrganizationRecord, PersonRecord
from app.services import directory
from app.services.parts.base import Part, requires


class Directory(Part):
    """Who sends documents to the agency, and who inside it handles them."""

    @requires(Permission.VIEW)
    def organizations(self, text: str = "", limit: int = 20) -> list[OrganizationRecord]:
        with self._session.reading() as s:
            return directory.search_organizations(s, text, limit)

    @requires(Permission.VIEW)
    def departments(self, include_inactive: bool = False) -> list[DepartmentRecord]:
        with self._session.reading() as s:
            return directory.list_departments(s, include_inactive)

    @requires(Permission.SETTINGS)
    def add_department(self, name: str, code: str | None = None) -> int:
        return self._session.write(lambda s: directory.add_department(s, self._actor, name, code).id)

    @requires(Permission.SETTINGS)
    def update_department(self, department_id: int, name: str, code: str | None = None,
                          active: bool = True) -> DepartmentRecord:
        return self._session.write(lambda s: directory.update_department(s, self._actor, department_id, name,
                                                                         code, active))

    @requires(Permission.VIEW)
    def people(self, department_id: int | None = None, include_inactive: bool = False) -> list[PersonRecord]:
        with self._session.reading() as s:
            return directory.list_people(s, department_id, include_inactive)

    @requires(Permission.SETTINGS)
    def add_person(self, full_name: str, title: str | None = None, department_id: int | None = None) -> int:
        return self._session.write(lambda s: directory.add_person(s, self._actor, full_name, title,
                                                                  department_id).id)

    @requires(Permission.SETTINGS)
    def update_person(self, person_id: int, full_name: str, title: str | None = None,
                      department_id: int | None = None, active: bool = True) -> PersonRecord:
        return self._session.write(lambda s: directory.update_person(s, self._actor, person_id, full_name, title,
                                                                     department_id, active))
