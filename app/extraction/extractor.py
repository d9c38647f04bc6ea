"""Text in, Extraction out: split a bundle into documents and read each one's register fields, never guessing."""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from app.extraction.normalize import (
    Segment,
    clean_item,
    has_lower,
    is_upper_text,
    looks_like_name,
    make_date,
    split_segments,
    words_key,
)
from app.extraction.records import Citation, DigitalSignature, ExtractedDocument, Extraction, ReceivedStamp
from app.extraction.vocabulary import (
    AGENCY_STARTS,
    CITE_KEYS,
    CITE_QUALIFIERS,
    LOCALITY_STARTS,
    NOT_AGENCY,
    PARTY_ABBREVIATIONS,
    SECRECY_MARKS,
    SECRECY_RANK,
    STATE_ABBREVIATIONS,
    TITLE_KEYS,
    TITLE_PREFIXES,
    TYPE_NAMES,
    URGENCY_MARKS,
    URGENCY_RANK,
)

# Work per segment is bounded: header, signature and list checks only look at segments up to this length.
SHORT = 300
HEADER_SPAN = 80  # segments from a document's start in which its header (number, date, title) is looked for
STAMP_SPAN = 80  # segments from the start of the input in which the ĐẾN stamp is looked for
LOOK_BACK = 12  # segments above a new header searched for its agency lines

# ---------------------------------------------------------------------------------------------------------------
# Patterns. They run on the folded key (upper case, no marks, same length as the text), every quantifier is
# bounded or possessive, so each match attempt costs a bounded amount of work: scanning is linear in the text.

_CODE = r"[A-Z][A-Z0-9]{0,11}+"
_TAIL = r"(?:\s?-\s?[A-Z0-9]{1,12}+){0,4}"
# "3646 /SYT-VP", "30/2020/NĐ-CP", "1737-TB/VPTU", "797 -CV/BCSD", "1272' -CV/TU"
_REF = (
    r"(?P<num>\d{1,6}+)(?:\s{0,2}['’`\"])?\s{0,2}"
    r"(?:-\s{0,2}(?P<ptype>[A-Z][A-Z0-9]{0,7}+)\s{0,2}/\s{0,2}(?P<pissuer>" + _CODE + _TAIL + r")"
    r"|/\s{0,2}(?P<snot>(?:\d{4}\s{0,2}/\s{0,2})?" + _CODE + _TAIL + r"))"
    r"(?![A-Z0-9/-])"
)
_SO = r"SO\s{0,2}(?:[:.]\s{0,3}|\s{1,3})"
_NUMBER_LINE = re.compile(r"^" + _SO + _REF)
_NUMBER_EMBEDDED = re.compile(r"(?<![A-Z0-9])" + _SO + _REF)
_NUMBER_LABEL = re.compile(r"^SO\s{0,2}[:.]?$")
_BARE_REF = re.compile(r"^" + _REF)

_GAP = r"[\s._…]{0,12}"
_DATE_WORDS = re.compile(r"(?<![A-Z])NGAY" + _GAP + r"(?P<d>\d{1,2})?" + _GAP + r"THANG" + _GAP
                         + r"(?P<m>\d{1,2})?" + _GAP + r"NAM" + _GAP + r"(?P<y>\d{4})?(?!\d)")
_DATE_NUMERIC = re.compile(r"(?<![A-Z])NGAY\s{0,2}(?P<d>\d{1,2})\s{0,2}[/.-]\s{0,2}(?P<m>\d{1,2})\s{0,2}[/.-]"
                           r"\s{0,2}(?P<y>\d{4})(?!\d)")
_DATE = (r"(?:(?P<d1>\d{1,2})\s{0,2}[/.-]\s{0,2}(?P<m1>\d{1,2})\s{0,2}[/.-]\s{0,2}(?P<y1>\d{4})"
         r"|(?P<d2>\d{1,2})\s{1,3}THANG\s{1,3}(?P<m2>\d{1,2})\s{1,3}NAM\s{1,3}(?P<y2>\d{4}))(?!\d)")

