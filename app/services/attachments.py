"""Scanned files attached to register entries: a content-addressed store in the data folder and its audit trail."""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.core import leftovers
from app.core.dates import format_date
from app.core.errors import NotFoundError, ValidationError, VanThuError
from app.core.files import sha256_of
from app.core.records import AttachmentRecord
from app.core.text import clean, strip_controls
from app.models import Attachment, Document
from app.models.base import utcnow
from app.services import audit, bodies
from app.services.attachment_text import AttachedText

FIELD, LABEL = "file", "Tệp đính kèm"
MAX_SIZE = 200 * 1024 * 1024  # the biggest scan accepted; a whole archive box scanned at 600 dpi is split first
# Scans only: the detail pane opens a stored file with the system's default program, which must never run code.
ALLOWED_SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif", ".webp")
STORE_DIR = "attachments"
_CHUNK = 1024 * 1024
# What the first bytes of each allowed kind are: a file is stored under its extension and opened by the system's
# viewer for that extension, so a .pdf that is really a PNG, a Word file or a program renamed .jpg is refused.
# A PDF may have up to 1 KB of junk before its header (PDF 1.7, Annex H.3; some scanners write it).
_PDF_WINDOW = 1024
_KINDS: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("PDF", (b"%PDF-",)),
    "png": ("ảnh PNG", (b"\x89PNG\r\n\x1a\n",)),
    "jpeg": ("ảnh JPEG", (b"\xff\xd8\xff",)),
    "tiff": ("ảnh TIFF", (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")),
    "gif": ("ảnh GIF", (b"GIF87a", b"GIF89a")),
    "bmp": ("ảnh BMP", (b"BM",)),
    "webp": ("ảnh WEBP", ()),  # RIFF....WEBP, checked in _content_kind
}
_SUFFIX_KIND = {".pdf": "pdf", ".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".tif": "tiff", ".tiff": "tiff",
                ".bmp": "bmp", ".gif": "gif", ".webp": "webp"}
_OTHER_KINDS = ((b"PK\x03\x04", "tệp nén ZIP hoặc Word/Excel (.docx, .xlsx)"),
                (b"\xd0\xcf\x11\xe0", "tệp Word/Excel cũ (.doc, .xls)"), (b"MZ", "chương trình Windows (.exe)"),
                (b"\x7fELF", "chương trình"), (b"{\\rtf", "tệp RTF"), (b"Rar!", "tệp nén RAR"),
                (b"7z\xbc\xaf", "tệp nén 7z"))


@dataclass(frozen=True)
class StoredFile:
    """A file copied into the store, not yet attached to any entry."""

    file_name: str
    sha256: str
    size: int
    suffix: str


def data_folder(url: str) -> Path:
    """The folder of the SQLite file, or the user's data folder for a server database or an in-memory one."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        return Path(parsed.database).expanduser().resolve().parent
    return Path(platformdirs.user_data_dir("SoVanThu", appauthor=False))


def size_text(size: int) -> str:
    """'12 KB', '3,4 MB' (Vietnamese decimal comma)."""
    if size < 1024:
        return f"{size} byte"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    text = f"{size / 1024 / 1024:.1f}".replace(".", ",")
    return f"{text.removesuffix(',0')} MB"


def stored_path(store: Path, sha256: str, file_name: str) -> Path:
    """attachments/<sha256[:2]>/<sha256><suffix> inside the data folder."""
    return store / STORE_DIR / sha256[:2] / f"{sha256}{Path(file_name).suffix.lower()}"


def searchable_name(file_name: str) -> str:
    """The searchable PDF made from a scan is listed under the scan's name: "CV 3646.pdf" → "CV 3646 (có lớp
    chữ).pdf"."""
    return f"{Path(file_name).stem[:230]} (có lớp chữ).pdf"


def changed_since_read(source: Path) -> ValidationError:
    """The file was replaced between reading its text and attaching it (a scanner writing the same name again)."""
    return _refuse(f"tệp {source.name} đã thay đổi sau khi được đọc (nội dung khác lúc đọc chữ); hãy đọc lại tệp "
                   "rồi đính kèm. Chưa đính kèm gì.")


def _refuse(message: str) -> ValidationError:
    # Messages quote the file's name: never let its escape codes reach a console or a dialog.
    return ValidationError.single(FIELD, LABEL, strip_controls(message))


def _display_name(path: Path) -> str:
    """The name kept and listed: NFC, no control characters or escape codes, the suffix (already checked) kept."""
    stem = clean(path.stem) or "tệp"
    return stem[:255 - len(path.suffix)] + path.suffix  # 255: the column's width


