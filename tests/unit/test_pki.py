"""The test PKI of tests/pki.py really signs and validates PDFs with pyHanko: PKCS#12, CRLs and a SoftHSM2 token."""

from __future__ import annotations

import io
import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs7, pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from reportlab.pdfgen import canvas

from tests import pki

AGENCY_O = "Ủy ban nhân dân tỉnh Hà Giang"


def small_pdf() -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out)
    c.drawString(72, 720, "Cong van so 12/UBND-VP")
    c.showPage()
    c.save()
    return out.getvalue()


def sign(signer: signers.Signer) -> bytes:
    out = io.BytesIO()
    signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(small_pdf())),
                     signers.PdfSignatureMetadata(field_name="Sig1"), signer=signer, output=out)
    return out.getvalue()


def validate(pdf: bytes, *roots: pki.Issued, **context):
    sig = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    return validate_pdf_signature(sig, ValidationContext(trust_roots=[r.asn1 for r in roots], allow_fetching=False,
                                                         **context))


def p12_signer(tmp_path: Path, cert: pki.Issued, ca: pki.Issued) -> signers.SimpleSigner:
    path = cert.write_p12(tmp_path / "agency.p12", "mật khẩu", chain=[ca])
    signer = signers.SimpleSigner.load_pkcs12(path, passphrase="mật khẩu".encode())
    assert signer is not None
    return signer


@pytest.fixture(scope="module")
def ca() -> pki.Issued:
    return pki.make_ca()


def test_certificates_and_files(ca: pki.Issued, tmp_path: Path) -> None:
    agency = pki.issue(ca, "Nguyễn Văn An", AGENCY_O, "Văn phòng", email="an@hagiang.gov.vn")
    assert agency.cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == AGENCY_O
    assert agency.asn1.subject.native["organization_name"] == AGENCY_O  # UTF8String survives the DER round trip
    assert agency.cert.issuer == ca.cert.subject
    assert ca.cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert not agency.cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    usage = agency.cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    assert len(agency.fingerprint) == 64 and agency.fingerprint == agency.fingerprint.lower()
    assert x509.load_pem_x509_certificate(agency.write_pem(tmp_path / "a.pem").read_bytes()) == agency.cert
    assert x509.load_der_x509_certificate(agency.write_der(tmp_path / "a.cer").read_bytes()) == agency.cert
    bundle = pkcs7.load_der_pkcs7_certificates(agency.write_p7b(tmp_path / "a.p7b", extra=[ca]).read_bytes())
    assert set(bundle) == {agency.cert, ca.cert}  # a SET OF: DER sorts it
    key, cert, chain = pkcs12.load_key_and_certificates(
        agency.write_p12(tmp_path / "a.p12", "123", chain=[ca]).read_bytes(), b"123")
    assert cert == agency.cert and chain == [ca.cert] and key.public_key() == agency.key.public_key()


def test_p12_signature_is_intact_and_trusted(ca: pki.Issued, tmp_path: Path) -> None:
    agency = pki.issue(ca, "Văn thư", AGENCY_O)
    status = validate(sign(p12_signer(tmp_path, agency, ca)), ca)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.coverage is SignatureCoverageLevel.ENTIRE_FILE
    assert status.modification_level is ModificationLevel.NONE
    assert status.trust_problem_indic is None and not status.revoked
    assert status.signing_cert.sha256.hex() == agency.fingerprint


def test_wrong_p12_password(ca: pki.Issued, tmp_path: Path) -> None:
    path = pki.issue(ca, "Văn thư", AGENCY_O).write_p12(tmp_path / "a.p12", "đúng")
    assert signers.SimpleSigner.load_pkcs12(path, passphrase=b"sai") is None  # logged, not raised
    with pytest.raises(ValueError):
        signers.SimpleSigner.load_pkcs12_data(path.read_bytes(), other_certs=[], passphrase=b"sai")


INDICATIONS = {  # pyHanko 0.38's status.trust_problem_indic per case (AdESIndeterminate members)
    "unknown_root": "NO_CERTIFICATE_CHAIN_FOUND", "no_non_repudiation": "CHAIN_CONSTRAINTS_FAILURE",
    "expired": "OUT_OF_BOUNDS_NO_POE", "not_yet_valid": "CERTIFICATE_CHAIN_GENERAL_FAILURE",
    "revoked": "REVOKED_NO_POE", "revoked_crl_url": "REVOKED_NO_POE",
}


