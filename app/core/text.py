"""Text normalising: NFC cleanup of user input and the diacritic-free folded form used for keys and search."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
# Control characters left after whitespace is collapsed (NUL, BEL, ESC, DEL, C1): invisible, never meant, and
# refused by Excel files and some viewers; pasted text from PDFs and old programs carries them.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
# đ/Đ are letters of their own, not a d with a combining mark, so NFD does not split them.
_EXTRA_FOLDS = str.maketrans({"đ": "d", "Đ": "d", "ð": "d"})


def clean(value: str | None) -> str:
    """NFC-normalise (pasted/OCR text may be decomposed), drop control characters, collapse runs of whitespace."""
    if value is None:
        return ""
    return _SPACES.sub(" ", _CONTROLS.sub("", unicodedata.normalize("NFC", value))).strip()


@lru_cache(maxsize=16384)  # the same names, types and phrases are folded over and over
def fold(value: str | None) -> str:
    """Lower-case text without Vietnamese marks: 'Đảng ủy' -> 'dang uy', 'Hoả tốc' == 'Hỏa tốc'."""
    decomposed = unicodedata.normalize("NFD", clean(value))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.translate(_EXTRA_FOLDS).casefold()


def name_key(value: str | None) -> str:
    """Key that deduplicates organisation names: folded, punctuation-insensitive, single-spaced."""
    folded = re.sub(r"[^\w]+", " ", fold(value))
    return _SPACES.sub(" ", folded).strip()
