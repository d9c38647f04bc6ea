"""The frozen bundle as IT installs it: built by installer/build.sh, then run with no Python around it.

Marked `installer` (a PyInstaller build takes a minute or two): `scripts/test.sh -m installer`. Set VANTHU_BUNDLE
to an already built dist/vanthu folder to test that one instead of building.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

import app
from app.core.dates import today
from app.db.migrate import HEAD_REVISION
from app.ocr.engine import ENV, INSTALL_HINT
from tests.ocr.scans import image_pdf, letter_pdf, rasterise, spoil
from tests.printing.pdf_read import page_sizes_mm, page_texts
from tests.services.test_backup import older_register

pytestmark = pytest.mark.installer

ROOT = Path(__file__).resolve().parents[2]
DAY = today().strftime("%d/%m/%Y")


@pytest.fixture(scope="module")
def bundle() -> Path:
    given = os.environ.get("VANTHU_BUNDLE")
    if given:
        return Path(given).resolve()
    done = subprocess.run(["bash", str(ROOT / "installer" / "build.sh"), "--no-archive"], cwd=ROOT,
                          capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-5000:]
    return ROOT / "dist" / "vanthu"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A user with nothing set up: empty home and data folders, in a folder with Vietnamese letters."""
    folder = tmp_path / "Người dùng"
    folder.mkdir()
    return folder


def run(bundle: Path, home: Path, *args: str, extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The frozen `vanthu` with a bare environment: no PYTHONPATH, no virtual environment, no source tree."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
           "QT_QPA_PLATFORM": "offscreen", **(extra or {})}
    return subprocess.run([str(bundle / "vanthu"), *args], cwd=home, env=env, capture_output=True, text=True,
                          timeout=120)


