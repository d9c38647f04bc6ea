"""Where Tesseract and its Vietnamese model are, checked before any page is read, with what to install when not.

Looked for in this order: $VANTHU_TESSERACT (the program), a `tesseract` folder beside the frozen app (the
Windows bundle carries one), then PATH. Nothing is ever downloaded: the model comes with the program's package
(Debian: tesseract-ocr-vie)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

from app.core.errors import VanThuError

LANGUAGE = "vie"
ENV = "VANTHU_TESSERACT"
INSTALL_HINT = ("cài Tesseract 5 và gói tiếng Việt (Debian/Ubuntu: apt install tesseract-ocr tesseract-ocr-vie; "
                "bản cài đặt Windows của Sổ Văn Thư có sẵn), hoặc đặt biến VANTHU_TESSERACT tới tệp tesseract")


class OcrUnavailable(VanThuError):
    """Text recognition cannot run on this machine; the message says what to install."""


def _candidates() -> list[Path]:
    found: list[Path] = []
    if os.environ.get(ENV):
        found.append(Path(os.environ[ENV]))
    if getattr(sys, "frozen", False):  # the bundle's own copy
        name = "tesseract.exe" if sys.platform == "win32" else "tesseract"
        found.append(Path(sys.executable).parent / "tesseract" / name)
    on_path = shutil.which("tesseract")
    if on_path:
        found.append(Path(on_path))
    return found


@cache
def tesseract_program() -> Path:
    """The tesseract executable that has the Vietnamese model (OcrUnavailable otherwise)."""
    for program in _candidates():
        if not program.is_file():
            continue
        try:
            listed = subprocess.run([str(program), "--list-langs"], capture_output=True, text=True, timeout=30,
                                    check=False)
        except OSError:
            continue
        languages = {line.strip() for line in (listed.stdout + listed.stderr).splitlines()}
        if LANGUAGE in languages:
            return program
        raise OcrUnavailable(f"Không nhận dạng được chữ: Tesseract ở {program} chưa có gói tiếng Việt (vie); "
                             f"hãy {INSTALL_HINT}.")
    raise OcrUnavailable(f"Không nhận dạng được chữ: máy này chưa có chương trình Tesseract; hãy {INSTALL_HINT}.")


def tesseract_status() -> str:
    """One line for the README's check and the about box: the program and its version, or why it is missing."""
    try:
        program = tesseract_program()
    except OcrUnavailable as exc:
        return str(exc)
    version = subprocess.run([str(program), "--version"], capture_output=True, text=True, timeout=30,
                             check=False).stdout.splitlines()
    return f"{program} ({version[0] if version else 'tesseract'}, tiếng Việt)"
