"""`verify`, `trust`, `incoming add --from-text` and `attach` on signed PDFs, in real subprocesses: exit 0 for a
good signature, 4 for a bad or missing one (and a refusal to register it without --accept-signature), 2 for bad
input."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from app.services import Registry
from tests import pki
from tests.conftest import run_cli
from tests.signatures import documents as d


@pytest.fixture(scope="module")
def ca() -> pki.Issued:
    return pki.make_ca()


@pytest.fixture
def files(tmp_path: Path, ca: pki.Issued) -> dict[str, Path]:
    good = d.signed(tmp_path, pki.issue(ca, "Lê Thị Bình", d.SENDER), ca, "3646.pdf")
    return {"good": good, "bad": d.flip_byte(good, tmp_path / "3646-sua.pdf"), "root": ca.write_pem(tmp_path / "r.pem")}


def test_verify_exit_codes_and_json(db_path: Path, files: dict[str, Path], tmp_path: Path) -> None:
    untrusted = run_cli("verify", str(files["good"]), db=db_path)
    assert untrusted.returncode == 4 and "chưa được tin cậy" in untrusted.stdout
    assert run_cli("trust", "add", str(files["root"]), db=db_path).returncode == 0
    listed = json.loads(run_cli("--json", "trust", "list", db=db_path).stdout)
    assert [r["subject"] for r in listed] == ["Test Root CA"]
    good = run_cli("--json", "verify", str(files["good"]), db=db_path)
    assert good.returncode == 0, good.stderr
    (one,) = json.loads(good.stdout)["signatures"]
    assert (one["signer"], one["organization"], one["intact"], one["trusted"], one["covers_whole"],
            one["modification"]) == ("Lê Thị Bình", d.SENDER, True, True, True, "none")
    assert one["verdict"].startswith("Chữ ký số hợp lệ")
    bad = run_cli("verify", str(files["bad"]), db=db_path)
    assert bad.returncode == 4 and "KHÔNG" in bad.stdout and "đã bị thay đổi sau khi ký" in bad.stdout
    unsigned = run_cli("verify", str(d.letter(tmp_path / "l.pdf")), db=db_path)
    assert unsigned.returncode == 4 and "Không có chữ ký số" in unsigned.stdout
    (tmp_path / "x.pdf").write_text("không phải PDF", encoding="utf-8")
    refused = run_cli("verify", str(tmp_path / "x.pdf"), db=db_path)
    assert refused.returncode == 2 and "x.pdf không phải tệp PDF" in refused.stderr
    fingerprint = listed[0]["fingerprint"][:12]
    assert run_cli("trust", "remove", fingerprint, db=db_path).returncode == 0
    assert run_cli("verify", str(files["good"]), db=db_path).returncode == 4


def test_registering_a_tampered_pdf_needs_a_reason(db_path: Path, files: dict[str, Path]) -> None:
    reg = Registry(str(db_path), actor="van_thu_test")
    reg.settings.set("agency.name", d.AGENCY)
    reg.settings.set("agency.abbreviation", "SNV")
    reg.close()
    assert run_cli("trust", "add", str(files["root"]), db=db_path).returncode == 0
    fields = ("--issuer", "SỞ Y TẾ", "--reference", "12/SYT-VP", "--issued-on", "01/12/2026", "--type", "Công văn",
              "--subject", "Về việc thử chữ ký số")
    refused = run_cli("incoming", "add", "--from-text", str(files["bad"]), *fields, db=db_path)
    assert refused.returncode == 4 and "--accept-signature" in refused.stderr and "3646-sua.pdf" in refused.stderr
    assert json.loads(run_cli("--json", "incoming", "list", db=db_path).stdout) == []  # nothing registered
    done = run_cli("--json", "incoming", "add", "--from-text", str(files["bad"]), *fields, "--accept-signature",
                   "Nơi gửi xác nhận qua điện thoại", db=db_path)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["signature"]["status"] == "invalid"
    assert result["signature"]["confirmed_reason"] == "Nơi gửi xác nhận qua điện thoại"
    good = run_cli("--json", "attach", "--id", str(result["document"]["id"]), str(files["good"]), db=db_path)
    assert good.returncode == 0 and json.loads(good.stdout)["signature"]["status"] == "valid"
    attachment = json.loads(good.stdout)["id"]
    again = run_cli("--json", "verify", "--id", str(attachment), db=db_path)
    assert again.returncode == 0 and json.loads(again.stdout)["status"] == "valid"
    audit = run_cli("audit", "--action", "signature_confirm", db=db_path)
    assert "signature_confirm" in audit.stdout and "Nơi gửi xác nhận qua điện thoại" in audit.stdout


def test_sign_and_copy_from_the_command_line(db_path: Path, tmp_path: Path, ca: pki.Issued) -> None:
    reg = Registry(str(db_path), actor="van_thu_test")
    reg.settings.set("agency.name", d.AGENCY)
    reg.settings.set("agency.abbreviation", "SNV")
    reg.settings.set("agency.seal_image", str(d.seal(tmp_path / "dau.png")))
    reg.close()
    run_cli("trust", "add", str(ca.write_pem(tmp_path / "r.pem")), db=db_path)
    assert run_cli("outgoing", "add", "--type", "Công văn", "--unit", "VP", "--signer", d.SIGNER, "--subject",
                   "Về việc thử", db=db_path).returncode == 0
    p12 = pki.issue(ca, "Văn thư", d.AGENCY).write_p12(tmp_path / "cq.p12", d.PASSWORD, chain=[ca])
    year = str(datetime.now().year)
    base = ("sign", "1", "--year", year, "--in", str(d.letter(tmp_path / "du.pdf")), "--pkcs12", str(p12))
    wrong = run_cli(*base, "-o", str(tmp_path / "x.pdf"), db=db_path, env={"VANTHU_P12_PASSWORD": "sai"})
    assert wrong.returncode == 2 and "sai mật khẩu" in wrong.stderr and not (tmp_path / "x.pdf").exists()
    done = run_cli("--json", *base, "-o", str(tmp_path / "ph.pdf"), db=db_path,
                   env={"VANTHU_P12_PASSWORD": d.PASSWORD})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["check"]["status"] == "valid" and (tmp_path / "ph.pdf").is_file()
    copy = run_cli("copy", "make", "1", "--year", year, "--book", "outgoing", "--form", "trich-sao", "--in",
                   str(tmp_path / "ph.pdf"), "-o", str(tmp_path / "ts.pdf"), "--pkcs12", str(p12), db=db_path,
                   env={"VANTHU_P12_PASSWORD": d.PASSWORD})
    assert copy.returncode == 0, copy.stderr
    assert "/TrS-SNV" in copy.stdout and "Chữ ký số hợp lệ" in copy.stdout
