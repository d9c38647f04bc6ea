"""Scans made for the tests: documents of both families typeset with reportlab (Liberation Serif), rasterised,
then spoiled as a desk scanner or a phone would spoil them (a slight tilt, blur, noise, upside down, a skewed and
unevenly lit JPEG). Each fixture carries the fields a clerk would read from it: the OCR tests assert them one by
one and bench/ocr_fields.py counts the share read correctly."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from PIL import Image, ImageChops, ImageFilter
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

ROOT = Path(__file__).resolve().parents[2]
FONTS = {"LS": "LiberationSerif-Regular.ttf", "LSB": "LiberationSerif-Bold.ttf", "LSI": "LiberationSerif-Italic.ttf"}
WIDTH, HEIGHT = A4
DPI = 250  # scans are made at 250 dpi: between the 200 of a cheap scanner and the 300 the app renders PDFs at

# A row of a page: pieces (x, text, style) on one baseline. x is in points, or "L" / "R" / "C": centred in the
# left header column, the right one, or the page. Style: "" regular, "b" bold, "i" italic, "t" a bold title.
Piece = tuple[float | str, str, str]
_STYLE = {"": ("LS", 13), "b": ("LSB", 13), "i": ("LSI", 13), "t": ("LSB", 14)}
_CENTRE = {"L": 145, "R": 410, "C": WIDTH / 2}


@dataclass(frozen=True)
class Stamp:
    """The ĐẾN stamp of NĐ 30 (Phụ lục IV mục V), 50 × 35 mm, drawn in red ink at (x, y) = its top left corner."""

    agency: str
    number: int
    day: str
    x: float = 60
    y: float = 690


@dataclass(frozen=True)
class Page:
    rows: tuple[tuple[Piece, ...], ...]
    stamp: Stamp | None = None


@dataclass(frozen=True)
class Fixture:
    """A typeset document and how it is scanned; `expected` holds the fields of each document it carries."""

    name: str
    pages: tuple[Page, ...]
    expected: tuple[dict[str, Any], ...]
    make: str = "pdf"  # "pdf" (image-only PDF), "upside_down" (PDF, page turned 180°), "photo" (phone JPEG)
    received_stamp: dict[str, Any] | None = None
    notes: str = ""


def _rows(*rows: tuple[Piece, ...]) -> tuple[tuple[Piece, ...], ...]:
    """The rows of a page, top to bottom, 20 points apart; an empty row is a blank line."""
    return rows


def _para(*lines: str, indent: float = 50) -> list[tuple[Piece, ...]]:
    return [((indent if i else indent + 25, line, ""),) for i, line in enumerate(lines)]


# -- the documents ----------------------------------------------------------------------------------------------

STATE_LETTER = Fixture("cong_van_so_y_te", (Page(_rows(
    (("L", "UBND TỈNH TÂY NINH", ""), ("R", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "b")),
    (("L", "SỞ Y TẾ", "b"), ("R", "Độc lập - Tự do - Hạnh phúc", "b")),
    (),
    (("L", "Số: 3646/SYT-VP", ""), ("R", "Tây Ninh, ngày 24 tháng 10 năm 2023", "i")),
    ((50, "V/v triển khai tiêm chủng mở rộng", ""),),
    ((95, "KHẨN", "b"),),
    (),
    ((150, "Kính gửi: Các đơn vị trực thuộc.", ""),),
    (),
    *_para("Thực hiện Công văn số 5068/UBND-TH ngày 20/10/2023 của Ủy ban nhân dân tỉnh",
           "về việc tăng cường tiêm chủng, Sở Y tế đề nghị các đơn vị khẩn trương thực hiện./."),
    (),
    (("L", "Nơi nhận:", "b"), ("R", "KT. GIÁM ĐỐC", "b")),
    ((50, "- Như trên;", ""), ("R", "PHÓ GIÁM ĐỐC", "b")),
    ((50, "- Lưu: VT, VP.", ""),),
    (), (), (),
    (("R", "Nguyễn Văn An", "b"),),
)),), ({
    "issuer": "SỞ Y TẾ", "reference": "3646/SYT-VP", "issued_on": "2023-10-24", "doc_type": "Công văn",
    "subject": "triển khai tiêm chủng mở rộng", "urgency": "khan", "signer": "Nguyễn Văn An",
    "cites": [("5068/UBND-TH", "2023-10-20")],
},))

PARTY_LETTER = Fixture("cong_van_tinh_uy", (Page(_rows(
    (("L", "TỈNH ỦY TÂY NINH", "b"), ("R", "ĐẢNG CỘNG SẢN VIỆT NAM", "b")),
    (("L", "*", ""),),
    (("L", "Số 123-CV/TU", ""), ("R", "Tây Ninh, ngày 05 tháng 3 năm 2024", "i")),
    (("L", "V/v tổ chức hội nghị sơ kết công tác", ""),),
    (("L", "dân vận năm 2024", ""),),
    (),
    ((150, "Kính gửi: Các huyện ủy, thị ủy, thành ủy.", ""),),
    (),
    *_para("Thực hiện Kế hoạch số 98-KH/TU ngày 20/02/2024 của Ban Thường vụ Tỉnh ủy,",
           "Ban Thường vụ Tỉnh ủy đề nghị các cấp ủy tổ chức hội nghị sơ kết và báo cáo kết quả",
           "về Văn phòng Tỉnh ủy./."),
    (),
    (("L", "Nơi nhận:", "b"), ("R", "T/M BAN THƯỜNG VỤ", "b")),
    ((50, "- Như trên,", ""), ("R", "PHÓ BÍ THƯ THƯỜNG TRỰC", "b")),
    ((50, "- Lưu Văn phòng Tỉnh ủy.", ""),),
    (), (), (),
    (("R", "Nguyễn Thành Tâm", "b"),),
)),), ({
    "issuer": "TỈNH ỦY TÂY NINH", "reference": "123-CV/TU", "issued_on": "2024-03-05", "doc_type": "Công văn",
    "subject": "tổ chức hội nghị sơ kết công tác dân vận năm 2024", "urgency": None, "signer": "Nguyễn Thành Tâm",
    "cites": [("98-KH/TU", "2024-02-20")],
},))

BUNDLE = Fixture("bo_chuyen_tiep", (
    Page(_rows(
        (("L", "UBND TỈNH TÂY NINH", ""), ("R", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "b")),
        (("L", "SỞ NỘI VỤ", "b"), ("R", "Độc lập - Tự do - Hạnh phúc", "b")),
        (),
        (("L", "Số: 1187/SNV-VP", ""), ("R", "Tây Ninh, ngày 23 tháng 10 năm 2023", "i")),
        ((50, "V/v sao gửi Công văn số 5068/UBND-TH", ""),),
        (), (), (), (), (), (),
        ((150, "Kính gửi: Phòng Nội vụ các huyện, thị xã, thành phố.", ""),),
        (),
        *_para("Sở Nội vụ sao gửi Công văn số 5068/UBND-TH ngày 20/10/2023 của Ủy ban nhân dân",
               "tỉnh về việc tăng cường công tác tiêm chủng (văn bản đính kèm) đến các đơn vị để",
               "nghiên cứu, triển khai thực hiện./."),
        (),
        (("L", "Nơi nhận:", "b"), ("R", "GIÁM ĐỐC", "b")),
        ((50, "- Như trên;", ""),),
        ((50, "- Lưu: VT, VP.", ""),),
        (), (), (),
        (("R", "Phạm Minh Quang", "b"),),
    ), stamp=Stamp("UBND HUYỆN CHÂU THÀNH", 1234, "25/10/2023")),
    Page(_rows(
        (("L", "ỦY BAN NHÂN DÂN", "b"), ("R", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "b")),
        (("L", "TỈNH TÂY NINH", "b"), ("R", "Độc lập - Tự do - Hạnh phúc", "b")),
        (),
        (("L", "Số: 5068/UBND-TH", ""), ("R", "Tây Ninh, ngày 20 tháng 10 năm 2023", "i")),
        ((50, "V/v tăng cường công tác tiêm chủng", ""),),
        (),
        ((150, "Kính gửi: Các sở, ban, ngành tỉnh.", ""),),
        (),
        *_para("Thực hiện Chỉ thị số 25/CT-TTg ngày 02/10/2023 của Thủ tướng Chính phủ, Chủ tịch",
               "Ủy ban nhân dân tỉnh giao các sở, ngành tăng cường công tác tiêm chủng./."),
        (),
        (("L", "Nơi nhận:", "b"), ("R", "KT. CHỦ TỊCH", "b")),
        ((50, "- Như trên;", ""), ("R", "PHÓ CHỦ TỊCH", "b")),
        ((50, "- Lưu: VT.", ""),),
        (), (), (),
        (("R", "Võ Đức Trọng", "b"),),
    )),
), ({
    "issuer": "SỞ NỘI VỤ", "reference": "1187/SNV-VP", "issued_on": "2023-10-23", "doc_type": "Công văn",
    "subject": "sao gửi Công văn số 5068/UBND-TH", "urgency": None, "signer": "Phạm Minh Quang",
    "cites": [("5068/UBND-TH", "2023-10-20")],
}, {
    "issuer": "ỦY BAN NHÂN DÂN TỈNH TÂY NINH", "reference": "5068/UBND-TH", "issued_on": "2023-10-20",
    "doc_type": "Công văn", "subject": "tăng cường công tác tiêm chủng", "urgency": None, "signer": "Võ Đức Trọng",
    "cites": [("25/CT-TTg", "2023-10-02")],
}), received_stamp={"number": 1234, "date": "2023-10-25"},
    notes="a cover letter forwarding another document, the receiving unit's ĐẾN stamp on page 1")

UPSIDE_DOWN = Fixture("thong_bao_nguoc", (Page(_rows(
    (("L", "ỦY BAN NHÂN DÂN", "b"), ("R", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "b")),
    (("L", "HUYỆN CHÂU THÀNH", "b"), ("R", "Độc lập - Tự do - Hạnh phúc", "b")),
    (),
    (("L", "Số: 215/TB-UBND", ""), ("R", "Châu Thành, ngày 08 tháng 3 năm 2024", "i")),
    (),
    (("C", "THÔNG BÁO", "t"),),
    (("C", "Kết luận của Chủ tịch Ủy ban nhân dân huyện tại cuộc họp giao ban", "b"),),
    (("C", "tháng 02 năm 2024", "b"),),
    (),
    *_para("Ngày 01/3/2024, Chủ tịch Ủy ban nhân dân huyện chủ trì cuộc họp giao ban đánh giá",
           "việc thực hiện Kế hoạch số 12/KH-UBND ngày 10/01/2024 của Ủy ban nhân dân huyện.",
           "Các phòng, ban báo cáo kết quả về Văn phòng trước ngày 20/3/2024./."),
    (),
    (("L", "Nơi nhận:", "b"), ("R", "KT. CHỦ TỊCH", "b")),
    ((50, "- Các phòng, ban;", ""), ("R", "PHÓ CHỦ TỊCH", "b")),
    ((50, "- Lưu: VT.", ""),),
    (), (), (),
    (("R", "Lê Thị Thu Hà", "b"),),
)),), ({
    "issuer": "ỦY BAN NHÂN DÂN HUYỆN CHÂU THÀNH", "reference": "215/TB-UBND", "issued_on": "2024-03-08",
    "doc_type": "Thông báo",
    "subject": "Kết luận của Chủ tịch Ủy ban nhân dân huyện tại cuộc họp giao ban tháng 02 năm 2024",
    "urgency": None, "signer": "Lê Thị Thu Hà", "cites": [("12/KH-UBND", "2024-01-10")],
},), make="upside_down", notes="scanned upside down")

TWO_PAGES = Fixture("ke_hoach_hai_trang", (
    Page(_rows(
        (("L", "TỈNH ỦY TÂY NINH", "b"), ("R", "ĐẢNG CỘNG SẢN VIỆT NAM", "b")),
        (("L", "*", ""),),
        (("L", "Số 141-KH/TU", ""), ("R", "Tây Ninh, ngày 12 tháng 4 năm 2024", "i")),
        ((95, "THƯỢNG KHẨN", "b"),),
        (),
        (("C", "KẾ HOẠCH", "t"),),
        (("C", "tổng kết 10 năm thực hiện Chỉ thị của Ban Bí thư", "b"),),
        (),
        *_para("Thực hiện Hướng dẫn số 36-HD/VPTW ngày 03/4/2018 của Văn phòng Trung ương Đảng,",
               "Ban Thường vụ Tỉnh ủy ban hành kế hoạch tổng kết như sau:"),
        (),
        ((50, "I. MỤC ĐÍCH, YÊU CẦU", "b"),),
        *_para("Đánh giá đúng kết quả 10 năm thực hiện Chỉ thị; rút ra bài học kinh nghiệm và đề ra",
               "nhiệm vụ, giải pháp trong thời gian tới."),
        (),
        ((50, "II. NỘI DUNG", "b"),),
        *_para("Các cấp ủy tổ chức tổng kết ở cấp mình, báo cáo kết quả về Ban Thường vụ Tỉnh ủy",
               "(qua Ban Tuyên giáo Tỉnh ủy), trình tự và thời gian thực hiện theo phụ lục đính kèm,"),
    )),
    Page(_rows(
        ((50, "tổ chức hội nghị tổng kết cấp tỉnh trong quý III năm 2024.", ""),),
        (),
        ((50, "III. TỔ CHỨC THỰC HIỆN", "b"),),
        *_para("Ban Tuyên giáo Tỉnh ủy chủ trì, phối hợp với Văn phòng Tỉnh ủy theo dõi, đôn đốc",
               "việc thực hiện kế hoạch này./."),
        (),
        (("L", "Nơi nhận:", "b"), ("R", "T/M BAN THƯỜNG VỤ", "b")),
        ((50, "- Các đảng bộ trực thuộc,", ""), ("R", "PHÓ BÍ THƯ", "b")),
        ((50, "- Lưu Văn phòng Tỉnh ủy.", ""),),
        (), (), (),
        (("R", "Trần Văn Minh", "b"),),
    )),
), ({
    "issuer": "TỈNH ỦY TÂY NINH", "reference": "141-KH/TU", "issued_on": "2024-04-12", "doc_type": "Kế hoạch",
    "subject": "tổng kết 10 năm thực hiện Chỉ thị của Ban Bí thư", "urgency": "thuong_khan",
    "signer": "Trần Văn Minh", "cites": [("36-HD/VPTW", "2018-04-03")],
},), notes="two pages, the signature on the second")

PHOTO = Fixture("giay_moi_chup", (Page(_rows(
    (("L", "ỦY BAN NHÂN DÂN", "b"), ("R", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "b")),
    (("L", "THÀNH PHỐ TÂY NINH", "b"), ("R", "Độc lập - Tự do - Hạnh phúc", "b")),
    (),
    (("L", "Số: 45/GM-UBND", ""), ("R", "Tây Ninh, ngày 01 tháng 3 năm 2024", "i")),
    (),
    (("C", "GIẤY MỜI", "t"),),
    (("C", "Họp triển khai kế hoạch chuyển đổi số năm 2024", "b"),),
    (),
    ((150, "Kính gửi: Thủ trưởng các cơ quan, đơn vị thuộc thành phố.", ""),),
    (),
    *_para("Thực hiện Kế hoạch số 58/KH-UBND ngày 20/02/2024 của Ủy ban nhân dân thành phố",
           "về chuyển đổi số, Ủy ban nhân dân thành phố tổ chức cuộc họp như sau:"),
    ((75, "Thời gian: 14 giờ 00, ngày 12/3/2024.", ""),),
    ((75, "Địa điểm: Hội trường Ủy ban nhân dân thành phố./.", ""),),
    (),
    (("L", "Nơi nhận:", "b"), ("R", "CHỦ TỊCH", "b")),
    ((50, "- Như trên;", ""),),
    ((50, "- Lưu: VT.", ""),),
    (), (), (),
    (("R", "Huỳnh Văn Sơn", "b"),),
)),), ({
    "issuer": "ỦY BAN NHÂN DÂN THÀNH PHỐ TÂY NINH", "reference": "45/GM-UBND", "issued_on": "2024-03-01",
    "doc_type": "Giấy mời", "subject": "Họp triển khai kế hoạch chuyển đổi số năm 2024", "urgency": None,
    "signer": "Huỳnh Văn Sơn", "cites": [("58/KH-UBND", "2024-02-20")],
},), make="photo", notes="photographed with a phone: skewed, unevenly lit, lower resolution, JPEG quality 70")

FIXTURES = (STATE_LETTER, PARTY_LETTER, BUNDLE, UPSIDE_DOWN, TWO_PAGES, PHOTO)
FIELDS = ("issuer", "reference", "issued_on", "doc_type", "subject", "urgency", "signer", "cites")


# -- typesetting and scanning ------------------------------------------------------------------------------------

def _fonts() -> None:
    for name, file in FONTS.items():
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(ROOT / "resources" / "fonts" / file)))


def _draw_stamp(sheet: canvas.Canvas, stamp: Stamp) -> None:
    mm = 72 / 25.4
    width, height = 50 * mm, 35 * mm
    x, top = stamp.x, stamp.y
    sheet.saveState()
    sheet.setStrokeColorRGB(0.72, 0.08, 0.12)
    sheet.setFillColorRGB(0.72, 0.08, 0.12)
    sheet.setLineWidth(1.4)
    sheet.rect(x, top - height, width, height)
    sheet.setFont("LSB", 9.5)
    sheet.drawCentredString(x + width / 2, top - 12, stamp.agency)
    sheet.line(x, top - 17, x + width, top - 17)
    sheet.setFont("LSB", 15)
    sheet.drawString(x + 5, top - 42, "ĐẾN")
    sheet.setFont("LSB", 11.5)
    sheet.drawString(x + 13.5 * mm, top - 32, f"Số: {stamp.number}")
    sheet.drawString(x + 13.5 * mm, top - 50, f"Ngày: {stamp.day}")
    sheet.setFont("LSB", 10)
    sheet.drawString(x + 5, top - 68, "Chuyển: ..........................")
    sheet.drawString(x + 5, top - 84, "Số và ký hiệu HS: ...............")
    sheet.restoreState()


def typeset(pages: tuple[Page, ...], path: Path) -> Path:
    """The document as its issuer printed it: a PDF with a text layer (the original a scan is made from)."""
    _fonts()
    sheet = canvas.Canvas(str(path), pagesize=A4)
    for page in pages:
        y = HEIGHT - 60
        for row in page.rows:
            for x, text, style in row:
                font, size = _STYLE[style]
                sheet.setFont(font, size)
                if isinstance(x, str):
                    sheet.drawCentredString(_CENTRE[x], y, text)
                else:
                    sheet.drawString(x, y, text)
            y -= 20
        if page.stamp is not None:
            _draw_stamp(sheet, page.stamp)
        sheet.showPage()
    sheet.save()
    return path


def rasterise(pdf: Path, dpi: int = DPI) -> list[Image.Image]:
    document = pdfium.PdfDocument(str(pdf))
    try:
        return [document[i].render(scale=dpi / 72).to_pil().convert("RGB") for i in range(len(document))]
    finally:
        document.close()


def spoil(image: Image.Image, tilt: float = 0.8, turn: int = 0, noise: float = 0.01, seed: int = 7) -> Image.Image:
    """As a desk scanner leaves it: grey, tilted a little, softened, specks; `turn` puts it upside down or sideways."""
    spoilt = image.convert("L").rotate(tilt, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)
    spoilt = spoilt.filter(ImageFilter.GaussianBlur(0.6))
    pixels = spoilt.load()
    rng = random.Random(seed)
    width, height = spoilt.size
    for _ in range(int(width * height * noise)):
        pixels[rng.randrange(width), rng.randrange(height)] = rng.choice((0, 255))
    return spoilt.rotate(turn, expand=True) if turn else spoilt


def photograph(image: Image.Image, scale: float = 0.7, seed: int = 3) -> Image.Image:
    """As a phone on a desk takes it: the page seen at a slant (a perspective), lit from one side (the far corner
    in shadow), a desk around it, about 175 dpi, colour, slightly out of focus."""
    rng = random.Random(seed)
    width, height = image.size
    # Where the page's corners land in the photo (the top edge farther away than the bottom one).
    inset = [(0.07, 0.05), (0.03, 0.02), (0.0, 0.0), (0.02, 0.01)]
    corners = [(width * (0.02 + inset[0][0]), height * (0.03 + inset[0][1])),
               (width * (0.98 - inset[1][0]), height * (0.02 + inset[1][1])),
               (width * 0.99, height * 0.985),
               (width * (0.01 + inset[3][0]), height * 0.99)]
    coeffs = _perspective([(0, 0), (width, 0), (width, height), (0, height)], corners)
    desk = Image.new("RGB", image.size, (92, 78, 64))
    page = image.convert("RGB").transform(image.size, Image.Transform.PERSPECTIVE, coeffs,
                                          Image.Resampling.BICUBIC, fillcolor=None)
    mask = Image.new("L", image.size, 255).transform(image.size, Image.Transform.PERSPECTIVE, coeffs,
                                                     Image.Resampling.BILINEAR)
    photo = Image.composite(page, desk, mask)
    # Light falls from the bottom left: the top right corner gets about 60% of it, with a warm tint.
    shade = Image.new("L", (2, 2))
    shade.putdata([200, 150, 255, 215])  # top left, top right, bottom left, bottom right
    shade = shade.resize(image.size, Image.Resampling.BILINEAR)
    light = Image.merge("RGB", (shade, shade.point(lambda v: int(v * 0.96)), shade.point(lambda v: int(v * 0.88))))
    photo = ImageChops.multiply(photo, light)
    photo = photo.resize((int(width * scale), int(height * scale)), Image.Resampling.LANCZOS)
    photo = photo.filter(ImageFilter.GaussianBlur(0.5 + rng.random() * 0.2))
    return photo


def _perspective(src: list[tuple[float, float]], dst: list[tuple[float, float]]) -> list[float]:
    """PIL's 8 perspective coefficients for points src of the page landing at dst in the photo (PIL maps each
    output pixel back to its input one; solved by hand, no numpy)."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rhs.append(u)
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs.append(v)
    return _solve(rows, rhs)


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(n):
            if r != col:
                factor = m[r][col] / m[col][col]
                m[r] = [x - factor * y for x, y in zip(m[r], m[col], strict=True)]
    return [m[i][n] / m[i][i] for i in range(n)]


