"""A document file to text: .txt (UTF-8, or UTF-16/32 with BOM), the text layer of a PDF, or the text recognised
(app.ocr) in a scan: an image, a PDF without a text layer or with one that is garbage. NFC-normalised."""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import ValidationError

FIELD = "file"
LABEL = "Tệp văn bản"
TEXT_SUFFIXES = (".txt", ".text")
PDF_SUFFIXES = (".pdf",)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp")
MIN_LETTERS = 10  # a PDF whose pages carry fewer letters than this has no usable text layer
# A text layer is garbage (a scanner's bad OCR, a font without a Unicode map) when fewer than half of its words
# look like Vietnamese syllables or numbers: letters only, at most 7 of them (the longest syllable, "nghiêng").
_WORD = re.compile(r"\S+")
_SYLLABLE = re.compile(r"[^\W\d_]{1,7}|\d[\d/.,:-]*", re.UNICODE)
MIN_WORDLIKE = 0.5


@dataclass(frozen=True)
class DocumentText:
    """The text of a file, and whether it was recognised from a scan (with the mean word confidence, 0–100).

    line_confidence is aligned with text.split("\\n"): the mean word confidence (0–100) of each line recognised
    from a scan, None for a blank line and for every line of a text file or a PDF text layer. Hand it to
    app.extraction.confidence.weak_fields with the documents extract(text) reads. page_confidence: each
    recognised page's mean word confidence, in page order (0 for a blank page); empty when nothing was recognised."""

    text: str
    ocr: bool = False
    confidence: float | None = None
    line_confidence: tuple[float | None, ...] = ()
    page_confidence: tuple[float, ...] = ()


_BOMS = (  # UTF-32 first: its little-endian BOM starts with the UTF-16 one
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)


class NeedsRecognition(ValidationError):
    """The file is a scan and reading it was not asked for (recognise=False): the window then reads it in the
    background, with progress and Hủy."""


def _error(message: str) -> ValidationError:
    return ValidationError.single(FIELD, LABEL, message)


def read_text(path: str | Path) -> str:
    """The text of the file (see read_document)."""
    return read_document(path).text


def read_document(path: str | Path, recognise: bool = True, progress: Callable[[int, int], None] | None = None,
                  cancelled: Callable[[], bool] | None = None, searchable: Path | None = None) -> DocumentText:
    """The text of a .txt, a PDF or a scan, NFC-normalised with '\\n' line ends.

    Raises ValidationError (field "file") for a missing or empty (0-byte) file, another file type, text that is not
    UTF-8 (or UTF-16/32 with a BOM), a damaged or locked PDF or image, and a scan in which nothing could be read; and
    app.ocr.OcrUnavailable when a scan needs Tesseract and this machine has none. With recognise=False a scan
    is refused with NeedsRecognition instead of read. `progress(i, n)` after each recognised page; app.ocr's
    Cancelled when `cancelled()` turns true between pages. With `searchable`, a scan that is recognised is also
    written there as a PDF with a text layer (nothing is written for a text file or a PDF that has one).
    """
    file = Path(path)
    if not file.exists():
        raise _error(f"Không tìm thấy tệp «{file}».")
    if not file.is_file():
        raise _error(f"«{file}» không phải là một tệp.")
    if file.stat().st_size == 0:  # a copy cut short or a scan never written: say so, whatever its type
        raise _error(f"Tệp «{file.name}» rỗng (0 byte), không có gì để đọc; hãy chép lại tệp hoặc quét lại.")
    suffix = file.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        result = DocumentText(_read_plain(file))
    elif suffix in PDF_SUFFIXES:
        layer = _read_pdf(file)
        result = DocumentText(layer) if _usable(layer) else \
            _recognise(file, recognise, progress, cancelled, searchable)
    elif suffix in IMAGE_SUFFIXES:
        result = _recognise(file, recognise, progress, cancelled, searchable)
    else:
        shown = suffix or "(không có đuôi)"
        raise _error(f"Chỉ đọc được tệp văn bản .txt, tệp .pdf hoặc ảnh chụp, bản quét (PNG, JPEG, TIFF); tệp "
                     f"«{file.name}» có đuôi {shown}.")
    text = unicodedata.normalize("NFC", result.text.replace("\r\n", "\n").replace("\r", "\n"))
    confidence = result.line_confidence if result.ocr else (None,) * (text.count("\n") + 1)
    return DocumentText(text, result.ocr, result.confidence, confidence, result.page_confidence)


