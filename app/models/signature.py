"""The register's trust store (root certificates, imported CRLs) and the signature checks of attachments."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class TrustedCertificate(Base):
    """A root (or intermediate) certificate the quản trị trusts; removed ones stay, flagged, as history."""

    __tablename__ = "trusted_certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)  # SHA-256 of the DER, lowercase hex
    der: Mapped[bytes] = mapped_column(LargeBinary)
    subject: Mapped[str] = mapped_column(String(255))
    organization: Mapped[str] = mapped_column(String(255))
    issuer: Mapped[str] = mapped_column(String(255))
    not_before: Mapped[datetime]
    not_after: Mapped[datetime]
    added_at: Mapped[datetime]
    added_by: Mapped[str] = mapped_column(String(100))
    removed_at: Mapped[datetime | None]
    removed_by: Mapped[str | None] = mapped_column(String(100))


class RevocationList(Base):
    """A CRL the clerk imported (nothing is fetched): revocation data for the checks beside what files embed."""

    __tablename__ = "revocation_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    der: Mapped[bytes] = mapped_column(LargeBinary)
    issuer: Mapped[str] = mapped_column(String(255))
    this_update: Mapped[datetime]
    next_update: Mapped[datetime | None]
    added_at: Mapped[datetime]
    added_by: Mapped[str] = mapped_column(String(100))


class SignatureCheck(Base):
    """One check of an attachment's signatures (at attach time, or re-checked later): append-only history."""

    __tablename__ = "signature_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    attachment_id: Mapped[int] = mapped_column(ForeignKey("attachments.id"), index=True)
    checked_at: Mapped[datetime]
    checked_by: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(10))  # app.signatures.verdicts: valid, untrusted, invalid, missing
    verdict: Mapped[str] = mapped_column(Text)
    signer: Mapped[str | None] = mapped_column(String(255))
    organization: Mapped[str | None] = mapped_column(String(255))
    signed_at: Mapped[str | None] = mapped_column(String(40))  # ISO 8601 with +07:00, as the signature says
    report: Mapped[str] = mapped_column(Text)  # the whole check as JSON (every signature, each reason)
    # A file that failed and was registered anyway: the clerk's reason (also in the audit trail).
    confirmed_reason: Mapped[str | None] = mapped_column(Text)
