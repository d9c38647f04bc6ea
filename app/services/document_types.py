"""The agency's editable list of document types (tên loại) per family, and the lookup outgoing numbering uses."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.enums import Family
from app.core.errors import FieldError, NotFoundError, ValidationError
from app.core.records import DocumentTypeRecord
from app.core.text import clean, fold
from app.models import DocumentType
from app.services import audit

NAME_LABEL = "Tên loại văn bản"
ABBREVIATION_LABEL = "Chữ viết tắt"
MAX_NAME = 100
MAX_ABBREVIATION = 10
# Letters only, starting with a capital: QĐ, QyĐ, CTr, TrS, QĐi. Đ/đ are the only marked letters they use.
_ABBREVIATION = re.compile(rf"[A-ZĐ][A-Za-zĐđ]{{0,{MAX_ABBREVIATION - 1}}}")


def to_record(row: DocumentType) -> DocumentTypeRecord:
    return DocumentTypeRecord(row.id, row.family, row.name, row.abbreviation, row.active)


def list_types(session: Session, family: Family, include_inactive: bool = False) -> list[DocumentTypeRecord]:
    """The family's types in the order they were added (the seed follows NĐ 30 Phụ lục III / HD 36)."""
    query = select(DocumentType).where(DocumentType.family == family).order_by(DocumentType.id)
    if not include_inactive:
        query = query.where(DocumentType.active.is_(True))
    return [to_record(t) for t in session.scalars(query)]


def find_type(session: Session, doc_type: str, family: Family) -> DocumentType | None:
    """The family's type with this name, however it was typed ('cong van', 'CÔNG VĂN'); active or not."""
    return session.scalars(select(DocumentType).where(
        DocumentType.family == family, DocumentType.name_key == fold(doc_type))).first()


def spelled_name(session: Session, doc_type: str, family: Family) -> str:
    """The name as the agency's list spells it, so one type is stored one way; unknown names as typed."""
    row = find_type(session, doc_type, family)
    return row.name if row is not None else doc_type


def _check(session: Session, family: Family, name: str, abbreviation: str | None,
           exclude_id: int | None) -> tuple[str, str | None]:
    """Clean and check a type's name and abbreviation, reporting every bad field at once."""
    errors: list[FieldError] = []
    cleaned = clean(name)
    cleaned = cleaned[:1].upper() + cleaned[1:]
    abbr = clean(abbreviation) or None
    if not cleaned:
        errors.append(FieldError("name", NAME_LABEL, "không được để trống."))
    elif len(cleaned) > MAX_NAME:
        errors.append(FieldError("name", NAME_LABEL, f"dài {len(cleaned)} ký tự, tối đa {MAX_NAME} ký tự."))
    else:
        clash = find_type(session, cleaned, family)
        if clash is not None and clash.id != exclude_id:
            state = "" if clash.active else " (đang ngừng dùng: sửa loại đó để dùng lại)"
            errors.append(FieldError("name", NAME_LABEL,
                                     f"'{clash.name}' đã có trong danh mục khối {family.label}{state}."))
    if abbr is not None and not _ABBREVIATION.fullmatch(abbr):
        errors.append(FieldError("abbreviation", ABBREVIATION_LABEL, (
            f"'{abbr}' phải là chữ cái liền, bắt đầu bằng chữ hoa, tối đa {MAX_ABBREVIATION} chữ, không dấu "
            "cách, số hay dấu /, - (chỉ được có chữ Đ/đ có dấu; ví dụ QĐ, QyĐ, CTr).")))
    elif abbr is None and family is Family.PARTY:
        errors.append(FieldError("abbreviation", ABBREVIATION_LABEL, (
            "không được để trống: ký hiệu văn bản của cơ quan Đảng luôn ghi chữ viết tắt tên loại "
            "(ví dụ 1272-CV/TU).")))
    if errors:
        raise ValidationError(errors)
    return cleaned, abbr


def add_type(session: Session, actor: str, family: Family, name: str, abbreviation: str | None,
             active: bool = True) -> DocumentTypeRecord:
    """Add a type to the family's list. A state type without abbreviation is numbered like a công văn
    (agency-unit). Two types may share an abbreviation (Party QĐ for quyết định and quy định): the numbering
    sequence is keyed by the abbreviation, so they then share one sequence and no ký hiệu is issued twice."""
    cleaned, abbr = _check(session, family, name, abbreviation, None)
    row = DocumentType(family=family, name=cleaned, name_key=fold(cleaned), abbreviation=abbr, active=active)
    session.add(row)
    session.flush()
    record = to_record(row)
    audit.record(session, actor, "create", "document_type", row.id, None, record.to_dict())
    return record


def edit_type(session: Session, actor: str, type_id: int, name: str, abbreviation: str | None,
              active: bool) -> DocumentTypeRecord:
    """Rename, re-abbreviate or (de)activate a type. Registered documents keep the ký hiệu they were given;
    a new abbreviation applies to numbers given from now on."""
    row = session.get(DocumentType, type_id)
    if row is None:
        raise NotFoundError(f"Không có loại văn bản mã {type_id}.")
    before = to_record(row).to_dict()
    row.name, row.abbreviation = _check(session, row.family, name, abbreviation, row.id)
    row.name_key, row.active = fold(row.name), active
    session.flush()
    record = to_record(row)
    old, new = audit.changed_fields(before, record.to_dict())
    if new:
        audit.record(session, actor, "edit", "document_type", row.id, old, new)
    return record


def save_type(session: Session, actor: str, family: Family, name: str, abbreviation: str | None,
              active: bool = True, type_id: int | None = None) -> DocumentTypeRecord:
    """Add a type (no type_id) or edit the one with that id."""
    if type_id is None:
        return add_type(session, actor, family, name, abbreviation, active)
    return edit_type(session, actor, type_id, name, abbreviation, active)
