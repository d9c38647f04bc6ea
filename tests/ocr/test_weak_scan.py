"""A scan whose number and date line is smudged: Tesseract still reads it, unsure. `extract` flags those fields
with the line's confidence; `incoming add --from-text` registers nothing until the clerk types them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from app.cli.commands import run
from app.extraction.confidence import WEAK_LINE
from tests.conftest import run_cli
from tests.ocr.scans import weak_scan


@pytest.fixture(scope="module")
def scan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return weak_scan(tmp_path_factory.mktemp("weak"))


def test_the_weak_line_is_flagged_and_the_strong_ones_are_not(scan: Path) -> None:
    done = run_cli("extract", str(scan), "--sources", db=scan.with_name("unused.sqlite3"))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["ocr"] is True and result["ocr_confidence"] > WEAK_LINE  # a good page, but for one line
    assert len(result["page_confidence"]) == 1 and result["page_confidence"][0] > WEAK_LINE
    [doc] = result["documents"]
    weak = doc["uncertain_fields"]
    assert {"reference", "issued_on"} <= set(weak) <= {"reference", "number", "notation", "issued_on", "place"}
    assert all(0 < confidence < WEAK_LINE for confidence in weak.values())
    assert doc["sources"]["reference"] == doc["sources"]["issued_on"]  # one line, read as "Sä: 3646/SYT-VP …"
    # the rest of the letter is read as from a good scan, and not flagged
    assert (doc["issuer"], doc["subject"], doc["urgency"], doc["signer"]) == (
        "SỞ Y TẾ", "triển khai tiêm chủng mở rộng", "khan", "Nguyễn Văn An")
    # the text output (stderr, beside the JSON) tells the clerk what to check, in Vietnamese
    line = re.escape("Văn bản 1: Số, ký hiệu «") + ".*" + re.escape("» (đọc kém, độ tin cậy ") + r"\d\d%: cần xem lại\)"
    assert re.search(line, done.stderr), done.stderr
    assert "Ngày văn bản «" in done.stderr


def test_incoming_add_registers_no_field_read_from_a_weak_line(scan: Path, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(tmp_path / "so.sqlite3")]
    assert run([*db, "incoming", "add", "--from-text", str(scan), "--received-on", "26/10/2023"]) == 2
    message = capsys.readouterr().err
    assert f"bản quét «{scan.name}» có trường đọc không chắc: " in message
    assert "Số, ký hiệu «" in message and "Ngày văn bản «" in message and "Chưa vào sổ" in message
    assert "--reference, --issued-on" in message  # the options that give them
    assert "Địa danh" not in message  # read from that line too, but not a field of the register
    assert run([*db, "--json", "incoming", "list", "--year", "2023"]) == 0
    assert json.loads(capsys.readouterr().out) == []  # nothing written

    assert run([*db, "--json", "incoming", "add", "--from-text", str(scan), "--received-on", "26/10/2023",
                "--reference", "3646/SYT-VP", "--issued-on", "24/10/2023"]) == 0
    result = json.loads(capsys.readouterr().out)
    document = result["document"]
    assert (document["reference"], document["issued_on"], document["issuer"], document["number"]) == (
        "3646/SYT-VP", "2023-10-24", "Sở Y tế tỉnh Tây Ninh", 1)
    assert result["uncertain_links"] == []  # the citation's line is a strong one
    assert [link["reference"] for link in result["links"]] == ["5068/UBND-TH"]
