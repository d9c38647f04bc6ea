"""Drawing one 50 × 35 mm "ĐẾN" stamp of NĐ 30 (Phụ lục IV mục V) on a reportlab canvas, blank or filled in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from app.core.dates import format_date
from app.printing.fonts import SERIF, SERIF_BOLD, register_fonts

STAMP_WIDTH_MM = 50.0
STAMP_HEIGHT_MM = 35.0
STAMP_WIDTH = STAMP_WIDTH_MM * mm
STAMP_HEIGHT = STAMP_HEIGHT_MM * mm

# Layout of the stamp, in points from its lower-left corner.
_FRAME_WIDTH = 0.8
_RULE_WIDTH = 0.6
_PAD = 1.5 * mm                  # left/right inner padding of the text
_HEADER_HEIGHT = 10.0 * mm       # agency name band above the single rule
_BODY_TOP_PAD = 0.6 * mm
_BODY_BOTTOM_PAD = 1.0 * mm
_LEFT_COLUMN = 13.5 * mm         # "ĐẾN"; the Số/Ngày column takes the rest (≈36.5 mm)
_AGENCY_SIZE = 11.0
_DEN_SIZE = 15.0
_LINE_SIZE = 13.0
_MIN_ONE_LINE_SIZE = 7.0         # below this a long Chuyển/HS value wraps to two lines instead
_MIN_SIZE = 5.0                  # below this, the value is cut with "…" (never drawn outside the frame)
_ELLIPSIS = "…"


@dataclass(frozen=True)
class StampData:
    """What the clerk writes into the stamp: số đến, ngày đến (giờ đến optional), Chuyển, Số và ký hiệu HS."""

    number: int
    received_on: date
    received_at: time | None = None
    routing: str = ""
    file_code: str = ""


def draw_stamp(canvas: Canvas, x: float, y: float, agency_name: str, data: StampData | None) -> None:
    """Draw the 50 × 35 mm stamp with its lower-left corner at (x, y) points; data=None draws a blank stamp
    with dotted leaders for handwriting."""
    register_fonts()
    canvas.saveState()
    canvas.translate(x, y)
    canvas.setStrokeColorRGB(0, 0, 0)
    canvas.setFillColorRGB(0, 0, 0)
    # Frame inset by half its stroke so the outer edge is exactly 50 × 35 mm.
    half = _FRAME_WIDTH / 2
    canvas.setLineWidth(_FRAME_WIDTH)
    canvas.rect(half, half, STAMP_WIDTH - _FRAME_WIDTH, STAMP_HEIGHT - _FRAME_WIDTH, stroke=1, fill=0)
    rule_y = STAMP_HEIGHT - _HEADER_HEIGHT
    canvas.setLineWidth(_RULE_WIDTH)
    canvas.line(_FRAME_WIDTH, rule_y, STAMP_WIDTH - _FRAME_WIDTH, rule_y)
    _draw_agency(canvas, agency_name, rule_y)

    right_lines: list[tuple[str, str]] = [
        ("Số:", str(data.number) if data else ""),
        ("Ngày:", format_date(data.received_on) if data else ""),
    ]
    if data and data.received_at is not None:
        right_lines.append(("Giờ:", data.received_at.strftime("%H:%M")))
    full_lines = [("Chuyển:", data.routing.strip() if data else ""),
                  ("Số và ký hiệu HS:", data.file_code.strip() if data else "")]
    slots = len(right_lines) + len(full_lines)
    body_top = rule_y - _BODY_TOP_PAD
    slot = (body_top - _BODY_BOTTOM_PAD) / slots
    size_cap = min(_LINE_SIZE, slot / 1.3)

    # "ĐẾN" centred in the left column, vertically across the Số/Ngày(/Giờ) lines.
    span_mid = body_top - slot * len(right_lines) / 2
    den_size = min(_DEN_SIZE, (_LEFT_COLUMN - 1.5 * mm) / (stringWidth("ĐẾN", SERIF_BOLD, 1) or 1))
    canvas.setFont(SERIF_BOLD, den_size)
    canvas.drawCentredString(_LEFT_COLUMN / 2 + 0.4 * mm, span_mid - 0.35 * den_size, "ĐẾN")

    # Lines of one group share one type size (the smallest that fits each), so the stamp looks even; a
    # full-width line too long even at 7 pt wraps on its own instead of shrinking its neighbour.
    right_end = STAMP_WIDTH - _PAD
    right_size = min(_fit_size(label, value, right_end - _LEFT_COLUMN, size_cap) for label, value in right_lines)
    for i, (label, value) in enumerate(right_lines):
        mid = body_top - slot * (i + 0.5)
        _draw_field(canvas, _LEFT_COLUMN, right_end, mid, slot, label, value, right_size, allow_wrap=False)
    full_sizes = [_fit_size(label, value, right_end - _PAD, size_cap) for label, value in full_lines]
    shared = min((size for size in full_sizes if size >= _MIN_ONE_LINE_SIZE), default=size_cap)
    for j, (label, value) in enumerate(full_lines):
        mid = body_top - slot * (len(right_lines) + j + 0.5)
        size = shared if full_sizes[j] >= _MIN_ONE_LINE_SIZE else full_sizes[j]
        _draw_field(canvas, _PAD, right_end, mid, slot, label, value, size, allow_wrap=True)
    canvas.restoreState()


def _draw_agency(canvas: Canvas, agency_name: str, rule_y: float) -> None:
    """Agency name in bold capitals, centred above the rule: one line at 11 pt when it fits, otherwise the
    split into two or three balanced lines that allows the largest type."""
    name = " ".join(agency_name.split()).upper()
    width = STAMP_WIDTH - 2 * _PAD
    height = _HEADER_HEIGHT - 1.6 * mm
    centre_x = STAMP_WIDTH / 2
    if not name:
        _dotted(canvas, _PAD + 2 * mm, STAMP_WIDTH - _PAD - 2 * mm, rule_y + _HEADER_HEIGHT / 2 - 1)
        return
    lines, size = _layout_agency(name, width, height)
    leading = size * 1.12
    block_mid = rule_y + _HEADER_HEIGHT / 2
    first_baseline = block_mid + leading * (len(lines) - 1) / 2 - 0.35 * size
    canvas.setFont(SERIF_BOLD, size)
    for k, line in enumerate(lines):
        canvas.drawCentredString(centre_x, first_baseline - k * leading, line)


def _layout_agency(name: str, width: float, height: float) -> tuple[list[str], float]:
    words = name.split(" ")
    best: tuple[list[str], float] | None = None
    for count in (1, 2, 3):
        if count > len(words):
            break
        lines = _balanced_split(words, count)
        widest = max(stringWidth(line, SERIF_BOLD, 1) for line in lines) or 1
        size = min(_AGENCY_SIZE, width / widest, height / (1.12 * (count - 1) + 1.0))
        if best is None or size > best[1] + 0.25:  # more lines only when they allow clearly larger type
            best = (lines, size)
    assert best is not None
    return best


def _balanced_split(words: list[str], count: int) -> list[str]:
    """Split words into `count` lines minimising the widest line."""
    if count == 1:
        return [" ".join(words)]
    best_lines: list[str] = []
    best_width = float("inf")
    n = len(words)
    cuts_options: list[tuple[int, ...]] = (
        [(i,) for i in range(1, n)] if count == 2
        else [(i, j) for i in range(1, n - 1) for j in range(i + 1, n)]
    )
    for cuts in cuts_options:
        bounds = (0, *cuts, n)
        lines = [" ".join(words[bounds[k]:bounds[k + 1]]) for k in range(count)]
        widest = max(stringWidth(line, SERIF_BOLD, 1) for line in lines)
        if widest < best_width:
            best_lines, best_width = lines, widest
    return best_lines


def _fit_size(label: str, value: str, width: float, size_cap: float) -> float:
    """The type size at which 'Label: value' fills at most `width` (an empty value keeps 40 % for its leader)."""
    label_w = stringWidth(label + " ", SERIF_BOLD, 1)
    if not value:
        return min(size_cap, width * 0.6 / label_w)
    return min(size_cap, width / (label_w + stringWidth(value, SERIF, 1)))


def _draw_field(canvas: Canvas, x0: float, x1: float, mid: float, slot: float, label: str, value: str,
                size: float, allow_wrap: bool) -> None:
    """'Label: value' (bold label, regular value) at `size` in the slot centred on `mid`, between x0 and x1; an
    empty value gets a dotted leader to x1. When `size` is under 7 pt and wrapping is allowed, the value goes on
    two lines instead; under 5 pt it is cut with "…" rather than drawn outside the frame."""
    width = x1 - x0
    label_w = stringWidth(label + " ", SERIF_BOLD, 1)
    if not value:
        baseline = mid - 0.35 * size
        canvas.setFont(SERIF_BOLD, size)
        canvas.drawString(x0, baseline, label)
        _dotted(canvas, x0 + label_w * size, x1, baseline)
        return
    if size >= _MIN_ONE_LINE_SIZE or not allow_wrap:
        if size < _MIN_SIZE:
            size = _MIN_SIZE
            value = _truncate(value, width - label_w * size, size)
        baseline = mid - 0.35 * size
        canvas.setFont(SERIF_BOLD, size)
        canvas.drawString(x0, baseline, label + " ")
        canvas.setFont(SERIF, size)
        canvas.drawString(x0 + label_w * size, baseline, value)
        return
    # Two lines: the label and the start of the value, then the rest of the value.
    size = min(slot / 2.25, _MIN_ONE_LINE_SIZE)
    first, rest = value, ""
    while size >= _MIN_SIZE:
        first, rest = _split_for_width(value, width - label_w * size, size)
        if stringWidth(rest, SERIF, size) <= width:
            break
        size -= 0.25
    size = max(size, _MIN_SIZE)
    rest = _truncate(rest, width, size)
    leading = size * 1.1
    baseline = mid + leading / 2 - 0.35 * size
    canvas.setFont(SERIF_BOLD, size)
    canvas.drawString(x0, baseline, label + " ")
    canvas.setFont(SERIF, size)
    canvas.drawString(x0 + label_w * size, baseline, first)
    canvas.drawString(x0, baseline - leading, rest)


def _split_for_width(text: str, width: float, size: float) -> tuple[str, str]:
    """The longest run of whole words that fits `width`, and the rest (at least one word goes first)."""
    words = text.split()
    taken = 1
    while taken < len(words) and stringWidth(" ".join(words[:taken + 1]), SERIF, size) <= width:
        taken += 1
    if stringWidth(words[0], SERIF, size) > width:
        return "", text
    return " ".join(words[:taken]), " ".join(words[taken:])


def _truncate(text: str, width: float, size: float) -> str:
    if stringWidth(text, SERIF, size) <= width:
        return text
    while text and stringWidth(text + _ELLIPSIS, SERIF, size) > width:
        text = text[:-1]
    return text.rstrip() + _ELLIPSIS


def _dotted(canvas: Canvas, x0: float, x1: float, baseline: float) -> None:
    """A dotted leader on the baseline for handwriting."""
    if x1 - x0 < 2:
        return
    canvas.saveState()
    canvas.setLineWidth(0.6)
    canvas.setLineCap(0)
    canvas.setDash([0.6, 1.6])
    canvas.line(x0 + 1, baseline + 0.5, x1, baseline + 0.5)
    canvas.restoreState()

