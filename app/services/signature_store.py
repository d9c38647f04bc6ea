"""The trust store and the stored signature checks, in the caller's transaction (the signatures parts use these)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.errors import NotFoundError, ValidationError
from app.core.records import SignatureCheckRecord, TrustedCertificateRecord
from app.models import Attachment, Document, RevocationList, SignatureCheck, TrustedCertificate
from app.models.base import utcnow
from app.services import audit

FIELD, LABEL = "certificate", "Chứng thư số tin cậy"


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def trust_record(row: TrustedCertificate) -> TrustedCertificateRecord:
    return TrustedCertificateRecord(row.id, row.fingerprint, row.subject, row.organization, row.issuer,
                                    row.not_before, row.not_after, row.added_at, row.added_by, row.removed_at)


def active_trust(session: Session) -> list[TrustedCertificate]:
    return list(session.scalars(select(TrustedCertificate).where(TrustedCertificate.removed_at.is_(None))
                                .order_by(TrustedCertificate.id)))


def trust_ders(session: Session) -> list[bytes]:
    return [row.der for row in active_trust(session)]


def crl_ders(session: Session) -> list[bytes]:
    return list(session.scalars(select(RevocationList.der).order_by(RevocationList.id)))


def add_trusted(session: Session, actor: str, certificates: Sequence[Any]) -> list[TrustedCertificateRecord]:
    """Add certificates (app.signatures.certificates.CertificateInfo); one already trusted is refused by name."""
    added = []
    for info in certificates:
        same = session.scalars(select(TrustedCertificate).where(TrustedCertificate.fingerprint == info.fingerprint,
                                                                TrustedCertificate.removed_at.is_(None))).first()
        if same is not None:
            raise ValidationError.single(FIELD, LABEL, f"chứng thư «{info.subject}» (SHA-256 "
                                         f"{info.fingerprint[:16]}…) đã có trong danh sách tin cậy.")
        row = TrustedCertificate(fingerprint=info.fingerprint, der=info.der, subject=info.subject[:255],
                                 organization=info.organization[:255], issuer=info.issuer[:255],
                                 not_before=_naive(info.not_before), not_after=_naive(info.not_after),
                                 added_at=utcnow(), added_by=actor)
        session.add(row)
        session.flush()
        audit.record(session, actor, "trust_add", "certificate", row.id, None,
                     {"fingerprint": row.fingerprint, "subject": row.subject, "organization": row.organization,
                      "issuer": row.issuer})
        added.append(trust_record(row))
    return added


def remove_trusted(session: Session, actor: str, fingerprint: str) -> TrustedCertificateRecord:
    """Take a certificate out of the trust store by its fingerprint (at least 8 hex digits, colons allowed)."""
    wanted = fingerprint.replace(":", "").replace(" ", "").lower()
    if len(wanted) < 8 or any(c not in "0123456789abcdef" for c in wanted):
        raise ValidationError.single("fingerprint", "Dấu vân tay (SHA-256)", f"«{fingerprint}» phải là ít nhất 8 "
                                     "chữ số hệ 16 của dấu vân tay SHA-256 (xem bằng lệnh trust list).")
    rows = [r for r in active_trust(session) if r.fingerprint.startswith(wanted)]
    if not rows:
        raise NotFoundError(f"Không có chứng thư tin cậy nào có dấu vân tay bắt đầu bằng {wanted}.")
    if len(rows) > 1:
        raise ValidationError.single("fingerprint", "Dấu vân tay (SHA-256)", f"{wanted} khớp {len(rows)} chứng "
                                     "thư; hãy ghi dài hơn.")
    row = rows[0]
    row.removed_at, row.removed_by = utcnow(), actor
    session.flush()
    audit.record(session, actor, "trust_remove", "certificate", row.id,
                 {"fingerprint": row.fingerprint, "subject": row.subject}, None)
    return trust_record(row)


def add_crl(session: Session, actor: str, der: bytes, sha256: str, issuer: str, this_update: datetime,
            next_update: datetime | None) -> int:
    if session.scalars(select(RevocationList.id).where(RevocationList.sha256 == sha256)).first() is not None:
        raise ValidationError.single("crl", "Danh sách chứng thư bị thu hồi (CRL)", "CRL này đã được nhập.")
    row = RevocationList(sha256=sha256, der=der, issuer=issuer[:255], this_update=_naive(this_update),
                         next_update=_naive(next_update) if next_update else None, added_at=utcnow(), added_by=actor)
    session.add(row)
    session.flush()
    audit.record(session, actor, "trust_crl", "crl", row.id, None, {"issuer": row.issuer, "sha256": sha256})
    return row.id


def store_check(session: Session, actor: str, attachment_id: int, report: Any,
                reason: str | None = None) -> SignatureCheckRecord:
    """Keep one check (app.signatures.verify.VerifyReport) of an attachment; a failed one registered anyway
    carries the clerk's reason, which also goes to the audit trail."""
    attachment = session.get(Attachment, attachment_id)
    if attachment is None:
        raise NotFoundError(f"Không có tệp đính kèm mã {attachment_id}.")
    first = report.signatures[0] if report.signatures else None
    data = report.to_dict()
    row = SignatureCheck(attachment_id=attachment_id, checked_at=_naive(report.checked_at), checked_by=actor,
                         status=report.status, verdict=report.verdict, signer=first.signer[:255] if first else None,
                         organization=first.organization[:255] if first else None,
                         signed_at=first.signed_at if first else None, report=json.dumps(data, ensure_ascii=False),
                         confirmed_reason=reason)
    session.add(row)
    session.flush()
    summary = {"attachment_id": attachment_id, "file_name": attachment.file_name, "status": report.status,
               "verdict": report.verdict}
    if report.status != "none":  # an unsigned scan: the check is kept, the trail is not filled with it
        audit.record(session, actor, "signature_check", "document", attachment.document_id, None, summary)
    if reason:
        audit.record(session, actor, "signature_confirm", "document", attachment.document_id, None,
                     {**summary, "reason": reason})
    return check_record(row, attachment)


