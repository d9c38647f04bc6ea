"""Agency settings (name, abbreviation, parent, family, place): declared once, validated, audited."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.enums import Family
from app.core.errors import ValidationError
from app.core.text import clean
from app.models import Setting
from app.services import audit


@dataclass(frozen=True)
class SettingSpec:
    label: str
    default: str
    check: Callable[[str], str]  # returns the value to store, or raises ValueError with the reason


def _name(value: str) -> str:
    if not value:
        raise ValueError("không được để trống.")
    if len(value) > 255:
        raise ValueError(f"dài {len(value)} ký tự, tối đa 255 ký tự.")
    return value


def _optional_name(value: str) -> str:
    return _name(value) if value else ""


def _abbreviation(value: str) -> str:
    if not re.fullmatch(r"[A-ZĐ0-9][A-Za-zĐđ0-9]{0,19}", value):
        raise ValueError(f"'{value}' phải là chữ viết tắt liền, không dấu cách hay dấu /, - (ví dụ SYT, UBND, TU).")
    return value


def _family(value: str) -> str:
    try:
        return Family.parse(value).value
    except ValueError:
        raise ValueError(f"'{value}' không hợp lệ; chọn state (Nhà nước) hoặc party (Đảng).") from None


def _keep_count(value: str) -> str:
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= 1000:
        raise ValueError(f"'{value}' phải là số nguyên từ 1 đến 1000.")
    return str(int(value))


def _folder(value: str) -> str:
    if not value:
        return ""  # no anchor folder: the chain's head is kept only in backups and on paper
    folder = Path(value).expanduser()
    if not folder.is_absolute():
        raise ValueError(f"'{value}' phải là đường dẫn đầy đủ tới một thư mục (ví dụ ổ mạng hoặc USB).")
    if not folder.is_dir():
        raise ValueError(f"không có thư mục {folder} (hãy cắm USB hoặc nối ổ mạng trước).")
    return str(folder)


SETTINGS: dict[str, SettingSpec] = {
    "agency.name": SettingSpec("Tên cơ quan", "", _name),
    "agency.abbreviation": SettingSpec("Chữ viết tắt tên cơ quan", "", _abbreviation),
    "agency.parent": SettingSpec("Tên cơ quan chủ quản", "", _optional_name),
    "agency.family": SettingSpec("Khối (Nhà nước/Đảng)", Family.STATE.value, _family),
    "agency.place": SettingSpec("Địa danh ghi trên văn bản", "", _optional_name),
    "backup.keep": SettingSpec("Số bản sao lưu tự động được giữ lại", "10", _keep_count),
    # A second place (shared drive, USB) that keeps the audit chain's head: app/services/chain_anchor.py.
    "audit.anchor_dir": SettingSpec("Thư mục lưu neo nhật ký", "", _folder),
}


@dataclass(frozen=True)
class AgencySettings:
    name: str
    abbreviation: str
    parent: str
    family: Family
    place: str


def all_settings(session: Session) -> dict[str, str]:
    stored = {s.key: s.value for s in session.scalars(select(Setting))}
    return {key: stored.get(key, spec.default) for key, spec in SETTINGS.items()}


def agency(session: Session) -> AgencySettings:
    values = all_settings(session)
    return AgencySettings(values["agency.name"], values["agency.abbreviation"], values["agency.parent"],
                          Family(values["agency.family"]), values["agency.place"])


def set_setting(session: Session, actor: str, key: str, value: str) -> str:
    spec = SETTINGS.get(key)
    if spec is None:
        raise ValidationError.single("key", "Khóa cài đặt",
                                     f"'{key}' không có; các khóa: {', '.join(SETTINGS)}.")
    try:
        stored = spec.check(clean(value))
    except ValueError as exc:
        raise ValidationError.single(key, spec.label, str(exc)) from None
    row = session.get(Setting, key)
    before = row.value if row else None
    if row is None:
        session.add(Setting(key=key, value=stored))
    else:
        row.value = stored
    audit.record(session, actor, "settings", "setting", None, {key: before}, {key: stored})
    return stored
