"""The agency's signature on what it issues (NĐ 30 Điều 3.2, Phụ lục I): checked key, PAdES signature with the
seal or the top-right text as its appearance, written to a temporary file and only then to the output."""

from __future__ import annotations

import contextlib
import os
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from PIL import Image
from pyhanko.pdf_utils import images, layout
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.stamp import StaticStampStyle, TextStampStyle

from app.core.errors import ValidationError
from app.resources import resource
from app.signatures import verdicts
from app.signatures.certificates import organization
from app.signatures.fonts import TimesFactory
from app.signatures.keys import KeySource, certificate_of, open_signer
from app.signatures.placement import MM, Box

# Times New Roman where the system has it (Windows); else Liberation Serif, its metric twin that ships with us.
_TIMES = (Path("C:/Windows/Fonts/times.ttf"), Path("/usr/share/fonts/truetype/msttcorefonts/Times_New_Roman.ttf"))
DEFAULT_SEAL_MM = 36.0  # a common round agency seal (NĐ 99/2016: 32–42 mm) when the PNG says no resolution


@dataclass(frozen=True)
class Seal:
    """The seal image (red, transparent PNG) and its real size on paper, in points."""

    path: Path
    width: float
    height: float


@dataclass(frozen=True)
class Appearance:
    """What the signature shows: the seal image in `box`, or `lines` of Times 10 in it."""

    box: Box
    seal: Seal | None = None
    lines: tuple[str, ...] = ()


def _refuse(field: str, label: str, message: str) -> ValidationError:
    return ValidationError.single(field, label, message)


def times_font() -> Path:
    return next((p for p in _TIMES if p.is_file()), resource("fonts", "LiberationSerif-Regular.ttf"))


def load_seal(path: Path, size_mm: float | None = None) -> Seal:
    """The seal PNG, refused unless it is a PNG with transparency; its size from its resolution, or `size_mm`."""
    label = "Ảnh con dấu"
    try:
        with Image.open(path) as image:
            kind, mode, (w, h), dpi = image.format, image.mode, image.size, image.info.get("dpi")
            transparent = mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    except (OSError, ValueError) as exc:
        raise _refuse("seal", label, f"không đọc được ảnh con dấu {path} ({exc}).") from None
    if kind != "PNG" or not transparent:
        raise _refuse("seal", label, f"ảnh con dấu {path.name} phải là ảnh PNG nền trong suốt (Phụ lục I NĐ 30).")
    if size_mm:
        scale = size_mm * MM / max(w, h)
    elif dpi and dpi[0] > 1:
        scale = 72 / float(dpi[0])
    else:
        scale = DEFAULT_SEAL_MM * MM / max(w, h)
    return Seal(path, w * scale, h * scale)


def _same_agency(certificate: str, agency: str) -> bool:
    def fold(text: str) -> str:
        return " ".join(unicodedata.normalize("NFC", text).casefold().split())
    return bool(agency.strip()) and fold(agency) in {fold(p) for p in certificate.split(" — ")} | {fold(certificate)}


def check_certificate(cert: x509.Certificate, agency_name: str, source: KeySource) -> None:
    """Refuse a key the agency may not sign with: expired, not yet valid, not for signing, another agency's."""
    label = "Chứng thư số"
    now = datetime.now(UTC)
    if cert.not_valid_after_utc < now:
        raise _refuse("certificate", label, f"chứng thư số trong {source.describe()} đã hết hạn ngày "
                      f"{verdicts.day(cert.not_valid_after_utc)}. Chưa ký, chưa ghi tệp nào.")
    if cert.not_valid_before_utc > now:
        raise _refuse("certificate", label, f"chứng thư số trong {source.describe()} chưa có hiệu lực (từ ngày "
                      f"{verdicts.day(cert.not_valid_before_utc)}). Chưa ký, chưa ghi tệp nào.")
    with contextlib.suppress(x509.ExtensionNotFound):
        if not cert.extensions.get_extension_for_class(x509.KeyUsage).value.content_commitment:
            raise _refuse("certificate", label, "chứng thư số không dùng để ký văn bản (không có thuộc tính chống "
                          "chối bỏ — non-repudiation). Chưa ký, chưa ghi tệp nào.")
    holder = organization(cert.subject)
    if not _same_agency(holder, agency_name):
        raise _refuse("certificate", label, f"chứng thư số cấp cho «{holder or 'không ghi tổ chức'}», không phải "
                      f"cho cơ quan «{agency_name or 'chưa cài đặt tên cơ quan'}» (Cài đặt → Cơ quan). Chỉ ký bằng "
                      "chứng thư số của chính cơ quan. Chưa ký, chưa ghi tệp nào.")


