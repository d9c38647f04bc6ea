"""Why a signature whose bytes are intact is still not to be trusted, in the words a clerk can act on."""

from __future__ import annotations

from datetime import UTC, datetime

from cryptography import x509
from pyhanko.sign.validation.status import PdfSignatureStatus

from app.signatures.certificates import common_name
from app.signatures.verdicts import day, shown


def _non_repudiation(cert: x509.Certificate) -> bool:
    """NĐ 130/2018: a signing certificate for documents carries non-repudiation (content commitment)."""
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return True  # no key usage extension: every use is allowed (RFC 5280 4.2.1.3)
    return usage.content_commitment


def problems_of(status: PdfSignatureStatus, cert: x509.Certificate, signed_at: datetime | None,
                modification: str | None) -> list[str]:
    """Every reason, most actionable first; empty when pyHanko trusts the signature and so do we."""
    if not status.intact or not status.valid:
        return ["nội dung tệp đã bị thay đổi sau khi ký"]
    found: list[str] = []
    now = datetime.now(UTC)
    indic = status.trust_problem_indic.name if status.trust_problem_indic is not None else None
    if indic == "NO_CERTIFICATE_CHAIN_FOUND":
        found.append(f"chứng thư số do «{common_name(cert.issuer)}» cấp không nối được tới chứng thư gốc nào trong "
                     "danh sách tin cậy của sổ (Cài đặt → Chứng thư số tin cậy)")
    if cert.not_valid_after_utc < now:
        when = f", ký lúc {shown(signed_at)}" if signed_at else ""
        found.append(f"chứng thư số đã hết hạn ngày {day(cert.not_valid_after_utc)}{when}, không có dấu thời gian "
                     "chứng minh đã ký khi chứng thư còn hiệu lực")
    if cert.not_valid_before_utc > now or (signed_at is not None and signed_at < cert.not_valid_before_utc):
        found.append(f"chứng thư số chưa có hiệu lực (hiệu lực từ ngày {day(cert.not_valid_before_utc)})")
    if not _non_repudiation(cert):
        found.append("chứng thư số không dùng để ký văn bản (không có thuộc tính chống chối bỏ — non-repudiation)")
    if status.revocation_details is not None:
        details = status.revocation_details
        whose = "chứng thư của CA cấp" if details.ca_revoked else "chứng thư số"
        found.append(f"{whose} đã bị thu hồi ngày {day(details.revocation_date)}")
    if status.docmdp_ok is False and modification != "other":
        found.append("tệp bị thay đổi sau khi ký nhiều hơn mức người ký cho phép")
    if not found and indic is not None:
        found.append(f"không xác minh được chuỗi chứng thư số ({indic})")
    if not found and not status.trusted:
        found.append("không xác minh được chuỗi chứng thư số")
    return found
