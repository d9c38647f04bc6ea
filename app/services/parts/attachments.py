"""registry.attachments: scans and files attached to an entry, stored by hash beside the register."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

from app.core.access import Permission
from app.core.records import AttachmentRecord
from app.services import attachments as store
from app.services import queries, signature_checks, signature_store
from app.services.attachment_text import AttachedText, discard, read_attached_text
from app.services.parts.base import Part, open_to_all, requires


class Attachments(Part):
    """A stored copy is checked against its hash whenever it is read back."""

    @property
    @open_to_all("where the files are kept: a folder name, no entry")
    def folder(self) -> Path:
        """Where attachments are stored: beside the SQLite file, or the user's data folder for a server."""
        return store.data_folder(self._session.url)

    @open_to_all("checks a file the caller chose; nothing of the register")
    def check(self, path: str | Path) -> Path:
        """Refuse (ValidationError, field "file") what cannot be attached, before anything is read or copied."""
        return store.check_file(path)

    @open_to_all("reads a file the caller chose; nothing of the register")
    def read_text(self, path: str | Path, recognise: bool = True, progress: Callable[[int, int], None] | None = None,
                  cancelled: Callable[[], bool] | None = None) -> AttachedText:
        """The text a file would bring to the entry's searchable body (Tesseract reads a scan: seconds a page;
        progress(i, n) after each page, app.ocr.Cancelled once cancelled() is true)."""
        return read_attached_text(path, recognise, progress, cancelled)

    @requires(Permission.REGISTER)
    def attach(self, doc_id: int, path: str | Path, text: AttachedText | None = None,
               signature_reason: str | None = None) -> AttachmentRecord:
        """Copy a scan into the store (outside the write lock), then attach it to the entry with its text (read
        here when not given) and, when the text was recognised into one, the scan's searchable PDF beside it.
        A PDF's signatures are checked first (NĐ 30 Điều 21): a broken, untrusted or missing one is refused
        (SignatureNeedsConfirmation) unless the clerk gives `signature_reason`, kept with the check and audited."""
        try:
            with self._session.reading() as s:
                queries.get_document(s, doc_id, with_links=False)  # NotFoundError before copying anything
            if self._session.read_only is not None:  # said before a copy is tried in a folder that cannot take it
                raise self._session.read_only.refusal()
            store.check_file(path)  # a bad file is refused before seconds of reading it
            report = None
            if signature_checks.is_pdf(path):
                with self._session.reading() as s:
                    report = signature_checks.check_path(s, path, strict=False)
            reason = signature_checks.require_confirmation(report, signature_reason)
            if text is None:
                text = read_attached_text(path)
            stored = store.store_file(self.folder, path)
            if text.sha256 is not None and stored.sha256 != text.sha256:
                raise store.changed_since_read(Path(path))  # the text and its copy are another file's
            copy = None
            if text.searchable is not None and text.searchable.is_file():
                copy = store.store_file(self.folder, text.searchable)
                copy = store.StoredFile(store.searchable_name(stored.file_name), copy.sha256, copy.size, copy.suffix)
        finally:
            discard(text)  # the temporary copy is in the store now, or not wanted
        read = text

        def attach(s: Session) -> AttachmentRecord:
            record = store.add_attachment(s, self._actor, doc_id, stored, read)
            if report is not None:
                signature_store.store_check(s, self._actor, record.id, report, reason)
            if copy is not None:
                store.add_attachment(s, self._actor, doc_id, copy, derived_from=record.id)
            return record

        return self._session.write(attach)

    @requires(Permission.VIEW)
    def list(self, doc_id: int, include_removed: bool = False) -> list[AttachmentRecord]:
        self._session.visible([doc_id])
        with self._session.reading() as s:
            return store.list_attachments(s, doc_id, include_removed)

    @requires(Permission.VIEW)
    def path(self, attachment_id: int) -> Path:
        """The stored copy, checked against its hash (VanThuError when it was changed or is missing)."""
        with self._session.reading() as s:
            return store.attachment_path(s, self.folder, attachment_id)

    @requires(Permission.REGISTER)
    def detach(self, attachment_id: int) -> AttachmentRecord:
        """The file stays in the store and in the history; the entry no longer lists it."""
        return self._session.write(lambda s: store.detach(s, self._actor, attachment_id))
