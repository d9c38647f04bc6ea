"""The "ĐẾN" stamp of NĐ 30 (Phụ lục IV mục V): drawn on labels, label sheets, or onto page 1 of a scanned PDF."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from typing import BinaryIO

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pypdf import PdfReader, PdfWriter, Transformation
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from app.core.dates import format_date
from app.core.errors import ValidationError
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


@dataclass(frozen=True)
class StampPlacement:
    """Where the stamp went on a scan: page index and the stamp's top-left corner in millimetres from the
    top-left corner of the page as displayed (rotation applied). ``clear`` is False when no ink-free place
    existed and the stamp had to go over the emptiest area instead."""

    page_index: int
    x_mm: float
    y_mm: float
    clear: bool = True
    width_mm: float = STAMP_WIDTH_MM
    height_mm: float = STAMP_HEIGHT_MM


# ---------------------------------------------------------------------------------------------------------------
# Drawing one stamp


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


# ---------------------------------------------------------------------------------------------------------------
# Labels and label sheets


def write_stamp_labels(out: BinaryIO, agency_name: str, stamps: Sequence[StampData | None]) -> None:
    """One page of exactly 50 × 35 mm per stamp, for label printers; None (or no stamps at all) gives a blank
    stamp to fill in by hand."""
    register_fonts()
    canvas = Canvas(out, pagesize=(STAMP_WIDTH, STAMP_HEIGHT))
    canvas.setTitle("Dấu ĐẾN")
    for data in stamps or [None]:
        draw_stamp(canvas, 0, 0, agency_name, data)
        canvas.showPage()
    canvas.save()


# Default margins of an A4 sheet of 3 × 7 labels (63.5 × 38.1 mm, e.g. Avery L7160 / A-One / Tanex): the
# printable area inside the margins is split evenly and each stamp is centred in its cell.
SHEET_MARGIN_X_MM = 7.2
SHEET_MARGIN_Y_MM = 15.15


def write_stamp_sheet(out: BinaryIO, agency_name: str, stamps: Sequence[StampData | None], columns: int = 3,
                      rows: int = 7, *, margin_x_mm: float = SHEET_MARGIN_X_MM,
                      margin_y_mm: float = SHEET_MARGIN_Y_MM) -> None:
    """A4 portrait sheets of stamps in a columns × rows grid, filled row by row, as many pages as needed; no
    stamps at all gives one sheet of blank stamps."""
    register_fonts()
    page_w, page_h = A4
    cell_w = (page_w - 2 * margin_x_mm * mm) / columns if columns > 0 else 0
    cell_h = (page_h - 2 * margin_y_mm * mm) / rows if rows > 0 else 0
    if cell_w < STAMP_WIDTH - 0.01 or cell_h < STAMP_HEIGHT - 0.01:
        raise ValidationError.single("layout", "Khổ nhãn",
                                     f"Không xếp được {columns} × {rows} dấu 50 × 35 mm trên một trang A4.")
    per_page = columns * rows
    canvas = Canvas(out, pagesize=A4)
    canvas.setTitle("Dấu ĐẾN")
    items: list[StampData | None] = list(stamps) or [None] * per_page
    for start in range(0, len(items), per_page):
        for k, data in enumerate(items[start:start + per_page]):
            row, col = divmod(k, columns)
            x = margin_x_mm * mm + col * cell_w + (cell_w - STAMP_WIDTH) / 2
            top = page_h - margin_y_mm * mm - row * cell_h
            y = top - (cell_h + STAMP_HEIGHT) / 2
            draw_stamp(canvas, x, y, agency_name, data)
        canvas.showPage()
    canvas.save()


# ---------------------------------------------------------------------------------------------------------------
# Stamping a scanned PDF

_SCAN_FIELD = "scan"
_SCAN_LABEL = "Bản quét"
_PX_PER_MM = 2            # render resolution; ink is then pooled into 1 mm cells
_EDGE_MARGIN_MM = 8       # keep the stamp's clearance this far from the page edges (scanner borders)
_CLEARANCE_MM = 2         # free space wanted around the stamp
_INK_DROP = 48            # a pixel is ink when this much darker than the paper


def stamp_scan(source: Path, out: BinaryIO, agency_name: str, data: StampData | None) -> StampPlacement:
    """Stamp page 1 of a scanned PDF where it is empty and write the whole document to `out`.

    Placement rule: page 1 is rendered as displayed (rotation applied, ≈2 px/mm, grayscale) and pooled into a
    1 mm ink grid; a summed-area table gives the ink under any window. A place is "clear" when the stamp plus
    2 mm all round holds no ink (then, failing that, with no clearance), at least 8 mm from the page edges.
    Choice, first match wins:
      1. clear and the stamp lying wholly in the upper half of the page; among those, the ones on the left
         half of the page (under the number/summary block, as practice wants) before the others, then top-most,
         then the nearest to the text's left margin (so the stamp lines up with the block above it);
      2. clear anywhere on the page, same order (the stamp never covers text while free space exists);
      3. the place with the least ink (ties: top-most, then left-most), returned with clear=False.
    """
    path = Path(source)
    if not path.is_file():
        raise _scan_error(f"Không tìm thấy tệp {path.name or path}.")
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except OSError as exc:
        raise _scan_error(f"Không đọc được tệp {path.name}: {exc.strerror or exc}.") from exc
    if b"%PDF-" not in head:
        raise _scan_error(f"Tệp {path.name} không phải là tệp PDF.")
    try:
        reader = PdfReader(str(path), strict=False)
        # Many scanners add an owner password only (no password to open): such a file is stamped normally.
        if reader.is_encrypted and not reader.decrypt(""):
            raise _scan_error(f"Tệp {path.name} được bảo vệ bằng mật khẩu; hãy mở khóa trước khi đóng dấu.")
        if len(reader.pages) == 0:
            raise _scan_error(f"Tệp {path.name} không có trang nào.")
        first = reader.pages[0]
        box = first.cropbox
        left, bottom = float(box.left), float(box.bottom)
        width, height = float(box.width), float(box.height)
        rotation = int(first.rotation or 0) % 360
    except ValidationError:
        raise
    except Exception as exc:  # a foreign file: whatever pypdf trips over means it is damaged
        raise _scan_error(f"Tệp {path.name} bị hỏng hoặc không đọc được ({type(exc).__name__}).") from exc
    if rotation % 90:
        rotation = 0

    grid, cols, rows = _ink_grid(path)
    disp_w, disp_h = (height, width) if rotation in (90, 270) else (width, height)
    x_mm, y_mm, clear = _find_place(grid, cols, rows, disp_w / mm, disp_h / mm)

    overlay = io.BytesIO()
    canvas = Canvas(overlay, pagesize=(width, height))
    # Draw in display coordinates (origin at the lower-left of the page as seen) and let the transform undo
    # the page's /Rotate, so the stamp reads upright in a viewer.
    if rotation == 90:
        canvas.translate(width, 0)
        canvas.rotate(90)
    elif rotation == 180:
        canvas.translate(width, height)
        canvas.rotate(180)
    elif rotation == 270:
        canvas.translate(0, height)
        canvas.rotate(-90)
    draw_stamp(canvas, x_mm * mm, disp_h - (y_mm + STAMP_HEIGHT_MM) * mm, agency_name, data)
    canvas.showPage()
    canvas.save()
    overlay.seek(0)
    stamp_page = PdfReader(overlay).pages[0]

    try:
        writer = PdfWriter(clone_from=reader)
        writer.pages[0].merge_transformed_page(stamp_page, Transformation().translate(left, bottom))
        document = io.BytesIO()
        writer.write(document)
    except Exception as exc:  # damaged objects surface only when the whole file is copied
        raise _scan_error(f"Tệp {path.name} bị hỏng, không ghép được dấu vào ({type(exc).__name__}).") from exc
    out.write(document.getvalue())  # errors of the target (disk full…) propagate as they are
    return StampPlacement(0, round(x_mm, 2), round(y_mm, 2), clear)


def _scan_error(message: str) -> ValidationError:
    return ValidationError.single(_SCAN_FIELD, _SCAN_LABEL, message)


def _ink_grid(path: Path) -> tuple[list[int], int, int]:
    """Render page 1 in grayscale and return a 1 mm grid (row-major, top row first) of ink pixel counts."""
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise _scan_error(f"Tệp {path.name} bị hỏng hoặc không đọc được.") from exc
    try:
        page = document[0]
        bitmap = page.render(scale=_PX_PER_MM * 25.4 / 72, grayscale=True, may_draw_forms=True,
                             force_bitmap_format=pdfium_c.FPDFBitmap_Gray)
        px_w, px_h, stride = bitmap.width, bitmap.height, bitmap.stride
        buffer = bytes(bitmap.buffer)
    except pdfium.PdfiumError as exc:
        raise _scan_error(f"Không hiển thị được trang 1 của tệp {path.name}.") from exc
    finally:
        document.close()

    # Paper level: a bright percentile of the page, so a grey scanned background is not taken for ink.
    histogram = [0] * 256
    for row in range(0, px_h, 2):
        line = buffer[row * stride: row * stride + px_w]
        for value in line[::2]:
            histogram[value] += 1
    total = sum(histogram)
    seen, paper = 0, 255
    for value in range(255, -1, -1):
        seen += histogram[value]
        if seen >= total * 0.3:
            paper = value
            break
    threshold = max(paper - _INK_DROP, 16)
    ink_table = bytes(1 if v < threshold else 0 for v in range(256))

    cols, rows = px_w // _PX_PER_MM, px_h // _PX_PER_MM
    grid = [0] * (cols * rows)
    for r in range(rows):
        acc = [0] * cols
        for sub in range(_PX_PER_MM):
            y = r * _PX_PER_MM + sub
            line = buffer[y * stride: y * stride + cols * _PX_PER_MM].translate(ink_table)
            for s in range(_PX_PER_MM):
                for c, v in enumerate(line[s::_PX_PER_MM]):
                    acc[c] += v
        grid[r * cols:(r + 1) * cols] = acc
    _drop_specks(grid, cols, rows)
    return grid, cols, rows


def _drop_specks(grid: list[int], cols: int, rows: int) -> None:
    """Forget 1 mm cells with a single ink pixel and no inked neighbour: scanner dust, not writing."""
    for r in range(rows):
        for c in range(cols):
            i = r * cols + c
            if grid[i] != 1:
                continue
            alone = True
            for dr in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    rr, cc = r + dr, c + dc
                    if (dr or dc) and 0 <= rr < rows and 0 <= cc < cols and grid[rr * cols + cc]:
                        alone = False
            if alone:
                grid[i] = 0


def _find_place(grid: list[int], cols: int, rows: int, page_w_mm: float,
                page_h_mm: float) -> tuple[float, float, bool]:
    """The stamp's top-left corner in mm (display coordinates, from the top-left) and whether it is ink-free."""
    if page_w_mm < STAMP_WIDTH_MM or page_h_mm < STAMP_HEIGHT_MM or cols == 0 or rows == 0:
        raise _scan_error("Trang 1 nhỏ hơn dấu ĐẾN (50 × 35 mm), không đóng dấu được.")
    # Summed-area table, (rows + 1) × (cols + 1).
    width1 = cols + 1
    table = [0] * (width1 * (rows + 1))
    for r in range(rows):
        running = 0
        base, prev = (r + 1) * width1, r * width1
        for c in range(cols):
            running += grid[r * cols + c]
            table[base + c + 1] = table[prev + c + 1] + running

    def ink(r0: int, c0: int, h: int, w: int) -> int:
        r1, c1 = r0 + h, c0 + w
        return table[r1 * width1 + c1] - table[r0 * width1 + c1] - table[r1 * width1 + c0] + table[r0 * width1 + c0]

    stamp_w, stamp_h = int(STAMP_WIDTH_MM + 0.999), int(STAMP_HEIGHT_MM + 0.999)
    margin = _EDGE_MARGIN_MM
    while margin and (stamp_w + 2 * margin > cols or stamp_h + 2 * margin > rows):
        margin -= 1  # small pages: come closer to the edges
    if stamp_w + 2 * margin > cols or stamp_h + 2 * margin > rows:
        raise _scan_error("Trang 1 nhỏ hơn dấu ĐẾN (50 × 35 mm), không đóng dấu được.")
    centre = cols / 2
    # The text's left margin: the first column with any ink (0 when the page is blank).
    content_left = next((c for c in range(cols) if ink(0, c, rows, 1)), 0)

    def windows(clearance: int, upper_only: bool) -> list[tuple[int, int]]:
        """Top-left cells of the stamp (not of its clearance) for every position, best-ordered."""
        low, high = margin + clearance, rows - margin - clearance - stamp_h
        if upper_only:
            high = min(high, max(rows // 2 - stamp_h, low))
        spots = [(r, c) for r in range(low, high + 1)
                 for c in range(margin + clearance, cols - margin - clearance - stamp_w + 1)]
        # Wholly in the left half first (under the number/summary block), then top-most, then the nearest to
        # the text's left margin, then left-most.
        return sorted(spots, key=lambda rc: (rc[1] + stamp_w > centre, rc[0], abs(rc[1] - content_left), rc[1]))

    def ink_around(r: int, c: int, clearance: int) -> int:
        return ink(r - clearance, c - clearance, stamp_h + 2 * clearance, stamp_w + 2 * clearance)

    def place(r: int, c: int) -> tuple[float, float]:
        return float(min(c, page_w_mm - STAMP_WIDTH_MM)), float(min(r, page_h_mm - STAMP_HEIGHT_MM))

    for upper_only in (True, False):
        for clearance in (_CLEARANCE_MM, 0):
            for r, c in windows(clearance, upper_only):
                if ink_around(r, c, clearance) == 0:
                    return (*place(r, c), True)
    spots = windows(0, False)
    r, c = min(spots, key=lambda rc: (ink_around(rc[0], rc[1], 0), rc[0], rc[1]))
    return (*place(r, c), False)