_TYPE_ALT = "|".join(k.replace(" ", r"\s{1,2}") for k in CITE_KEYS)
_QUALIFIER_ALT = "|".join(q.replace(" ", r"\s{1,2}") for q in CITE_QUALIFIERS)
_CITE = re.compile(
    r"(?<![A-Z0-9])(?P<type>" + _TYPE_ALT + r")(?:\s{1,2}(?:" + _QUALIFIER_ALT + r"))?"
    r"\s{1,3}SO\s{0,2}:?\s{0,2}" + _REF
    + r"(?:\s{0,2}[,;]?\s{0,3}\(?\s{0,2}(?:CUA(?:\s(?!VE\s)[A-Z0-9&-]{1,15}+){1,8}\s{0,2},?\s{0,2})?NGAY\s{1,3}"
    + _DATE + r")?"
)
_DEADLINE = re.compile(
    r"(?<![A-Z])(?:TRUOC|CHAM\s{1,2}NHAT(?:\s{1,2}LA)?|HAN\s{1,2}CHOT(?:\s{1,2}LA)?|HAN\s{1,2}CUOI(?:\s{1,2}LA)?)"
    r"\s{1,3}(?:\d{1,2}\s{0,2}(?:GIO|H)(?:\s{0,2}\d{1,2}(?:\s{0,2}PHUT)?)?\s{0,2},?\s{0,3})?(?:NGAY\s{1,3})?"
    + _DATE
)
_REPORT_VERB = re.compile(r"(?<![A-Z])(?:BAO\sCAO|GUI|NOP|DANG\sKY|PHAN\sHOI|GOP\sY|CUNG\sCAP|TONG\sHOP|TRA\sLOI"
                          r"|HOAN\sTHANH|HOAN\sTHIEN)(?![A-Z])")
_STAMP = re.compile(
    r"(?<![A-Z])(?:DEN\s{0,3}[:.]?\s{0,3}SO|SO\s{1,2}DEN)\s{0,2}[:.]?\s{0,3}(?P<n>\d{1,7})(?!\d)"
    r"(?:.{0,40}?NGAY(?:\s{1,2}DEN)?\s{0,2}[:.]?\s{0,3}(?P<d>\d{1,2})\s{0,2}[/.-]\s{0,2}(?P<m>\d{1,2})\s{0,2}[/.-]"
    r"\s{0,2}(?P<y>\d{2,4})(?!\d))?"
)
_AUTHORITY = re.compile(r"^(?P<form>T\s?/\s?U\s?Q|K\s?/\s?T|T\s?/\s?M|T\s?/\s?L|TUQ|KT|TM|TL|Q)"
                        r"(?P<sep>\s{0,2}[.:]\s{0,2}|\s{1,2})(?P<rest>[A-Z])")
_RECIPIENT_INTRO = re.compile(r"^(?:TRAN\s{1,2}TRONG\s{1,2})?KINH\s{1,2}(?:GUI|MOI)(?![A-Z])\s{0,2}:?\s{0,2}")
_NOI_NHAN = re.compile(r"^NOI\s{1,2}NHAN(?![A-Z])\s{0,2}:?\s{0,2}")
_VV = re.compile(r"^V\s?/\s?V(?![A-Z0-9])\s{0,2}[:.]?\s{0,2}")
_SIGNED_BY = re.compile(r"^KY\s{1,2}BOI\s{0,2}:?\s{0,2}")
_ORGANIZATION = re.compile(r"^CO\s{1,2}QUAN\s{0,2}:\s{0,2}")
_SIGNED_AT = re.compile(r"^THOI\s{1,2}GIAN\s{1,2}KY\s{0,2}:?\s{0,2}")
_SIG_LABEL = re.compile(r"^(?:KY\s{1,2}BOI|CO\s{1,2}QUAN\s{0,2}:|THOI\s{1,2}GIAN|EMAIL|NGAY\s{1,2}KY"
                        r"|CHUC\s{1,2}VU\s?:)")
_ISO_TIME = re.compile(r"(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})[T ](?P<h>\d{2}):(?P<mi>\d{2}):(?P<s>\d{2})"
                       r"(?:\.\d{1,6})?\s?(?P<tz>Z|[+-]\d{2}:?\d{2})?")
_VN_TIME = re.compile(r"(?P<d>\d{1,2})[./-](?P<mo>\d{1,2})[./-](?P<y>\d{4})\s{1,3}(?P<h>\d{1,2}):(?P<mi>\d{2})"
                      r"(?::(?P<s>\d{2}))?\s{0,2}(?P<tz>Z|[+-]\d{2}:?\d{2})?")
_MARK_ALT = "|".join(sorted({*URGENCY_MARKS, *SECRECY_MARKS}, key=len, reverse=True))
_MARK_LINE = re.compile(r"^[\[(«\"']?\s?(?:ĐỘ\s(?:KHẨN|MẬT)\s?:\s?)?(?P<m1>" + _MARK_ALT + r")"
                        r"(?:\s{0,2}[-,;/|]\s{0,2}(?P<m2>" + _MARK_ALT + r"))?\s?[\])»\"'.!]?$")
_PARTY_WORDS = re.compile(r"(?<!\w)(?:(?:TỈNH|HUYỆN|THÀNH|QUẬN|THỊ|ĐẢNG|XÃ|PHƯỜNG|KHỐI)\s?ỦY|ĐẢNG|BỘ CHÍNH TRỊ"
                          r"|BAN BÍ THƯ|CHI BỘ)(?!\w)")
