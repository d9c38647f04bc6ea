"""A document file to text: .txt (UTF-8, or UTF-16/32 with BOM) or the text layer of a PDF, NFC-normalised."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

from app.core.errors import ValidationError

FIELD = "file"
LABEL = "Tệp văn bản"
TEXT_SUFFIXES = (".txt", ".text")
PDF_SUFFIXES = (".pdf",)
MIN_LETTERS = 10  # a PDF whose pages carry fewer letters than this has no usable text layer

_BOMS = (  # UTF-32 first: its little-endian BOM starts with the UTF-16 one
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)


def _error(message: str) -> ValidationError:
    return ValidationError.single(FIELD, LABEL, message)


def read_text(path: str | Path) -> str:
    """The text of a .txt or text-layer PDF file, NFC-normalised with '\\n' line ends.

    Raises ValidationError (field "file") for a missing file, another file type, text that is not UTF-8 (or
    UTF-16/32 with a BOM), a damaged or locked PDF, and a scanned PDF without a text layer (needs OCR first).
    """
    file = Path(path)
    if not file.exists():
        raise _error(f"Không tìm thấy tệp «{file}».")
    if not file.is_file():
        raise _error(f"«{file}» không phải là một tệp.")
    suffix = file.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        text = _read_plain(file)
    elif suffix in PDF_SUFFIXES:
        text = _read_pdf(file)
    else:
        shown = suffix or "(không có đuôi)"
        raise _error(f"Chỉ đọc được tệp văn bản .txt hoặc tệp .pdf có lớp chữ; tệp «{file.name}» có đuôi {shown}.")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


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
    text = "\n\n".join(pages)
    if sum(ch.isalpha() for ch in text) < MIN_LETTERS:
        raise _error(f"Tệp PDF «{file.name}» không có lớp chữ (bản quét ảnh); cần nhận dạng chữ (OCR) trước, "
                     "rồi mở tệp đã nhận dạng hoặc dán nội dung văn bản vào ô nhập.")
    return text
