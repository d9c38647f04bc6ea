"""Certificates as the clerk hands them in (.pem, .cer, .crt, .p7b) and as the register shows them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, pkcs7
from cryptography.x509.oid import ExtensionOID, NameOID

from app.core.errors import ValidationError
from app.signatures.inputs import read_whole

FIELD, LABEL = "certificate", "Tệp chứng thư số"
MAX_SIZE = 1024 * 1024  # a root bundle is a few KB; a megabyte is not a certificate file


@dataclass(frozen=True)
class CertificateInfo:
    """One X.509 certificate: its bytes and what a clerk reads of it."""

    der: bytes
    fingerprint: str  # SHA-256 of the DER, lowercase hex: how the register names a certificate
    subject: str  # CN, or the whole name when it has none
    organization: str  # O (and OU), "" when absent
    issuer: str
    not_before: datetime
    not_after: datetime
    is_ca: bool

    @property
    def self_signed(self) -> bool:
        return self.subject == self.issuer

    def short_fingerprint(self) -> str:
        return ":".join(self.fingerprint[i:i + 2] for i in range(0, 16, 2)).upper()


def _attribute(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = [str(a.value) for a in name.get_attributes_for_oid(oid)]
    return ", ".join(values)


def common_name(name: x509.Name) -> str:
    return _attribute(name, NameOID.COMMON_NAME) or name.rfc4514_string()


def organization(name: x509.Name) -> str:
    """O, then OU after a dash: "Sở Y tế tỉnh Tây Ninh — Văn phòng"."""
    parts = [p for p in (_attribute(name, NameOID.ORGANIZATION_NAME),
                         _attribute(name, NameOID.ORGANIZATIONAL_UNIT_NAME)) if p]
    return " — ".join(parts)


def describe(cert: x509.Certificate) -> CertificateInfo:
    der = cert.public_bytes(Encoding.DER)
    try:
        is_ca = bool(cert.extensions.get_extension_for_oid(ExtensionOID.BASIC_CONSTRAINTS).value.ca)
    except x509.ExtensionNotFound:
        is_ca = False
    return CertificateInfo(der, hashlib.sha256(der).hexdigest(), common_name(cert.subject),
                           organization(cert.subject), common_name(cert.issuer),
                           cert.not_valid_before_utc, cert.not_valid_after_utc, is_ca)


def from_der(der: bytes) -> CertificateInfo:
    return describe(x509.load_der_x509_certificate(der))


def _refuse(message: str) -> ValidationError:
    return ValidationError.single(FIELD, LABEL, message)


def _parse(data: bytes) -> list[x509.Certificate]:
    """Every certificate of a PEM file (one or many, or a PEM PKCS#7), a DER certificate or a DER PKCS#7 bundle."""
    if b"-----BEGIN PKCS7-----" in data:
        return pkcs7.load_pem_pkcs7_certificates(data)
    if b"-----BEGIN CERTIFICATE-----" in data:
        return x509.load_pem_x509_certificates(data)
    try:
        return [x509.load_der_x509_certificate(data)]
    except ValueError:
        return pkcs7.load_der_pkcs7_certificates(data)


def load_file(path: str | Path) -> list[CertificateInfo]:
    """The certificates of a file, or ValidationError naming the file and why it holds none."""
    source = Path(path).expanduser()
    data = read_whole(source, MAX_SIZE, _refuse, "quá lớn để là một tệp chứng thư số")
    try:
        certificates = _parse(data)
    except (ValueError, TypeError) as exc:
        raise _refuse(f"tệp {source.name} không phải chứng thư số X.509 (.pem, .cer, .crt, .der) hay gói "
                      f"chứng thư .p7b đọc được ({exc}).") from None
    if not certificates:
        raise _refuse(f"tệp {source.name} không chứa chứng thư số nào.")
    return [describe(c) for c in certificates]


def now() -> datetime:
    return datetime.now(UTC)