_STATE_WORDS = re.compile(r"^(?:ỦY BAN NHÂN DÂN|UBND|HỘI ĐỒNG NHÂN DÂN|HĐND|SỞ|BỘ(?! CHÍNH TRỊ)|TỔNG CỤC|CỤC"
                          r"|CHI CỤC|CHÍNH PHỦ|THỦ TƯỚNG)(?!\w)")
_PLACEHOLDER_WORDS = frozenset({"KY", "DAU", "SIGNATURE", "SIGNED", "STAMP"})
_NATIONAL_STATE = "CONG HOA XA HOI CHU NGHIA"
_NATIONAL_PARTY = "DANG CONG SAN VIET NAM"
_MOTTO = "DOC LAP TU DO HANH PHUC"


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


# ---------------------------------------------------------------------------------------------------------------
# Splitting a bundle


@dataclass
class _SplitState:
    has_body: bool = False
    has_number: bool = False
    sig_started: bool = False
    closed: bool = False
    in_subject: bool = False


def _look_back(segs: list[Segment], infos: list[Info], index: int, floor: int) -> int:
    """The first agency (or urgency) line of the header whose national title or number line is at index."""
    start = index
    k = index - 1
    steps = 0
    while k > floor and steps < LOOK_BACK:
        steps += 1
        if not segs[k].blank:
            info = infos[k]
            if not (info.agency or info.mark):
                break
            start = k
        k -= 1
    return start


def _split(segs: list[Segment], infos: list[Info]) -> list[tuple[int, int]]:
    starts = [0]
    state = _SplitState()
    for i, seg in enumerate(segs):
        if seg.blank:
            state.in_subject = False
            continue
        info = infos[i]
        trigger, back = False, True
        if info.national:
            trigger = state.closed or state.has_body
        elif info.number is not None:
            trigger = state.closed or (state.has_number and state.has_body)
        elif info.title:
            trigger, back = state.closed, False
        if trigger and i > starts[-1]:
            starts.append(_look_back(segs, infos, i, starts[-1]) if back else i)
            state = _SplitState()
        if info.number is not None:
            state.has_number = True
        if info.title or info.vv >= 0:
            state.in_subject = True
        elif info.recipient_intro >= 0 or (info.prose and not state.in_subject):
            state.has_body = True
        if info.noi_nhan >= 0 or info.authority or info.body_end:
            state.sig_started = state.has_body = True
        elif info.name and state.sig_started:
            state.closed = True
    return list(zip(starts, [*starts[1:], len(segs)], strict=True))


# ---------------------------------------------------------------------------------------------------------------
# Reading one document


@dataclass
class _Paragraph:
    text: str
    key: str
    offsets: list[int]
    lines: list[int]

    def line_at(self, position: int) -> int:
        return self.lines[max(0, bisect.bisect_right(self.offsets, position) - 1)]


def _paragraph(parts: list[Segment]) -> _Paragraph:
    offsets, lines, position = [], [], 0
    for part in parts:
        offsets.append(position)
        lines.append(part.no)
        position += len(part.text) + 1
    return _Paragraph(" ".join(p.text for p in parts), " ".join(p.key for p in parts), offsets, lines)


