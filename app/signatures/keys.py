"""The agency's signing key: a .p12 file or a USB token over PKCS#11, opened with every failure said in Vietnamese."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.sign import signers

from app.core.errors import ValidationError


@dataclass(frozen=True)
class KeySource:
    """Where the key is: a PKCS#12 file with its password, or a PKCS#11 library with the token's PIN."""

    pkcs12: Path | None = None
    password: str = ""
    pkcs11_lib: str | None = None
    token_label: str | None = None
    key_label: str | None = None
    pin: str = ""

    def describe(self) -> str:
        if self.pkcs12 is not None:
            return f"tệp {self.pkcs12.name}"
        return f"thiết bị ký số (USB token{' ' + self.token_label if self.token_label else ''})"


def _refuse(field: str, label: str, message: str) -> ValidationError:
    return ValidationError.single(field, label, message)


def _open_pkcs12(path: Path, password: str) -> signers.SimpleSigner:
    label = "Tệp khóa ký số (.p12)"
    if not path.is_file():
        raise _refuse("pkcs12", label, f"không tìm thấy tệp {path}.")
    data = path.read_bytes()
    try:
        key, cert, _chain = pkcs12.load_key_and_certificates(data, password.encode("utf-8") or None)
    except ValueError:
        # cryptography says the same for a wrong password and for a file that is not PKCS#12 at all
        raise _refuse("password", "Mật khẩu tệp khóa", f"sai mật khẩu của tệp {path.name}, hoặc tệp không phải "
                      "tệp khóa ký số PKCS#12 (.p12, .pfx). Chưa ký, chưa ghi tệp nào.") from None
    if key is None or cert is None:
        raise _refuse("pkcs12", label, f"tệp {path.name} không có khóa bí mật kèm chứng thư số.")
    signer = signers.SimpleSigner.load_pkcs12(str(path), passphrase=password.encode("utf-8") or None)
    if signer is None:  # pyHanko returns None where cryptography succeeded only on formats it cannot use
        raise _refuse("pkcs12", label, f"không dùng được khóa trong tệp {path.name}.")
    return signer


@contextlib.contextmanager
def _open_pkcs11(source: KeySource) -> Iterator[signers.Signer]:
    from pkcs11 import exceptions as p11
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign import pkcs11 as sign_pkcs11

    label = "Thiết bị ký số (PKCS#11)"
    lib = source.pkcs11_lib or ""
    if not Path(lib).is_file():
        raise _refuse("pkcs11_lib", label, f"không tìm thấy thư viện PKCS#11 {lib} (tệp .dll/.so của nhà cung "
                      "cấp USB token).")
    try:
        criteria = TokenCriteria(label=source.token_label) if source.token_label else None
        session = sign_pkcs11.open_pkcs11_session(lib, token_criteria=criteria, user_pin=source.pin)
    except p11.PinIncorrect:
        raise _refuse("pin", "Mã PIN", "sai mã PIN của thiết bị ký số. Chưa ký, chưa ghi tệp nào (nhập sai nhiều "
                      "lần thiết bị sẽ bị khóa).") from None
    except p11.PinLocked:
        raise _refuse("pin", "Mã PIN", "thiết bị ký số đã bị khóa vì nhập sai PIN nhiều lần; liên hệ nơi cấp.") \
            from None
    except (p11.PKCS11Error, OSError, RuntimeError, ValueError) as exc:
        what = f"không có thiết bị ký số nhãn «{source.token_label}»" if source.token_label else \
            "không mở được thiết bị ký số (đã cắm USB token chưa?)"
        raise _refuse("pkcs11_lib", label, f"{what} ({type(exc).__name__}: {exc}).") from None
    try:
        try:
            signer = sign_pkcs11.PKCS11Signer(session, key_label=source.key_label, cert_label=source.key_label)
            signer.signing_cert  # noqa: B018 - loads the certificate now, so a missing one is said here
        except Exception as exc:  # noqa: BLE001 - pyHanko raises SigningError, python-pkcs11 its own, per token
            raise _refuse("key_label", "Nhãn khóa", f"không tìm thấy khóa và chứng thư "
                          f"{'«' + source.key_label + '» ' if source.key_label else ''}trên thiết bị ký số "
                          f"({exc}).") from None
        yield signer
    finally:
        with contextlib.suppress(Exception):
            session.close()


@contextlib.contextmanager
def open_signer(source: KeySource) -> Iterator[signers.Signer]:
    """The signer, open for the time of one signature (a token session is closed after it)."""
    if source.pkcs12 is not None:
        yield _open_pkcs12(source.pkcs12, source.password)
        return
    if source.pkcs11_lib is None:
        raise _refuse("pkcs12", "Khóa ký số", "cần --pkcs12 TỆP hoặc --pkcs11-lib THƯ_VIỆN.")
    with _open_pkcs11(source) as signer:
        yield signer


def certificate_of(signer: signers.Signer) -> x509.Certificate:
    return x509.load_der_x509_certificate(signer.signing_cert.dump())
