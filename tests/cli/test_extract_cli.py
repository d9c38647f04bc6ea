"""`extract` and `incoming add --from-text`, run as a user runs them, on the shared real samples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"
CHAIN = SAMPLES / "incoming_forward_chain.txt"
pytestmark = pytest.mark.skipif(not CHAIN.exists(), reason=f"shared samples not found at {SAMPLES}")


def test_extract_prints_the_expected_shape(tmp_path: Path) -> None:
    done = run_cli("extract", str(CHAIN), "--json", db=tmp_path / "unused.sqlite3")
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    expected = json.loads((SAMPLES / "incoming_forward_chain.expected.json").read_text(encoding="utf-8"))
    assert got["received_stamp"] == expected["received_stamp"]
    assert len(got["documents"]) == len(expected["documents"])
    for mine, theirs in zip(got["documents"], expected["documents"], strict=True):
        assert set(theirs) - {"digital_signature"} <= set(mine)
        for key in ("family", "issuer", "issuer_parent", "number", "notation", "reference", "doc_type", "issued_on",
                    "place", "subject", "urgency", "secrecy", "recipients", "signing_authority", "signer_title",
                    "deadline"):
            assert mine[key] == theirs[key], key
        # Every cited document is listed (the issue asks for all of them); the expected file names the first ones.
        assert [c for c in mine["cites"] if c in theirs["cites"]] == theirs["cites"]
    assert not (tmp_path / "unused.sqlite3").exists()  # extract never opens a database

    scanned = tmp_path / "scan.pdf"
    scanned.write_bytes(b"%PDF-1.4\n%%EOF\n")
    bad = run_cli("extract", str(scanned), db=tmp_path / "unused.sqlite3")
    assert bad.returncode == 2 and "Tệp văn bản" in bad.stderr
    missing = run_cli("extract", str(tmp_path / "none.txt"), db=tmp_path / "unused.sqlite3")
    assert missing.returncode == 2 and "Tệp văn bản" in missing.stderr


def test_incoming_add_from_text_registers_and_links(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite3"
    assert run_cli("settings", "set", "agency.name", "PHÒNG NGHIỆP VỤ Y", db=db).returncode == 0
    done = run_cli("incoming", "add", "--from-text", str(CHAIN), "--received-on", "24/10/2023", "--json", db=db)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["document"]["reference"] == "3646/SYT-VP" and result["document"]["number"] == 1
    kinds = {(link["type"], link["reference"]) for link in result["links"]}
    assert ("forwards", "5068/UBND-TH") in kinds
    assert any(ref == "1737-TB/VPTU" for _kind, ref in kinds)
    note = next(link["note"] for link in result["links"] if link["reference"] == "5068/UBND-TH")
    assert "3068/UBND-TH" in note  # the OCR slip of the cover letter is reported
    again = run_cli("incoming", "add", "--from-text", str(CHAIN), "--received-on", "24/10/2023", db=db)
    assert again.returncode == 3  # the same document twice is a duplicate, as when typed by hand
    plain = run_cli("incoming", "add", "--reference", "1/X", db=db)
    assert plain.returncode == 2 and "--issuer" in plain.stderr
