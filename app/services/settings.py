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


# Who a register without accounts works for until its clerk says their name: a neutral word. Never the OS login:
# receipts and the audit are legal records, and "root" or "admin" on them names nobody.
DEFAULT_CLERK = "Văn thư"
CLERK_NAME_KEY = "clerk.name"


def clerk_name(value: str) -> str:
    """A person's full name as it is printed under "NGƯỜI NHẬN (VĂN THƯ)" and written in the audit."""
    value = _name(value)
    if len(value) > 100:
        raise ValueError(f"dài {len(value)} ký tự, tối đa 100 ký tự.")
    return value


def _optional_clerk_name(value: str) -> str:
    return clerk_name(value) if value else ""  # empty: back to the neutral "Văn thư"


_YES = frozenset({"1", "co", "có", "bat", "bật", "true", "yes", "on"})
_NO = frozenset({"0", "khong", "không", "tat", "tắt", "false", "no", "off"})


def _yes_no(value: str) -> str:
    word = value.strip().lower()
    if word in _YES:
        return "1"
    if word in _NO:
        return "0"
    raise ValueError(f"'{value}' không hợp lệ; ghi 1 (có, bật) hoặc 0 (không, tắt).")


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


def _seal_image(value: str) -> str:
    if not value:
        return ""
    path = Path(value).expanduser()
    if not path.is_absolute() or not path.is_file():
        raise ValueError(f"không có tệp ảnh {value} (ghi đường dẫn đầy đủ tới ảnh PNG của con dấu).")
    with path.open("rb") as handle:
        if handle.read(8) != b"\x89PNG\r\n\x1a\n":
            raise ValueError(f"{path.name} phải là ảnh PNG nền trong suốt (NĐ 30 Phụ lục I).")
    return str(path)


def _seal_size(value: str) -> str:
    if not value:
        return ""
    try:
        size = float(value.replace(",", "."))
    except ValueError:
        raise ValueError(f"'{value}' phải là đường kính con dấu tính bằng mm (ví dụ 36).") from None
    if not 15 <= size <= 80:
        raise ValueError(f"{value} mm không phải cỡ một con dấu (15–80 mm).")
    return f"{size:g}"


def _organ_id(value: str) -> str:
    value = value.strip()
    if value and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9.\-]{1,48}[A-Za-z0-9]", value):
        raise ValueError(f"'{value}' không phải mã định danh điện tử của cơ quan (chữ, số và dấu chấm, ví dụ "
                         "000.00.31.H53 — QĐ 20/2020/QĐ-TTg).")
    return value


ASK_UNCHECKED = "form.ask_unchecked"

SETTINGS: dict[str, SettingSpec] = {
    "agency.name": SettingSpec("Tên cơ quan", "", _name),
    "agency.abbreviation": SettingSpec("Chữ viết tắt tên cơ quan", "", _abbreviation),
    "agency.parent": SettingSpec("Tên cơ quan chủ quản", "", _optional_name),
    "agency.family": SettingSpec("Khối (Nhà nước/Đảng)", Family.STATE.value, _family),
    "agency.place": SettingSpec("Địa danh ghi trên văn bản", "", _optional_name),
    "backup.keep": SettingSpec("Số bản sao lưu tự động được giữ lại", "10", _keep_count),
    # A second place (shared drive, USB) that keeps the audit chain's head: app/services/chain_anchor.py.
    "audit.anchor_dir": SettingSpec("Thư mục lưu neo nhật ký", "", _folder),
    # The seal as the agency's digital signature shows it (NĐ 30 Phụ lục I): a red PNG, transparent background;
    # its real size from the PNG's resolution, or the diameter given here.
    "agency.seal_image": SettingSpec("Ảnh con dấu (PNG nền trong suốt)", "", _seal_image),
    "agency.seal_size_mm": SettingSpec("Đường kính con dấu (mm)", "", _seal_size),
    # edXML (QCVN 102:2016): the agency's OrganId on the axis, and the folder its e-office system or the clerk
    # drops received .edxml files into ("Văn bản điện tử chờ vào sổ").
    "agency.organ_id": SettingSpec("Mã định danh điện tử của cơ quan (edXML OrganId)", "", _organ_id),
    "edxml.inbox": SettingSpec("Thư mục nhận văn bản điện tử (edXML)", "", _folder),
    # Who works on a register without accounts (asked at the window's first start): the audit and the receipts
    # name this person, never the OS login. With accounts, the signed-in account is the person.
    CLERK_NAME_KEY: SettingSpec("Họ và tên văn thư", "", _optional_clerk_name),
    # Saving a form filled from a document's text while some yellow fields were never looked at asks once first
    # (app/ui/unchecked_question.py); "Không hỏi lại" on that question, or `settings set … 0`, turns it off.
    ASK_UNCHECKED: SettingSpec("Hỏi trước khi lưu khi còn trường tô vàng chưa kiểm tra", "1", _yes_no),
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