def smudge(image: Image.Image, row: int, factor: float = 4.8, blur: float = 1.0) -> Image.Image:
    """The page with one row of the typeset text smudged (a fold, a drop of water, a worn toner band): pixelated
    and blurred until Tesseract still reads it but is no longer sure of it."""
    scale = DPI / 72
    top = (60 + 20 * row - 15) * scale  # typeset() puts row i's baseline 60 + 20·i points from the top
    box = (0, int(top), image.width, int(top + 20 * scale))
    band = image.crop(box)
    small = band.resize((int(band.width / factor), int(band.height / factor)), Image.Resampling.BILINEAR)
    smudged = image.copy()
    smudged.paste(small.resize(band.size, Image.Resampling.BILINEAR).filter(ImageFilter.GaussianBlur(blur)), box)
    return smudged


def weak_scan(folder: Path) -> Path:
    """The state letter with its number and date line smudged: read, but from a weak line."""
    page = rasterise(typeset(STATE_LETTER.pages, folder / "mo.goc.pdf"))[0].convert("L")
    return image_pdf([spoil(smudge(page, 3))], folder / "so-bi-mo.pdf")


def image_pdf(images: list[Image.Image], path: Path, dpi: int = DPI) -> Path:
    """An image-only PDF (no text layer), as a scanner writes it."""
    rgb = [i.convert("RGB") for i in images]
    rgb[0].save(path, "PDF", resolution=dpi, save_all=True, append_images=rgb[1:])
    return path


