"""Tesseract's typical Vietnamese slips, undone before a text is read; every line stays where it was.

What folding (normalize.fold_key) already absorbs is left alone: "Sô:"/"Só:"/"Sỗ:" and "ĐÉN" fold to SO and DEN,
"V/ v" and "V/V" match the V/v label, "CỘNG HÓA" the national title. Cleaned here, because the text itself is kept
(a subject, an issuer, a signer) or because the fold cannot see it:

- the fraction and division slashes Tesseract reads for "/" ("25⁄CT-TTg", "V⁄v");
- "V/y", "V/ y", "V /v" at the start of a line: the V/v label;
- "Sô", "Só", "Sỗ" … before a number: "Số" ("Công văn sô 5068/UBND-TH" in a subject); "Sâ:", "Sä:", "S4:"
  before a number and its ký hiệu: the number line's "Số:";
- "ĐÉN", "ĐÊN" (no such words): "ĐẾN"; not "ĐEN", "ĐỀN", "ĐÈN", which are words (núi Bà Đen, đền ơn);
- a number split in two before its ký hiệu: "Số: 36 46/SYT-VP" -> "Số: 3646/SYT-VP", only after "số" and only
  when the second group runs straight into "/" or "-" and a letter (or a year and a letter): a date or two
  separate numbers never are; a state reference's lost slash, "Số: 45GM-UBND" -> "Số: 45/GM-UBND";
- specks read as marks standing alone: "SỞ Y TẾ __", "Số: 1187/SNV-VP ` Tây Ninh", a tilde for a list's dash;
- an urgency or secrecy mark alone on its line with a wrong mark ("KHẤN", "THƯỢNG KHÁN"): the mark;
- the date line's words with a slipped vowel ("ngày 20 thúng 10 nằm 2023"): only between the numbers of a date;
- a mark misread in the words every administrative text uses ("tố chức", "tõ chức", "tống kết", "chuyến đối
  số", "TÍNH ỦY", "NHÂN DẪN"): a closed list of phrases, each slip generated from the right spelling by the
  confusions Tesseract makes (hỏi read as sắc or ngã, ngã as sắc or hỏi, sắc and huyền as hỏi, a ngã or nặng
  added, a hat â ă ê ô ơ ư lost), replaced only as a whole phrase; phrases one of whose slips is itself
  Vietnamese are left out, and tests/extraction/test_ocr_slips.py checks the real documents of the corpus
  come out unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from app.extraction.normalize import fold_key
from app.extraction.vocabulary import SECRECY_MARKS, URGENCY_MARKS

_SLASHES = str.maketrans({"\u2044": "/", "\u2215": "/", "\u29f8": "/"})
# Each pattern runs on the whole text and never crosses a line: spaces are [ \t], never \s. Every quantifier is
# bounded or possessive, so a 200 KB line of spaces costs one pass (tests/extraction/test_fuzz.py).
# The V/v label broken at the start of a line, with the quote or tilde Tesseract sometimes reads before it.
_VV = re.compile(r"^['‘’\"“”`~_]{0,2}[ \t]?V[ \t]?/[ \t]?[vVyY](?=[ \t:.,]|$)", re.MULTILINE)
# "Sô", "Só" … (any marked o but ố) before a number; a plain "So" only before ":" and a number.
_SO = re.compile(r"(?<!\w)([Ss])(?:[òỏõóọôồổỗộơờởỡớợ](?=[ \t]{0,2}:?[ \t]{0,3}\d)|o(?=[ \t]{0,2}:[ \t]{0,3}\d))")
_SO_MARKED = {"S": "Số", "s": "số"}
# The number line's label misread with another vowel ("Sâ:", "Sä:", "SA:", "S4:"): only before ":" and a number
# running into its ký hiệu ("3646/SYT-VP", "123-CV/TU").
_SO_LABEL = re.compile(r"(?<!\w)S[aàáảãạăằắẳẵặâầấẩẫậäAÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÄ4]"
                       r"(?=[ \t]?:[ \t]{0,3}\d{1,6}[ \t]{0,2}[/-][ \t]{0,2}[^\W\d_])")
# Marks no text has standing alone: a backquote, a quote, an underscore, a bar or a tilde between two spaces is
# dust or a column's edge ("SỞ Y TẾ __", "Số: 1187/SNV-VP ` Tây Ninh, ngày …"); a tilde opening a line is the dash
# of a list item ("~ Như trên;").
_DUST = re.compile(r"(?:(?<=[ \t])|^)[`´'‘’_|¦~]++(?:[ \t]++|$)", re.MULTILINE)
_TILDE_BULLET = re.compile(r"^([ \t]*)~(?=[ \t]+\w)", re.MULTILINE)
_DEN = re.compile(r"(?<!\w)(Đ)([ÉÊẺẼỂỄ])(N)(?!\w)|(?<!\w)(đ)([éêẻẽểễ])(n)(?!\w)")
# A number in two groups of digits right before its ký hiệu, after "số" (folded key, so marks do not matter).
_SPLIT_NUMBER = re.compile(r"(?<![A-Z0-9])(SO[ \t]{0,2}:?[ \t]{0,3})(\d{1,4}) (\d{1,4})"
                           r"(?=[ \t]?(?:/[ \t]?(?:\d{4}[ \t]?/[ \t]?)?|-[ \t]?)[A-Z])")
# A state reference with its slash lost ("Số: 45GM-UBND", "Số: 45 GM-UBND"): after "số", a number then a
# notation with a hyphen and no slash can only be "45/GM-UBND" (a party one, "123-CV/TU", has its slash).
_LOST_SLASH = re.compile(r"(?<![A-Z0-9])(SO[ \t]{0,2}:?[ \t]{0,3}\d{1,6})( ?)(?=[A-Z][A-Z0-9]{0,7}-[A-Z][A-Z0-9-]*+"
                         r"(?![A-Z0-9/]))")
# An urgency or secrecy mark alone on its line (folded key).
_MARKS = {"KHAN": "KHẨN", "THUONG KHAN": "THƯỢNG KHẨN", "HOA TOC": "HỎA TỐC", "MAT": "MẬT", "TOI MAT": "TỐI MẬT",
          "TUYET MAT": "TUYỆT MẬT"}
_PRINTED_MARKS = frozenset({*URGENCY_MARKS, *SECRECY_MARKS})  # as printed, old tone placement too ("HOẢ TỐC")
_MARK_LINE = re.compile(r"^[ \t]*+((?:THUONG|HOA|TOI|TUYET)?[ \t]*+(?:KHAN|TOC|MAT))[ \t]*+$", re.MULTILINE)
# The words of a date line as the fold sees them with one vowel slipped: NGAY, THANG, NAM.
_DATE = re.compile(r"(?<![A-Z])(NG[AOU]Y|NGY)([ \t]{1,3}\d{1,2}[ \t]{1,3})(TH[AOU]NG|THNG)([ \t]{1,3}\d{1,2}[ \t]{1,3})"
                   r"(N[AUE]M|NM)(?=[ \t]{1,3}\d{4})")

# Phrases of administrative texts whose tone OCR often moves, spelled right (lower case, NFC). Left out on
# purpose, because a slip of them is a real phrase: "bảo đảm" ("thông báo đảm bảo"), "thể hiện" ("tình thế hiện
# nay"), "đề nghị" ("để Nghị quyết …"), "cấp tỉnh" ("cấp tính"), "cộng sản" ("công sản"), "bản sao" ("bàn sao").
PHRASES: tuple[str, ...] = (
    "tổ chức", "tổng kết", "tổng hợp", "tổng cục", "chuyển đổi", "chuyển đổi số", "chỉ đạo", "chỉ thị",
    "đảm bảo", "kiểm tra", "kiểm soát", "cải cách", "thủ trưởng", "thủ tướng", "trưởng phòng", "phổ biến",
    "bổ sung", "giải quyết", "giải pháp", "quản lý", "chủ tịch", "phó chủ tịch", "chủ trì", "chủ động",
    "triển khai", "tiêm chủng", "kết quả", "hiệu quả", "khẩn trương", "thượng khẩn", "hỏa tốc", "tỉnh ủy",
    "ủy ban", "ủy ban nhân dân tỉnh", "ubnd tỉnh", "đảng bộ tỉnh", "toàn tỉnh", "đảng ủy", "đảng bộ",
    "ban thường vụ", "thường trực", "văn bản", "mở rộng", "hỗ trợ", "lãnh đạo", "hướng dẫn", "kế hoạch",
    "thủ tục", "hành chính", "sở y tế", "giám đốc", "phó giám đốc", "chánh văn phòng", "tổ quốc", "chủ nghĩa",
    "hạnh phúc", "thời hạn", "báo cáo", "cử tri", "tài chính", "kỷ luật", "kỹ thuật", "đính kèm", "nhân dân",
    "ủy ban nhân dân",
)
# Slips of a phrase above that are themselves a phrase, never replaced: "chuyển đối tượng", "khai thác mỏ rộng".
_REAL = frozenset({"chuyển đối", "mỏ rộng", "nhận dân"})
_TONES = {"\u0301": "sắc", "\u0300": "huyền", "\u0309": "hỏi", "\u0303": "ngã", "\u0323": "nặng"}
_HATS = {"\u0302", "\u0306", "\u031b"}  # circumflex (â ê ô), breve (ă), horn (ơ ư)
# The tones Tesseract reads for one another (the hook of hỏi is the usual victim), as seen on the test scans:
# "tống kết", "TÍNH ỦY", "NHÂN DẪN", "ỦY BẠN" (None: no tone).
_CONFUSED: dict[str | None, tuple[str, ...]] = {
    "\u0309": ("\u0301", "\u0303"),  # hỏi -> sắc, ngã
    "\u0303": ("\u0301", "\u0309"),  # ngã -> sắc, hỏi
    "\u0301": ("\u0309",),  # sắc -> hỏi
    "\u0300": ("\u0309",),  # huyền -> hỏi
    None: ("\u0303", "\u0323"),  # none -> ngã, nặng
}
_VOWELS = set("aeiouy")


def _letters(syllable: str) -> list[list[str]]:
    """The syllable's letters, each with its combining marks (NFD)."""
    letters: list[list[str]] = []
    for ch in unicodedata.normalize("NFD", syllable):
        if unicodedata.combining(ch) and letters:
            letters[-1].append(ch)
        else:
            letters.append([ch])
    return letters


