"""`incoming add --unnumbered`: a giấy mời without số, ký hiệu from the command line, shown and printed as such."""

from __future__ import annotations

import json
from pathlib import Path

from pypdf import PdfReader

from tests.conftest import run_cli


def test_unnumbered_giay_moi_added_listed_and_printed(db_path: Path, tmp_path: Path) -> None:
    assert run_cli("settings", "set", "agency.name", "UBND HUYỆN HÒA THÀNH", db=db_path).returncode == 0
    common = ("--issuer", "Hội Nông dân huyện", "--issued-on", "01/06/2025", "--type", "Giấy mời",
              "--received-on", "02/06/2025")
    added = run_cli("incoming", "add", "--unnumbered", *common, "--subject", "Mời dự họp giao ban", db=db_path)
    assert added.returncode == 0, added.stderr
    assert "Số đến 1 ngày 02/06/2025 — Không số ngày 01/06/2025 của Hội Nông dân huyện" in added.stdout
    other = run_cli("incoming", "add", "--unnumbered", *common, "--subject", "Mời dự hội nghị", db=db_path)
    assert other.returncode == 0, other.stderr  # same issuer and day, also without số: not a duplicate
    again = run_cli("incoming", "add", "--unnumbered", *common, "--subject", "Mời dự họp giao ban", db=db_path)
    assert again.returncode != 0 and "Văn bản không số cùng trích yếu" in again.stderr + again.stdout

    both = run_cli("incoming", "add", "--unnumbered", "--reference", "12/GM", *common, "--subject", "x", db=db_path)
    assert both.returncode != 0
    assert "--reference và --unnumbered không dùng cùng nhau" in both.stderr
    missing = run_cli("incoming", "add", *common, "--subject", "x", db=db_path)
    assert missing.returncode != 0 and "--reference (hoặc --unnumbered)" in missing.stderr

    shown = run_cli("--json", "incoming", "show", "--id", "1", db=db_path)
    assert json.loads(shown.stdout)["reference"] is None
    assert "Số, ký hiệu: Không số" in " ".join(run_cli("incoming", "show", "--id", "1", db=db_path).stdout.split())
    listing = run_cli("incoming", "list", "--year", "2025", db=db_path).stdout
    assert listing.count("Không số") == 2

    slip = tmp_path / "phieu.pdf"
    printed = run_cli("print", "slip", "--id", "1", "-o", str(slip), db=db_path)
    assert printed.returncode == 0, printed.stderr
    text = " ".join(PdfReader(str(slip)).pages[0].extract_text().split())
    assert "Số và ký hiệu: Không số" in text and "số Không số" not in text.replace("Số và ký hiệu: Không số", "")

    help_text = run_cli("incoming", "add", "-h", db=db_path).stdout
    assert "--unnumbered" in help_text and "văn bản không số (giấy mời, thư…)" in " ".join(help_text.split())