def make_scan(fixture: Fixture, folder: Path, dpi: int = DPI) -> Path:
    """The fixture typeset, printed and scanned (or photographed) into folder at dpi; the path of the scan."""
    pages = rasterise(typeset(fixture.pages, folder / f"{fixture.name}.goc.pdf"), dpi)
    if fixture.make == "photo":
        path = folder / f"{fixture.name}.jpg"
        photograph(pages[0]).save(path, "JPEG", quality=70)
        return path
    turn = 180 if fixture.make == "upside_down" else 0
    return image_pdf([spoil(p, turn=turn, seed=7 + i) for i, p in enumerate(pages)], folder / f"{fixture.name}.pdf",
                     dpi)


# -- the old single letter, kept for the engine tests -----------------------------------------------------------

def letter_pdf(path: Path, pages: int = 1) -> Path:
    """The state letter, with a one-line second page when pages=2 (a text layer: the original)."""
    extra = Page(_rows(((50, "Trang 2: các đơn vị báo cáo kết quả trước ngày 15/11.", ""),)))
    return typeset((*STATE_LETTER.pages, *[extra] * (pages - 1)), path)


def blank_page(folder: Path) -> Path:
    """A scanned blank sheet: paper grey, a few specks, nothing written."""
    sheet = Image.new("L", (int(WIDTH / 72 * DPI), int(HEIGHT / 72 * DPI)), 246)
    return image_pdf([spoil(sheet, noise=0.0005)], folder / "trang-trang.pdf")


