"""Letters and seals for the signature tests: a reportlab letter with a signature block, a red transparent seal."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from app.resources import resource
from app.signatures import signing
from app.signatures.keys import KeySource
from app.signatures.placement import top_right_box
from app.signatures.verdicts import VIETNAM
from tests import pki

AGENCY = "Sở Nội vụ tỉnh Tây Ninh"
SENDER = "Sở Y tế tỉnh Tây Ninh"
SIGNER = "Nguyễn Văn An"
PASSWORD = "mật-khẩu-1"
NAME_AT = (350, 200)  # where the letter writes the signer's name (points from the bottom left)


def letter(path: Path, signer: str = SIGNER, pages: int = 1) -> Path:
    """A one- or two-page công văn whose last page ends with the signature block of `signer`."""
    if "VanThuSerif" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("VanThuSerif", str(resource("fonts", "LiberationSerif-Regular.ttf"))))
    c = canvas.Canvas(str(path), pagesize=A4)
    for page in range(pages):
        c.setFont("VanThuSerif", 13)
        c.drawString(70, 780, "SỞ NỘI VỤ" if page == 0 else f"Trang {page + 1}")
        c.drawString(70, 700, "Kính gửi: các phòng, đơn vị trực thuộc")
        if page == pages - 1:
            c.drawString(360, 300, "GIÁM ĐỐC")
            c.drawString(*NAME_AT, signer)
        c.showPage()
    c.save()
    return path


def seal(path: Path, dpi: int = 282) -> Path:
    """A 400 px red ring on a transparent background: 36 mm at 282 dpi."""
    image = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((10, 10, 390, 390), outline=(220, 0, 0, 255), width=24)
    image.save(path, dpi=(dpi, dpi))
    return path


def signed(tmp: Path, who: pki.Issued, ca: pki.Issued, name: str = "signed.pdf", draft: Path | None = None) -> Path:
    """A letter signed by `who` (with the top-right text, as a sender's software would), as a .p12 would sign it."""
    draft = draft or letter(tmp / f"draft-{name}")
    p12 = who.write_p12(tmp / f"{name}.p12", PASSWORD, chain=[ca])
    holder = who.cert.subject.get_attributes_for_oid(pki.NameOID.ORGANIZATION_NAME)[0].value
    out = tmp / name
    signing.sign_pdf(draft, out, KeySource(pkcs12=p12, password=PASSWORD), str(holder),
                     signing.Appearance(top_right_box(draft), lines=("12/SYT-VP", "2026-12-07T09:00:00+07:00")),
                     datetime.now(VIETNAM).replace(microsecond=0))
    return out


def flip_byte(source: Path, target: Path) -> Path:
    """The file with one byte of its first content stream changed."""
    data = bytearray(source.read_bytes())
    at = data.find(b"stream", 100) + 20
    data[at] ^= 0x01
    target.write_bytes(bytes(data))
    return target


def raw_sign(source: Path, target: Path, who: pki.Issued, ca: pki.Issued, field: str = "Sig") -> Path:
    """Sign with pyHanko directly, without the app's own refusals (expired, not yet valid, no non-repudiation):
    what another agency's software might send."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    from tests.pki import asn1_key

    signer = signers.SimpleSigner(signing_cert=who.asn1, signing_key=asn1_key(who),
                                  cert_registry=SimpleCertificateStore.from_certs([ca.asn1]))
    with source.open("rb") as inp, target.open("wb") as out:
        writer = IncrementalPdfFileWriter(inp, strict=False)
        signers.sign_pdf(writer, signers.PdfSignatureMetadata(field_name=field), signer=signer, output=out)
    return target


def add_page(source: Path, target: Path) -> Path:
    """An incremental update after the signature that adds a page: a change no signature allows."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    with source.open("rb") as inp:
        writer = IncrementalPdfFileWriter(inp, strict=False)
        contents = writer.add_object(generic.StreamObject(stream_data=b"BT ET"))
        page = generic.DictionaryObject({
            generic.pdf_name("/Type"): generic.pdf_name("/Page"),
            generic.pdf_name("/MediaBox"): generic.ArrayObject([generic.NumberObject(n) for n in (0, 0, 595, 842)]),
            generic.pdf_name("/Contents"): contents, generic.pdf_name("/Resources"): generic.DictionaryObject()})
        writer.insert_page(page)
        with target.open("wb") as out:
            writer.write(out)
    return target
