"""Test PKI made on the fly: a root CA, signing certificates, PKCS#12/PKCS#7 files, CRLs and a SoftHSM2 token."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs7, pkcs12
from cryptography.x509.oid import NameOID

PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey

# Facts about pyHanko 0.38 / python-pkcs11 0.9.5 that the signing code has to turn into Vietnamese messages:
# - Wrong PKCS#12 password: SimpleSigner.load_pkcs12(path, passphrase=...) logs and returns None (no exception);
#   SimpleSigner.load_pkcs12_data(data, other_certs=[], passphrase=...) raises ValueError.
# - Wrong PKCS#11 user PIN: pyhanko.sign.pkcs11.open_pkcs11_session(...) raises pkcs11.exceptions.PinIncorrect
#   (a pkcs11.exceptions.PKCS11Error, itself a RuntimeError), unwrapped by pyHanko.
# - No token with that label (open_pkcs11_session) or no key/cert with that label (PKCS11Signer, on first use):
#   the base pkcs11.exceptions.PKCS11Error ("No token matching ...", "Could not find private key with label ...").
# - In one process a second pkcs11.lib(path) keeps the first SOFTHSM2_CONF; only lib.reinitialize() (C_Finalize +
#   C_Initialize, process-wide) rereads it. Hence SoftToken.run_python: PKCS#11 work in a child process.
# - open_pkcs11_session takes token_criteria=pyhanko.config.pkcs11.TokenCriteria(label=...), not token_label=.

SOFTHSM_LIBS = ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
                "/usr/local/lib/softhsm/libsofthsm2.so", "/usr/lib64/libsofthsm2.so")


@functools.cache
def rsa_key(slot: int = 0) -> rsa.RSAPrivateKey:
    """An RSA 2048 key, made once per process per `slot`: give each role its own slot (CA 0, signer 1, ...)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())  # fresh each time: a P-256 key takes well under a millisecond


@dataclass(frozen=True)
class Issued:
    """A certificate with its private key, and the encodings tests write to files."""

    cert: x509.Certificate
    key: PrivateKey
    pem: bytes = field(init=False)
    der: bytes = field(init=False)
    fingerprint: str = field(init=False)  # SHA-256 of the DER, lowercase hex

    def __post_init__(self) -> None:
        der = self.cert.public_bytes(serialization.Encoding.DER)
        object.__setattr__(self, "der", der)
        object.__setattr__(self, "pem", self.cert.public_bytes(serialization.Encoding.PEM))
        object.__setattr__(self, "fingerprint", hashlib.sha256(der).hexdigest())

    @property
    def asn1(self) -> asn1_x509.Certificate:
        """The certificate as asn1crypto sees it (pyHanko's ValidationContext(trust_roots=[...]), signers)."""
        return asn1_x509.Certificate.load(self.der)

    @property
    def key_pem(self) -> bytes:
        """The private key as unencrypted PKCS#8 PEM."""
        return self.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption())

    def write_pem(self, path: Path | str) -> Path:
        return _write(path, self.pem)

    def write_der(self, path: Path | str) -> Path:
        return _write(path, self.der)

    def write_p12(self, path: Path | str, password: str, chain: Sequence[Issued] = ()) -> Path:
        """PKCS#12 (.p12/.pfx) with this key and certificate plus the `chain` certificates, password-encrypted."""
        cn = self.cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        name = str(cn[0].value).encode() if cn else None
        data = pkcs12.serialize_key_and_certificates(
            name, self.key, self.cert, [c.cert for c in chain] or None,
            serialization.BestAvailableEncryption(password.encode()))
        return _write(path, data)

    def write_p7b(self, path: Path | str, extra: Sequence[Issued] = ()) -> Path:
        """A DER PKCS#7 certs-only bundle (.p7b) of this certificate and the `extra` ones."""
        return _write(path, pkcs7.serialize_certificates([self.cert, *(c.cert for c in extra)],
                                                         serialization.Encoding.DER))


def _write(path: Path | str, data: bytes) -> Path:
    Path(path).write_bytes(data)
    return Path(path)