@dataclass
class _Reader:
    segs: list[Segment]
    infos: list[Info]
    start: int
    end: int
    doc: ExtractedDocument = field(default_factory=ExtractedDocument)
    header_end: int = 0
    sig_start: int = 0
    subject_rows: set[int] = field(default_factory=set)
    number_rows: set[int] = field(default_factory=set)
    title_row: int | None = None
    vv_row: int | None = None
    national_row: int | None = None
    own_ref: Ref | None = None
    authority_family: str | None = None

    def set(self, name: str, value: object, line: int) -> None:
        setattr(self.doc, name, value)
        self.doc.sources[name] = line

    # -- header -----------------------------------------------------------------------------------------------
    def _subject_lines(self, first: int, lead: int | None = None) -> list[int]:
        """Rows of a subject: after a title (lead None) its first line may follow blank lines; after the V/v line
        (lead) the wrapped lines follow at once. It ends at a blank line or at another part of the document."""
        rows: list[int] = []
        k = first
        skipped = 0
        while k < self.end and len(rows) < 7:
            seg, info = self.segs[k], self.infos[k]
            last = rows[-1] if rows else lead
            if seg.blank:
                if last is None and skipped < 4:
                    skipped += 1
                    k += 1
                    continue
                if last is not None and self._continues_after_blank(k, last):
                    k += 1
                    continue
                break
            if seg.right and last is not None:
                k += 1  # the other column of a two-column line (the date beside the V/v)
                continue
            if not info.short or info.national or info.motto or info.number or info.date_line or info.title \
                    or info.recipient_intro >= 0 or info.noi_nhan >= 0 or info.authority or info.mark \
                    or info.sig_label or (last is not None and info.vv >= 0):
                break
            if info.wkey.startswith(("CAN CU", "THUC HIEN", "KINH ", "NGAY ")):
                break
            if rows and info.upper and any(has_lower(self.segs[r].text) for r in rows):
                break  # "ỦY BAN NHÂN DÂN TỈNH …" under a decision's subject
            if last is not None and (len(seg.text) > 90 or self.segs[last].text.endswith((".", ":", ";"))):
                break  # a body paragraph right under the subject, with no blank line between
            rows.append(k)
            k += 1
        return rows

    def _continues_after_blank(self, blank: int, last: int) -> bool:
        """A line broken by a blank line (double-spaced OCR): the next line goes on in lower case."""
        nxt = next((j for j in range(blank + 1, min(self.end, blank + 3)) if not self.segs[j].blank), None)
        if nxt is None or self.segs[nxt].right:
            return False
        text = self.segs[nxt].text
        return (text[:1].islower() and len(text) <= 90 and self.infos[nxt].short
                and not self.segs[last].text.endswith((".", ":", ";")))

    def read_header(self) -> None:
        segs, infos = self.segs, self.infos
        limit = min(self.end, self.start + HEADER_SPAN)
        title_rows: list[int] = []
        vv_rows: list[int] = []
        k = self.start
        while k < limit:
            seg, info = segs[k], infos[k]
            if seg.blank:
                k += 1
                continue
            if info.title and self.title_row is None:
                self.title_row = k
                title_rows = self._subject_lines(k + 1)
                k = (title_rows[-1] if title_rows else k) + 1
                continue
            if info.vv >= 0 and self.vv_row is None:
                self.vv_row = k
                vv_rows = [k, *self._subject_lines(k + 1, lead=k)]
                k = vv_rows[-1] + 1
                continue
            if info.recipient_intro >= 0 or info.noi_nhan >= 0 or info.authority or (info.prose and info.short
                                                                                     and info.date_line is None) \
                    or not info.short:
                break
            k += 1
        self.header_end = k
        zone = range(self.start, self.header_end)
        subject_zone = {*title_rows, *vv_rows}
        stop = min([r for r in (self.title_row, self.vv_row) if r is not None], default=self.header_end)

        # national title, number, date, marks
        for r in zone:
            info = infos[r]
            if info.national and self.national_row is None:
                self.national_row = r
            if info.number is not None and self.own_ref is None:
                self.own_ref = info.number
                self.number_rows.add(r)
                stop = min(stop, r)
            if info.date_line is not None and r not in subject_zone and self.doc.sources.get("place") is None \
                    and self.doc.sources.get("issued_on") is None:
                issued, place = info.date_line
                if issued is not None:
                    self.set("issued_on", issued, segs[r].no)
                if place is not None:
                    self.set("place", place, segs[r].no)
            if info.mark is not None:
                urgency, secrecy = info.mark
                if urgency and URGENCY_RANK[urgency] > URGENCY_RANK.get(self.doc.urgency or "", 0):
                    self.set("urgency", urgency, segs[r].no)
                if secrecy and SECRECY_RANK[secrecy] > SECRECY_RANK.get(self.doc.secrecy or "", 0):
                    self.set("secrecy", secrecy, segs[r].no)
        if self.own_ref is None:
            self._number_fallback(zone, subject_zone)
        if self.own_ref is not None:
            row = min(self.number_rows)
            stop = min(stop, row)
            self.set("number", self.own_ref.number, segs[row].no)
            self.set("notation", self.own_ref.notation, segs[row].no)
            self.set("reference", self.own_ref.reference, segs[row].no)

        # issuer and its parent from the agency lines
        self._read_agency(range(self.start, stop))

        # subject and type
        subject_rows = title_rows or (vv_rows if self.vv_row is not None else [])
        if subject_rows:
            parts = [segs[r].text for r in subject_rows]
            if infos[subject_rows[0]].vv >= 0:  # stored without its "V/v" label
                parts[0] = parts[0][infos[subject_rows[0]].vv:]
            subject = " ".join(p for p in (part.strip() for part in parts) if p)
            if subject:
                self.set("subject", subject, segs[subject_rows[0]].no)
                self.subject_rows.update(subject_rows)
        if self.title_row is not None:
            self.set("doc_type", infos[self.title_row].title, segs[self.title_row].no)
        elif self.own_ref is not None and self.own_ref.abbreviation:
            table = PARTY_ABBREVIATIONS if self.own_ref.family == "party" else STATE_ABBREVIATIONS
            if self.own_ref.abbreviation in table:
                self.set("doc_type", table[self.own_ref.abbreviation], segs[min(self.number_rows)].no)
        if self.doc.doc_type is None and self.vv_row is not None:
            self.set("doc_type", "Công văn", segs[self.vv_row].no)

    def _number_fallback(self, zone: range, subject_zone: set[int]) -> None:
        segs, infos = self.segs, self.infos
        for r in zone:
            info = infos[r]
            if info.number_label:  # "Số:" with the reference on the next line
                nxt = next((j for j in range(r + 1, min(r + 3, self.header_end)) if not segs[j].blank), None)
                if nxt is not None:
                    match = _BARE_REF.match(segs[nxt].key)
                    if match is not None:
                        self.own_ref = _ref_from(match, segs[nxt].text)
                        self.number_rows.update((r, nxt))
                        return
            if info.short and len(segs[r].text) <= 120 and r not in subject_zone:
                match = _NUMBER_EMBEDDED.search(segs[r].key)
                if match is not None and segs[r].text[match.start()] == "S" \
                        and is_upper_text(segs[r].text[:match.start()] or "S"):
                    self.own_ref = _ref_from(match, segs[r].text)
                    self.number_rows.add(r)
                    return

    def _read_agency(self, rows: range) -> None:
        segs, infos = self.segs, self.infos
        before: list[tuple[str, int]] = []
        after: list[tuple[str, int]] = []
        # Agency lines above the national title win over lines below it (OCR reads the columns one after the
        # other); when the national title shares its line with an agency, the columns were read side by side.
        side_by_side = self.national_row is not None and bool(infos[self.national_row].agency_prefix)
        for r in rows:
            info = infos[r]
            text = info.agency_prefix or (segs[r].text if info.agency else "")
            if text:
                below = self.national_row is not None and r > self.national_row and not side_by_side
                (after if below else before).append((text, segs[r].no))
        texts: list[str] = []  # one agency per entry, wrapped lines joined
        numbers: list[int] = []
        for text, no in before or after:
            if texts and _joins(texts[-1], text):
                texts[-1] = f"{texts[-1]} {text}"
            else:
                texts.append(text)
                numbers.append(no)
        if texts:
            self.set("issuer", texts[-1].upper(), numbers[-1])
            if len(texts) >= 2:
                self.set("issuer_parent", texts[-2].upper(), numbers[-2])

    # -- lists and signature -----------------------------------------------------------------------------------
    def find_signature_zone(self) -> None:
        first_noi = next((r for r in range(self.header_end, self.end) if self.infos[r].noi_nhan >= 0), None)
        last_end = None
        last_prose = None
        for r in range(self.header_end, self.end):
            info = self.infos[r]
            if info.body_end:
                last_end = r
            if info.prose and not self.segs[r].bullet:
                last_prose = r
        candidates = [r for r in (first_noi, last_end) if r is not None]
        if candidates:
            self.sig_start = min(candidates)
        else:
            self.sig_start = max(self.header_end, (last_prose + 1) if last_prose is not None else self.header_end)

    def _list_after(self, row: int, rest: str, distribution: bool) -> list[str]:
        """The items under 'Kính gửi:' / 'Nơi nhận:': bullet lines, wrapped items joined, separators dropped."""
        raw: list[str] = []  # items as printed; cleaned at the end
        rest = rest.strip().lstrip("-–+•").strip()
        if rest:
            raw.append(rest)
        misses = 0
        joinable = bool(raw)  # the last item may continue on the next line
        for r in range(row + 1, self.end):
            seg, info = self.segs[r], self.infos[r]
            if seg.blank:
                joinable = False
                continue
            if len(raw) >= 80:
                break
            text = seg.text
            starts_lu = info.wkey.startswith("LUU") and info.short
            plain_item = ((joinable or not raw) and len(text) <= 100 and text.endswith((";", ",")) and not info.upper
                          and not info.wkey.startswith(("CAN CU", "THUC HIEN", "THEO ", "TIEP THEO")))
            if not seg.right and (seg.bullet or (distribution and starts_lu) or plain_item):
                raw.append(text)
                misses, joinable = 0, True
                if distribution and starts_lu:
                    break  # "Lưu: VT, VP." closes the list
                continue
            if joinable and not seg.right and len(text) <= 120 and text[:1].islower() \
                    and not raw[-1].endswith((";", ".", ":")):
                raw[-1] = f"{raw[-1]} {text}"  # an item wrapped onto the next line
                continue
            joinable = False
            if distribution and (seg.right or info.authority or info.placeholder or info.name
                                 or (info.upper and info.short) or not any(ch.isalpha() for ch in text)):
                misses += 1  # the signature block printed beside or between the list items
                if misses > 6:
                    break
                continue
            if not distribution and seg.right:
                continue
            break
        return [item for item in (clean_item(text) for text in raw) if item]

    def read_lists(self) -> None:
        segs, infos = self.segs, self.infos
        for r in range(self.start, max(self.sig_start, min(self.end, self.header_end + 1))):
            if infos[r].recipient_intro >= 0:
                rest = segs[r].text[infos[r].recipient_intro:]
                items = self._list_after(r, rest, distribution=False)
                if items:
                    self.set("recipients", items, segs[r].no)
                break
        for r in range(self.header_end, self.end):
            info = infos[r]
            if info.noi_nhan >= 0:
                rest = segs[r].text[info.noi_nhan:]
                rest_info = _classify(Segment(segs[r].no, rest, segs[r].key[info.noi_nhan:], False, False))
                if rest_info.placeholder or rest_info.authority:
                    rest = ""
                items = self._list_after(r, rest, distribution=True)
                if items:
                    self.set("distribution", items, segs[r].no)
                break

    def read_signature(self) -> None:
        segs, infos = self.segs, self.infos
        authority: list[str] = []
        authority_no = 0
        title: tuple[str, int] | None = None
        expect_title = False
        for r in range(self.sig_start, self.end):
            seg = segs[r]
            if seg.blank:
                continue
            info = infos[r]
            if info.noi_nhan >= 0:
                rest = seg.text[info.noi_nhan:]
                info = _classify(Segment(seg.no, rest, seg.key[info.noi_nhan:], False, True))
                if info.authority is None:
                    continue
            if seg.bullet or (info.wkey.startswith("LUU") and not seg.right):
                continue  # a distribution item
            if info.authority is not None:
                printed, family, split_title = info.authority
                if title is None and (not authority or expect_title):
                    if not authority:
                        authority_no = seg.no
                        self.authority_family = family or None
                    authority.append(printed)
                    if split_title:
                        title = (split_title, seg.no)
                    expect_title = True
                continue
            if info.placeholder:
                continue
            if title is None and self.doc.signer is None and info.short:
                if authority and expect_title and info.upper and not info.sig_label and info.mark is None \
                        and len(seg.text) <= 60 and not any(ch.isdigit() for ch in seg.text):
                    title = (seg.text, seg.no)
                    expect_title = False
                    continue
                if not authority and info.title_words:
                    title = (seg.text, seg.no)
                    continue
            expect_title = False
            if info.name:
                self.set("signer", seg.text, seg.no)
                break
        if authority:
            self.set("signing_authority", " ".join(authority), authority_no)
        if title is not None:
            self.set("signer_title", title[0], title[1])

    def read_digital_signature(self) -> None:
        segs, infos = self.segs, self.infos
        anchor = None
        for r in range(self.start, self.end):
            if infos[r].short and (_SIGNED_BY.match(segs[r].key) or _SIGNED_AT.match(segs[r].key)):
                anchor = r
                break
        if anchor is None:
            return
        signature = DigitalSignature()
        window = range(max(self.start, anchor - 2), min(self.end, anchor + 14))
        for r in window:
            seg = segs[r]
            if not infos[r].short:
                continue
            match = _SIGNED_BY.match(seg.key)
            if match is not None and signature.signed_by is None:
                signature.signed_by = self._label_value(r, match.end())
                continue
            match = _ORGANIZATION.match(seg.key)
            if match is not None and signature.organization is None:
                signature.organization = self._label_value(r, match.end())
                continue
            match = _SIGNED_AT.match(seg.key)
            if match is not None and signature.signed_at is None:
                signature.signed_at = self._timestamp(r, match.end())
        if signature.signed_by or signature.organization or signature.signed_at:
            self.set("digital_signature", signature, segs[anchor].no)

    def _label_value(self, row: int, offset: int) -> str | None:
        """The value after 'Ký bởi:' / 'Cơ quan:', continued on the next line when it wraps ('TỈNH ỦY' + 'TÂY NINH')."""
        segs, infos = self.segs, self.infos
        value = segs[row].text[offset:].strip()
        seen = 0
        for r in range(row + 1, min(self.end, row + 5)):
            seg, info = segs[r], infos[r]
            if seg.blank:
                continue
            seen += 1
            if seen > 1 or not info.short:
                break
            plain = (len(seg.text) <= 40 and not info.sig_label and not info.title_words and info.authority is None
                     and info.mark is None and not any(ch.isdigit() or ch == ":" for ch in seg.text))
            if not value and plain and not info.name:
                value = seg.text
            elif value and plain and info.upper and is_upper_text(value):
                value = f"{value} {seg.text}"
            break
        return value or None

    def _timestamp(self, row: int, offset: int) -> datetime | None:
        texts = [self.segs[row].text[offset:]]
        for r in range(row + 1, min(self.end, row + 6)):
            if not self.segs[r].blank:
                texts.append(self.segs[r].text)
                if len(texts) >= 3:
                    break
        for text in texts:
            match = _ISO_TIME.search(text) or _VN_TIME.search(text)
            if match is None:
                continue
            zone = match.group("tz")
            if zone is None:
                return None  # local time without its offset: the UTC instant cannot be known
            try:
                moment = datetime(int(match.group("y")), int(match.group("mo")), int(match.group("d")),
                                  int(match.group("h")), int(match.group("mi")), int(match.group("s") or 0))
                if zone != "Z":
                    sign = 1 if zone[0] == "+" else -1
                    digits = zone[1:].replace(":", "")
                    moment -= sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
            except (ValueError, OverflowError):
                return None
            return moment if 1990 <= moment.year <= 2100 else None
        return None

    # -- body: cites and deadline ----------------------------------------------------------------------------
    def _paragraphs(self) -> tuple[list[_Paragraph], _Paragraph | None]:
        """Body text as paragraphs (wrapped lines joined) for cites and deadlines, and the subject on its own.

        A single blank line does not end a paragraph when the text goes on in lower case or with a number after
        a line without final punctuation: a page break or double-spaced OCR inside a sentence."""
        paragraphs: list[_Paragraph] = []
        current: list[Segment] = []
        pending_break = False
        skip = self.number_rows | self.subject_rows

        def flush() -> None:
            nonlocal current
            if current:
                paragraphs.append(_paragraph(current))
                current = []

        for r in range(self.start, self.end):
            seg = self.segs[r]
            if seg.blank:
                pending_break = True
                continue
            if r in skip or seg.right:
                flush()
                if seg.right and r not in skip:
                    paragraphs.append(_paragraph([seg]))
                continue
            if current and (seg.bullet or (pending_break and not (
                    (seg.text[:1].islower() or seg.text[:1].isdigit())
                    and not current[-1].text.endswith((".", ":", ";", "!", "?"))))):
                flush()  # a list item or a real paragraph break
            pending_break = False
            current.append(seg)
        flush()
        subject = _paragraph([self.segs[r] for r in sorted(self.subject_rows)]) if self.subject_rows else None
        return paragraphs, subject

    def read_body(self) -> None:
        paragraphs, subject = self._paragraphs()
        own = self.own_ref.reference.casefold() if self.own_ref else None
        reference_date = self.doc.issued_on
        if reference_date is None and self.doc.digital_signature and self.doc.digital_signature.signed_at:
            reference_date = self.doc.digital_signature.signed_at.date()
        cites: dict[str, Citation] = {}
        dates_seen: dict[str, set[date]] = {}
        for paragraph in [*paragraphs, *([subject] if subject else [])]:
            for match in _CITE.finditer(paragraph.key):
                ref = _ref_from(match, paragraph.text)
                if ref is None or ref.reference.casefold() == own:
                    continue
                key = ref.reference.casefold()
                issued = _match_date(match)
                if issued is not None and reference_date is not None and issued > reference_date:
                    issued = None  # cited as dated after the citing document: a misprint, not a date to keep
                if issued is not None:
                    dates_seen.setdefault(key, set()).add(issued)
                if key in cites:  # named again: only completes a date the first mention lacked
                    if cites[key].issued_on is None and len(dates_seen.get(key, ())) == 1:
                        cites[key].issued_on = issued
                    continue
                doc_type = TYPE_NAMES.get(words_key(match.group("type")))
                cites[key] = Citation(ref.reference, doc_type, issued, paragraph.line_at(match.start()))
        for key, seen in dates_seen.items():
            if len(seen) > 1:
                cites[key].issued_on = None  # two different dates for one reference: not sure, left empty
        if cites:
            values = list(cites.values())
            self.set("cites", values, values[0].line or self.segs[self.start].no)
        self._read_deadline(paragraphs)

    def _read_deadline(self, paragraphs: list[_Paragraph]) -> None:
        found: list[tuple[date, int, bool]] = []
        floor = self.doc.issued_on
        for paragraph in paragraphs:
            for match in _DEADLINE.finditer(paragraph.key):
                when = _match_date(match)
                if when is None or (floor is not None and when < floor):
                    continue
                before = paragraph.key[max(0, match.start() - 200):match.start()]
                found.append((when, paragraph.line_at(match.start()), _REPORT_VERB.search(before) is not None))
        for group in ([f for f in found if f[2]], found):
            dates = {f[0] for f in group}
            if len(dates) == 1:
                when, line, _ = group[0]
                self.set("deadline", when, line)
                return
            if len(dates) > 1:
                return  # two different deadlines: not sure which one, leave it to the clerk

    # -- family ------------------------------------------------------------------------------------------------
    def read_family(self) -> None:
        segs = self.segs
        if self.national_row is not None:
            self.set("family", self.infos[self.national_row].national, segs[self.national_row].no)
            return
        if self.own_ref is not None:
            self.set("family", self.own_ref.family, self.doc.sources["reference"])
            return
        for name in ("issuer", "issuer_parent"):
            value = getattr(self.doc, name)
            if value:
                upper = value.upper().replace("UỶ", "ỦY")
                if _PARTY_WORDS.search(upper):
                    self.set("family", "party", self.doc.sources[name])
                    return
        for name in ("issuer", "issuer_parent"):
            value = getattr(self.doc, name)
            if value and _STATE_WORDS.match(value.upper()):
                self.set("family", "state", self.doc.sources[name])
                return
        if self.authority_family:
            self.set("family", self.authority_family, self.doc.sources["signing_authority"])

    def issuer_from_signature(self) -> None:
        """No header: the signing certificate names the unit ('Ký bởi: VĂN PHÒNG' + 'Cơ quan: TỈNH ỦY TÂY NINH')."""
        signature = self.doc.digital_signature
        if self.doc.issuer is not None or signature is None:
            return
        line = self.doc.sources["digital_signature"]
        unit, organization = signature.signed_by, signature.organization
        if unit and looks_like_name(unit):
            unit = None  # signed by a person: the organization is the issuer
        if unit and organization and not unit.upper().endswith(organization.upper()):
            self.set("issuer", f"{unit} {organization}".upper(), line)
        elif unit or organization:
            self.set("issuer", (unit or organization or "").upper(), line)