@pytest.mark.parametrize("case", list(INDICATIONS))
def test_untrusted_signatures_stay_intact(ca: pki.Issued, tmp_path: Path, case: str) -> None:
    now = datetime.now(UTC)
    roots, context = [ca], {}
    if case == "unknown_root":
        agency, roots = pki.issue(ca, "Văn thư", AGENCY_O), [pki.make_ca("Other CA")]
    elif case == "no_non_repudiation":  # pyHanko's default key usage policy: nonRepudiation is required
        agency = pki.issue(ca, "Văn thư", AGENCY_O, non_repudiation=False)
    elif case == "expired":
        agency = pki.issue(ca, "Văn thư", AGENCY_O, not_before=now - timedelta(days=800),
                           not_after=now - timedelta(days=1))
    elif case == "not_yet_valid":
        agency = pki.issue(ca, "Văn thư", AGENCY_O, not_before=now + timedelta(days=1))
    elif case == "revoked":  # "require": the CRL counts although the certificate names no CRL
        agency = pki.issue(ca, "Văn thư", AGENCY_O)
        context = {"crls": [pki.make_crl(ca, [agency])], "revocation_mode": "require"}
    else:  # "hard-fail" checks CRLs only for certificates with a CRL distribution point
        agency = pki.issue(ca, "Văn thư", AGENCY_O, crl_url="http://ca.test/root.crl")
        context = {"crls": [pki.make_crl(ca, [agency])], "revocation_mode": "hard-fail"}
    status = validate(sign(p12_signer(tmp_path, agency, ca)), *roots, **context)
    assert status.intact and status.valid
    assert not status.trusted and not status.bottom_line and status.trust_problem_indic.name == INDICATIONS[case]
    assert status.revoked == case.startswith("revoked")


@pytest.mark.parametrize("crl_url", [None, "http://ca.test/root.crl"])
def test_crl_of_other_certificates_keeps_signature_trusted(ca: pki.Issued, tmp_path: Path, crl_url) -> None:
    agency = pki.issue(ca, "Văn thư", AGENCY_O, crl_url=crl_url)
    crl = pki.make_crl(ca, [pki.issue(ca, "Người khác", AGENCY_O)])
    status = validate(sign(p12_signer(tmp_path, agency, ca)), ca, crls=[crl], revocation_mode="require")
    assert status.bottom_line and not status.revoked


TOKEN_SIGN = """
import json, sys
from pyhanko.config.pkcs11 import TokenCriteria
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session
lib, label, pin, key_label, src, dst = sys.argv[1:]
errors = {}
for name, token_label, user_pin in (("wrong_pin", label, pin + "9"), ("no_token", "NOPE", pin)):
    try:
        open_pkcs11_session(lib, token_criteria=TokenCriteria(label=token_label), user_pin=user_pin).close()
    except Exception as exc:
        errors[name] = f"{type(exc).__module__}.{type(exc).__qualname__}"
with open_pkcs11_session(lib, token_criteria=TokenCriteria(label=label), user_pin=pin) as session:
    signer = PKCS11Signer(session, key_label=key_label, cert_label=key_label)
    with open(src, "rb") as inp, open(dst, "wb") as out:
        signers.sign_pdf(IncrementalPdfFileWriter(inp), signers.PdfSignatureMetadata(field_name="Sig1"),
                         signer=signer, output=out)
print(json.dumps(errors))
"""


def test_softhsm_token_signs(ca: pki.Issued, tmp_path: Path) -> None:
    agency = pki.issue(ca, "Văn thư", AGENCY_O, key=pki.rsa_key(1))  # SoftHSM2 2.6: no CKM_ECDSA_SHA256
    token = pki.softhsm_token(tmp_path / "hsm", key=agency, chain=[ca])
    assert token.env == {"SOFTHSM2_CONF": str(token.conf)} and os.environ.get("SOFTHSM2_CONF") != str(token.conf)
    src, dst = tmp_path / "in.pdf", tmp_path / "out.pdf"
    src.write_bytes(small_pdf())
    done = token.run_python(TOKEN_SIGN, token.lib, token.label, token.pin, token.key_label, str(src), str(dst),
                            check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"wrong_pin": "pkcs11.exceptions.PinIncorrect",
                                       "no_token": "pkcs11.exceptions.PKCS11Error"}
    status = validate(dst.read_bytes(), ca)
    assert status.bottom_line and status.coverage is SignatureCoverageLevel.ENTIRE_FILE
    assert status.signing_cert.sha256.hex() == agency.fingerprint
