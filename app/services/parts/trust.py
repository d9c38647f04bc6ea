"""registry.trust: the root certificates (and imported CRLs) the register's signature checks trust."""

from __future__ import annotations

import hashlib
from pathlib import Path

from app.core.access import Permission
from app.core.errors import ValidationError
from app.core.records import TrustedCertificateRecord
from app.services import signature_store as store
from app.services.parts.base import Part, requires


class Trust(Part):
    """Only the quản trị changes it (Permission.SETTINGS); every change is audited. Nothing ships in it."""

    @requires(Permission.VIEW)
    def list(self) -> list[TrustedCertificateRecord]:
        with self._session.reading() as s:
            return [store.trust_record(r) for r in store.active_trust(s)]

    @requires(Permission.SETTINGS)
    def add(self, path: str | Path) -> list[TrustedCertificateRecord]:
        """Every certificate of a .pem/.cer/.crt/.der/.p7b file, all or none."""
        from app.signatures.certificates import load_file

        certificates = load_file(path)
        return self._session.write(lambda s: store.add_trusted(s, self._actor, certificates))

    @requires(Permission.SETTINGS)
    def remove(self, fingerprint: str) -> TrustedCertificateRecord:
        return self._session.write(lambda s: store.remove_trusted(s, self._actor, fingerprint))

    @requires(Permission.SETTINGS)
    def add_crl(self, path: str | Path) -> int:
        """Import a CRL (DER or PEM) published by a CA: revocation data without any fetching."""
        from cryptography import x509
        from cryptography.hazmat.primitives.serialization import Encoding

        source = Path(path).expanduser()
        label = "Danh sách chứng thư bị thu hồi (CRL)"
        try:
            data = source.read_bytes()
            crl = (x509.load_pem_x509_crl(data) if b"-----BEGIN" in data else x509.load_der_x509_crl(data))
        except OSError as exc:
            raise ValidationError.single("crl", label, f"không đọc được tệp {source} ({exc.strerror or exc}).") \
                from None
        except ValueError:
            raise ValidationError.single("crl", label, f"tệp {source.name} không phải danh sách CRL.") from None
        from app.signatures.certificates import common_name

        der = crl.public_bytes(Encoding.DER)
        return self._session.write(lambda s: store.add_crl(
            s, self._actor, der, hashlib.sha256(der).hexdigest(), common_name(crl.issuer),
            crl.last_update_utc, crl.next_update_utc))
