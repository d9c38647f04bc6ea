"""registry.attachments: scans and files attached to an entry, stored by hash beside the register."""

from __future__ import annotations

from pathlib import Path

from app.core.access import Permission
from app.core.records import AttachmentRecord
from app.services import attachments as store
from app.services import queries
from app.services.parts.base import Part, open_to_all, requires


class Attachments(Part):
    """A stored copy is checked against its hash whenever it is read back."""

    @property
    @open_to_all("where the files are kept: a folder name, no entry")
    def folder(self) -> Path:
        """Where attachments are stored: beside the SQLite file, or the user's data folder for a server."""
        return store.data_folder(self._session.url)

    @requires(Permission.REGISTER)
    def attach(self, doc_id: int, path: str | Path) -> AttachmentRecord:
        """Copy a scan into the store (outside the write lock), then attach it to the entry."""
        with self._session.reading() as s:
            queries.get_document(s, doc_id, with_links=False)  # NotFoundError before copying anything
        if self._session.read_only is not None:  # said before a copy is tried in a folder that cannot take it
            raise self._session.read_only.refusal()
        stored = store.store_file(self.folder, path)
        return self._session.write(lambda s: store.add_attachment(s, self._actor, doc_id, stored))

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
