"""What a file to be attached says: its PDF text layer, or the text recognised in a scan, read before any write."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.core import leftovers
from app.core.errors import VanThuError
from app.core.files import sha256_of
from app.extraction.reader import IMAGE_SUFFIXES, PDF_SUFFIXES, read_document

LAYER, OCR = "layer", "ocr"
SEARCHABLE_PREFIX = ".vanthu-searchable-"  # temporary copies, pid-tagged: a killed run's are swept next time


@dataclass(frozen=True)
class AttachedText:
    """The text found in a file (empty when none), where it came from, and why there is none when that happens;
    `searchable` is a PDF with a text layer made from a scan, to be attached beside it."""

    text: str = ""
    source: str | None = None  # LAYER or OCR
    confidence: float | None = None
    problem: str | None = None  # why nothing was read (no Tesseract, a blank page…): said, never fatal
    searchable: Path | None = None
    # Per line of text.split("\n"), the recognition's confidence (None: not recognised): which fields were read
    # from weak lines (app.extraction.confidence.weak_fields).
    line_confidence: tuple[float | None, ...] = ()
    sha256: str | None = None  # of the file as it was read: attaching refuses a file replaced since


def read_attached_text(path: str | Path, recognise: bool = True, progress: Callable[[int, int], None] | None = None,
                       cancelled: Callable[[], bool] | None = None) -> AttachedText:
    """The text of a PDF or image to be attached. A file whose text cannot be read is still attached (a photo of
    a seal is a legitimate scan): the reason comes back in `problem` for the clerk to see. The clerk's Hủy
    (app.ocr.Cancelled) is raised, not swallowed."""
    file = Path(path)
    if file.suffix.lower() not in PDF_SUFFIXES + IMAGE_SUFFIXES:
        return AttachedText()
    try:
        digest = sha256_of(file)
    except OSError as exc:
        return AttachedText(problem=f"Không đọc được tệp «{file.name}»: {exc.strerror or exc}.")
    handle, name = leftovers.make_file(Path(tempfile.gettempdir()), SEARCHABLE_PREFIX, ".pdf")
    os.close(handle)
    copy = Path(name)
    try:
        read = read_document(file, recognise, progress, cancelled, searchable=copy)
    except VanThuError as exc:  # a ValidationError (nothing legible) or OcrUnavailable (no Tesseract)
        copy.unlink(missing_ok=True)
        from app.ocr.recognize import Cancelled  # loaded only once a reading has failed

        if isinstance(exc, Cancelled):
            raise
        return AttachedText(problem=str(exc), sha256=digest)
    except BaseException:
        copy.unlink(missing_ok=True)
        raise
    made = read.ocr and copy.stat().st_size > 0
    if not made:
        copy.unlink(missing_ok=True)
    return AttachedText(read.text, OCR if read.ocr else LAYER, read.confidence, searchable=copy if made else None,
                        line_confidence=read.line_confidence, sha256=digest)


def discard(read: AttachedText | None) -> None:
    """Delete the temporary searchable copy of a reading that will not be attached (or has been: it was copied)."""
    if read is not None and read.searchable is not None:
        read.searchable.unlink(missing_ok=True)
