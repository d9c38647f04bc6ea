"""The agency signs what it issues and the copies it makes (NĐ 30 Điều 3.2, Phụ lục I), and the signed file is
attached to its entry, checked at once by the same code that checks incoming files."""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app.core.dates import format_date
from app.core.enums import Direction
from app.core.errors import ValidationError
from app.core.records import AttachmentRecord, DocumentRecord, SignatureCheckRecord
from app.services import attachments, audit, signature_store
from app.services import settings as agency_settings

# Phụ lục I: a copy's signature says what kind of copy it is.
COPY_FORMS = {"sao-y": ("Bản sao y", "Sao y"), "sao-luc": ("Bản sao lục", "Sao lục"),
              "trich-sao": ("Bản trích sao", "Trích sao")}


@dataclass(frozen=True)
class Issued:
    """The signed file as written, the entry it was attached to, and its check."""

    output: Path
    document: DocumentRecord
    attachment: AttachmentRecord
    check: SignatureCheckRecord
    signer: str
    organization: str

    def to_dict(self) -> dict[str, Any]:
        return {"output": str(self.output), "document": self.document.to_dict(),
                "attachment": self.attachment.to_dict(), "check": self.check.to_dict(), "signer": self.signer,
                "organization": self.organization}


def refuse(field: str, label: str, message: str) -> ValidationError:
    return ValidationError.single(field, label, message)


def check_draft(path: str | Path, label: str = "Bản văn bản cần ký") -> Path:
    source = Path(path).expanduser()
    if not source.is_file():
        raise refuse("draft", label, f"không tìm thấy tệp {source}.")
    attachments.check_file(source)
    if source.suffix.lower() != ".pdf":
        raise refuse("draft", label, f"chỉ ký được tệp PDF; {source.name} không phải PDF.")
    return source


def partial_path(output: Path) -> Path:
    """Where the signed file is written until the register has recorded it: beside the output, hidden."""
    return output.with_name(f".{output.stem}.dang-ky.pdf")


def seal_settings(session: Session) -> tuple[str, str]:
    values = agency_settings.all_settings(session)
    return values["agency.seal_image"], values["agency.seal_size_mm"]


def require_issuable(doc: DocumentRecord) -> None:
    if doc.direction is Direction.INCOMING:
        raise refuse("number", "Số", f"số đến {doc.number}/{doc.year} là văn bản đến; cơ quan chỉ ký số văn bản "
                     "đi của mình (bản sao: lệnh copy make).")
    if doc.cancelled:
        raise refuse("number", "Số", f"văn bản {doc.reference} đã bị hủy; không ký phát hành.")


def store_signed(folder: Path, partial: Path, output: Path) -> attachments.StoredFile:
    """The signed file copied into the attachment store (outside the write lock), listed under the output's name."""
    stored = attachments.store_file(folder, partial)
    return attachments.StoredFile(output.name, stored.sha256, stored.size, stored.suffix)


def finish(session: Session, actor: str, doc_id: int, stored: attachments.StoredFile, output: Path, report: Any,
           action: str, details: dict[str, Any]) -> tuple[AttachmentRecord, SignatureCheckRecord]:
    """In the caller's write: the signed file attached with its check, and the signing audited. The output
    appears only when this transaction has committed (the caller renames the partial file after it)."""
    record = attachments.add_attachment(session, actor, doc_id, stored)
    check = signature_store.store_check(session, actor, record.id, report)
    audit.record(session, actor, action, "document", doc_id, None,
                 {**details, "file_name": output.name, "sha256": stored.sha256, "status": report.status})
    return record, check


def publish(partial: Path, output: Path) -> None:
    os.replace(partial, output)


def discard(partial: Path) -> None:
    with contextlib.suppress(OSError):
        partial.unlink(missing_ok=True)


def copy_subject(original: DocumentRecord, form: str) -> str:
    """"Sao y Thông báo số 1737-TB/VPTU ngày 20/10/2023 của TỈNH ỦY: …"."""
    what = f"{original.doc_type} số {original.reference}" if original.reference else original.doc_type
    when = f" ngày {format_date(original.issued_on)}" if original.issued_on else ""
    who = f" của {original.issuer}" if original.issuer else ""
    return f"{COPY_FORMS[form][1]} {what}{when}{who}: {original.subject}".strip()


def moment_now() -> datetime:
    from app.signatures.verdicts import VIETNAM

    return datetime.now(VIETNAM).replace(microsecond=0)