class _SignerAt(signers.PdfSigner):
    """A PdfSigner whose signing time is the one written in the appearance (Phụ lục I: the time shown is the
    signature's own)."""

    def __init__(self, *args, moment: datetime, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._moment = moment

    def init_signing_session(self, pdf_out, existing_fields_only=False):  # type: ignore[no-untyped-def]
        session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
        session.system_time = self._moment
        return session


def _style(appearance: Appearance) -> StaticStampStyle | TextStampStyle:
    if appearance.seal is not None:
        # The seal at its real size: the box is the seal's size, filled edge to edge (no margin).
        whole = layout.SimpleBoxLayoutRule(x_align=layout.AxisAlignment.ALIGN_MID,
                                           y_align=layout.AxisAlignment.ALIGN_MID, margins=layout.Margins(),
                                           inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT)
        return StaticStampStyle(background=images.PdfImage(str(appearance.seal.path)), border_width=0,
                                background_opacity=1.0, background_layout=whole)
    font = TimesFactory(str(times_font()))
    text = "\n".join(line.replace("%", "%%") for line in appearance.lines)
    # Times 10 exactly: never shrunk to the box, no inner margin (the box is made big enough by placement).
    exact = layout.SimpleBoxLayoutRule(x_align=layout.AxisAlignment.ALIGN_MIN, y_align=layout.AxisAlignment.ALIGN_MAX,
                                       margins=layout.Margins(), inner_content_scaling=layout.InnerScaling.NO_SCALING)
    return TextStampStyle(stamp_text=text, border_width=0, background=None, inner_content_layout=exact,
                          text_box_style=TextBoxStyle(font=font, font_size=10, leading=12, border_width=0,
                                                      box_layout_rule=exact))


def sign_pdf(draft: Path, output: Path, source: KeySource, agency_name: str, appearance: Appearance,
             moment: datetime, field_name: str = "CoQuan") -> x509.Certificate:
    """Sign `draft` into `output` as the agency; nothing is written at `output` unless the whole signature was.
    Returns the certificate used."""
    if output.resolve() == draft.resolve():
        raise _refuse("output", "Tệp kết quả", "tệp kết quả phải khác bản thảo (bản thảo được giữ nguyên).")
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise _refuse("output", "Tệp kết quả", f"không có thư mục {folder}.")
    with open_signer(source) as signer:
        cert = certificate_of(signer)
        check_certificate(cert, agency_name, source)
        handle, temp_name = tempfile.mkstemp(dir=folder, prefix=".ky-so-", suffix=".pdf")
        temp = Path(temp_name)
        try:
            with os.fdopen(handle, "wb") as out, draft.open("rb") as inp:
                writer = IncrementalPdfFileWriter(inp, strict=False)
                name = _free_field_name(writer, field_name)
                fields.append_signature_field(writer, fields.SigFieldSpec(
                    name, on_page=appearance.box.page, box=appearance.box.as_tuple()))
                meta = signers.PdfSignatureMetadata(field_name=name, md_algorithm="sha256",
                                                    subfilter=fields.SigSeedSubFilter.PADES,
                                                    reason="Chữ ký số của cơ quan, tổ chức (NĐ 30/2020/NĐ-CP)",
                                                    location=agency_name or None)
                _SignerAt(meta, signer=signer, stamp_style=_style(appearance), moment=moment).sign_pdf(
                    writer, output=out)
            os.replace(temp, output)
        except (SigningError, PdfError, OSError, ValueError) as exc:
            raise _refuse("draft", "Bản văn bản cần ký", f"không ký được {draft.name}: {exc}. Chưa ghi tệp nào.") \
                from None
        finally:
            with contextlib.suppress(OSError):
                temp.unlink(missing_ok=True)
    return cert


def _free_field_name(writer: IncrementalPdfFileWriter, base: str) -> str:
    """A field name the draft does not use yet (the leader's own signature field may be there)."""
    taken = {name for name, _value, _ref in fields.enumerate_sig_fields(writer)}
    if base not in taken:
        return base
    return next(f"{base}{i}" for i in range(2, 10_000) if f"{base}{i}" not in taken)
