"""registry.edxml_inbox: the folder (setting edxml.inbox) where received .edxml files wait to be registered or refused
("Văn bản điện tử chờ vào sổ"); a file handled moves into "Đã vào sổ" or "Đã từ chối" beside them."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from app.core.access import Permission
from app.core.errors import ValidationError, VanThuError
from app.core.files import sha256_of
from app.models import EdxmlMessage
from app.models.edxml import REFUSED
from app.services import audit, edxml_import
from app.services.parts.base import Part, RegisterSession, requires
from app.services.parts.edxml import Edxml, ImportResult, Written
from app.services.settings import all_settings

REGISTERED_DIR, REFUSED_DIR = "Đã vào sổ", "Đã từ chối"
SUFFIXES = (".edxml", ".xml")


@dataclass(frozen=True)
class InboxItem:
    """One waiting file as the list shows it; `problem` says why it cannot be read (it can still be refused)."""

    path: Path
    sender: str
    organ_id: str
    reference: str
    issued_on: date | None
    subject: str
    doc_type: str
    problem: str = ""
    document_id: str = ""
    registered: str = ""  # "số đến 12/2026" when a message with its DocumentId is already in the register


@dataclass(frozen=True)
class Refusal:
    moved_to: Path
    status: Written | None  # the Từ chối tiếp nhận message written for the sender, if asked


class EdxmlInbox(Part):
    """Files are read once per change (cached by size and time); nothing in the folder is ever deleted."""

    def __init__(self, session: RegisterSession):
        super().__init__(session)
        self._messages = Edxml(session)
        self._seen: dict[Path, tuple[tuple[int, int], InboxItem]] = {}

    @requires(Permission.VIEW)
    def folder(self) -> Path | None:
        with self._session.reading() as s:
            value = all_settings(s).get("edxml.inbox", "")
        return Path(value) if value else None

    @requires(Permission.VIEW)
    def items(self) -> list[InboxItem]:
        """The waiting files, oldest first (an unreadable one listed with its problem)."""
        folder = self.folder()
        if folder is None or not folder.is_dir():
            return []
        found = []
        for path in sorted((p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES
                            and not p.name.startswith(".")), key=lambda p: (p.stat().st_mtime, p.name)):
            stat = path.stat()
            key = (stat.st_size, stat.st_mtime_ns)
            cached = self._seen.get(path)
            if cached is None or cached[0] != key:
                cached = (key, _summary(path))
                self._seen[path] = cached
            found.append(cached[1])
        with self._session.reading() as s:  # registered meanwhile (here or by another clerk): said in the list
            known = edxml_import.registered_as(s, [item.document_id for item in found])
        return [replace(item, registered="; ".join(f"số đến {d.number}/{d.year}"
                                                   for d in known.get(item.document_id, [])))
                for item in found]

    @requires(Permission.REGISTER)
    def register(self, path: str | Path, **options: Any) -> ImportResult:
        """Register the file (as `registry.edxml.import_file`), then move it into "Đã vào sổ"."""
        source = self._waiting(path)
        result = self._messages.import_file(source, **options)
        _move(source, source.parent / REGISTERED_DIR)
        return result

    @requires(Permission.REGISTER)
    def refuse(self, path: str | Path, reason: str, write_status: bool = True) -> Refusal:
        """Từ chối tiếp nhận: the reason is kept and audited, the file moves into "Đã từ chối", and (when asked)
        the status message for the sender is written beside it."""
        source = self._waiting(path)
        reason = reason.strip()
        if not reason:
            raise ValidationError.single("reason", "Lý do từ chối", "cần ghi lý do từ chối tiếp nhận.")
        target_dir = source.parent / REFUSED_DIR
        status = None
        header: dict[str, Any] = {}
        if write_status:
            with self._messages.read(source) as package:
                header = package.message.header()
                status = self._messages.refusal(package, reason, target_dir / f"{source.stem}.tu-choi.xml")
        digest, size = sha256_of(source), source.stat().st_size

        def record(s: Any) -> None:
            row = EdxmlMessage(document_id=None, kind=REFUSED, message_id=str(header.get("document_id", "")),
                               organ_id=str((header.get("sender") or {}).get("organ_id", "")), file_name=source.name,
                               sha256=digest, size=size, header=header, note=reason[:1000], created_by=self._actor)
            s.add(row)
            s.flush()
            audit.record(s, self._actor, "edxml_refuse", "edxml_message", row.id, None,
                         {"file": source.name, "sha256": digest, "reason": reason})

        self._session.write(record)
        return Refusal(_move(source, target_dir), status)

    def _waiting(self, path: str | Path) -> Path:
        source = Path(path)
        folder = self.folder()
        if folder is None or source.parent.resolve() != folder.resolve() or not source.is_file():
            raise ValidationError.single("file", "Tệp edXML", f"«{source.name}» không còn trong thư mục văn bản "
                                         "điện tử chờ vào sổ (đã xử lý ở máy khác?).")
        return source


def _summary(path: Path) -> InboxItem:
    from app.edxml.parse import read_summary

    try:
        m = read_summary(path)
    except ValidationError as exc:
        return InboxItem(path, "", "", "", None, "", "", str(exc.errors[0].message))
    return InboxItem(path, m.sender.name, m.sender.organ_id, m.reference, m.promulgation_date,
                     edxml_import.subject_of(m), m.type_name, document_id=m.document_id)


def _move(source: Path, folder: Path) -> Path:
    """Into `folder` under its own name, or "name (2).edxml" when that is taken; never over another file."""
    try:
        folder.mkdir(exist_ok=True)
        target = folder / source.name
        n = 2
        while target.exists():
            target = folder / f"{source.stem} ({n}){source.suffix}"
            n += 1
        os.replace(source, target)
    except OSError as exc:
        raise VanThuError(f"Đã xử lý «{source.name}» nhưng không chuyển được tệp vào {folder}: {exc}") from exc
    return target
