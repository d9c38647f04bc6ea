"""An issuer's full name from its header lines ("UBND TỈNH TÂY NINH" above "SỞ Y TẾ" → "Sở Y tế tỉnh Tây Ninh")."""

from __future__ import annotations

import re

from app.extraction.normalize import fold_key, words_key

# Levels of local government as printed (with their marks: folded, "QUAN" is also the "QUẢN" of "Ban Quản lý"
# and "XA" the "XÃ" of "Xã hội"); the words after one are the place's proper name.
_LEVELS = ("THÀNH PHỐ", "THỊ XÃ", "THỊ TRẤN", "TỈNH", "HUYỆN", "QUẬN", "XÃ", "PHƯỜNG", "TP.", "TP")
_LEVEL_NAMES = {"TP.": "thành phố", "TP": "thành phố"}
_LEVEL_ALT = "|".join(re.escape(level) for level in _LEVELS)
# Party committees named by their level: "TỈNH ỦY GIA LAI", "HUYỆN ỦY NAM ĐÀN", "ĐẢNG ỦY XÃ THANH SƠN".
_COMMITTEE_WORDS = frozenset({"TỈNH", "THÀNH", "HUYỆN", "QUẬN", "THỊ", "ĐẢNG", "XÃ", "PHƯỜNG"})
_COMMITTEE = re.compile(r"^(?:" + "|".join(_COMMITTEE_WORDS) + r") ỦY(?: |$)")
_GOVERNMENT = re.compile(r"^(?:UBND|ỦY BAN NHÂN DÂN|HĐND|HỘI ĐỒNG NHÂN DÂN) (?:" + _LEVEL_ALT + r") \S")
_HAS_PLACE = re.compile(r"(?:^| )(?:THÀNH PHỐ|THỊ XÃ|THỊ TRẤN|TỈNH|HUYỆN|QUẬN|PHƯỜNG|TP\.?|XÃ(?! HỘI))(?= \S)")
# The words a name's parts start after: "Sở Giáo dục và Đào tạo", "Sở Lao động - Thương binh và Xã hội".
_JOINERS = frozenset({"và", "-", "–", ","})
# Kinds of body (folded) whose name goes on after them with a capital: "Sở Y tế", "Văn phòng Tỉnh ủy".
_KINDS = ("VAN PHONG", "CHI CUC", "TONG CUC", "TRUNG TAM", "BENH VIEN", "SO", "PHONG", "BO", "CUC", "BAN", "VU",
          "VIEN", "TRUONG", "THANH TRA", "KHO BAC", "CONG AN", "BAO HIEM XA HOI")
# Abbreviations printed in capitals inside names.
_ABBREVIATIONS = frozenset({"UBND", "HĐND", "MTTQ", "BCH", "BHXH", "BHYT", "ĐBQH", "TW", "KCN", "TNHH", "THPT",
                            "THCS", "CP", "VN"})


def _upper(text: str) -> str:
    return " ".join(text.upper().replace("UỶ", "ỦY").split())


def _key(text: str) -> str:
    return words_key(fold_key(text.upper().replace("UỶ", "ỦY")))


def _capital(word: str) -> str:
    return word[:1].upper() + word[1:].lower()


def _proper(words: list[str]) -> str:
    """A place's proper name, every syllable capitalised: "TÂY NINH" → "Tây Ninh"."""
    return " ".join(w if w.upper() in _ABBREVIATIONS else _capital(w) for w in words)


def agency_case(name: str) -> str:
    """An agency's name as written in running text (NĐ 30 Phụ lục II: capitals for the first letter of the name and
    of each of its parts, abbreviations kept): "SỞ GIÁO DỤC VÀ ĐÀO TẠO" → "Sở Giáo dục và Đào tạo"."""
    words = name.replace("UỶ", "ỦY").replace("Uỷ", "Ủy").split()
    ups = [w.upper() for w in words]
    keys = [_key(w) for w in words]
    out: list[str] = []
    capital_next = True
    i = 0
    while i < len(words):
        word, up = words[i], ups[i]
        kind = next((k for k in _KINDS if " ".join(keys[i:i + len(k.split())]) == k), None) if not out else None
        if kind is not None:  # the kind of body: "Văn phòng", "Sở"; its name follows with a capital
            span = len(kind.split())
            out.append(" ".join([_capital(word), *(w.lower() for w in words[i + 1:i + span])]))
            i += span
            capital_next = True
            continue
        two = " ".join(ups[i:i + 2])
        if up in _COMMITTEE_WORDS and i + 1 < len(words) and ups[i + 1] == "ỦY":
            # "Tỉnh ủy Gia Lai", "Đảng ủy xã Thanh Sơn": a Party committee, then its place
            rest = agency_case(" ".join(words[i + 2:])) if i + 2 < len(words) and ups[i + 2] in _LEVELS \
                else _proper(words[i + 2:])
            out += [f"{_capital(word)} {words[i + 1].lower()}", rest]
            break
        if two in _LEVELS or (up in _LEVELS and not (up == "XÃ" and i + 1 < len(ups) and ups[i + 1] == "HỘI")):
            span = 2 if two in _LEVELS else 1
            level = " ".join(ups[i:i + span])
            out += [_LEVEL_NAMES.get(level, level.lower()), _proper(words[i + span:])]
            break
        if up in _ABBREVIATIONS:
            out.append(up)
        else:
            out.append(_capital(word) if capital_next else word.lower())
        capital_next = word.lower() in _JOINERS
        i += 1
    return " ".join(part for part in out if part)


def _locality(parent: str) -> str | None:
    """What a parent line adds to the name of a body under it: "UBND TỈNH TÂY NINH" → "tỉnh Tây Ninh", "TỈNH ỦY
    GIA LAI" → "Tỉnh ủy Gia Lai"; None for any other parent (a ministry above its department: not guessed)."""
    up = _upper(parent)
    if _GOVERNMENT.match(up):
        place = _HAS_PLACE.search(up)
        assert place is not None
        return agency_case(" ".join(parent.split())[place.start():].strip())
    if _COMMITTEE.match(up):
        return agency_case(parent)
    return None


def full_issuer(issuer: str | None, parent: str | None) -> str | None:
    """The issuer's full name when its header names the body above it and the issuer's own line does not carry the
    place ("SỞ Y TẾ" under "UBND TỈNH TÂY NINH" → "Sở Y tế tỉnh Tây Ninh"); None when there is nothing to add."""
    if not issuer or not parent:
        return None
    up = _upper(issuer)
    if _HAS_PLACE.search(up) or _COMMITTEE.match(up) or _GOVERNMENT.match(up):
        return None  # "HUYỆN ỦY NAM ĐÀN", "SỞ Y TẾ TỈNH TÂY NINH": already the whole name
    locality = _locality(parent)
    if locality is None:
        return None
    return f"{agency_case(issuer)} {locality}"
