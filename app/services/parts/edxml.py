"""registry.edxml: edXML messages (QCVN 102:2016) read into the register, written from it, and status messages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.access import Permission
from app.core.errors import ValidationError
from app.core.files import sha256_of, write_atomically
from app.core.records import AttachmentRecord, DocumentRecord, IncomingInput, SignatureCheckRecord
from app.models import Document, EdxmlMessage
from app.models.edxml import SENT, STATUS
from app.services import attachments as store
from app.services import audit, edxml_export, edxml_import, queries, signature_checks, signature_store
from app.services.attachment_text import discard, read_attached_text
from app.services.parts.base import Part, open_to_all, requires

NONE = "none"  # app.signatures.verdicts.NONE: a PDF without any signature


@dataclass(frozen=True)
class Preview:
    """What registering a message would write, shown before saving (the form, the links, each file's check)."""

    data: IncomingInput
    extras: dict[str, Any]
    replies: list[edxml_import.PlannedReply]
    duplicate: str | None  # why it would be refused as already registered
    checks: dict[str, Any]  # attachment name → its signature report (PDFs)
    skipped: dict[str, str]  # attachment name → why it is not attached (kept in the original message)
    unsigned: bool = False  # no file is a signed PDF: registered only with the clerk's reason


@dataclass(frozen=True)
class ImportResult:
    document: DocumentRecord
    replies: list[edxml_import.PlannedReply]
    attachments: list[AttachmentRecord]
    checks: dict[int, SignatureCheckRecord]
    skipped: dict[str, str] = field(default_factory=dict)
    header: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Written:
    """A message the register wrote: where, its DocumentId (or status code) and its files."""

    path: Path
    message_id: str
    attachments: list[str]
    sha256: str


@dataclass(frozen=True)
class _Unsigned:
    """A message none of whose files is a signed PDF, as the signature check would report it."""

    file_name: str
    status: str = NONE
    needs_confirmation: bool = True
    verdict: str = "thông điệp không kèm tệp PDF nào có chữ ký số (văn bản điện tử phải được ký số)."


class Edxml(Part):
    """Every message in or out is kept (edxml_messages, append-only) with the entry it belongs to."""

    @open_to_all("reads a file the caller chose; nothing of the register")
    def read(self, path: str | Path) -> Any:
        """The message of an .edxml file, attachments decoded to a staging folder (close() the package)."""
        from app.edxml.parse import read_message

        return read_message(path)

    def _files(self, message: Any) -> tuple[list[tuple[Any, Any]], dict[str, str]]:
        """Each attachable file with its signature check (PDFs), and the ones the register does not attach."""
        files, skipped = [], {}
        for item in message.attachments:
            try:
                store.check_file(item.path)
            except ValidationError as exc:
                skipped[item.name] = str(exc.errors[0].message)
                continue
            report = None
            if signature_checks.is_pdf(item.path):
                with self._session.reading() as s:
                    report = signature_checks.check_path(s, item.path, strict=False)
            files.append((item, report))
        return files, skipped

    @requires(Permission.VIEW)
    def preview(self, package: Any, received_on: Any = None) -> Preview:
        message = package.message
        with self._session.reading() as s:
            data = edxml_import.incoming_input(s, message, received_on)
            duplicate = edxml_import.duplicate_message(s, message)
            replies = edxml_import.plan_replies(s, message)
        files, skipped = self._files(message)
        return Preview(data, edxml_import.extras_of(message), replies, str(duplicate) if duplicate else None,
                       {item.name: report for item, report in files if report is not None}, skipped,
                       _no_signed_pdf(files))

    @requires(Permission.REGISTER)
    def register(self, package: Any, overrides: dict[str, Any] | None = None, received_on: Any = None,
                 allow_duplicate: bool = False, signature_reason: str | None = None) -> ImportResult:
        """Register the message as one incoming entry with its files, in one transaction. A PDF whose signature
        is broken, untrusted or missing is refused (SignatureNeedsConfirmation) unless `signature_reason` is
        given; a duplicate (same DocumentId, or số/ký hiệu + issuer + date) raises DuplicateError; nothing is
        written either way."""
        message = package.message
        with self._session.reading() as s:
            data = edxml_import.incoming_input(s, message, received_on, overrides)
            duplicate = None if allow_duplicate else edxml_import.duplicate_message(s, message)
        if duplicate is not None:
            raise duplicate
        self._session.check_clearance(data.secrecy)
        if self._session.read_only is not None:
            raise self._session.read_only.refusal()
        files, skipped = self._files(message)
        reason = None
        for _item, report in files:
            reason = signature_checks.require_confirmation(report, signature_reason) or reason
        unsigned = None
        if _no_signed_pdf(files):
            # NĐ 30 Điều 21: an electronic document comes signed; a message with no signed PDF at all is the clerk's
            # call, with a reason, like a broken signature.
            unsigned = signature_checks.require_confirmation(_Unsigned(package.source.name), signature_reason)
        folder = store.data_folder(self._session.url)
        stored = []
        for item, report in files:
            text = read_attached_text(item.path, recognise=False)  # born-digital PDFs: their own text, at once
            try:
                copy = store.store_file(folder, item.path)
            finally:
                discard(text)
            stored.append(edxml_import.StoredAttachment(copy, text, report, reason if report is not None and
                                                        report.needs_confirmation else None))
        original = edxml_import.keep_original(folder, package)
        record, replies = self._session.write(lambda s: edxml_import.register(
            s, self._actor, package, data, stored, original, allow_duplicate, unsigned))
        with self._session.reading() as s:
            attached = store.list_attachments(s, record.id)
            checks = signature_store.latest_checks(s, [a.id for a in attached])
        return ImportResult(record, replies, attached, checks, skipped, message.header())

    @requires(Permission.REGISTER)
    def import_file(self, path: str | Path, **options: Any) -> ImportResult:
        """read() and register() one file, the staging folder removed whatever happens."""
        with self.read(path) as package:
            return self.register(package, **options)

    @requires(Permission.VIEW)
    def messages(self, doc_id: int) -> list[dict[str, Any]]:
        """The messages an entry came in, went out or was answered with, oldest first."""
        self._session.visible([doc_id])
        with self._session.reading() as s:
            rows = s.scalars(select(EdxmlMessage).where(EdxmlMessage.document_id == doc_id)
                             .order_by(EdxmlMessage.id)).all()
            return [{"id": r.id, "kind": r.kind, "document_id": r.message_id, "organ_id": r.organ_id,
                     "status_code": r.status_code, "file_name": r.file_name, "sha256": r.sha256, "size": r.size,
                     "header": r.header, "note": r.note, "created_at": r.created_at, "created_by": r.created_by}
                    for r in rows]

    @requires(Permission.REGISTER)
    def export(self, doc_id: int, output: str | Path, attach: Sequence[str | Path] | None = None) -> Written:
        """Write an outgoing entry as a document message: its attached files, or the files given instead."""
        self._session.visible([doc_id])
        folder = store.data_folder(self._session.url)
        with self._session.reading() as s:
            record = queries.get_document(s, doc_id)
            if attach:
                files = [_given(Path(p)) for p in attach]
            else:
                files = edxml_export.entry_files(s, folder, doc_id)
            message = edxml_export.outgoing_message(s, record, files)
        from app.edxml.writer import write_message

        target = write_atomically(output, lambda out: write_message(out, message, edxml_export.edxml_timestamp()))
        digest = self._record(doc_id, SENT, message.document_id, message.recipients[0].organ_id
                              if message.recipients else "", None, target, message.header(), "edxml_export")
        return Written(target, message.document_id, [f.name for f in files], digest)

    @requires(Permission.REGISTER)
    def status(self, doc_id: int, code: str, output: str | Path, description: str = "", staff: str = "",
               department: str = "") -> Written:
        """Write a status message (đã đến, từ chối tiếp nhận, đã tiếp nhận, phân công, đang xử lý, hoàn thành)
        about an incoming entry, for the one who sent it."""
        self._session.visible([doc_id])
        known = edxml_export.status_code(code)
        with self._session.reading() as s:
            doc = s.get(Document, doc_id)
            if doc is None:
                queries.get_document(s, doc_id)  # NotFoundError, worded as everywhere
            status = edxml_export.status_message(s, doc, known, description, staff or self._actor, department)
        return self._write_status(doc_id, status, output, "")

    @requires(Permission.REGISTER)
    def refusal(self, package: Any, reason: str, output: str | Path, staff: str = "") -> Written:
        """Từ chối tiếp nhận (02) for a message not registered, with the clerk's reason."""
        reason = reason.strip()
        if not reason:
            raise ValidationError.single("reason", "Lý do từ chối", "cần ghi lý do từ chối tiếp nhận.")
        with self._session.reading() as s:
            status = edxml_export.refusal_message(s, package.message, reason, staff or self._actor)
        return self._write_status(None, status, output, reason)

    def _write_status(self, doc_id: int | None, status: Any, output: str | Path, note: str) -> Written:
        from app.edxml.writer import write_status

        target = write_atomically(output, lambda out: write_status(out, status))
        header = {"status_code": status.code, "description": status.description, "timestamp": status.timestamp,
                  "response_for": {"organ_id": status.response_for.organ_id, "code": status.response_for.code,
                                   "document_id": status.response_for.document_id}}
        digest = self._record(doc_id, STATUS, status.response_for.document_id, status.response_for.organ_id,
                              status.code, target, header, "edxml_status", note)
        return Written(target, status.code, [], digest)

    def _record(self, doc_id: int | None, kind: str, message_id: str, organ_id: str, code: str | None, path: Path,
                header: dict[str, Any], action: str, note: str = "") -> str:
        """Keep the written message (and audit it); its SHA-256."""
        digest, size = sha256_of(path), path.stat().st_size

        def record(s: Session) -> None:
            row = EdxmlMessage(document_id=doc_id, kind=kind, message_id=message_id, organ_id=organ_id,
                               status_code=code, file_name=path.name[:255], sha256=digest, size=size,
                               header=header, note=note[:1000], created_by=self._actor)
            s.add(row)
            s.flush()
            audit.record(s, self._actor, action, "document" if doc_id else "edxml_message", doc_id or row.id,
                         None, {"message_id": message_id, "status_code": code, "file": str(path), "sha256": digest})

        self._session.write(record)
        return digest


def _no_signed_pdf(files: list[tuple[Any, Any]]) -> bool:
    return not any(report is not None and report.status != NONE for _item, report in files)


def _given(path: Path) -> edxml_export.Attached:
    store.check_file(path)
    return edxml_export.Attached(path.name, path, sha256_of(path), path.stat().st_size)
