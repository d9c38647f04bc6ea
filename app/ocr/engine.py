"""Where Tesseract and its Vietnamese model are, checked before any page is read, with what to install when not.

Looked for in this order: $VANTHU_TESSERACT (the program), a `tesseract` folder beside the frozen app (the
Windows bundle carries one), then PATH. Nothing is ever downloaded: the model comes with the program's package
(Debian: tesseract-ocr-vie) or with the bundle's copy (its own tessdata folder)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from app.core.errors import VanThuError

LANGUAGE = "vie"
ENV = "VANTHU_TESSERACT"
INSTALL_HINT = ("cài Tesseract 5 và gói tiếng Việt (Debian/Ubuntu: apt install tesseract-ocr tesseract-ocr-vie; "
                "bản cài đặt Windows của Sổ Văn Thư có sẵn), hoặc đặt biến VANTHU_TESSERACT tới tệp tesseract")


class OcrUnavailable(VanThuError):
    """Text recognition cannot run on this machine; the message says what to install."""


def _bundled() -> Path | None:
    """Where the frozen app's own copy would be (dist/vanthu/tesseract/), None when running from source."""
    if not getattr(sys, "frozen", False):
        return None
    return Path(sys.executable).parent / "tesseract" / ("tesseract.exe" if sys.platform == "win32" else "tesseract")


def program_environment(program: Path, environ: Mapping[str, str], bundled: Path | None,
                        frozen_linux: bool) -> dict[str, str]:
    """The environment `program` runs in. The bundle's own copy reads the bundle's models, whatever TESSDATA_PREFIX
    another Tesseract on the PC has set. In a frozen Linux app LD_LIBRARY_PATH names the bundle's libraries
    (PyInstaller's bootloader sets it, the user's value kept in LD_LIBRARY_PATH_ORIG): a system tesseract started
    with it would load the bundle's libstdc++, libpng… instead of its own, so it gets the user's value back."""
    env = dict(environ)
    if frozen_linux:
        original = env.pop("LD_LIBRARY_PATH_ORIG", None)
        if original is None:
            env.pop("LD_LIBRARY_PATH", None)
        else:
            env["LD_LIBRARY_PATH"] = original
    if bundled is not None and program == bundled:
        env["TESSDATA_PREFIX"] = str(program.parent / "tessdata")
    return env


def _candidates() -> list[Path]:
    found: list[Path] = []
    if os.environ.get(ENV):
        found.append(Path(os.environ[ENV]))
    bundled = _bundled()
    if bundled is not None:
        found.append(bundled)
    on_path = shutil.which("tesseract")
    if on_path:
        found.append(Path(on_path))
    return found


@cache
def tesseract_program() -> Path:
    """The tesseract executable that has the Vietnamese model (OcrUnavailable otherwise). Its environment
    (program_environment) becomes this process's, which pytesseract's runs inherit."""
    frozen_linux = bool(getattr(sys, "frozen", False)) and sys.platform.startswith("linux")
    for program in _candidates():
        if not program.is_file():
            continue
        env = program_environment(program, os.environ, _bundled(), frozen_linux)
        try:
            listed = subprocess.run([str(program), "--list-langs"], capture_output=True, text=True, timeout=30,
                                    check=False, env=env)
        except OSError:
            continue
        languages = {line.strip() for line in (listed.stdout + listed.stderr).splitlines()}
        if LANGUAGE in languages:
            for key in set(os.environ) - set(env):
                del os.environ[key]
            os.environ.update(env)
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
