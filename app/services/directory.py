"""The issuer directory (organisations, deduplicated by folded name) and the agency's departments and staff."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.access import SECRECY_RANK
from app.core.enums import Family, Secrecy
from app.core.errors import NotFoundError, ValidationError
from app.core.records import DepartmentRecord, OrganizationRecord, PersonRecord
from app.core.text import clean, fold, name_key
from app.db.upsert import dialect_insert
from app.models import Department, Organization, Person
from app.models.base import utcnow
from app.services import audit, visibility

# Folded words that only Party bodies carry in their names (Đảng ủy, Tỉnh ủy, Ban Tuyên giáo ...).
_PARTY_WORDS = ("dang ", "dang uy", "tinh uy", "thanh uy", "huyen uy", "quan uy", "thi uy", "chi bo",
                "ban tuyen giao", "ban dan van", "uy ban kiem tra", "ban to chuc", "ban thuong vu")


def guess_family(name: str, hint: Family | None) -> Family:
    """The family a new issuer belongs to: from its reference format if known, else from its name."""
    if hint is not None:
        return hint
    folded = f" {fold(name)} "
    return Family.PARTY if any(f" {word}" in folded for word in _PARTY_WORDS) else Family.STATE


def to_record(org: Organization) -> OrganizationRecord:
    return OrganizationRecord(org.id, org.name, org.abbreviation, org.family, org.parent_id, org.organ_id)


def get_or_create_organization(session: Session, actor: str, name: str, family_hint: Family | None = None,
                               secrecy: Secrecy | None = None) -> Organization:
    """Find the issuer by folded name ('Sở Y tế' == 'SỞ Y TẾ'), or add it to the directory; `secrecy` is the level
    of the document that names it (None: an ordinary one), see _named_by."""
    key = name_key(name)
    org = session.scalars(select(Organization).where(Organization.name_key == key)).first()
    if org is None:
        # ON CONFLICT DO NOTHING: two clerks adding the same new issuer at once both end up with one row.
        inserted = session.execute(dialect_insert(session, Organization).values(
            name=clean(name), name_key=key, family=guess_family(name, family_hint).value,
            secrecy=secrecy.value if secrecy else None,
            created_at=utcnow()).on_conflict_do_nothing(index_elements=["name_key"])).rowcount
        org = session.scalars(select(Organization).where(Organization.name_key == key)).one()
        if inserted:  # the other clerk's transaction wrote the row (and its audit entry) otherwise
            audit.record(session, actor, "create", "organization", org.id, None, to_record(org).to_dict())
    _named_by(org, secrecy)
    return org


def _named_by(org: Organization, secrecy: Secrecy | None) -> None:
    """An issuer first recorded by a secret document is seen only by users cleared for it (directory, completion,
    audit trail: app.services.visibility) until an ordinary document names it; then by everyone, for good.

    A flag on the directory's own row, set or cleared in the registering transaction, rather than EXISTS over the
    documents whenever a list is read: with 1,000,000 entries each keystroke of the issuer completion would probe
    the entries of every candidate issuer, and the audit view those of every event's. The flag is read in the
    directory's own scan (a few thousand rows) or by primary key (an audit event), so it needs no index."""
    if org.secrecy is None:
        return
    if secrecy is None:
        org.secrecy = None
    elif SECRECY_RANK[secrecy] < SECRECY_RANK[org.secrecy]:
        org.secrecy = secrecy  # a lower level's document names it: users cleared that far see it too


def search_organizations(session: Session, text: str, limit: int = 20) -> list[OrganizationRecord]:
    """Issuers whose folded name contains the folded text (autocomplete: 'so y te' finds 'SỞ Y TẾ')."""
    key = name_key(text)
    query = select(Organization).order_by(Organization.name).limit(limit)
    if key:
        query = query.where(Organization.name_key.contains(key, autoescape=True))
    if (visible := visibility.organizations(session)) is not None:  # not those only secret entries name
        query = query.where(visible)
    return [to_record(o) for o in session.scalars(query)]


def department_record(department: Department) -> DepartmentRecord:
    return DepartmentRecord(department.id, department.name, department.code, department.active)


