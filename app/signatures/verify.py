"""Checking every signature of a PDF offline: intact, trusted by the register's roots, what changed after signing."""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore, NoDSSFoundError
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from app.core.errors import ValidationError
from app.signatures import verdicts
from app.signatures.certificates import common_name, organization
from app.signatures.inputs import read_whole
from app.signatures.reasons import problems_of

FIELD, LABEL = "file", "Tệp PDF có chữ ký số"
MAX_SIZE = 200 * 1024 * 1024
# pyHanko logs each failed path and each unreadable object; the clerk reads the verdict instead.
logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
logging.getLogger("pyhanko_certvalidator").setLevel(logging.CRITICAL)


@dataclass(frozen=True)
class SignatureCheck:
    """One signature of the file, as `verify --json` lists it."""

    field: str
    signer: str
    organization: str
    issuer: str
    valid_from: str | None
    valid_to: str | None
    signed_at: str | None  # ISO 8601 +07:00: the time the signer's software wrote
    timestamp: str | None  # the time a timestamp authority vouched for, when the signature carries one
    intact: bool
    trusted: bool
    covers_whole: bool
    modification: str | None  # none | lta_updates | form_filling | annotations | other
    verdict: str
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.intact and self.trusted and self.modification != "other" and not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "problems": list(self.problems), "ok": self.ok}


@dataclass(frozen=True)
class VerifyReport:
    """Every signature of one file, and what the file as a whole is."""

    file_name: str
    signatures: tuple[SignatureCheck, ...] = ()
    claims_signature: bool = False  # a signature field or dictionary is there, signed or not
    problem: str | None = None  # why a claimed signature could not be read at all
    checked_at: datetime = field(default_factory=lambda: datetime.now(verdicts.VIETNAM))

    @property
    def status(self) -> str:
        if not self.signatures:
            return verdicts.MISSING if self.claims_signature else verdicts.NONE
        broken = any(not s.intact or s.modification == "other" for s in self.signatures)
        if broken or (self.problem is not None and self.claims_signature):
            return verdicts.INVALID
        return verdicts.VALID if all(s.ok for s in self.signatures) else verdicts.UNTRUSTED

    @property
    def ok(self) -> bool:
        return self.status == verdicts.VALID

    @property
    def needs_confirmation(self) -> bool:
        return self.status in verdicts.NEEDS_CONFIRMATION

    @property
    def verdict(self) -> str:
        """The file in one line: the first signature's verdict, or why there is none."""
        if self.status == verdicts.NONE:
            return "Không có chữ ký số trong tệp." + (f" ({self.problem})" if self.problem else "")
        if self.status == verdicts.MISSING:
            return f"Chữ ký số bị hỏng hoặc thiếu: {self.problem or 'tệp có ô chữ ký nhưng chưa được ký'}."
        if self.problem is not None:
            return f"Chữ ký số không hợp lệ: {self.problem}."
        # The first that fails; when all hold, the newest (a copy's or the agency's, over the sender's own).
        worst = next((s for s in self.signatures if not s.ok), self.signatures[-1])
        more = f" (và {len(self.signatures) - 1} chữ ký khác)" if len(self.signatures) > 1 else ""
        return worst.verdict + more

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file_name, "status": self.status, "verdict": self.verdict,
                "claims_signature": self.claims_signature, "problem": self.problem,
                "checked_at": self.checked_at.isoformat(timespec="seconds"),
                "signatures": [s.to_dict() for s in self.signatures]}


def _refuse(message: str) -> ValidationError:
    return ValidationError.single(FIELD, LABEL, message)


def _read(path: Path) -> bytes:
    data = read_whole(path, MAX_SIZE, _refuse, "quá lớn (tối đa 200 MB)")
    if b"%PDF-" not in data[:1024]:
        raise _refuse(f"tệp {path.name} không phải tệp PDF.")
    return data


def _claims(data: bytes) -> bool:
    """A signature dictionary or field is in the bytes, even where the structure around it is broken."""
    return any(marker in data for marker in (b"/ByteRange", b"/Type /Sig", b"/Type/Sig", b"/FT /Sig", b"/FT/Sig",
                                             b"adbe.pkcs7", b"ETSI.CAdES"))


def _context(reader: PdfFileReader, trust: Sequence[bytes], crls: Sequence[bytes]) -> ValidationContext:
    """The register's roots only (an empty list is no root, never the system's); revocation data only from the
    file's DSS and what the clerk imported; nothing fetched."""
    kwargs: dict[str, Any] = {"trust_roots": [asn1_x509.Certificate.load(der) for der in trust],
                              "allow_fetching": False, "revocation_mode": "soft-fail", "crls": list(crls),
                              "ocsps": []}
    try:
        return DocumentSecurityStore.read_dss(reader).as_validation_context(kwargs)
    except NoDSSFoundError:
        return ValidationContext(**kwargs)
    except (PdfError, ValueError, KeyError, TypeError):  # a damaged DSS gives no revocation data, nothing more
        return ValidationContext(**kwargs)