def _joins(above: str, below: str) -> bool:
    """Is below the continuation of the agency line above ('ỦY BAN NHÂN DÂN' + 'TỈNH TÂY NINH')?"""
    up_above, up_below = above.upper(), below.upper()
    words_above, words_below = up_above.split(), up_below.split()
    if not words_above or not words_below:
        return False
    if words_above[-1] in {"VÀ", "CỦA", "VỀ", "-", "–", "&"} or above.rstrip().endswith(("-", ",", "&")):
        return True
    if words_below[0] in {"VÀ", "&", "-", "–"} or below.lstrip().startswith(("-", "&")):
        return True
    localities = {"TỈNH", "HUYỆN", "QUẬN", "XÃ", "PHƯỜNG", "TP", "TP.", "THÀNH PHỐ", "THỊ XÃ", "THỊ TRẤN"}
    if words_above[-1] in localities or " ".join(words_above[-2:]) in localities:
        return True
    first = " ".join(words_below[:2]) if " ".join(words_below[:2]) in localities else words_below[0]
    second = words_below[len(first.split())] if len(words_below) > len(first.split()) else ""
    if first in localities and second not in {"ỦY", "UỶ"}:
        has_locality = any(w in localities for w in words_above) or any(
            " ".join(words_above[i:i + 2]) in localities for i in range(len(words_above) - 1))
        return not has_locality
    return False