def _content_kind(head: bytes) -> str | None:
    """The allowed kind the first bytes show (pdf, png, jpeg…), or None."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    for kind, (_name, magics) in _KINDS.items():
        if any(head.startswith(magic) for magic in magics):
            return kind
    if b"%PDF-" in head[:_PDF_WINDOW]:
        return "pdf"
    return None


def _describe(head: bytes) -> str:
    """What a refused file seems to be, for the message."""
    kind = _content_kind(head)
    if kind is not None:
        return _KINDS[kind][0]
    for magic, name in _OTHER_KINDS:
        if head.startswith(magic):
            return name
    if b"\x00" not in head[:512]:
        try:
            head[:512].decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < 508:  # not just a character cut at the window's end
                return "dữ liệu không rõ loại"
        return "văn bản thuần (text)"
    return "dữ liệu không rõ loại"


def check_content(source: Path, head: bytes) -> None:
    """Refuse a file whose first bytes are not those of the kind its extension names."""
    expected = _SUFFIX_KIND[source.suffix.lower()]
    if _content_kind(head) != expected:
        raise _refuse(f"tệp {source.name} có đuôi {source.suffix} nhưng nội dung không phải {_KINDS[expected][0]} "
                      f"(nội dung là {_describe(head)}); tệp không được đính kèm.")


def check_file(path: str | Path) -> Path:
    """Refuse what cannot be a scan of a document before anything is copied."""
    if not str(path).strip():
        raise _refuse("chưa chọn tệp.")
    source = Path(path).expanduser()
    if not source.exists():
        raise _refuse(f"không tìm thấy tệp {source}.")
    if not source.is_file():
        raise _refuse(f"{source} không phải là một tệp.")
    if source.suffix.lower() not in ALLOWED_SUFFIXES:
        raise _refuse(f"chỉ nhận bản quét PDF hoặc ảnh ({', '.join(s[1:].upper() for s in ALLOWED_SUFFIXES)}); "
                      f"tệp {source.name} không thuộc các loại này.")
    try:
        size = source.stat().st_size
    except OSError as exc:
        raise _refuse(f"không đọc được tệp {source.name} ({exc.strerror or exc}).") from exc
    if size == 0:
        raise _refuse(f"tệp {source.name} rỗng (0 byte).")
    if size > MAX_SIZE:
        raise _refuse(f"tệp {source.name} nặng {size_text(size)}, tối đa {size_text(MAX_SIZE)}.")
    try:
        with source.open("rb") as handle:
            head = handle.read(_PDF_WINDOW)
    except OSError as exc:
        raise _refuse(f"không đọc được tệp {source.name} ({exc.strerror or exc}).") from exc
    check_content(source, head)
    return source


def store_file(store: Path, path: str | Path) -> StoredFile:
    """Copy the file into the store under its hash, reading it once. Run outside any write transaction: copying
    a 200 MB scan must not hold the register's write lock. A copy that ends up attached to nothing is harmless."""
    source = check_file(path)
    digest = hashlib.sha256()
    size = 0
    folder = store / STORE_DIR
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise VanThuError(f"Không tạo được thư mục lưu tệp đính kèm {folder}: {exc}") from exc
    try:
        handle, temp_name = leftovers.make_file(folder, ".incoming-")
    except OSError as exc:
        raise VanThuError(f"Không ghi được vào thư mục lưu tệp đính kèm {folder}: {exc}") from exc
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            for index, chunk in enumerate(_read_chunks(source)):
                if index == 0:  # the file may have been replaced since check_file looked at it
                    check_content(source, chunk[:_PDF_WINDOW])
                size += len(chunk)
                if size > MAX_SIZE:
                    raise _refuse(f"tệp {source.name} nặng hơn {size_text(MAX_SIZE)}.")
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if size == 0:
            raise _refuse(f"tệp {source.name} rỗng (0 byte).")
        sha = digest.hexdigest()
        name = _display_name(source)
        target = stored_path(store, sha, name)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists() and target.stat().st_size == size and sha256_of(target) == sha:
            temp.unlink()  # already stored (the same scan on another entry); the stored copy may be open
        else:
            os.replace(temp, target)
        return StoredFile(name, sha, size, target.suffix)
    except OSError as exc:
        raise VanThuError(f"Không sao chép được tệp vào {folder}: {exc}") from exc
    finally:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)


def _read_chunks(source: Path) -> Iterator[bytes]:
    """The file's bytes in chunks; a read failure is the clerk's file's fault, reported on the field."""
    try:
        with source.open("rb") as src:
            while chunk := src.read(_CHUNK):
                yield chunk
    except OSError as exc:
        raise _refuse(f"không đọc được tệp {source.name} ({exc.strerror or exc}).") from exc


