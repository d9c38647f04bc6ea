"""Stamping page 1 of a scanned PDF: finding ink-free space on the rendered page and merging the stamp there."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pypdf import PdfReader, PdfWriter, Transformation
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.core.errors import ValidationError
from app.printing.stamp_draw import STAMP_HEIGHT_MM, STAMP_WIDTH_MM, StampData, draw_stamp


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