def check_record(row: SignatureCheck, attachment: Attachment) -> SignatureCheckRecord:
    signatures = tuple(json.loads(row.report).get("signatures", ()))
    return SignatureCheckRecord(row.id, row.attachment_id, attachment.document_id, attachment.file_name,
                                row.checked_at, row.checked_by, row.status, row.verdict, row.signer,
                                row.organization, row.signed_at, row.confirmed_reason, signatures)


def latest_checks(session: Session, attachment_ids: Sequence[int]) -> dict[int, SignatureCheckRecord]:
    """The newest check of each attachment that has one."""
    if not attachment_ids:
        return {}
    newest = (select(func.max(SignatureCheck.id)).where(SignatureCheck.attachment_id.in_(list(attachment_ids)))
              .group_by(SignatureCheck.attachment_id))
    rows = session.execute(select(SignatureCheck, Attachment).join(Attachment,
                                                                   Attachment.id == SignatureCheck.attachment_id)
                           .where(SignatureCheck.id.in_(newest))).all()
    return {check.attachment_id: check_record(check, attachment) for check, attachment in rows}


# The file-level states from the worst down: an entry shows the worst of its attached files.
_RANK = {"invalid": 4, "missing": 3, "untrusted": 2, "valid": 1, "none": 0}


def document_states(session: Session, doc_ids: Sequence[int]) -> dict[int, str]:
    """doc id → the worst signature state of its attached files (entries without a checked file are absent).
    One query per block of rows the table draws."""
    if not doc_ids:
        return {}
    newest = (select(func.max(SignatureCheck.id)).join(Attachment, Attachment.id == SignatureCheck.attachment_id)
              .where(Attachment.document_id.in_(list(doc_ids)), Attachment.removed_at.is_(None))
              .group_by(SignatureCheck.attachment_id))
    rows = session.execute(select(Attachment.document_id, SignatureCheck.status)
                           .join(Attachment, Attachment.id == SignatureCheck.attachment_id)
                           .where(SignatureCheck.id.in_(newest))).all()
    states: dict[int, str] = {}
    for doc_id, status in rows:
        if status == "none":
            continue  # an unsigned scan: nothing to show
        if _RANK.get(status, 0) > _RANK.get(states.get(doc_id, "none"), 0):
            states[doc_id] = status
    return states


def checks_of(session: Session, attachment_id: int) -> list[SignatureCheckRecord]:
    attachment = session.get(Attachment, attachment_id)
    if attachment is None or session.get(Document, attachment.document_id) is None:
        raise NotFoundError(f"Không có tệp đính kèm mã {attachment_id}.")
    rows = session.scalars(select(SignatureCheck).where(SignatureCheck.attachment_id == attachment_id)
                           .order_by(SignatureCheck.id))
    return [check_record(r, attachment) for r in rows]