def _match_date(match: re.Match[str]) -> date | None:
    groups = match.groupdict()
    if groups.get("y1"):
        return make_date(groups["d1"], groups["m1"], groups["y1"])
    if groups.get("y2"):
        return make_date(groups["d2"], groups["m2"], groups["y2"])
    return None


def _read_stamp(segs: list[Segment]) -> ReceivedStamp | None:
    limit = min(len(segs), STAMP_SPAN)
    for i in range(limit):
        seg = segs[i]
        if seg.blank or len(seg.text) > 100:
            continue
        parts = [seg]
        for j in range(i + 1, min(len(segs), i + 6)):
            if not segs[j].blank and len(segs[j].text) <= 100:
                parts.append(segs[j])
                if len(parts) >= 3:
                    break
        paragraph = _paragraph(parts)
        match = _STAMP.search(paragraph.key)
        if match is None or match.start() >= len(seg.text) or not paragraph.text[match.start()].isupper():
            continue
        stamp_date = make_date(match.group("d"), match.group("m"), match.group("y")) if match.group("y") else None
        return ReceivedStamp(int(match.group("n")), stamp_date, seg.no)
    return None


def _is_empty(doc: ExtractedDocument) -> bool:
    return not any((doc.reference, doc.issuer, doc.doc_type, doc.subject, doc.issued_on, doc.signer,
                    doc.signer_title, doc.signing_authority, doc.recipients, doc.distribution,
                    doc.digital_signature, doc.cites))


def _normalise_input(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    for separator in ("\r\n", "\r", "\f", "\v", "\u2028", "\u2029", "\x85"):
        text = text.replace(separator, "\n")
    return text


def _extract(text: str, into: Extraction) -> None:
    segs = split_segments(_normalise_input(text))
    infos = [_classify(seg) for seg in segs]
    into.received_stamp = _read_stamp(segs)
    for start, end in _split(segs, infos):
        reader = _Reader(segs, infos, start, end)
        reader.read_header()
        reader.find_signature_zone()
        reader.read_lists()
        reader.read_signature()
        reader.read_digital_signature()
        reader.issuer_from_signature()
        reader.read_body()
        reader.read_family()
        if not _is_empty(reader.doc):
            into.documents.append(reader.doc)


def extract(text: str) -> Extraction:
    """Read every document of a pasted text, .txt or PDF text layer. Never raises: an unreadable part stays empty."""
    result = Extraction()
    try:
        _extract(text if isinstance(text, str) else str(text), result)
    except Exception:  # noqa: BLE001 - a reading aid must never stop the clerk; what was read so far is kept
        return result
    return result