def _retone(letters: list[list[str]], tone: str | None) -> list[str]:
    """Each spelling of a syllable with `tone` instead of its own: on the vowel that carried the old one, or, for
    a syllable that had none, on each vowel in turn."""
    plain = [[m for m in letter if m not in _TONES] for letter in letters]
    carrier = next((i for i, letter in enumerate(letters) if any(m in _TONES for m in letter)), None)
    places = [carrier] if carrier is not None else [i for i, letter in enumerate(plain) if letter[0] in _VOWELS]
    spelled = []
    for place in places if tone is not None else [None]:
        marked = [[*letter, tone] if i == place and tone is not None else letter for i, letter in enumerate(plain)]
        spelled.append(unicodedata.normalize("NFC", "".join("".join(letter) for letter in marked)))
    return spelled


def _variants(syllable: str) -> list[str]:
    """The syllable as Tesseract misreads it: its tone taken for another, and its hat (â ă ê ô ơ ư) lost with its
    tone kept or taken for another ("tổ" read "tõ")."""
    letters = _letters(syllable)
    tone = next((m for letter in letters for m in letter if m in _TONES), None)
    found: list[str] = []
    for other in _CONFUSED.get(tone, ()):
        found += _retone(letters, other)
    if any(m in _HATS for letter in letters for m in letter):
        bare = [[m for m in letter if m not in _HATS] for letter in letters]
        for other in (tone, *_CONFUSED.get(tone, ())):
            found += _retone(bare, other)
    return [v for v in dict.fromkeys(found) if v != syllable]


