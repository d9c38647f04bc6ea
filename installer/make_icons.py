"""Draws the app icon (a register book with the red ĐẾN stamp) at every size Windows and Linux ask for.

Run from the checkout after changing the design: `.venv/bin/python installer/make_icons.py`. It writes
resources/icons/vanthu-<size>.png and vanthu.ico (the sizes in one file, for the .exe, the installer and the
shortcuts). The outputs are committed; this script is not part of the app.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image  # noqa: E402 - Pillow comes with matplotlib; only this script uses it
from PySide6.QtCore import QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QImage, QPainter, QPen  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from app.ui.app_icon import ICON_SIZES as SIZES  # noqa: E402 - the sizes the window loads are the sizes drawn

OUT = ROOT / "resources" / "icons"
NAVY, PAPER, RULE, SPINE, STAMP = "#2f4f7f", "#fbf8ef", "#9aa7bb", "#7a2e1f", "#c62828"


def draw(size: int, family: str) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 256, size / 256)  # designed on a 256 grid
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(NAVY))
    p.drawRoundedRect(QRectF(8, 8, 240, 240), 44, 44)
    # the register book: a spine and a ruled page
    p.setBrush(QColor(SPINE))
    p.drawRoundedRect(QRectF(50, 36, 36, 184), 8, 8)
    p.setBrush(QColor(PAPER))
    p.drawRoundedRect(QRectF(70, 36, 140, 184), 8, 8)
    if size >= 32:  # ruled lines vanish into grey mush below that
        p.setPen(QPen(QColor(RULE), 6 if size < 64 else 4))
        for y in range(72, 200, 26 if size < 64 else 20):
            p.drawLine(QPointF(88, y), QPointF(192, y))
    # the ĐẾN stamp, tilted as a clerk's hand leaves it
    p.save()
    p.translate(150, 170)
    p.rotate(-12)
    stamp = QRectF(-70, -34, 140, 68)
    p.setBrush(QColor(255, 255, 255, 235))
    p.setPen(QPen(QColor(STAMP), 12 if size < 48 else 8))
    p.drawRoundedRect(stamp, 8, 8)
    if size >= 48:
        font = QFont(family)
        font.setBold(True)
        font.setPixelSize(46)
        p.setFont(font)
        p.setPen(QColor(STAMP))
        p.drawText(stamp, int(Qt.AlignmentFlag.AlignCenter), "ĐẾN")
    else:
        p.setPen(QPen(QColor(STAMP), 12))
        p.drawLine(QPointF(-40, 0), QPointF(40, 0))
    p.restore()
    p.end()
    return image


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv)  # noqa: F841 - fonts need an application
    font_id = QFontDatabase.addApplicationFont(str(ROOT / "resources" / "fonts" / "LiberationSerif-Bold.ttf"))
    family = QFontDatabase.applicationFontFamilies(font_id)[0]
    OUT.mkdir(parents=True, exist_ok=True)
    pngs = []
    for size in SIZES:
        path = OUT / f"vanthu-{size}.png"
        if not draw(size, family).save(str(path), "PNG"):
            print(f"could not write {path}", file=sys.stderr)
            return 1
        pngs.append(path)
    images = [Image.open(p) for p in pngs]
    # Pillow writes each size of the .ico from the largest image unless given the drawn ones (append_images).
    images[-1].save(OUT / "vanthu.ico", format="ICO", sizes=[(s, s) for s in SIZES], append_images=images[:-1])
    print(f"wrote {len(pngs)} PNG sizes and vanthu.ico to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