def ok(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 0, f"exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_version_comes_from_the_one_source(bundle: Path, home: Path) -> None:
    assert ok(run(bundle, home, "--version")).strip() == f"{app.APP_NAME} {app.__version__}"


def test_cli_round_trip_on_a_fresh_register(bundle: Path, home: Path) -> None:
    (home / "Sổ thử").mkdir()
    db = str(home / "Sổ thử" / "sổ.sqlite3")
    assert f"lược đồ {HEAD_REVISION}" in ok(run(bundle, home, "--db", db, "init"))
    ok(run(bundle, home, "--db", db, "settings", "set", "agency.name", "SỞ Y TẾ TỈNH TÂY NINH"))
    added = ok(run(bundle, home, "--db", db, "incoming", "add", "--issuer", "Ủy ban nhân dân tỉnh Tây Ninh",
                   "--reference", "5068/UBND-TH", "--issued-on", DAY, "--type", "Công văn",
                   "--subject", "Triển khai Thông báo số 1737-TB/VPTU"))
    assert "Số đến 1" in added
    stamp = home / "dấu đến.pdf"
    ok(run(bundle, home, "--db", db, "print", "stamp", "1", "-o", str(stamp)))
    assert page_sizes_mm(stamp) == [(50.0, 35.0)]
    text = page_texts(stamp)[0]
    assert "SỞ Y TẾ TỈNH TÂY NINH" in text and "ĐẾN" in text and DAY in text  # Vietnamese glyphs: fonts found
    listed = ok(run(bundle, home, "--db", db, "search", "trien khai"))
    assert "5068/UBND-TH" in listed  # FTS5 and the đ/diacritic folding work in the bundled SQLite
    sheet = home / "sổ đến.xlsx"
    ok(run(bundle, home, "--db", db, "export", "--book", "incoming", "--xlsx", str(sheet)))
    from openpyxl import load_workbook

    rows = [[c for c in row if c is not None] for row in load_workbook(sheet, read_only=True).active.values]
    assert any("5068/UBND-TH" in row for row in rows)


def test_data_lives_in_the_users_data_folder_never_in_the_bundle(bundle: Path, home: Path) -> None:
    out = ok(run(bundle, home, "init"))
    database = home / "data" / "SoVanThu" / "sovanthu.sqlite3"
    assert str(database) in out and database.is_file()
    assert not list(bundle.rglob("*.sqlite3"))


def test_the_main_window_opens_offscreen(bundle: Path, home: Path) -> None:
    db = str(home / "r.sqlite3")
    ok(run(bundle, home, "--db", db, "demo-data", "--count", "30"))
    picture = home / "cửa sổ.png"
    assert "1366×768" in ok(run(bundle, home, "--db", db, "gui", "--screenshot", str(picture)))
    image = QImage(str(picture))
    assert (image.width(), image.height()) == (1366, 768)
    colours = {image.pixel(x, y) for x in range(0, 1366, 17) for y in range(0, 768, 13)}
    assert len(colours) > 20  # a drawn window with rows and text, not a blank surface
    reports = home / "báo cáo.png"  # matplotlib's Qt canvas, loaded from the bundle on first use
    ok(run(bundle, home, "--db", db, "gui", "--screenshot", str(reports), "--dialog", "reports"))
    assert QImage(str(reports)).width() == 1366


def test_an_older_register_is_backed_up_then_migrated_by_the_bundle(bundle: Path, home: Path) -> None:
    """Alembic reads the migration files out of the bundle, and the backup comes first."""
    db = home / "cũ.sqlite3"
    older_register(db, "0003")
    done = run(bundle, home, "--db", str(db), "incoming", "list", "--year", "2024")
    ok(done)
    assert "truoc-nang-cap-0003-" in done.stderr
    backups = list((home / "backups").glob("truoc-nang-cap-0003-*.vanthu"))
    assert len(backups) == 1
    assert "7/SYT-VP" in done.stdout  # the entry made before the upgrade, read through the new schema
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD_REVISION


def test_postgresql_driver_is_in_the_bundle(bundle: Path, home: Path) -> None:
    """A server URL reaches the connection (refused here), not a missing-module error."""
    done = run(bundle, home, "--db", "postgresql+psycopg://van_thu@127.0.0.1:9/sovanthu", "init")
    assert done.returncode == 2
    assert "Không mở được cơ sở dữ liệu" in done.stderr and "No module named" not in done.stderr


def test_resources_sit_where_the_app_looks_for_them(bundle: Path) -> None:
    internal = bundle / "_internal"
    assert (internal / "resources" / "fonts" / "LiberationSerif-Regular.ttf").is_file()
    assert {p.name for p in (internal / "resources" / "icons").iterdir()} >= {"vanthu-16.png", "vanthu-256.png"}
    versions = Path(app.__file__).parent / "db" / "migrations" / "versions"
    shipped = {p.name for p in (internal / "app" / "db" / "migrations" / "versions").glob("*.py")}
    assert {p.name for p in versions.glob("0*.py")} <= shipped  # every migration, the newest included
    assert not list(internal.rglob("*.qm"))  # Qt's translations: none is Vietnamese, none shipped


# -- text recognition: Tesseract is the system's on Linux (found on PATH), the bundle's own on Windows ------------

SYSTEM_TESSERACT = shutil.which("tesseract", path="/usr/bin:/bin")
SYSTEM_TESSDATA = Path("/usr/share/tesseract-ocr/5/tessdata")
needs_tesseract = pytest.mark.skipif(SYSTEM_TESSERACT is None, reason="apt install tesseract-ocr tesseract-ocr-vie")


@pytest.fixture(scope="module")
def scan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The state letter of tests/ocr/scans.py, printed and scanned: an image-only PDF, a Vietnamese name."""
    folder = tmp_path_factory.mktemp("scan")
    pages = rasterise(letter_pdf(folder / "gốc.pdf"))
    return image_pdf([spoil(page) for page in pages], folder / "bản quét công văn.pdf")


def _read(done: subprocess.CompletedProcess) -> dict:  # type: ignore[type-arg]
    result = json.loads(ok(done))
    assert result["ocr"] is True and result["ocr_confidence"] > 70, result
    doc = result["documents"][0]
    assert (doc["issuer"], doc["reference"], doc["issued_on"], doc["doc_type"]) == (
        "SỞ Y TẾ", "3646/SYT-VP", "2023-10-24", "Công văn"), doc
    assert "tiêm chủng mở rộng" in doc["subject"], doc
    assert [(c["reference"], c["issued_on"]) for c in doc["cites"]] == [("5068/UBND-TH", "2023-10-20")], doc
    return result


def _recording_tesseract(path: Path, log: Path) -> Path:
    """A tesseract that notes the environment it was started with, then runs the system's."""
    path.write_text(f'#!/bin/sh\nprintf "%s|%s\\n" "$TESSDATA_PREFIX" "$LD_LIBRARY_PATH" >> "{log}"\n'
                    f'exec {SYSTEM_TESSERACT} "$@"\n')
    path.chmod(0o755)
    return path


@needs_tesseract
def test_a_scan_is_read_by_the_bundle_with_the_systems_tesseract(bundle: Path, home: Path, scan: Path) -> None:
    """pytesseract, Pillow and pypdfium2 come with the bundle; Tesseract and vie.traineddata are Debian's
    (tesseract-ocr, tesseract-ocr-vie), found on PATH."""
    _read(run(bundle, home, "extract", str(scan), "--json"))


@needs_tesseract
def test_a_system_tesseract_runs_with_its_own_libraries_not_the_bundles(bundle: Path, home: Path,
                                                                       scan: Path) -> None:
    """PyInstaller points LD_LIBRARY_PATH at the bundle's libstdc++, libpng, libjpeg…; a system tesseract given
    those instead of its own may not start on another distribution: the app hands it the user's value back."""
    log = home / "môi trường.txt"
    program = _recording_tesseract(home / "tesseract", log)
    _read(run(bundle, home, "extract", str(scan), "--json", extra={ENV: str(program)}))
    seen = set(log.read_text().splitlines())
    assert seen == {"|"}, seen  # no TESSDATA_PREFIX of ours, no LD_LIBRARY_PATH at all (the user had none)
    _read(run(bundle, home, "extract", str(scan), "--json",
              extra={ENV: str(program), "LD_LIBRARY_PATH": "/opt/thư viện"}))
    assert set(log.read_text().splitlines()) == {"|", "|/opt/thư viện"}


@needs_tesseract
def test_a_tesseract_folder_beside_the_frozen_app_is_used_with_its_own_models(bundle: Path, home: Path,
                                                                             scan: Path) -> None:
    """The Windows bundle's layout (build.ps1 fills dist\\vanthu\\tesseract\\ with tesseract.exe and tessdata\\),
    tried on Linux: the frozen app finds tesseract/ beside itself with no tesseract on PATH, and that copy reads
    the models of its own tessdata/ (TESSDATA_PREFIX), not the system's."""
    beside = home / "Sổ Văn Thư"
    models = beside / "tesseract" / "tessdata"
    models.mkdir(parents=True)
    shutil.copy2(bundle / "vanthu", beside / "vanthu")  # the executable; its _internal folder is the bundle's
    (beside / "_internal").symlink_to(bundle / "_internal", target_is_directory=True)
    for name in ("vie.traineddata", "osd.traineddata"):
        shutil.copy2(SYSTEM_TESSDATA / name, models / name)
    shutil.copytree(SYSTEM_TESSDATA / "configs", models / "configs")  # the tsv output pytesseract asks for
    log = home / "môi trường.txt"
    _recording_tesseract(beside / "tesseract" / "tesseract", log)
    empty = home / "bin"
    empty.mkdir()
    _read(run(beside, home, "extract", str(scan), "--json", extra={"PATH": str(empty)}))
    assert set(log.read_text().splitlines()) == {f"{models}|"}


def test_without_tesseract_the_bundle_says_what_to_install(bundle: Path, home: Path, scan: Path) -> None:
    """No tesseract on PATH, none beside the app, VANTHU_TESSERACT unset: a clear message, exit 2, no traceback."""
    empty = home / "bin"
    empty.mkdir()
    done = run(bundle, home, "extract", str(scan), "--json", extra={"PATH": str(empty)})
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stdout == "" and "Traceback" not in done.stderr
    missing = "Không nhận dạng được chữ: máy này chưa có chương trình Tesseract"
    assert done.stderr.strip() == f"Lỗi: {missing}; hãy {INSTALL_HINT}.", done.stderr
    assert "apt install tesseract-ocr tesseract-ocr-vie" in INSTALL_HINT


def test_signatures_are_checked_and_made_by_the_bundle(bundle: Path, home: Path, tmp_path: Path) -> None:
    """pyHanko, its lazily loaded parts, fontTools' tables and the embedded Times face are all in the bundle."""
    from tests import pki
    from tests.signatures import documents as d

    ca = pki.make_ca()
    sender = d.signed(tmp_path, pki.issue(ca, "Lê Thị Bình", d.SENDER), ca, "den.pdf")
    db = str(home / "so.sqlite3")
    ok(run(bundle, home, "--db", db, "init"))
    for key, value in (("agency.name", d.AGENCY), ("agency.abbreviation", "SNV")):
        ok(run(bundle, home, "--db", db, "settings", "set", key, value))
    ok(run(bundle, home, "--db", db, "trust", "add", str(ca.write_pem(tmp_path / "root.pem"))))
    assert "Chữ ký số hợp lệ" in ok(run(bundle, home, "--db", db, "verify", str(sender)))
    tampered = run(bundle, home, "--db", db, "verify", str(d.flip_byte(sender, tmp_path / "sua.pdf")))
    assert tampered.returncode == 4 and "Traceback" not in tampered.stderr
    ok(run(bundle, home, "--db", db, "outgoing", "add", "--type", "Công văn", "--unit", "VP", "--signer", d.SIGNER,
           "--subject", "Về việc thử"))
    p12 = pki.issue(ca, "Văn thư", d.AGENCY).write_p12(tmp_path / "cq.p12", d.PASSWORD, chain=[ca])
    signed = run(bundle, home, "--db", db, "sign", "--id", "1", "--in", str(d.letter(tmp_path / "kt.pdf")), "-o",
                 str(tmp_path / "ky.pdf"), "--attachment", "--pkcs12", str(p12),
                 extra={"VANTHU_P12_PASSWORD": d.PASSWORD})
    assert "Chữ ký số hợp lệ" in ok(signed)
    assert ok(run(bundle, home, "--db", db, "verify", str(tmp_path / "ky.pdf")))
    # an edXML message carrying the signed letter: defusedxml, loaded on first use, is in the bundle too
    from tests.edxml.messages import Message

    message = Message(attachments=[("den.pdf", sender.read_bytes(), "application/pdf")]).write(tmp_path / "m.edxml")
    assert "Đã vào sổ văn bản đến" in ok(run(bundle, home, "--db", db, "edxml", "import", str(message)))