@cache
def _slip_table() -> dict[str, str]:
    """Every misread of a phrase with one or two of its syllables slipped -> the phrase."""
    right = set(PHRASES)
    table: dict[str, str] = {}
    for phrase in PHRASES:
        words = phrase.split()
        for i, word in enumerate(words):
            for first in _variants(word):
                one = [*words[:i], first, *words[i + 1:]]
                table.setdefault(" ".join(one), phrase)
                for j in range(i + 1, len(words)):
                    for second in _variants(words[j]):
                        table.setdefault(" ".join([*one[:j], second, *one[j + 1:]]), phrase)
    return {slip: phrase for slip, phrase in table.items() if slip not in right and slip not in _REAL}


def _alternation(words: list[str]) -> str:
    """A regex matching exactly these strings, shaped as a trie (one branch per next character), so the engine
    tries a handful of characters at each position instead of every string."""
    branches: dict[str, list[str]] = {}
    ends = False
    for word in words:
        if word:
            branches.setdefault(word[0], []).append(word[1:])
        else:
            ends = True
    if not branches:
        return ""
    parts = [re.escape(first) + _alternation(rests) for first, rests in sorted(branches.items())]
    body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
    return f"(?:{body})?" if ends else body


@cache
def _slip_pattern() -> re.Pattern[str]:
    """Every slip of the table, matched as whole words in any case (greedy: the longer phrase wins)."""
    return re.compile(r"(?<!\w)" + _alternation(list(_slip_table())) + r"(?!\w)", re.IGNORECASE)