def corrupt_image(folder: Path) -> Path:
    """A JPEG cut off after its first kilobytes, as an interrupted copy leaves it."""
    whole = folder / "anh-hong-goc.jpg"
    Image.new("RGB", (800, 1100), (250, 250, 250)).save(whole, "JPEG", quality=70)
    cut = folder / "anh-hong.jpg"
    cut.write_bytes(whole.read_bytes()[:600])
    return cut


# -- comparing what was read with what is printed ---------------------------------------------------------------

def read_fields(doc: dict[str, Any]) -> dict[str, Any]:
    """The compared fields of one document of `extract`'s JSON (cites as (reference, date) pairs)."""
    got = {name: doc.get(name) for name in FIELDS if name != "cites"}
    got["cites"] = [(c["reference"], c["issued_on"]) for c in doc.get("cites", [])]
    return got


OUTCOMES = ("right", "right_flagged", "flagged", "wrong")


@dataclass
class Tally:
    """Per field and outcome, how many: right; right but flagged (read from a weak line, shown to check); flagged
    (not the printed value, from a weak line: the clerk is told); wrong or missing (nothing warned of it)."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    wrong: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, outcome: str, detail: str = "") -> None:
        per = self.counts.setdefault(name, dict.fromkeys(OUTCOMES, 0))
        per[outcome] += 1
        if outcome == "wrong":
            self.wrong.setdefault(name, []).append(detail)

    def count(self, outcome: str, name: str | None = None) -> int:
        rows = [self.counts.get(name, {})] if name else list(self.counts.values())
        return sum(row.get(outcome, 0) for row in rows)


def compare(fixture: Fixture, result: dict[str, Any], tally: Tally | None = None) -> list[str]:
    """Field by field against the fixture; what is wrong (not printed, and not flagged) as readable lines."""
    problems = []
    documents = result.get("documents", [])
    if len(documents) != len(fixture.expected):
        problems.append(f"{fixture.name}: {len(documents)} documents read, {len(fixture.expected)} printed")
    for index, want in enumerate(fixture.expected):
        doc = documents[index] if index < len(documents) else {}
        got = read_fields(doc)
        uncertain = doc.get("uncertain_fields", {})
        for name in FIELDS:
            expected = [tuple(c) for c in want[name]] if name == "cites" else want[name]
            detail = f"{fixture.name}[{index}].{name}: got {got[name]!r}, printed {expected!r}"
            if got[name] == expected:
                outcome = "right_flagged" if name in uncertain else "right"
            else:
                outcome = "flagged" if name in uncertain else "wrong"
            if outcome == "wrong":
                problems.append(detail)
            if tally is not None:
                tally.add(name, outcome, detail)
    if fixture.received_stamp is not None:
        outcome = "right" if result.get("received_stamp") == fixture.received_stamp else "wrong"
        detail = f"{fixture.name}.received_stamp: got {result.get('received_stamp')!r}"
        if outcome == "wrong":
            problems.append(detail)
        if tally is not None:
            tally.add("received_stamp", outcome, detail)
    return problems
