"""Số and ký hiệu: type abbreviations, building outgoing references, parsing and keying incoming ones."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.core.enums import Family
from app.core.text import clean, fold

# NĐ 30 Phụ lục III. Công văn and Thư công have no abbreviation in the state family.
STATE_TYPE_ABBREVIATIONS: dict[str, str] = {
    "Nghị quyết": "NQ", "Quyết định": "QĐ", "Chỉ thị": "CT", "Quy chế": "QC", "Quy định": "QyĐ",
    "Thông cáo": "TC", "Thông báo": "TB", "Hướng dẫn": "HD", "Chương trình": "CTr", "Kế hoạch": "KH",
    "Phương án": "PA", "Đề án": "ĐA", "Dự án": "DA", "Báo cáo": "BC", "Biên bản": "BB", "Tờ trình": "TTr",
    "Hợp đồng": "HĐ", "Công điện": "CĐ", "Bản ghi nhớ": "BGN", "Bản thỏa thuận": "BTT",
    "Giấy ủy quyền": "GUQ", "Giấy mời": "GM", "Giấy giới thiệu": "GGT", "Giấy nghỉ phép": "GNP",
    "Phiếu gửi": "PG", "Phiếu chuyển": "PC", "Phiếu báo": "PB", "Bản sao y": "SY", "Bản trích sao": "TrS",
    "Bản sao lục": "SL",
}
# HD 36-HD/VPTW: Party bodies abbreviate công văn too, and add their own types.
PARTY_TYPE_ABBREVIATIONS: dict[str, str] = {
    **STATE_TYPE_ABBREVIATIONS,
    "Công văn": "CV", "Kết luận": "KL", "Thông tri": "TT", "Quy định": "QĐi", "Bản sao": "BS",
}
UNABBREVIATED_TYPES = ("Công văn", "Thư công")
# Copies (sao y, sao lục, trích sao) share one sequence of their own, reset yearly (DOMAIN.md §4).
COPY_TYPES = ("Bản sao y", "Bản sao lục", "Bản trích sao")

_TYPE_BY_KEY = {fold(name): name for name in {*PARTY_TYPE_ABBREVIATIONS, *UNABBREVIATED_TYPES}}


def canonical_type(doc_type: str) -> str:
    """'cong van' or 'CÔNG VĂN' -> 'Công văn'; an unknown type is kept as typed (the list is open-ended)."""
    cleaned = clean(doc_type)
    return _TYPE_BY_KEY.get(fold(cleaned), cleaned[:1].upper() + cleaned[1:])


def type_abbreviation(doc_type: str, family: Family) -> str | None:
    """The abbreviation used in ký hiệu, or None for a state công văn (which carries the drafting unit)."""
    table = PARTY_TYPE_ABBREVIATIONS if family is Family.PARTY else STATE_TYPE_ABBREVIATIONS
    return table.get(canonical_type(doc_type))


def is_known_type(doc_type: str, family: Family) -> bool:
    """Whether the family's own list has the type (a state agency issues no Kết luận; a Party one no Thư công)."""
    table = PARTY_TYPE_ABBREVIATIONS if family is Family.PARTY else {
        **STATE_TYPE_ABBREVIATIONS, **dict.fromkeys(UNABBREVIATED_TYPES, "")}
    return canonical_type(doc_type) in table


def pad_number(number: int) -> str:
    """Numbers below 10 are written with a leading zero: 05."""
    return f"{number:02d}"


def build_reference(
    number: int, family: Family, agency_abbr: str, type_abbr: str | None, unit: str | None
) -> str:
    """State: 15/QĐ-UBND, công văn 05/SYT-VP. Party: 1272-CV/TU, 141-KH/TU."""
    num = pad_number(number)
    if family is Family.PARTY:
        return f"{num}-{type_abbr}/{agency_abbr}"
    if type_abbr:
        return f"{num}/{type_abbr}-{agency_abbr}"
    return f"{num}/{agency_abbr}-{unit}" if unit else f"{num}/{agency_abbr}"


@dataclass(frozen=True)
class ParsedReference:
    """A document's own số and ký hiệu as read from its number line."""

    reference: str
    number: int | None
    notation: str | None
    family: Family | None


_PREFIX = re.compile(r"^\s*s[ốo](?=[\s:\d])\s*:?\s*", re.IGNORECASE)
_SPACED_SEPARATORS = re.compile(r"\s*([/-])\s*")
_SHAPE = re.compile(r"^(\d+)([/-])(\S.*)$")


def parse_reference(text: str) -> ParsedReference:
    """Normalise '  Số: 3646 /SYT-VP' -> 3646/SYT-VP; split it into number and notation when it has that shape."""
    value = _SPACED_SEPARATORS.sub(r"\1", _PREFIX.sub("", clean(text)))
    match = _SHAPE.match(value)
    if not match:
        return ParsedReference(value, None, None, None)
    number, separator, notation = int(match.group(1)), match.group(2), match.group(3)
    # Party: number-TYPE/ISSUER; state: number/[YEAR/]TYPE-ISSUER.
    if separator == "-" and "/" in notation:
        family: Family | None = Family.PARTY
    elif separator == "/":
        family = Family.STATE
    else:
        family = None
    return ParsedReference(value, number, notation, family)


def reference_key(text: str) -> str:
    """Comparison key of a reference: folded, no spaces, leading zeros of the number dropped (05 == 5)."""
    parsed = parse_reference(text)
    value = fold(parsed.reference).replace(" ", "")
    if parsed.number is not None:
        value = re.sub(r"^0+(?=\d)", "", value)
    return value