def _keep_case(printed: str, right: str) -> str:
    return "".join(r.upper() if p.isupper() else r for p, r in zip(printed, right, strict=True))


def _phrases(text: str) -> str:
    table = _slip_table()
    return _slip_pattern().sub(lambda m: _keep_case(m.group(), table[m.group().lower()]), text)


def _split_number(text: str) -> str:
    pieces, position = [], 0
    for match in _SPLIT_NUMBER.finditer(fold_key(text)):
        pieces += [text[position:match.end(2)]]
        position = match.start(3)  # the space between the two groups goes
    return "".join(pieces) + text[position:] if pieces else text


def _lost_slash(text: str) -> str:
    pieces, position = [], 0
    for match in _LOST_SLASH.finditer(fold_key(text)):
        pieces += [text[position:match.end(1)], "/"]
        position = match.end(2)
    return "".join(pieces) + text[position:] if pieces else text


def _marks(text: str) -> str:
    pieces, position = [], 0
    for match in _MARK_LINE.finditer(fold_key(text)):
        right = _MARKS.get(" ".join(match.group(1).split()))
        start, end = match.span(1)
        printed = text[start:end]
        if right is None or " ".join(printed.split()) in _PRINTED_MARKS or printed.isascii() \
                or any(ch.islower() for ch in printed):
            continue  # an unmarked "KHAN" counts only in an unmarked text (classify._mark): left as it is
        pieces += [text[position:start], right]
        position = end
    return "".join(pieces) + text[position:] if pieces else text


def _date_words(text: str) -> str:
    pieces, position = [], 0
    for match in _DATE.finditer(fold_key(text)):
        for group, word in ((1, "ngày"), (3, "tháng"), (5, "năm")):
            start, end = match.span(group)
            printed = text[start:end]
            pieces += [text[position:start],
                       word.upper() if printed.isupper() else word.capitalize() if printed[:1].isupper() else word]
            position = end
    return "".join(pieces) + text[position:] if pieces else text


def clean_slips(text: str) -> str:
    """The text with the slips above undone; every line stays where it was (sources keep their numbers), and a
    line without a slip comes back as it was. Each step is one pass over the whole text."""
    text = text.translate(_SLASHES)
    text = _TILDE_BULLET.sub(r"\1-", text)
    text = _DUST.sub("", text)
    text = _VV.sub("V/v", text)
    text = _SO.sub(lambda m: _SO_MARKED[m.group(1)], text)
    text = _SO_LABEL.sub("Số", text)
    text = _DEN.sub(lambda m: "ĐẾN" if m.group(1) else "đến", text)
    text = _split_number(text)
    text = _lost_slash(text)
    text = _date_words(text)
    text = _marks(text)
    return _phrases(text)


def clean_line(line: str) -> str:
    """One line through clean_slips."""
    return clean_slips(line)