def _usable(layer: str) -> bool:
    if sum(ch.isalpha() for ch in layer) < MIN_LETTERS:
        return False
    words = _WORD.findall(layer)
    return sum(bool(_SYLLABLE.fullmatch(w.strip(".,;:!?()\"'«»"))) for w in words) >= MIN_WORDLIKE * len(words)


def _recognise(file: Path, recognise: bool = True, progress: Callable[[int, int], None] | None = None,
               cancelled: Callable[[], bool] | None = None, searchable: Path | None = None) -> DocumentText:
    if not recognise:
        raise NeedsRecognition.single(FIELD, LABEL, f"Tệp «{file.name}» là bản quét, không có lớp chữ: cần nhận "
                                                    "dạng chữ (OCR) trước khi đọc.")
    from app.ocr import read_scan  # Tesseract is asked for only when a scan is read

    read = read_scan(file, progress, cancelled, searchable)
    if sum(ch.isalpha() for ch in read.text) < MIN_LETTERS:
        raise _error(f"Không đọc được chữ nào trong «{file.name}» (trang trắng, ảnh quá mờ hoặc không phải văn "
                     "bản); hãy quét lại rõ hơn hoặc dán nội dung văn bản vào ô nhập.")
    # Recognised lines carry their confidence; the text has no "\r" (Tesseract's lines are joined with "\n").
    return DocumentText(read.text, ocr=True, confidence=read.confidence, line_confidence=read.line_confidence,
                        page_confidence=tuple(p.confidence for p in read.pages))


def _read_bytes(file: Path) -> bytes:
    try:
        return file.read_bytes()
    except OSError as exc:
        raise _error(f"Không mở được tệp «{file.name}»: {exc.strerror or exc}.") from exc


def _read_plain(file: Path) -> str:
    data = _read_bytes(file)
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), "utf-8")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise _error(f"Tệp «{file.name}» không phải văn bản mã UTF-8 (hoặc UTF-16 có BOM); "
                     "hãy lưu lại tệp với mã UTF-8 rồi thử lại.") from exc
    if "\x00" in text:
        raise _error(f"Tệp «{file.name}» không phải tệp văn bản (có ký tự nhị phân); "
                     "hãy lưu lại tệp với mã UTF-8 rồi thử lại.")
    return text


def _read_pdf(file: Path) -> str:
    from pypdf import PdfReader  # loaded only when a PDF is read

    _read_bytes(file)  # a clear message for a file that cannot be opened
    try:
        reader = PdfReader(str(file))
        if reader.is_encrypted:
            try:
                unlocked = bool(reader.decrypt(""))
            except Exception:  # noqa: BLE001 - any failure to unlock means the same thing to the clerk
                unlocked = False
            if not unlocked:
                raise _error(f"Tệp PDF «{file.name}» có mật khẩu; hãy mở khóa tệp rồi thử lại.")
        if len(reader.pages) == 0:  # pdfium would call such a file damaged: it is whole, only empty
            raise _error(f"Tệp PDF «{file.name}» không có trang nào.")
        pages = []
        for page in reader.pages:
            try:
                pages.append((page.extract_text() or "").strip("\n"))
            except Exception:  # noqa: BLE001 - one unreadable page does not lose the others
                pages.append("")
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds of errors for damaged files
        raise _error(f"Không đọc được tệp PDF «{file.name}»: tệp bị hỏng hoặc không phải PDF.") from exc
    return "\n\n".join(pages)
