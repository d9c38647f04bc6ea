"""What each line is, read once: references, header parts, list labels, signature parts, urgency/secrecy marks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from app.extraction.normalize import Segment, has_lower, is_upper_text, looks_like_name, make_date, words_key
from app.extraction.patterns import (
    _AUTHORITY,
    _DATE_NUMERIC,
    _DATE_WORDS,
    _MARK_LINE,
    _MOTTO,
    _NATIONAL_PARTY,
    _NATIONAL_STATE,
    _NOI_NHAN,
    _NUMBER_LABEL,
    _NUMBER_LINE,
    _PLACEHOLDER_WORDS,
    _RECIPIENT_INTRO,
    _SIG_LABEL,
    _VV,
    SHORT,
)
from app.extraction.vocabulary import (
    AGENCY_STARTS,
    LOCALITY_STARTS,
    NOT_AGENCY,
    SECRECY_MARKS,
    TITLE_KEYS,
    TITLE_PREFIXES,
    TYPE_NAMES,
    URGENCY_MARKS,
)

# ---------------------------------------------------------------------------------------------------------------
# Per-segment reading


@dataclass(slots=True)
class Ref:
    """A document reference as read: number, notation and the normalised reference string."""

    number: int
    notation: str
    reference: str
    family: str  # "state" (3646/SYT-VP) or "party" (1737-TB/VPTU)
    abbreviation: str | None  # type abbreviation inside the notation, upper case ("QĐ", "TB"), if any
    end: int = 0


def _squeeze(text: str) -> str:
    value = "".join(text.split())
    if has_lower(value) and not any(ch.isupper() for ch in value):
        value = value.upper()  # "qđ-ubnd" -> "QĐ-UBND"; mixed case such as "QĐ-TTg" is kept as printed
    return value


def _ref_from(match: re.Match[str], text: str) -> Ref | None:
    number_text = match.group("num")
    if match.group("snot") is not None:
        start, end = match.span("snot")
        notation = _squeeze(text[start:end])
        last = notation.rsplit("/", 1)[-1].split("-")
        abbreviation = last[0].upper() if len(last) >= 2 else None
        return Ref(int(number_text), notation, f"{number_text}/{notation}", "state", abbreviation, match.end())
    if match.group("ptype") is None:
        return None
    ptype = _squeeze(text[match.start("ptype"):match.end("ptype")])
    issuer = _squeeze(text[match.start("pissuer"):match.end("pissuer")])
    notation = f"{ptype}/{issuer}"
    return Ref(int(number_text), notation, f"{number_text}-{notation}", "party", ptype.upper(), match.end())


def _starts_with_word(words: str, prefixes: tuple[str, ...]) -> bool:
    for prefix in prefixes:
        prefix = prefix.strip()
        if words == prefix or words.startswith(prefix + " "):
            return True
    return False


def _is_placeholder(text: str, wkey: str) -> bool:
    """'[Chữ ký]', '(Đã ký)', '(Đã ký và đóng dấu)', '[Dấu]': where the signature or seal is on paper."""
    if len(text) > 50:
        return False
    words = set(wkey.split())
    if text[:1] in "[(" and text[-1:] in "])" and words & _PLACEHOLDER_WORDS:
        return True
    return wkey in {"DA KY", "KY", "CHU KY", "DAU", "DA KY VA DONG DAU", "KY TEN DONG DAU"}


def _is_title_words(text: str) -> bool:
    upper = text.upper()
    return len(text) <= 60 and not any(ch.isdigit() for ch in text) and upper.startswith(TITLE_PREFIXES)


@dataclass(slots=True)
class Info:
    """What one segment is, read once: header parts, list labels, signature parts."""

    wkey: str = ""
    short: bool = False
    upper: bool = False
    national: str | None = None
    agency_prefix: str = ""
    motto: bool = False
    number: Ref | None = None
    number_label: bool = False
    title: str | None = None
    vv: int = -1  # end of the "V/v" label in the text
    recipient_intro: int = -1  # end of the "Kính gửi:" label
    noi_nhan: int = -1  # end of the "Nơi nhận:" label
    authority: tuple[str, str, str | None] | None = None  # (printed authority, family of the form, title)
    name: bool = False
    placeholder: bool = False
    sig_label: bool = False
    title_words: bool = False
    mark: tuple[str | None, str | None] | None = None
    date_line: tuple[date | None, str | None] | None = None
    agency: bool = False
    body_end: bool = False
    prose: bool = False


def _authority(text: str, key: str) -> tuple[str, str, str | None] | None:
    """'KT. CHỦ TỊCH' -> ('KT. CHỦ TỊCH', 'state', None); 'T/L BAN THƯỜNG VỤ' -> (…, 'party', None)."""
    if len(text) > 100:
        return None
    match = _AUTHORITY.match(key)
    if match is None:
        return None
    form = match.group("form").replace(" ", "")
    sep = match.group("sep")
    rest = text[match.start("rest"):]
    if form == "Q" and "." not in sep:
        return None
    if not is_upper_text(rest) or not is_upper_text(text[:match.end("form")]):
        return None
    family = "party" if "/" in form else ("state" if form != "Q" else "")
    printed = " ".join(text.split())
    title = None
    split_at = printed.find(" PHÓ ", match.start("rest"))
    if split_at > 0:  # "KT. CHỦ TỊCH PHÓ CHỦ TỊCH" read as one line
        printed, title = printed[:split_at], printed[split_at + 1:]
    return printed, family, title


def _mark(text: str) -> tuple[str | None, str | None] | None:
    if len(text) > 40:
        return None
    upper = text.upper()
    match = _MARK_LINE.match(upper)
    if match is None:
        return None
    urgency = secrecy = None
    for group in ("m1", "m2"):
        value = match.group(group)
        if value is None:
            continue
        if value.isascii() and not upper.isascii():
            return None  # "MAT" without marks only counts in a line printed without marks
        if value in URGENCY_MARKS:
            urgency = URGENCY_MARKS[value]
        else:
            secrecy = SECRECY_MARKS[value]
    return urgency, secrecy


def _date_line(seg: Segment, number: Ref | None) -> tuple[date | None, str | None] | None:
    if len(seg.text) > 120:
        return None
    key = seg.key
    match = _DATE_WORDS.search(key) or _DATE_NUMERIC.search(key)
    if match is None:
        return None
    prefix = seg.text[number.end if number else 0:match.start()]
    rest = seg.text[match.end():].strip(" .,;")
    if prefix.strip():
        if not prefix.rstrip().endswith(","):
            return None
    elif rest:
        return None  # "Ngày 19/9/2023, Ban Chấp hành …" opens a sentence: not the date line
    issued = make_date(match.group("d"), match.group("m"), match.group("y"))
    place: str | None = prefix.strip().rstrip(",").strip()
    if place:
        words = place.split()
        if not (len(words) <= 6 and len(place) <= 50 and place[:1].isupper()
                and not any(ch.isdigit() or ch in "/:;" for ch in place)):
            return None  # "V/v … Kết luận số 21-KL/TW, ngày 25/10/2021": a date inside a sentence
    return issued, place or None


def _is_agency_text(text: str, wkey: str, upper: bool) -> bool:
    if not text or len(text) > 90 or text.endswith(".") or any(ch.isdigit() or ch in ":/;" for ch in text):
        return False
    if wkey in NOT_AGENCY or not wkey:
        return False
    if upper:
        return not _is_title_words(text)
    return len(text) <= 60 and (_starts_with_word(wkey, AGENCY_STARTS) or _starts_with_word(wkey, LOCALITY_STARTS))


def _classify(seg: Segment) -> Info:
    info = Info()
    text, key = seg.text, seg.key
    if not text:
        return info
    info.body_end = text.endswith("/.")
    info.prose = len(text) >= 60 and has_lower(text)
    if len(text) > SHORT:
        return info
    info.short = True
    wkey = words_key(key)
    info.wkey = wkey
    info.upper = is_upper_text(text)
    # national title, motto
    for phrase, family in ((_NATIONAL_STATE, "state"), (_NATIONAL_PARTY, "party")):
        if phrase not in wkey:
            continue
        if wkey.startswith(phrase):
            exact = wkey in (phrase, _NATIONAL_PARTY, _NATIONAL_STATE + " VIET NAM",
                             _NATIONAL_STATE + " VIET NAM " + _MOTTO)
            if info.upper or exact:
                info.national = family
        elif info.upper:
            position = key.find(phrase)
            prefix = text[:position].strip(" -–") if position > 0 else ""
            if prefix and _is_agency_text(prefix, words_key(key[:position]), True):
                info.national, info.agency_prefix = family, prefix
        if info.national:
            info.prose = False
            return info
    if _MOTTO in wkey:
        position = key.find("DOC LAP")
        if len(wkey) <= len(_MOTTO) + 4:
            info.motto = True
            return info
        if position > 0:  # "SỞ Y TẾ Độc lập - Tự do - Hạnh phúc": two header columns read as one line
            prefix = text[:position].strip(" -–")
            if prefix and is_upper_text(prefix) and _is_agency_text(prefix, words_key(key[:position]), True):
                info.motto, info.agency_prefix = True, prefix
                return info
    # number line, date line
    match = _NUMBER_LINE.match(key)
    if match is not None and len(text) - match.end() <= 60:  # a header line, not a sentence opening with "Số"
        info.number = _ref_from(match, text)
    elif _NUMBER_LABEL.match(key):
        info.number_label = True
    info.date_line = _date_line(seg, info.number)
    if info.date_line is not None:
        info.prose = False
    # titles and labels
    if info.upper and wkey in TITLE_KEYS and not text.endswith(":") and len(text) <= 40:
        info.title = TYPE_NAMES[wkey]
    vv = _VV.match(key)
    if vv is not None:
        info.vv = vv.end()
    intro = _RECIPIENT_INTRO.match(key)
    if intro is not None:
        info.recipient_intro = intro.end()
    elif text.endswith(":") and wkey.endswith(" DIEN") and len(text) <= 120:
        info.recipient_intro = len(text)  # "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH điện:" opens a công điện's addressees
    noi = _NOI_NHAN.match(key)
    if noi is not None:
        info.noi_nhan = noi.end()
    info.authority = _authority(text, key)
    info.placeholder = _is_placeholder(text, wkey)
    info.sig_label = _SIG_LABEL.match(key) is not None
    info.mark = _mark(text)
    info.title_words = info.upper and _is_title_words(text)
    info.name = not seg.bullet and looks_like_name(text)
    info.agency = (not seg.bullet and not info.name and info.title is None and info.mark is None
                   and info.authority is None and info.vv < 0 and info.date_line is None
                   and not info.placeholder and not info.sig_label and _is_agency_text(text, wkey, info.upper))
    return info
