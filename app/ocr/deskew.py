"""Straightening a page scanned a little askew: the angle at which its text lines lie flattest, found on a small
copy by the projection profile (the rows' ink is most uneven when every line is horizontal)."""

from __future__ import annotations

from PIL import Image, ImageOps, ImageStat

LIMIT = 6.0  # degrees: a sheet fed further askew than this is re-scanned, not guessed at
PROBE_WIDTH = 500  # pixels: one pixel of drift across it is 0.1°, and 24 turns of it take about 0.1 s
MIN_TURN = 1.0  # degrees: Tesseract follows a line tilted less than this; a turn would only blur it (KHẨN read
# at 91% on a page 0.8° askew fell to 23% once turned straight)


def _spread(ink: Image.Image, angle: float) -> float:
    """How uneven the rows' ink is with the page turned by `angle`: each row averaged to one pixel (BOX)."""
    turned = ink.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=0)
    rows = turned.resize((1, turned.height), Image.Resampling.BOX)
    return ImageStat.Stat(rows).var[0]


def skew_angle(image: Image.Image) -> float:
    """The turn (degrees, counter-clockwise) that makes the text lines horizontal; 0 for a page with no lines."""
    scale = PROBE_WIDTH / image.width
    probe = image.convert("L").resize((PROBE_WIDTH, max(1, round(image.height * scale))), Image.Resampling.BOX)
    ink = ImageOps.invert(probe)  # text bright on black: the corners a turn uncovers are blank, not ink
    if ImageStat.Stat(ink).mean[0] < 0.5:  # a blank page
        return 0.0
    coarse = [float(step) for step in range(int(-LIMIT), int(LIMIT) + 1)]  # whole degrees, then tenths near the best
    best = max(coarse, key=lambda a: _spread(ink, a))
    fine = [best + step / 10 for step in range(-6, 7)]
    return round(max(fine, key=lambda a: _spread(ink, a)), 1)


def deskew(image: Image.Image) -> tuple[Image.Image, float]:
    """The page turned straight (white where the turn uncovers the corners), and the angle it was turned by."""
    image = image.convert("L")  # the white of the uncovered corners is one grey value
    angle = skew_angle(image)
    if abs(angle) < MIN_TURN or abs(angle) >= LIMIT:
        return image, 0.0
    return image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255), angle
