"""Line-level text helpers for extraction: OCR cleanup, column segments, length-preserving keys, dates, names."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from app.extraction.vocabulary import MIDDLE_NAMES, NOT_NAME_FIRST_WORDS, SURNAMES


class _FoldTable(dict[int, str]):
    """str.translate table: every character to ONE character, upper case without Vietnamese marks (Đ -> D)."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char in "đĐ":
            out = "D"
        else:
            base = unicodedata.normalize("NFD", char)[:1] or char
            upper = base.upper()
            out = upper if len(upper) == 1 else base
        self[code] = out
        return out


_FOLD = _FoldTable()


def fold_key(text: str) -> str:
    """Upper case without marks, SAME LENGTH as text, so a match in the key is a slice of the text."""
    return text.translate(_FOLD)


_WORDS = re.compile(r"[A-Z0-9]+")


def words_key(key: str) -> str:
    """The alphanumeric words of a folded key, single-spaced: 'CỘNG HOÀ …' and 'Cộng hòa …' give one key."""
    return " ".join(_WORDS.findall(key))


# OCR / markdown debris: '^{*}' footnote marks, '**bold**', zero-width characters.
_DEBRIS = re.compile(r"\^\{[^{}\n]{0,12}\}|\^|\*+|[\u200b-\u200d\u2060\ufeff]")
_HEADING = re.compile(r"^#{1,6}\s+")
_SPACES = re.compile(r"\s+")
# Two text columns printed on one line ('pdftotext -layout'): a run of 4+ spaces separates them.
_COLUMN_GAP = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u3000]{4,}|\t+")
_BULLETS = "-–—+•●▪◦·∙►➢→"


@dataclass(slots=True)
class Segment:
    """One piece of one input line: the whole line, or one column of a two-column line."""

    no: int  # 1-based line of the input
    text: str  # cleaned: debris removed, whitespace collapsed, list bullet removed
    key: str  # fold_key(text)
    bullet: bool  # the piece started with a list bullet ("- ", "+ ", "• ")
    right: bool  # a right-hand column piece of a two-column line

    @property
    def blank(self) -> bool:
        return not self.text


def _clean_piece(piece: str) -> tuple[str, bool]:
    piece = _HEADING.sub("", piece.strip())
    bullet = False
    if piece[:2] == "* " or (piece[:1] in _BULLETS and piece[:1]):
        bullet = True
        piece = piece[1:]
    text = _SPACES.sub(" ", _DEBRIS.sub("", piece)).strip()
    if text[:1] in _BULLETS and text[:1]:  # '•' left after removing '*', '- - item'
        bullet = True
        text = text.lstrip(_BULLETS + " ")
    if not any(ch.isalnum() for ch in text):
        return "", False  # rules, stars, lone bullets: layout, not text
    return text, bullet


_LABEL_END = re.compile(r"(?:^|\s)(?:NGAY|THANG|NAM|SO\s?:?)$")
_VALUE_START = re.compile(r"^(?:\d|THANG|NAM)")


def _rejoin_values(pieces: list[str]) -> list[str]:
    """Undo a column split inside a date or number left blank for the pen: 'ngày      tháng 10 năm 2023'."""
    if len(pieces) < 2:
        return pieces
    out = [pieces[0]]
    for piece in pieces[1:]:
        left = fold_key(out[-1][-12:].rstrip())
        if _LABEL_END.search(left) and _VALUE_START.match(fold_key(piece[:6].lstrip())):
            out[-1] = f"{out[-1].rstrip()} {piece.lstrip()}"
        else:
            out.append(piece)
    return out


def split_segments(text: str) -> list[Segment]:
    """Every input line as one segment, or several when it holds columns; blank lines kept as blank segments."""
    segments: list[Segment] = []
    for index, raw in enumerate(text.split("\n"), start=1):
        pieces = [p for p in _COLUMN_GAP.split(raw.strip()) if p.strip()] if raw.strip() else []
        if not pieces:
            segments.append(Segment(index, "", "", False, False))
            continue
        pieces = _rejoin_values(pieces)
        added = False
        for position, piece in enumerate(pieces):
            cleaned, bullet = _clean_piece(piece)
            if cleaned:
                segments.append(Segment(index, cleaned, fold_key(cleaned), bullet, position > 0))
                added = True
        if not added:
            segments.append(Segment(index, "", "", False, False))
    return segments


def is_upper_text(text: str) -> bool:
    """True when the text has letters and none of them is lower case ('SỞ Y TẾ', 'KT. CHỦ TỊCH')."""
    seen = False
    for char in text:
        if char.isalpha():
            if char.islower():
                return False
            seen = True
    return seen


def has_lower(text: str) -> bool:
    return any(char.islower() for char in text)


def make_date(day: str | int | None, month: str | int | None, year: str | int | None) -> date | None:
    """A real calendar date from printed parts (two-digit years are 20xx), else None: never a guess."""
    try:
        d, m, y = int(day or 0), int(month or 0), int(year or 0)
    except (TypeError, ValueError):
        return None
    if 0 <= y < 100:
        y += 2000
    if not 1945 <= y <= 2100:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def looks_like_name(text: str) -> bool:
    """A Vietnamese personal name as printed under a signature: 2-5 capitalised words, e.g. 'Trương Văn Hùng'."""
    words = text.split()
    if not 2 <= len(words) <= 5 or len(text) > 50:
        return False
    for word in words:
        if not word.isalpha() or not word[0].isupper() or (len(word) > 1 and not word[1:].islower()):
            return False
    if words[0] in NOT_NAME_FIRST_WORDS:
        return False
    if words[0] in SURNAMES:
        return True
    return len(words) >= 3 and words[1] in MIDDLE_NAMES


def clean_item(text: str) -> str:
    """A list item without its trailing ';' ',' and full stop; 'Lưu: VT, VP.' keeps its stop as printed."""
    item = text.strip().rstrip(" ;,")
    if fold_key(item[:3]) != "LUU":
        if item.endswith("./."):
            item = item[:-3]
        item = item.removesuffix(".").rstrip(" ;,")
    return item
