"""The Windows installer's files, checked where no Windows is: every message, file and icon they name exists."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

INSTALLER = Path(__file__).resolve().parents[2] / "installer"
ISS = INSTALLER / "vanthu.iss"
ISL = INSTALLER / "Vietnamese.isl"


def _sections(path: Path) -> dict[str, list[str]]:
    """Lines per [Section], comments dropped (Inno Setup's own .iss/.isl layout)."""
    sections: dict[str, list[str]] = {}
    current = ""
    for raw in path.read_text(encoding="utf-8-sig").splitlines():
        line = raw.strip()
        if not line or line.startswith(";"):
            continue
        header = re.fullmatch(r"\[(\w+)\]", line)
        if header:
            current = header.group(1)
            sections.setdefault(current, [])
        else:
            sections.setdefault(current, []).append(line)
    return sections


def _keys(lines: list[str], prefix: str = "") -> list[str]:
    return [line.split("=", 1)[0].removeprefix(prefix) for line in lines if "=" in line]


@pytest.mark.parametrize("path", [ISS, ISL, INSTALLER / "build.ps1"])
def test_windows_files_are_utf8_with_a_bom(path: Path) -> None:
    """PowerShell 5.1 reads a script without a BOM in the ANSI code page: every Vietnamese letter would break."""
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    data.decode("utf-8")


def test_vietnamese_messages_are_complete_and_unique() -> None:
    sections = _sections(ISL)
    options = dict(line.split("=", 1) for line in sections["LangOptions"])
    assert options["LanguageName"] == "Tiếng Việt" and options["LanguageID"] == "$042A"
    for name in ("Messages", "CustomMessages"):
        keys = _keys(sections[name])
        assert len(keys) == len(set(keys)), f"duplicate ids in [{name}]"
    messages = dict(line.split("=", 1) for line in sections["Messages"])
    assert len(messages) > 250
    assert (messages["ButtonBack"], messages["ButtonNext"]) == ("< &Quay lại", "&Tiếp theo >")
    assert all("%" not in v or re.fullmatch(r"([^%]|%[1-9n%])*", v) for v in messages.values())


def test_every_message_and_file_the_script_names_exists() -> None:
    text = ISS.read_text(encoding="utf-8-sig")
    sections = _sections(ISS)
    defined = set(_keys(sections["CustomMessages"], "vi.")) | set(_keys(_sections(ISL)["CustomMessages"]))
    used = set(re.findall(r"\{cm:(\w+)", text)) | set(re.findall(r"CustomMessage\('(\w+)'\)", text))
    assert used and used <= defined, used - defined
    setup = dict(line.split("=", 1) for line in sections["Setup"])
    assert setup["PrivilegesRequired"] == "lowest" and setup["PrivilegesRequiredOverridesAllowed"] == "dialog"
    assert (INSTALLER / setup["SetupIconFile"].replace("\\", "/")).is_file()
    for source in re.findall(r'Source: "([^"{]+)"', text):  # the bundle itself ({#BundleDir}) is built later
        assert (INSTALLER / source.replace("\\", "/")).is_file(), source
    languages = re.findall(r'MessagesFile: "([^"]+)"', text)
    assert languages == ["Vietnamese.isl"]
    # the uninstaller removes exactly the folder the app keeps its data in
    assert '#define DataDir "{localappdata}\\SoVanThu"' in text


def test_the_data_folder_is_the_apps_own() -> None:
    import platformdirs

    from app.db.engine import default_db_path

    assert default_db_path().parent == Path(platformdirs.user_data_dir("SoVanThu", appauthor=False))


def test_requirements_follow_pyproject() -> None:

    out = subprocess.run([sys.executable, str(INSTALLER / "requirements.py"), "postgres", "installer"],
                         capture_output=True, text=True, check=True).stdout.splitlines()
    project = tomllib.loads((INSTALLER.parent / "pyproject.toml").read_text("utf-8"))["project"]
    assert out[: len(project["dependencies"])] == project["dependencies"]
    assert any(r.startswith("pyinstaller") for r in out) and any(r.startswith("psycopg") for r in out)
    assert not any(r.startswith(("pytest", "hypothesis", "ruff")) for r in out)
    bad = subprocess.run([sys.executable, str(INSTALLER / "requirements.py"), "nope"], capture_output=True, text=True)
    assert bad.returncode != 0 and "nope" in bad.stderr


def _pins() -> dict[str, tuple[str, str]]:
    """name → (URL, SHA-256) of each file build.ps1 fetches, read from its Name/Url/Sha256 tables."""
    text = (INSTALLER / "build.ps1").read_text(encoding="utf-8-sig")
    commit = re.search(r'\$TessdataCommit = "([0-9a-f]{40})"', text)
    assert commit, "tessdata_fast is pinned by a full commit"
    text = text.replace("$TessdataCommit", commit.group(1))
    found = re.findall(r'Name\s*=\s*"([^"]+)"\s+Url\s*=\s*"([^"]+)"\s+Sha256\s*=\s*"([^"]*)"', text)
    return {name: (url, sha) for name, url, sha in found}


def test_build_ps1_pins_tesseract_and_its_models_by_url_and_sha256() -> None:
    pins = _pins()
    assert set(pins) == {"tesseract-ocr-w64-setup-5.4.0.20240606.exe", "vie.traineddata", "osd.traineddata"}
    for name, (url, sha) in pins.items():
        assert url.startswith("https://") and url.endswith("/" + name), url
        assert re.fullmatch(r"[0-9A-F]{64}", sha), f"{name}: pinned SHA-256 missing or malformed: {sha!r}"
    for name in ("vie.traineddata", "osd.traineddata"):  # never a moving branch
        assert "/tessdata_fast/65727574dfcd264acbb0c3e07860e4e9e9b22185/" in pins[name][0]
    text = (INSTALLER / "build.ps1").read_text(encoding="utf-8-sig")
    # Each pin is checked, and a download that does not match it is refused.
    assert "Get-FileHash $partial -Algorithm SHA256" in text and "không khớp" in text
    assert "'^[0-9A-Fa-f]{64}$'" in text and "Chưa ghim SHA-256" in text


def test_the_pinned_models_are_the_ones_the_linux_app_reads() -> None:
    """tessdata_fast 4.1.0 is what Debian's tesseract-ocr-vie and -osd ship: the Windows bundle reads with the very
    models the tests run with (checked against the installed files where they are installed)."""
    import hashlib

    tessdata = Path("/usr/share/tesseract-ocr/5/tessdata")
    if not (tessdata / "vie.traineddata").is_file():
        pytest.skip("tesseract-ocr-vie is not installed")
    for name in ("vie.traineddata", "osd.traineddata"):
        assert hashlib.sha256((tessdata / name).read_bytes()).hexdigest().upper() == _pins()[name][1], name


def test_build_ps1_puts_tesseract_where_the_frozen_app_looks() -> None:
    text = (INSTALLER / "build.ps1").read_text(encoding="utf-8-sig")
    assert 'Install-Tesseract $tesseract "dist\\vanthu"' in text
    assert '$target = Join-Path $Bundle "tesseract"' in text and '$tessdata = Join-Path $target "tessdata"' in text
    engine = (INSTALLER.parent / "app" / "ocr" / "engine.py").read_text("utf-8")
    assert '/ "tesseract" / ("tesseract.exe" if sys.platform == "win32"' in engine
    assert 'env["TESSDATA_PREFIX"] = str(program.parent / "tessdata")' in engine
