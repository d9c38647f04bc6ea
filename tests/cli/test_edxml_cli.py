"""`edxml import/show/export/status` as a clerk runs them: exit 0 done, 2 a bad file, 3 a duplicate, 4 a signature
not good; every message in Vietnamese."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests import pki
from tests.conftest import run_cli
from tests.edxml.messages import Message
from tests.signatures import documents as d


@pytest.fixture
def files(tmp_path: Path, ca: pki.Issued) -> dict[str, Path]:
    signed = d.signed(tmp_path, pki.issue(ca, "Lê Thị Bình", d.SENDER, "Văn phòng"), ca, "3646.pdf")
    message = Message(attachments=[("3646-SYT-VP.pdf", signed.read_bytes(), "application/pdf")])
    hostile = message.xml().replace(b"<edXML ", b'<!DOCTYPE edXML [<!ENTITY x SYSTEM "file:///etc/passwd">]><edXML ')
    (tmp_path / "hostile.edxml").write_bytes(hostile)
    return {"message": message.write(tmp_path / "3646.edxml"), "hostile": tmp_path / "hostile.edxml",
            "root": ca.write_pem(tmp_path / "root.pem")}


def _setup(db: Path) -> None:
    for key, value in (("agency.name", d.AGENCY), ("agency.abbreviation", "SNV"), ("agency.organ_id", "000.00.31.H53")):
        assert run_cli("settings", "set", key, value, db=db).returncode == 0


def test_import_refuses_an_untrusted_signature_then_takes_it_with_a_reason_and_refuses_it_twice(
        db_path: Path, files: dict[str, Path]) -> None:
    _setup(db_path)
    shown = run_cli("edxml", "show", str(files["message"]), db=db_path)
    assert shown.returncode == 0 and "Nơi gửi: Sở Y tế tỉnh Tây Ninh (000.00.12.H53)" in shown.stdout
    refused = run_cli("edxml", "import", str(files["message"]), db=db_path)
    assert refused.returncode == 4 and "chưa được tin cậy" in refused.stderr and "--accept-signature" in refused.stderr
    taken = run_cli("edxml", "import", str(files["message"]), "--received-on", "02/12/2026", "--accept-signature",
                    "Đã gọi điện xác nhận với Sở Y tế", db=db_path)
    assert taken.returncode == 0, taken.stderr
    assert "Đã vào sổ văn bản đến: Số đến 1 ngày 02/12/2026 — 3646/SYT-VP ngày 01/12/2026" in taken.stdout
    assert "Đã xác nhận vẫn nhận, lý do: Đã gọi điện xác nhận với Sở Y tế" in taken.stdout
    again = run_cli("edxml", "import", str(files["message"]), "--accept-signature", "x", db=db_path)
    assert again.returncode == 3 and "đã vào sổ: số đến 1/2026" in again.stderr


def test_import_json_then_status_and_a_hostile_file(db_path: Path, files: dict[str, Path]) -> None:
    _setup(db_path)
    assert run_cli("trust", "add", str(files["root"]), db=db_path).returncode == 0
    done = run_cli("edxml", "import", str(files["message"]), "--json", db=db_path)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["document"]["reference"] == "3646/SYT-VP" and data["document"]["signer"] == "Trần Thị Hồng Nhung"
    assert data["edxml"]["document_id"] == "000.00.12.H53,2026/12/01,3646/SYT-VP"
    assert [s["status"] for s in data["signatures"].values()] == ["valid"]
    status = run_cli("edxml", "status", "1", "--code", "03", "-o", str(db_path.parent / "st.xml"), db=db_path)
    assert status.returncode == 0 and "Đã ghi thông điệp trạng thái 03" in status.stdout
    assert b"<edXML:StatusCode>03</edXML:StatusCode>" in (db_path.parent / "st.xml").read_bytes()
    unknown = run_cli("edxml", "status", "1", "--code", "da xong", "-o", str(db_path.parent / "x.xml"), db=db_path)
    assert unknown.returncode == 2 and "không phải mã trạng thái của QCVN 102:2016" in unknown.stderr
    hostile = run_cli("edxml", "import", str(files["hostile"]), db=db_path)
    assert hostile.returncode == 2 and "DOCTYPE" in hostile.stderr and "root:" not in hostile.stderr + hostile.stdout


def test_export_writes_an_outgoing_entry_that_imports_back(db_path: Path, tmp_path: Path,
                                                           files: dict[str, Path]) -> None:
    _setup(db_path)
    added = run_cli("outgoing", "add", "--type", "Công văn", "--unit", "VP", "--subject", "Báo cáo công tác cán bộ",
                    "--signer", "Nguyễn Văn An", "--recipients", "Sở Y tế tỉnh Tây Ninh;Lưu: VT", db=db_path)
    assert added.returncode == 0, added.stderr
    out = tmp_path / "di.edxml"
    nothing = run_cli("edxml", "export", "1", "-o", str(out), db=db_path)
    assert nothing.returncode == 2 and "chưa có tệp đính kèm" in nothing.stderr and not out.exists()
    letter = d.letter(tmp_path / "Báo cáo.pdf")
    written = run_cli("edxml", "export", "1", "--attach", str(letter), "-o", str(out), db=db_path)
    assert written.returncode == 0, written.stderr
    assert f"Đã ghi thông điệp edXML của văn bản 01/SNV-VP: {out}" in written.stdout
    other = tmp_path / "other.db"
    back = run_cli("edxml", "import", str(out), "--accept-signature", "Bản thử chưa ký", "--json", db=other)
    assert back.returncode == 0, back.stderr
    doc = json.loads(back.stdout)["document"]
    assert (doc["reference"], doc["subject"], doc["issuer"], doc["recipients"]) == (
        "01/SNV-VP", "Báo cáo công tác cán bộ", d.AGENCY, ["Sở Y tế tỉnh Tây Ninh", "Lưu: VT"])
    incoming = run_cli("edxml", "export", "1", "--book", "outgoing", "-o", str(tmp_path / "x.edxml"), db=other)
    assert incoming.returncode == 2  # the other register has no outgoing document 1
