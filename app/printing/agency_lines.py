"""The agency's name in a header, laid out so that no name is broken: shrunk to one line, else broken only
between the bodies and places it is made of ("VĂN PHÒNG HĐND VÀ / UBND HUYỆN HÒA THÀNH", never "HÒA / THÀNH")."""

from __future__ import annotations

import re
from itertools import combinations

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

# A place's level starts the place's name, which runs to the end of the level: a line may break before one of
# these words (or after "VÀ", which joins two bodies) and nowhere else.
_LEVELS = ("THÀNH PHỐ", "THỊ XÃ", "THỊ TRẤN", "ĐẶC KHU", "TỈNH", "HUYỆN", "QUẬN", "XÃ", "PHƯỜNG")
_BEFORE_LEVEL = re.compile(r" (?=(?:" + "|".join(_LEVELS) + r")(?: |$))")
_AROUND_AND = (re.compile(r"(?<= VÀ) "), re.compile(r" (?=VÀ )"))  # "VÀ" ends a line, or starts the next
_STEP = 0.5
NBSP = "\u00a0"


def segments(name: str, and_first: bool = False) -> list[str]:
    """The parts of a name that are never broken inside: 'VĂN PHÒNG HỘI ĐỒNG NHÂN DÂN VÀ', 'ỦY BAN NHÂN DÂN',
    'HUYỆN HÒA THÀNH' ('VÀ' starting the second body's part instead with and_first)."""
    text = " ".join(name.split())
    parts: list[str] = []
    for piece in _AROUND_AND[and_first].split(text):
        parts.extend(p for p in _BEFORE_LEVEL.split(piece) if p)
    return parts


def fit_name(name: str, font: str, width: float, size: float, min_size: float) -> tuple[list[str], float]:
    """(lines, type size): the name on one line at the largest size from `size` down to `min_size`; else on as few
    lines as its segments allow, at the largest size that fits; a single segment wider than the column even at
    `min_size` (a very long body's name) is the only thing ever broken between its words."""
    text = " ".join(name.split())
    sizes = _sizes(size, min_size)
    for s in sizes:
        if stringWidth(text, font, s) <= width:
            return [text], s
    best: tuple[list[str], float] | None = None
    for and_first in (False, True):
        parts = segments(text, and_first)
        for count in range(2, len(parts) + 1):
            lines = _balanced(parts, count, font)
            widest = max(stringWidth(line, font, 1) for line in lines)
            fitting = [s for s in sizes if widest * s <= width]
            if fitting:
                if best is None or (count, -fitting[0]) < (len(best[0]), -best[1]):
                    best = (lines, fitting[0])
                break
    return best if best is not None else (_words(text, font, width, min_size), min_size)


def _sizes(size: float, min_size: float) -> list[float]:
    steps = int(round((size - min_size) / _STEP))
    return [size - k * _STEP for k in range(steps + 1)]


def _balanced(parts: list[str], count: int, font: str) -> list[str]:
    """The segments in `count` lines, cut where the widest line is narrowest."""
    best: list[str] = []
    best_width = float("inf")
    for cuts in combinations(range(1, len(parts)), count - 1):
        bounds = (0, *cuts, len(parts))
        lines = [" ".join(parts[bounds[k]:bounds[k + 1]]) for k in range(count)]
        widest = max(stringWidth(line, font, 1) for line in lines)
        if widest < best_width:
            best, best_width = lines, widest
    return best


def _words(text: str, font: str, width: float, size: float) -> list[str]:
    """Greedy lines; a segment that fits a line is kept whole, only a longer one is broken between its words."""
    tokens: list[str] = []
    for part in segments(text):
        tokens.extend([part] if stringWidth(part, font, size) <= width else part.split(" "))
    lines: list[str] = []
    line = ""
    for token in tokens:
        trial = f"{line} {token}".strip()
        if line and stringWidth(trial, font, size) > width:
            lines.append(line)
            line = token
        else:
            line = trial
    if line:
        lines.append(line)
    return lines


class CentredLines(Flowable):
    """Lines of one font and size, each centred in the available width (a header's agency name)."""

    def __init__(self, lines: list[str], font: str, size: float, leading: float | None = None) -> None:
        super().__init__()
        self.lines, self.font, self.size = lines, font, size
        self.leading = leading or size * 1.2
        self.width = 0.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.leading * len(self.lines)

    def draw(self) -> None:
        canvas = self.canv
        canvas.setFont(self.font, self.size)
        for k, line in enumerate(self.lines):
            baseline = self.leading * (len(self.lines) - k) - self.size  # descenders stay inside the box
            canvas.drawCentredString(self.width / 2, baseline + 0.22 * self.size, line)

    def widest(self) -> float:
        return max((stringWidth(line, self.font, self.size) for line in self.lines), default=0.0)
