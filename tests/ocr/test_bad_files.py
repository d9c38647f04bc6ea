"""Bad input through read_document and `extract`: not an image, a corrupt image, a password-protected PDF, a PDF
with no pages, an empty file. Each is refused with a Vietnamese message naming the file (exit 2 on the command
line) and nothing is read; no Tesseract run is needed to tell."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfWriter

from app.cli.commands import run
from app.core.errors import ValidationError
from app.extraction.reader import read_document


def _not_an_image(folder: Path) -> Path:
    path = folder / "cong-van.png"  # a text saved under a picture's name
    path.write_text("Số: 3646/SYT-VP\nV/v triển khai tiêm chủng mở rộng\n", encoding="utf-8")
    return path


def _cut(folder: Path, name: str, kind: str) -> Path:
    picture = io.BytesIO()
    Image.new("RGB", (600, 800), (250, 250, 250)).save(picture, kind)
    path = folder / name
    path.write_bytes(picture.getvalue()[: len(picture.getvalue()) // 3])  # a copy interrupted part way
    return path


def _locked(folder: Path) -> Path:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="matkhau", algorithm="RC4-128")
    path = folder / "ban-quet-khoa.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def _no_pages(folder: Path) -> Path:
    path = folder / "khong-trang.pdf"
    with path.open("wb") as handle:
        PdfWriter().write(handle)
    return path


def _empty(name: str) -> object:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(b"")
        return path
    return make


CASES = {
    "not an image": (_not_an_image, "Không đọc được ảnh «cong-van.png»: tệp bị hỏng, quá lớn hoặc không phải ảnh"),
    "corrupt JPEG": (lambda f: _cut(f, "anh-chup.jpg", "JPEG"), "Không đọc được ảnh «anh-chup.jpg»: tệp bị hỏng"),
    "corrupt PNG": (lambda f: _cut(f, "ban-quet.png", "PNG"), "Không đọc được ảnh «ban-quet.png»: tệp bị hỏng"),
    "corrupt TIFF": (lambda f: _cut(f, "ban-quet.tif", "TIFF"), "Không đọc được ảnh «ban-quet.tif»: tệp bị hỏng"),
    "password": (_locked, "Tệp PDF «ban-quet-khoa.pdf» có mật khẩu; hãy mở khóa tệp rồi thử lại"),
    "no pages": (_no_pages, "Tệp PDF «khong-trang.pdf» không có trang nào"),
    "0-byte PDF": (_empty("rong.pdf"), "Tệp «rong.pdf» rỗng (0 byte)"),
    "0-byte JPEG": (_empty("rong.jpg"), "Tệp «rong.jpg» rỗng (0 byte)"),
    "0-byte text": (_empty("rong.txt"), "Tệp «rong.txt» rỗng (0 byte)"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_file_is_refused_naming_it(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make, message = CASES[case]
    path = make(tmp_path)  # type: ignore[operator]
    with pytest.raises(ValidationError) as refused:
        read_document(path)
    assert message in str(refused.value)
    assert run(["extract", str(path), "--db", str(tmp_path / "unused.sqlite3")]) == 2
    shown = capsys.readouterr()
    assert shown.out == "" and message in shown.err and shown.err.startswith("Lỗi: Tệp văn bản: ")
    assert not (tmp_path / "unused.sqlite3").exists()