def _name(cn: str, o: str | None, ou: str | None) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if o:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, o))  # UTF8String (cryptography's default)
    if ou:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, ou))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(attrs)


def _key_usage(**on: bool) -> x509.KeyUsage:
    names = ("digital_signature", "content_commitment", "key_encipherment", "data_encipherment", "key_agreement",
             "key_cert_sign", "crl_sign", "encipher_only", "decipher_only")
    return x509.KeyUsage(**{name: on.get(name, False) for name in names})


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def make_ca(cn: str = "Test Root CA", o: str = "Ban Cơ yếu Chính phủ (thử)", not_before: datetime | None = None,
            not_after: datetime | None = None, *, key: PrivateKey | None = None) -> Issued:
    """A self-signed root CA (default validity: 2 years ago to 10 years ahead), EC P-256 unless `key` is given."""
    key = key or _ec_key()
    name = _name(cn, o, None)
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or _now() - timedelta(days=730))
        .not_valid_after(not_after or _now() + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_key_usage(key_cert_sign=True, crl_sign=True), critical=True)
        .add_extension(ski, critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Issued(cert, key)


def issue(ca: Issued, cn: str, o: str, ou: str | None = None, *, not_before: datetime | None = None,
          not_after: datetime | None = None, non_repudiation: bool = True, digital_signature: bool = True,
          email: str | None = None, crl_url: str | None = None, key: PrivateKey | None = None) -> Issued:
    """An end-entity signing certificate from `ca` (default validity: 1 year ago to 2 years ahead).

    Past `not_after`: expired; future `not_before`: not valid yet. Neither signing usage: keyUsage keyAgreement (EC)
    or keyEncipherment (RSA). pyHanko's revocation_mode "hard-fail" uses given CRLs only for certificates with a
    `crl_url` (CRL distribution point); "require" uses them either way.
    """
    key = key or _ec_key()
    is_rsa = isinstance(key, rsa.RSAPrivateKey)
    other = not (non_repudiation or digital_signature)
    builder = (
        x509.CertificateBuilder().subject_name(_name(cn, o, ou)).issuer_name(ca.cert.subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(not_before or _now() - timedelta(days=365))
        .not_valid_after(not_after or _now() + timedelta(days=730))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(digital_signature=digital_signature, content_commitment=non_repudiation,
                                  key_encipherment=other and is_rsa, key_agreement=other and not is_rsa), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False)
    )
    if crl_url:
        builder = builder.add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
            [x509.UniformResourceIdentifier(crl_url)], None, None, None)]), critical=False)
    if email:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False)
    return Issued(builder.sign(ca.key, hashes.SHA256()), key)


