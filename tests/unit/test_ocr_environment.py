"""The environment Tesseract runs in (app/ocr/engine.program_environment): the bundle's copy reads the bundle's
models; a frozen Linux app hands a system tesseract the user's library path, not the bundle's."""

from __future__ import annotations

from pathlib import Path

from app.ocr.engine import program_environment

BUNDLE = Path("C:/Program Files/SoVanThu")
BUNDLED = BUNDLE / "tesseract" / "tesseract.exe"


def test_the_bundles_copy_reads_the_bundles_models_whatever_another_install_set() -> None:
    env = program_environment(BUNDLED, {"TESSDATA_PREFIX": "C:/Program Files/Tesseract-OCR/tessdata", "X": "1"},
                              BUNDLED, frozen_linux=False)
    assert env == {"TESSDATA_PREFIX": str(BUNDLE / "tesseract" / "tessdata"), "X": "1"}


def test_another_tesseract_keeps_its_own_models() -> None:
    other = Path("C:/Program Files/Tesseract-OCR/tesseract.exe")
    given = {"TESSDATA_PREFIX": "D:/tessdata"}
    assert program_environment(other, given, BUNDLED, frozen_linux=False) == given
    assert program_environment(other, given, None, frozen_linux=False) == given  # from source: nothing bundled


def test_a_frozen_linux_app_gives_a_system_tesseract_the_users_library_path_back() -> None:
    program = Path("/usr/bin/tesseract")
    bundle_libs = {"LD_LIBRARY_PATH": "/opt/vanthu/_internal", "HOME": "/home/vt"}
    assert program_environment(program, bundle_libs, None, frozen_linux=True) == {"HOME": "/home/vt"}
    kept = {**bundle_libs, "LD_LIBRARY_PATH_ORIG": "/opt/lib"}
    assert program_environment(program, kept, None, frozen_linux=True) == {"LD_LIBRARY_PATH": "/opt/lib",
                                                                           "HOME": "/home/vt"}
    # From source the library path is the user's own: left alone.
    assert program_environment(program, bundle_libs, None, frozen_linux=False) == bundle_libs


def test_the_given_environment_is_not_changed() -> None:
    given = {"LD_LIBRARY_PATH": "/opt/vanthu/_internal"}
    program_environment(Path("/usr/bin/tesseract"), given, None, frozen_linux=True)
    assert given == {"LD_LIBRARY_PATH": "/opt/vanthu/_internal"}
