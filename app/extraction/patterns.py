"""Bounded patterns the extractor runs on folded keys, and the limits on how far each check looks."""

from __future__ import annotations

import re

from app.extraction.vocabulary import CITE_KEYS, CITE_QUALIFIERS, SECRECY_MARKS, URGENCY_MARKS

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
# "trước ngày 15/7/2023", "chậm nhất là ngày …", "hạn chót …"; and "thời hạn hoàn thành: ngày …", "hạn gửi báo cáo
# trước ngày …", "hạn nộp đến ngày …" (a "hạn" needs "ngày" before its date: "hạn chế 3/2024" is no deadline).
_DEADLINE_TASK = (r"(?:\s{1,2}(?:GUI|NOP|BAO\s{1,2}CAO|HOAN\s{1,2}THANH|TRA\s{1,2}LOI|XU\s{1,2}LY"
                  r"|GIAI\s{1,2}QUYET)){0,2}")
_DEADLINE = re.compile(
    r"(?<![A-Z])(?:(?:TRUOC|CHAM\s{1,2}NHAT(?:\s{1,2}LA)?|HAN\s{1,2}CHOT(?:\s{1,2}LA)?|HAN\s{1,2}CUOI(?:\s{1,2}LA)?)"
    r"\s{1,3}(?:\d{1,2}\s{0,2}(?:GIO|H)(?:\s{0,2}\d{1,2}(?:\s{0,2}PHUT)?)?\s{0,2},?\s{0,3})?(?:NGAY\s{1,3})?"
    r"|(?:THOI\s{1,2})?HAN" + _DEADLINE_TASK + r"\s{0,2}:?\s{0,3}(?:LA\s{1,2})?"
    r"(?:(?:TRUOC|CHAM\s{1,2}NHAT|DEN)\s{1,2})?NGAY\s{1,3})"
    + _DATE
)
_REPORT_VERB = re.compile(r"(?<![A-Z])(?:BAO\sCAO|GUI|NOP|DANG\sKY|PHAN\sHOI|GOP\sY|CUNG\sCAP|TONG\sHOP|TRA\sLOI"
                          r"|HOAN\sTHANH|HOAN\sTHIEN)(?![A-Z])")
_STAMP = re.compile(
    r"(?<![A-Z])(?:DEN\s{0,3}[:.]?\s{0,3}SO|SO\s{1,2}DEN)\s{0,2}[:.]?\s{0,3}(?P<n>\d{1,7})(?!\d)"
    r"(?:.{0,40}?NGAY(?:\s{1,2}DEN)?\s{0,2}[:.]?\s{0,3}(?P<d>\d{1,2})\s{0,2}[/.-]\s{0,2}(?P<m>\d{1,2})\s{0,2}[/.-]"
    r"\s{0,2}(?P<y>\d{2,4})(?!\d))?"
)
# The stamp read column by column: its "Số" line, then the big "ĐẾN" at its left, then its "Ngày" line.
_STAMP_COLUMNS = re.compile(
    r"(?<![A-Z])SO\s{0,2}[:.]?\s{0,3}(?P<n>\d{1,7})(?!\d)[^A-Z0-9]{0,8}DEN(?![A-Z])[^A-Z0-9]{0,8}"
    r"(?:NGAY(?:\s{1,2}DEN)?\s{0,2}[:.]?\s{0,3}(?P<d>\d{1,2})\s{0,2}[/.-]\s{0,2}(?P<m>\d{1,2})\s{0,2}[/.-]"
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
