"""Checking signatures offline: intact, trusted, changed after signing, each reason said in Vietnamese."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.core.errors import ValidationError
from app.signatures.verify import verify_file
from tests import pki
from tests.signatures import documents as d


def test_a_good_signature_is_intact_trusted_and_says_who_and_when(tmp_path: Path, ca, sender) -> None:
    report = verify_file(d.signed(tmp_path, sender, ca), [ca.der])
    assert report.status == "valid" and report.ok and not report.needs_confirmation
    (one,) = report.signatures
    assert (one.signer, one.organization, one.issuer) == ("Lê Thị Bình", f"{d.SENDER} — Văn phòng", "Test Root CA")
    assert one.intact and one.trusted and one.covers_whole and one.modification == "none"
    assert one.signed_at.endswith("+07:00") and one.valid_to.endswith("+07:00")
    assert report.verdict.startswith("Chữ ký số hợp lệ — Lê Thị Bình, Sở Y tế tỉnh Tây Ninh")
    data = report.to_dict()["signatures"][0]
    assert {"signer", "organization", "issuer", "signed_at", "intact", "trusted", "covers_whole", "modification",
            "verdict"} <= set(data)


def test_one_changed_byte_breaks_it(tmp_path: Path, ca, sender) -> None:
    bad = d.flip_byte(d.signed(tmp_path, sender, ca), tmp_path / "bad.pdf")
    report = verify_file(bad, [ca.der])
    assert report.status == "invalid" and report.needs_confirmation
    assert not report.signatures[0].intact and "đã bị thay đổi sau khi ký" in report.verdict


def test_a_root_not_in_the_trust_store_is_untrusted(tmp_path: Path, ca, sender) -> None:
    report = verify_file(d.signed(tmp_path, sender, ca), [pki.make_ca("Other Root").der])
    assert report.status == "untrusted" and report.signatures[0].intact and not report.signatures[0].trusted
    assert "danh sách tin cậy" in report.verdict
    assert verify_file(d.signed(tmp_path, sender, ca, "b.pdf"), []).status == "untrusted"  # never the system's roots


def test_a_page_added_after_signing_is_refused_a_second_signature_is_not(tmp_path: Path, ca, sender) -> None:
    signed = d.signed(tmp_path, sender, ca)
    added = verify_file(d.add_page(signed, tmp_path / "added.pdf"), [ca.der])
    assert added.status == "invalid" and added.signatures[0].modification == "other"
    assert added.signatures[0].intact  # the signed bytes are unchanged: what came after is the problem
    two = verify_file(d.signed(tmp_path, sender, ca, "two.pdf", draft=signed), [ca.der])
    assert two.status == "valid" and len(two.signatures) == 2
    first, second = two.signatures
    assert (first.modification, first.covers_whole) == ("form_filling", False)
    assert (second.modification, second.covers_whole) == ("none", True)


@pytest.mark.parametrize(("kind", "says"), [
    ("expired", "đã hết hạn"), ("not_yet", "chưa có hiệu lực"), ("no_nr", "non-repudiation"), ("revoked", "thu hồi")])
def test_certificates_that_cannot_be_trusted(tmp_path: Path, ca, kind: str, says: str) -> None:
    now = datetime.now(UTC)
    options = {"expired": {"not_before": now - timedelta(days=800), "not_after": now - timedelta(days=3)},
               "not_yet": {"not_before": now + timedelta(days=3)}, "no_nr": {"non_repudiation": False},
               "revoked": {"crl_url": "http://crl.example/ca.crl"}}[kind]
    who = pki.issue(ca, "Trần Văn Chí", d.SENDER, **options)
    crls = [pki.make_crl(ca, [who])] if kind == "revoked" else []
    report = verify_file(d.raw_sign(d.letter(tmp_path / "l.pdf"), tmp_path / "s.pdf", who, ca), [ca.der], crls)
    assert report.status == "untrusted" and report.signatures[0].intact and not report.signatures[0].trusted
    assert says in report.verdict, report.verdict


def test_bad_inputs_name_the_file(tmp_path: Path) -> None:
    (tmp_path / "empty.pdf").write_bytes(b"")
    (tmp_path / "text.pdf").write_text("không phải PDF", encoding="utf-8")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 8)
    for name, says in (("empty.pdf", "rỗng"), ("text.pdf", "không phải tệp PDF"), ("broken.pdf", "bị hỏng"),
                       ("missing.pdf", "không tìm thấy")):
        with pytest.raises(ValidationError) as refused:
            verify_file(tmp_path / name)
        assert says in str(refused.value) and name in str(refused.value)
    lenient = verify_file(tmp_path / "broken.pdf", strict=False)  # a damaged scan being attached: unsigned
    assert lenient.status == "none" and not lenient.needs_confirmation


def test_an_unsigned_pdf_has_no_signature(tmp_path: Path) -> None:
    report = verify_file(d.letter(tmp_path / "l.pdf"))
    assert report.status == "none" and report.verdict == "Không có chữ ký số trong tệp." and not report.ok