def to_record(a: Attachment) -> AttachmentRecord:
    # Names stored before they were cleaned on the way in are cleaned on the way out.
    return AttachmentRecord(a.id, a.document_id, strip_controls(a.file_name), a.sha256, a.size, a.added_at, a.added_by,
                            a.removed_at, a.removed_by, a.text_source, a.text_confidence, a.derived_from_id)


def _snapshot(a: Attachment) -> dict[str, object]:
    return {"attachment_id": a.id, "file_name": a.file_name, "sha256": a.sha256, "size": a.size}


def add_attachment(session: Session, actor: str, doc_id: int, stored: StoredFile, text: AttachedText | None = None,
                   derived_from: int | None = None) -> AttachmentRecord:
    """Attach a stored file to an entry (in the caller's transaction), refusing the same file twice; its text
    joins the entry's searchable body."""
    if session.get(Document, doc_id) is None:
        raise NotFoundError(f"Không có văn bản mã {doc_id}.")
    same = session.scalars(select(Attachment).where(
        Attachment.document_id == doc_id, Attachment.sha256 == stored.sha256,
        Attachment.removed_at.is_(None))).first()
    if same is not None:
        raise _refuse(f"tệp này đã được đính kèm vào văn bản (tên {same.file_name}, ngày "
                      f"{format_date(same.added_at.date())}).")
    kept = text if text is not None and text.text.strip() and derived_from is None else None
    row = Attachment(document_id=doc_id, file_name=stored.file_name, sha256=stored.sha256, size=stored.size,
                     added_at=utcnow(), added_by=actor, derived_from_id=derived_from,
                     text_z=bodies.pack(kept.text) if kept else None, text_source=kept.source if kept else None,
                     text_confidence=kept.confidence if kept else None)
    session.add(row)
    session.flush()
    audit.record(session, actor, "attach", "document", doc_id, None, _snapshot(row))
    if kept:
        bodies.refresh_body(session, doc_id)
    return to_record(row)


def list_attachments(session: Session, doc_id: int, include_removed: bool = False) -> list[AttachmentRecord]:
    """An entry's attachments in the order they were added; detached ones only when asked."""
    query = select(Attachment).where(Attachment.document_id == doc_id).order_by(Attachment.id)
    if not include_removed:
        query = query.where(Attachment.removed_at.is_(None))
    return [to_record(a) for a in session.scalars(query)]


def _get(session: Session, attachment_id: int) -> Attachment:
    row = session.get(Attachment, attachment_id)
    # The entry itself must be the user's to see (app.services.visibility filters Document loads).
    if row is None or session.get(Document, row.document_id) is None:
        raise NotFoundError(f"Không có tệp đính kèm mã {attachment_id}.")
    return row


def attachment_path(session: Session, store: Path, attachment_id: int) -> Path:
    """Where the stored copy is, after checking it is still the file that was attached."""
    row = _get(session, attachment_id)
    path = stored_path(store, row.sha256, row.file_name)
    if not path.is_file():
        raise NotFoundError(f"Bản lưu của tệp {row.file_name} không còn trong thư mục dữ liệu ({path}); "
                            "hãy khôi phục từ bản sao lưu.")
    try:
        intact = path.stat().st_size == row.size and sha256_of(path) == row.sha256
    except OSError as exc:
        raise VanThuError(f"Không đọc được bản lưu của tệp {row.file_name} ({path}): {exc}") from exc
    if not intact:
        raise VanThuError(f"Bản lưu của tệp {row.file_name} đã bị thay đổi sau khi đính kèm (mã băm không khớp, "
                          f"{path}); hãy khôi phục từ bản sao lưu hoặc đính kèm lại bản quét gốc.")
    return path


def detach(session: Session, actor: str, attachment_id: int) -> AttachmentRecord:
    """Take an attachment off its entry; the row and the stored bytes stay, as the register's history."""
    row = _get(session, attachment_id)
    if row.removed_at is not None:
        raise _refuse(f"tệp {row.file_name} đã được gỡ ngày {format_date(row.removed_at.date())}.")
    # A scan's searchable copy goes with it: it is the scan again, with a text layer.
    copies = session.scalars(select(Attachment).where(Attachment.derived_from_id == row.id,
                                                      Attachment.removed_at.is_(None))).all()
    for one in (row, *copies):
        one.removed_at, one.removed_by = utcnow(), actor
        audit.record(session, actor, "detach", "document", one.document_id, _snapshot(one), None)
    session.flush()
    bodies.refresh_body(session, row.document_id)
    return to_record(row)
