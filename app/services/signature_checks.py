"""Checking a file's signatures against the register's trust store, and what the clerk must confirm."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app.core.errors import FieldError, ValidationError
from app.services import signature_store


class SignatureNeedsConfirmation(ValidationError):
    """A file whose signature is broken, untrusted or missing: registered only with the clerk's reason."""

    def __init__(self, report: Any):
        self.report = report
        super().__init__(FieldError("signature", "Chữ ký số", (
            f"{report.file_name}: {report.verdict} Chưa vào sổ, chưa đính kèm gì: nếu vẫn nhận văn bản, hãy xác "
            "nhận và ghi lý do (NĐ 30 Điều 21: văn bản không đạt thì trả lại nơi gửi).")))


def is_pdf(path: str | Path) -> bool:
    return Path(path).suffix.lower() == ".pdf"


def check_path(session: Session, path: str | Path, strict: bool = True) -> Any:
    """The file's signatures checked with the roots and CRLs the register holds (read in `session`); not
    `strict`: a damaged PDF that claims no signature is an unsigned file, not an error (attaching a scan)."""
    from app.signatures.verify import verify_file

    return verify_file(path, signature_store.trust_ders(session), signature_store.crl_ders(session), strict)


def require_confirmation(report: Any, reason: str | None) -> str | None:
    """The reason to store with a failed check; refuses a failed check without one. None for a good file."""
    if report is None or not report.needs_confirmation:
        return None
    reason = (reason or "").strip()
    if not reason:
        raise SignatureNeedsConfirmation(report)
    return reason