def _check_department(session: Session, name: str, code: str | None,
                      exclude_id: int | None) -> tuple[str, str | None]:
    cleaned, code = clean(name), (clean(code).upper() or None) if code else None
    if not cleaned or len(cleaned) > 255:
        raise ValidationError.single("name", "Tên đơn vị", "không được để trống." if not cleaned
                                     else f"dài {len(cleaned)} ký tự, tối đa 255 ký tự.")
    if code and (len(code) > 20 or not code.replace("-", "").isalnum()):
        raise ValidationError.single("code", "Mã đơn vị", f"'{code}' phải là chữ và số liền, tối đa 20 ký tự.")
    same_name = session.scalars(select(Department).where(Department.name_key == name_key(cleaned))).first()
    if same_name is not None and same_name.id != exclude_id:
        raise ValidationError.single("name", "Tên đơn vị", f"'{cleaned}' đã có trong danh sách.")
    same_code = session.scalars(select(Department).where(Department.code == code)).first() if code else None
    if same_code is not None and same_code.id != exclude_id:
        raise ValidationError.single("code", "Mã đơn vị", f"'{code}' đã được dùng.")
    return cleaned, code


def add_department(session: Session, actor: str, name: str, code: str | None = None) -> Department:
    cleaned, code = _check_department(session, name, code, None)
    department = Department(name=cleaned, name_key=name_key(cleaned), code=code)
    session.add(department)
    session.flush()
    audit.record(session, actor, "create", "department", department.id, None,
                 {"name": cleaned, "code": code})
    return department


def update_department(session: Session, actor: str, department_id: int, name: str, code: str | None,
                      active: bool) -> DepartmentRecord:
    """Rename, recode or (de)activate a department; a deactivated one is kept for the documents it handled."""
    department = session.get(Department, department_id)
    if department is None:
        raise NotFoundError(f"Không có đơn vị mã {department_id}.")
    before = department_record(department).to_dict()
    department.name, department.code = _check_department(session, name, code, department.id)
    department.name_key, department.active = name_key(department.name), active
    session.flush()
    old, new = audit.changed_fields(before, department_record(department).to_dict())
    if new:
        audit.record(session, actor, "edit", "department", department.id, old, new)
    return department_record(department)


def list_departments(session: Session, include_inactive: bool = False) -> list[DepartmentRecord]:
    query = select(Department).order_by(Department.name)
    if not include_inactive:
        query = query.where(Department.active.is_(True))
    return [department_record(d) for d in session.scalars(query)]


def person_record(person: Person, department: Department | None) -> PersonRecord:
    return PersonRecord(person.id, person.full_name, person.title, person.department_id,
                        department.name if department else None, person.active)


def _check_person(session: Session, full_name: str, title: str | None,
                  department_id: int | None) -> tuple[str, str | None]:
    cleaned, title = clean(full_name), clean(title)
    if not cleaned or len(cleaned) > 150:
        raise ValidationError.single("full_name", "Họ và tên", "không được để trống." if not cleaned
                                     else f"dài {len(cleaned)} ký tự, tối đa 150 ký tự.")
    if len(title) > 150:
        raise ValidationError.single("title", "Chức vụ", f"dài {len(title)} ký tự, tối đa 150 ký tự.")
    if department_id is not None and session.get(Department, department_id) is None:
        raise ValidationError.single("department", "Đơn vị", f"không có đơn vị mã {department_id}.")
    return cleaned, title or None


def add_person(session: Session, actor: str, full_name: str, title: str | None,
               department_id: int | None) -> Person:
    cleaned, title = _check_person(session, full_name, title, department_id)
    person = Person(full_name=cleaned, title=title, department_id=department_id)
    session.add(person)
    session.flush()
    audit.record(session, actor, "create", "person", person.id, None,
                 {"full_name": cleaned, "title": person.title, "department_id": department_id})
    return person


def update_person(session: Session, actor: str, person_id: int, full_name: str, title: str | None,
                  department_id: int | None, active: bool) -> PersonRecord:
    """Edit a person's name, title or department, or (de)activate them (kept for past assignments)."""
    person = session.get(Person, person_id)
    if person is None:
        raise NotFoundError(f"Không có cán bộ mã {person_id}.")
    before = person_record(person, None).to_dict()
    person.full_name, person.title = _check_person(session, full_name, title, department_id)
    person.department_id, person.active = department_id, active
    session.flush()
    old, new = audit.changed_fields(before, person_record(person, None).to_dict())
    if new:
        audit.record(session, actor, "edit", "person", person.id, old, new)
    department = session.get(Department, department_id) if department_id is not None else None
    return person_record(person, department)


def list_people(session: Session, department_id: int | None = None,
                include_inactive: bool = False) -> list[PersonRecord]:
    """Staff with their department's name, by department then name; optionally of one department only."""
    query = (select(Person, Department).outerjoin(Department, Department.id == Person.department_id)
             .order_by(Department.name, Person.full_name, Person.id))
    if department_id is not None:
        query = query.where(Person.department_id == department_id)
    if not include_inactive:
        query = query.where(Person.active.is_(True))
    return [person_record(p, d) for p, d in session.execute(query).tuples()]