def make_crl(ca: Issued, revoked: Sequence[Issued]) -> bytes:
    """A DER CRL signed by `ca` listing `revoked` (revoked an hour ago), next update in 30 days."""
    now = _now()
    builder = (
        x509.CertificateRevocationListBuilder().issuer_name(ca.cert.subject)
        .last_update(now - timedelta(minutes=5)).next_update(now + timedelta(days=30))
        .add_extension(x509.CRLNumber(1), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False)
    )
    for item in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(item.cert.serial_number)
            .revocation_date(now - timedelta(hours=1)).build())
    return builder.sign(ca.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


@dataclass(frozen=True)
class SoftToken:
    """A SoftHSM2 token in a test folder; PKCS#11 code must run with `env` set (see run_python)."""

    lib: str
    conf: Path
    label: str
    pin: str
    key_label: str
    env: dict[str, str]

    def run_python(self, code: str, *args: str, stdin: str | None = None,
                   check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run `python -c code args` with SOFTHSM2_CONF set: python-pkcs11 loads the module once per process."""
        return subprocess.run([sys.executable, "-c", code, *args], input=stdin, env={**os.environ, **self.env},
                              capture_output=True, text=True, timeout=120, check=check)


def softhsm_lib() -> str | None:
    """The SoftHSM2 PKCS#11 module path (SOFTHSM2_LIB overrides), or None when it is not installed."""
    for path in (os.environ.get("SOFTHSM2_LIB", ""), *SOFTHSM_LIBS):
        if path and os.path.isfile(path):
            return path
    return None


_IMPORT_CERTS = """
import json, sys, pkcs11
from pkcs11 import Attribute, CertificateType, ObjectClass
job = json.load(sys.stdin)
token = pkcs11.lib(job["lib"]).get_token(token_label=job["label"])
with token.open(user_pin=job["pin"], rw=True) as session:
    for obj in job["objects"]:
        attrs = {Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                 Attribute.TOKEN: True, Attribute.LABEL: obj["label"], Attribute.VALUE: bytes.fromhex(obj["der"]),
                 Attribute.SUBJECT: bytes.fromhex(obj["subject"]), Attribute.ISSUER: bytes.fromhex(obj["issuer"]),
                 Attribute.SERIAL_NUMBER: bytes.fromhex(obj["serial"])}
        if obj["id"]:
            attrs[Attribute.ID] = bytes.fromhex(obj["id"])
        session.create_object(attrs)
"""


def softhsm_token(folder: Path, key: Issued, *, label: str = "VANTHU", pin: str = "123456",
                  so_pin: str = "12345678", key_label: str = "agency", chain: Sequence[Issued] = ()) -> SoftToken:
    """Init a SoftHSM2 token in `folder` holding `key` (private key + certificate, label `key_label`, id 01).

    `chain` certificates go in as certificate objects ca1, ca2, ... (no id). Skips without SoftHSM2, fails under CI.
    SoftHSM2 2.6 has no CKM_ECDSA_SHA256: PKCS11Signer fails on EC keys (MechanismInvalid) unless
    use_raw_mechanism=True, so give the token an RSA certificate (issue(..., key=rsa_key(n))), as real tokens have.
    """
    util, lib = shutil.which("softhsm2-util"), softhsm_lib()
    if not util or not lib:
        missing = "softhsm2-util" if not util else "libsofthsm2.so"
        if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
            pytest.fail(f"SoftHSM2 is required under CI but {missing} was not found (apt-get install softhsm2)",
                        pytrace=False)
        pytest.skip(f"SoftHSM2 not installed ({missing} not found; apt-get install softhsm2)")
    folder = Path(folder)
    (folder / "tokens").mkdir(parents=True, exist_ok=True)
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\n"
                    "log.level = ERROR\nslots.removable = false\n", encoding="utf-8")
    env = {"SOFTHSM2_CONF": str(conf)}
    child_env = {**os.environ, **env}

    def util_run(*args: str) -> None:
        done = subprocess.run([util, *args], env=child_env, capture_output=True, text=True, timeout=60)
        if done.returncode:
            raise RuntimeError(f"softhsm2-util {args[0]} failed: {done.stdout}{done.stderr}")

    util_run("--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", so_pin)
    key_file = folder / f"{key_label}.key.pem"
    key_file.write_bytes(key.key_pem)
    try:
        util_run("--import", str(key_file), "--token", label, "--label", key_label, "--id", "01", "--pin", pin)
    finally:
        key_file.unlink()
    objects = [(key, key_label, "01")] + [(c, f"ca{i}", "") for i, c in enumerate(chain, 1)]
    job = {"lib": lib, "label": label, "pin": pin, "objects": [
        {"label": lbl, "id": ident, "der": item.der.hex(), "subject": item.cert.subject.public_bytes().hex(),
         "issuer": item.cert.issuer.public_bytes().hex(),
         "serial": item.asn1["tbs_certificate"]["serial_number"].dump().hex()} for item, lbl, ident in objects]}
    token = SoftToken(lib, conf, label, pin, key_label, env)
    done = token.run_python(_IMPORT_CERTS, stdin=json.dumps(job), check=False)
    if done.returncode:
        raise RuntimeError(f"importing the certificates into the token failed: {done.stderr}")
    return token


def asn1_key(issued: Issued):  # type: ignore[no-untyped-def]
    """The private key as asn1crypto's PrivateKeyInfo (pyHanko's SimpleSigner takes it)."""
    from asn1crypto import keys as asn1_keys

    der = issued.key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                   serialization.NoEncryption())
    return asn1_keys.PrivateKeyInfo.load(der)
