"""Scans made for the tests: a letter typeset with reportlab (Liberation Serif), rasterised, then spoiled as a
desk scanner or a phone would spoil it (a slight tilt, blur, noise, upside down, JPEG)."""

from __future__ import annotations

import random
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageFilter
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

ROOT = Path(__file__).resolve().parents[2]
FONT = ROOT / "resources" / "fonts" / "LiberationSerif-Regular.ttf"
BOLD = ROOT / "resources" / "fonts" / "LiberationSerif-Bold.ttf"

LETTER = [  # (x in points, text, bold)
    [(50, "UBND TỈNH TÂY NINH", False), (300, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True)],
    [(75, "SỞ Y TẾ", True), (345, "Độc lập - Tự do - Hạnh phúc", True)],
    [(50, "Số: 3646/SYT-VP", False), (320, "Tây Ninh, ngày 24 tháng 10 năm 2023", False)],
    [(50, "V/v triển khai tiêm chủng mở rộng", False)],
    [(150, "Kính gửi: Các đơn vị trực thuộc.", False)],
    [(70, "Thực hiện Công văn số 5068/UBND-TH ngày 20/10/2023 của Ủy ban nhân dân tỉnh", False)],
    [(50, "về việc tăng cường tiêm chủng, Sở Y tế đề nghị các đơn vị khẩn trương thực hiện.", False)],
]


def letter_pdf(path: Path, pages: int = 1) -> Path:
    """A typeset letter with a text layer (the original the scans are made from)."""
    for name, file in (("LS", FONT), ("LSB", BOLD if BOLD.exists() else FONT)):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(file)))
    sheet = canvas.Canvas(str(path), pagesize=A4)
    for page in range(pages):
        y = 780
        for row in LETTER if page == 0 else [[(50, f"Trang {page + 1}: các đơn vị báo cáo kết quả trước ngày 15/11.",
                                               False)]]:
            for x, text, bold in row:
                sheet.setFont("LSB" if bold else "LS", 12.5)
                sheet.drawString(x, y, text)
            y -= 30
        sheet.showPage()
    sheet.save()
    return path


def rasterise(pdf: Path, dpi: int = 250) -> list[Image.Image]:
    document = pdfium.PdfDocument(str(pdf))
    try:
        return [document[i].render(scale=dpi / 72).to_pil().convert("L") for i in range(len(document))]
    finally:
        document.close()


def spoil(image: Image.Image, tilt: float = 0.8, turn: int = 0, noise: float = 0.01, seed: int = 7) -> Image.Image:
    """As a desk scanner leaves it: tilted a little, softened, specks; `turn` puts it upside down or sideways."""
    spoilt = image.rotate(tilt, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)
    spoilt = spoilt.filter(ImageFilter.GaussianBlur(0.6))
    pixels = spoilt.load()
    rng = random.Random(seed)
    width, height = spoilt.size
    for _ in range(int(width * height * noise)):
        pixels[rng.randrange(width), rng.randrange(height)] = rng.choice((0, 255))
    return spoilt.rotate(turn, expand=True) if turn else spoilt


def image_pdf(images: list[Image.Image], path: Path, dpi: int = 250) -> Path:
    """An image-only PDF (no text layer), as a scanner writes it."""
    rgb = [i.convert("RGB") for i in images]
    rgb[0].save(path, "PDF", resolution=dpi, save_all=True, append_images=rgb[1:])
    return path
