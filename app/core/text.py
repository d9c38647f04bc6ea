"""Text normalising: NFC cleanup of user input and the diacritic-free folded form used for keys and search."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
# Terminal escape sequences (colour codes from a console, a title-setting OSC): removed whole, so that no "[31m"
# is left behind. CSI is ESC [ or the C1 byte 0x9B; OSC ends with BEL or ESC \.
_ESCAPES = re.compile(r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]")
# Control characters (C0 but tab and line breaks, DEL, C1 but NEL) and the bidirectional overrides that make
# "hoá_đơn‮fdp.exe" show as "hoá_đơnexe.pdf": invisible, never meant, refused by Excel files and some viewers.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile("[\t\n\r\x85\u2028\u2029]")
_OTHER_BREAKS = re.compile("\r\n|[\r\x85\u2028\u2029]")
# đ/Đ are letters of their own, not a d with a combining mark, so NFD does not split them.
_EXTRA_FOLDS = str.maketrans({"đ": "d", "Đ": "d", "ð": "d"})


def strip_controls(value: str, multiline: bool = False) -> str:
    """Text from outside (a file name, a cell, a paste) without escape sequences or control characters; a tab or
    line break becomes a space unless the field keeps lines (then \r\n and \r become \n)."""
    text = _CONTROLS.sub("", _ESCAPES.sub("", value))
    if multiline:
        return _OTHER_BREAKS.sub("\n", text)
    return _LINE_BREAKS.sub(" ", text)


def clean(value: str | None) -> str:
    """NFC-normalise (pasted/OCR text may be decomposed), drop control characters, collapse runs of whitespace."""
    if value is None:
        return ""
    return _SPACES.sub(" ", strip_controls(unicodedata.normalize("NFC", value))).strip()


@lru_cache(maxsize=16384)  # the same names, types and phrases are folded over and over
def fold(value: str | None) -> str:
    """Lower-case text without Vietnamese marks: 'Đảng ủy' -> 'dang uy', 'Hoả tốc' == 'Hỏa tốc'."""
    decomposed = unicodedata.normalize("NFD", clean(value))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.translate(_EXTRA_FOLDS).casefold()


def fold_long(value: str | None) -> str:
    """fold() for a whole document's text: the same result, kept out of fold's cache of short phrases."""
    return fold.__wrapped__(value)


def name_key(value: str | None) -> str:
    """Key that deduplicates organisation names: folded, punctuation-insensitive, single-spaced."""
    folded = re.sub(r"[^\w]+", " ", fold(value))
    return _SPACES.sub(" ", folded).strip()