def _modification(status: PdfSignatureStatus) -> str | None:
    level = status.modification_level
    return None if level is None else level.name.lower()


def _check(embedded: Any, trust: Sequence[bytes], crls: Sequence[bytes], reader: PdfFileReader) -> SignatureCheck:
    name = embedded.field_name or "?"
    try:
        cert = x509.load_der_x509_certificate(embedded.signer_cert.dump())
    except (ValueError, AttributeError, TypeError):
        cert = None
    try:
        status = validate_pdf_signature(embedded, _context(reader, trust, crls))
    except (SignatureValidationError, PdfError, ValueError, KeyError, TypeError) as exc:
        signer = common_name(cert.subject) if cert else "không rõ người ký"
        return SignatureCheck(name, signer, organization(cert.subject) if cert else "",
                              common_name(cert.issuer) if cert else "", None, None, None, None, False, False, False,
                              None, f"Chữ ký số không hợp lệ: chữ ký của {signer} bị hỏng, không kiểm tra được "
                                    f"({exc}).", ("chữ ký bị hỏng",))
    cert = cert or x509.load_der_x509_certificate(status.signing_cert.dump())
    signed_at = status.signer_reported_dt
    stamp = status.timestamp_validity
    stamped = stamp.timestamp if stamp is not None and stamp.intact and stamp.valid else None
    modification = _modification(status)
    covers = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    problems = problems_of(status, cert, stamped or signed_at, modification)
    signer, org = common_name(cert.subject), organization(cert.subject)
    who = f"{signer}, {org}" if org else signer
    when = verdicts.shown(stamped or signed_at)
    if not status.intact or not status.valid:
        verdict = f"Chữ ký số không hợp lệ: nội dung tệp đã bị thay đổi sau khi ký — {who}, ký lúc {when}."
    elif modification == "other":
        verdict = f"Chữ ký số không hợp lệ: tệp đã bị sửa sau khi ký ({verdicts.MODIFICATIONS['other']}) — {who}."
    elif problems:
        verdict = f"Chữ ký số chưa được tin cậy: {problems[0]} — {who}, ký lúc {when}."
    else:
        after = "" if covers or modification in (None, "none") else \
            f" (sau khi ký: {verdicts.MODIFICATIONS.get(modification, modification)})"
        verdict = f"Chữ ký số hợp lệ — {who}, ký lúc {when}{after}."
    return SignatureCheck(name, signer, org, common_name(cert.issuer), verdicts.iso(cert.not_valid_before_utc),
                          verdicts.iso(cert.not_valid_after_utc), verdicts.iso(signed_at), verdicts.iso(stamped),
                          bool(status.intact and status.valid), not problems and bool(status.trusted), covers,
                          modification, verdict, tuple(problems))


def verify_bytes(data: bytes, file_name: str, trust: Sequence[bytes] = (), crls: Sequence[bytes] = (),
                 strict: bool = True) -> VerifyReport:
    """Every signature of a PDF given as bytes (an attachment in the store, an edXML part). A file that cannot be
    read as a PDF and claims no signature is refused (ValidationError) when `strict`; otherwise (attaching a damaged
    scan) it is reported as unsigned, with the reason."""
    claims = _claims(data)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if reader.encrypted:
            raise _refuse(f"tệp {file_name} được bảo vệ bằng mật khẩu; cần bản không khóa để kiểm tra chữ ký số.")
        signatures = list(reader.embedded_regular_signatures)
    except ValidationError as exc:
        if strict or claims:
            raise
        return VerifyReport(file_name, (), False, exc.errors[0].message)
    except (PdfError, SignatureValidationError, ValueError, KeyError, TypeError, IndexError) as exc:
        if claims:  # a signed file damaged around its signature is a broken signature, not a bad input
            return VerifyReport(file_name, (), True, f"cấu trúc tệp bị hỏng, không đọc được chữ ký ({exc})")
        if not strict:
            return VerifyReport(file_name, (), False, f"không đọc được cấu trúc tệp PDF ({exc})")
        raise _refuse(f"tệp {file_name} bị hỏng, không đọc được như một tệp PDF ({exc}).") from None
    checks = tuple(_check(s, trust, crls, reader) for s in signatures)
    problem = None
    if claims and not checks:
        problem = "tệp có ô chữ ký nhưng không có chữ ký nào đọc được"
    return VerifyReport(file_name, checks, claims or bool(checks), problem)


def verify_file(path: str | Path, trust: Sequence[bytes] = (), crls: Sequence[bytes] = (),
                strict: bool = True) -> VerifyReport:
    """Every signature of a PDF file; ValidationError (field "file") when it is not a PDF or cannot be read."""
    source = Path(path).expanduser()
    return verify_bytes(_read(source), source.name, trust, crls, strict)
