"""The agency signs what it issues: the seal where Phụ lục I puts it, the top-right text, every refusal before a
file is written; the signed file is attached to its entry and checked; copies get their own number."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from app.core.enums import Direction, LinkType
from app.core.errors import ValidationError
from app.core.records import OutgoingInput
from app.services import Registry
from app.services.signature_checks import SignatureNeedsConfirmation
from app.signatures.keys import KeySource
from app.signatures.placement import MM
from app.signatures.verify import verify_file
from tests import pki
from tests.conftest import run_cli
from tests.signatures import documents as d

pytestmark = pytest.mark.both_engines  # the register's part runs on SQLite and on PostgreSQL alike


@pytest.fixture(scope="module")
def ca() -> pki.Issued:
    return pki.make_ca()


@pytest.fixture
def agency_reg(registry: Registry, tmp_path: Path, ca: pki.Issued) -> Registry:
    registry.settings.set("agency.name", d.AGENCY)
    registry.settings.set("agency.abbreviation", "SNV")
    registry.settings.set("agency.seal_image", str(d.seal(tmp_path / "dau.png")))
    registry.trust.add(ca.write_pem(tmp_path / "root.pem"))
    return registry


def _outgoing(reg: Registry, signer: str = d.SIGNER):  # type: ignore[no-untyped-def]
    return reg.documents.register_outgoing(OutgoingInput(doc_type="Công văn", subject="V/v thử ký số", unit="VP",
                                                         signer=signer, signer_title="GIÁM ĐỐC"))


def _p12(tmp_path: Path, ca: pki.Issued, o: str = d.AGENCY, **options) -> KeySource:  # type: ignore[no-untyped-def]
    agency = pki.issue(ca, "Văn thư Sở Nội vụ", o, **options)
    path = tmp_path / f"coquan-{agency.fingerprint[:8]}.p12"
    return KeySource(pkcs12=agency.write_p12(path, d.PASSWORD, chain=[ca]), password=d.PASSWORD)


def _red_box(pdf_path: Path, page_index: int, scale: float = 2.0) -> tuple[float, float, float, float]:
    """The bounding box of the red pixels of a rendered page (form appearances drawn), in PDF points."""
    pdf = pdfium.PdfDocument(str(pdf_path))
    pdf.init_forms()
    page = pdf[page_index]
    height = page.get_size()[1]
    image = page.render(scale=scale, may_draw_forms=True).to_pil().convert("RGB")
    red = [(x, y) for y in range(0, image.height, 2) for x in range(0, image.width, 2)
           if (p := image.getpixel((x, y)))[0] > 180 and p[1] < 90 and p[2] < 90]
    assert red, "no red pixel on the page"
    xs, ys = [x / scale for x, _ in red], [height - y / scale for _, y in red]
    return min(xs), min(ys), max(xs), max(ys)


def test_the_seal_covers_the_left_third_of_the_signature_at_real_size(agency_reg: Registry, tmp_path: Path,
                                                                      ca: pki.Issued) -> None:
    doc = _outgoing(agency_reg)
    draft = d.letter(tmp_path / "du-thao.pdf", pages=2)
    issued = agency_reg.signatures.sign(doc.id, draft, tmp_path / "phat-hanh.pdf", _p12(tmp_path, ca))
    assert issued.check.status == "valid" and issued.attachment.file_name == "phat-hanh.pdf"
    assert verify_file(issued.output, [ca.der]).ok  # pyHanko, the test root: valid
    x0, y0, x1, y1 = _red_box(issued.output, 1)  # the last page
    ring = 36 * MM * 380 / 400  # the 36 mm image's ring spans 380 of its 400 px
    assert abs((x1 - x0) - ring) < 1.5 * MM and abs((y1 - y0) - ring) < 1.5 * MM  # real size
    name_x, name_y = d.NAME_AT
    name_width = 80  # "Nguyễn Văn An" in 13 pt is about 80 pt; the signature is at least 40 mm wide, centred on it
    signature_left = name_x + name_width / 2 - max(name_width, 40 * MM) / 2
    signature_third = max(name_width, 40 * MM) / 3
    assert abs(x1 - (signature_left + signature_third)) < 4 * MM  # its right edge: a third into the signature
    assert x0 < signature_left  # the rest of the seal to the left of the signature
    assert y0 > name_y - 6 * MM and y0 < name_y + 30 * MM  # beside the signature, just above the name
    listed = agency_reg.attachments.list(doc.id)
    assert [a.file_name for a in listed] == ["phat-hanh.pdf"]
    assert "sign" in [e.action for e in agency_reg.audit.events(limit=5)]


def test_an_attachment_gets_the_top_right_text_in_times_10(agency_reg: Registry, tmp_path: Path,
                                                           ca: pki.Issued) -> None:
    doc = _outgoing(agency_reg)
    issued = agency_reg.signatures.sign(doc.id, d.letter(tmp_path / "kem-theo.pdf"), tmp_path / "kt.pdf",
                                        _p12(tmp_path, ca), attachment=True)
    assert issued.check.status == "valid"
    data = issued.output.read_bytes()
    assert b"/F1 10 Tf" in data  # Times 10 (Liberation Serif where Times New Roman is not installed)
    when = issued.check.signed_at
    assert when and when.endswith("+07:00")
    pdf = pdfium.PdfDocument(str(issued.output))
    pdf.init_forms()
    page = pdf[0]
    width, height = page.get_size()
    image = page.render(scale=2, may_draw_forms=True).to_pil().convert("L")
    dark = [(x, y) for y in range(0, 90) for x in range(0, image.width) if image.getpixel((x, y)) < 100]
    assert dark and min(x for x, _ in dark) / 2 > width / 2  # the text is in the top right corner
    assert b"/Subtype /Image" not in data and b"/Subtype/Image" not in data  # no seal image on an attachment


def test_refusals_write_nothing(agency_reg: Registry, tmp_path: Path, ca: pki.Issued) -> None:
    doc = _outgoing(agency_reg)
    draft = d.letter(tmp_path / "du-thao.pdf")
    out = tmp_path / "ra.pdf"
    now = datetime.now(UTC)
    wrong = _p12(tmp_path, ca)
    cases = [(KeySource(pkcs12=wrong.pkcs12, password="sai"), "sai mật khẩu"),
             (_p12(tmp_path, ca, not_before=now - timedelta(days=900), not_after=now - timedelta(days=1)), "hết hạn"),
             (_p12(tmp_path, ca, not_before=now + timedelta(days=2)), "chưa có hiệu lực"),
             (_p12(tmp_path, ca, o="UBND tỉnh Tây Ninh"), "không phải cho cơ quan")]
    for key, says in cases:
        with pytest.raises(ValidationError) as refused:
            agency_reg.signatures.sign(doc.id, draft, out, key)
        assert says in str(refused.value)
        assert not out.exists() and not list(tmp_path.glob(".*dang-ky*"))
    other = _outgoing(agency_reg, signer="Phạm Thị Dung")  # not the name on the draft's last page
    with pytest.raises(ValidationError, match="không tìm thấy họ tên người ký"):
        agency_reg.signatures.sign(other.id, draft, out, _p12(tmp_path, ca))
    assert agency_reg.attachments.list(doc.id) == [] and not out.exists()


def test_an_electronic_copy_is_numbered_linked_signed_and_attached(agency_reg: Registry, tmp_path: Path,
                                                                   ca: pki.Issued) -> None:
    sender = pki.issue(ca, "Lê Thị Bình", d.SENDER)
    incoming_pdf = d.signed(tmp_path, sender, ca, "den.pdf")
    from tests.services.test_bad_input import incoming

    original = agency_reg.documents.register_incoming(incoming("1737-TB/VPTU"))
    copy = agency_reg.signatures.make_copy(original.id, "sao-y", incoming_pdf, tmp_path / "sao.pdf",
                                           _p12(tmp_path, ca))
    assert copy.document.direction is Direction.COPY and copy.document.reference.endswith("/SY-SNV")
    assert copy.document.subject.startswith("Sao y ")
    assert copy.check.status == "valid" and len(copy.check.signatures) == 2  # the sender's and ours
    links = agency_reg.documents.get(copy.document.id).links
    assert [(link.link_type, link.target_id) for link in links] == [(LinkType.FORWARDS, original.id)]
    assert b"Sao y" in copy.output.read_bytes() or verify_file(copy.output, [ca.der]).ok


def test_a_failed_incoming_signature_needs_a_reason_and_is_audited(agency_reg: Registry, tmp_path: Path,
                                                                   ca: pki.Issued) -> None:
    from tests.services.test_bad_input import incoming

    doc = agency_reg.documents.register_incoming(incoming("12/SYT-VP"))
    bad = d.flip_byte(d.signed(tmp_path, pki.issue(ca, "Lê Thị Bình", d.SENDER), ca), tmp_path / "bad.pdf")
    with pytest.raises(SignatureNeedsConfirmation) as refused:
        agency_reg.attachments.attach(doc.id, bad)
    assert "bad.pdf" in str(refused.value) and agency_reg.attachments.list(doc.id) == []
    record = agency_reg.attachments.attach(doc.id, bad, signature_reason="Nơi gửi xác nhận qua điện thoại")
    check = agency_reg.signatures.latest([record.id])[record.id]
    assert check.status == "invalid" and check.confirmed_reason == "Nơi gửi xác nhận qua điện thoại"
    assert agency_reg.signatures.states([doc.id]) == {doc.id: "invalid"}
    actions = [e.action for e in agency_reg.audit.events(limit=10)]
    assert "signature_confirm" in actions and "signature_check" in actions
    # The trust store changes; a re-check is a new entry of the history, the first one kept as written.
    agency_reg.trust.remove(ca.fingerprint[:12])
    again = agency_reg.signatures.recheck(record.id)
    assert [c.id for c in agency_reg.signatures.history(record.id)] == [check.id, again.id]


@pytest.mark.sqlite_only  # opens the file with sqlite3
def test_signature_checks_and_trust_rows_cannot_be_deleted(agency_reg: Registry, tmp_path: Path,
                                                           ca: pki.Issued, db_path: Path) -> None:
    import sqlite3

    from tests.services.test_bad_input import incoming

    doc = agency_reg.documents.register_incoming(incoming("13/SYT-VP"))
    agency_reg.attachments.attach(doc.id, d.signed(tmp_path, pki.issue(ca, "B", d.SENDER), ca, "ok.pdf"))
    with sqlite3.connect(db_path) as raw:
        for statement in ("DELETE FROM signature_checks", "UPDATE signature_checks SET status = 'valid'",
                          "DELETE FROM trusted_certificates"):
            with pytest.raises(sqlite3.DatabaseError):
                raw.execute(statement)


def test_trust_add_accepts_p7b_and_refuses_what_is_not_a_certificate(registry: Registry, tmp_path: Path,
                                                                     ca: pki.Issued) -> None:
    other = pki.make_ca("Second Root")
    added = registry.trust.add(ca.write_p7b(tmp_path / "bundle.p7b", extra=[other]))
    assert {r.fingerprint for r in added} == {ca.fingerprint, other.fingerprint}
    with pytest.raises(ValidationError, match="đã có trong danh sách"):
        registry.trust.add(ca.write_der(tmp_path / "root.cer"))
    (tmp_path / "x.crt").write_text("không phải chứng thư", encoding="utf-8")
    with pytest.raises(ValidationError, match="x.crt"):
        registry.trust.add(tmp_path / "x.crt")
    assert len(registry.trust.list()) == 2


def test_a_usb_token_signs_through_pkcs11(tmp_path: Path, db_path: Path, ca: pki.Issued) -> None:
    """SoftHSM2 stands in for the USB token; the CLI runs in its own process (python-pkcs11 loads one config)."""
    agency = pki.issue(ca, "Văn thư Sở Nội vụ", d.AGENCY, key=pki.rsa_key(3))
    token = pki.softhsm_token(tmp_path / "hsm", agency)
    reg = Registry(str(db_path), actor="van_thu_test")
    reg.settings.set("agency.name", d.AGENCY)
    reg.settings.set("agency.abbreviation", "SNV")
    reg.settings.set("agency.seal_image", str(d.seal(tmp_path / "dau.png")))
    reg.trust.add(ca.write_pem(tmp_path / "root.pem"))
    _outgoing(reg)
    reg.close()
    draft = d.letter(tmp_path / "du-thao.pdf")
    args = ("sign", "1", "--year", str(datetime.now().year), "--in", str(draft), "--pkcs11-lib", token.lib,
            "--token-label", token.label, "--key-label", token.key_label)
    wrong = run_cli(*args, "-o", str(tmp_path / "sai.pdf"), db=db_path, env={**token.env, "VANTHU_PIN": "000000"})
    assert wrong.returncode == 2 and "sai mã PIN" in wrong.stderr and not (tmp_path / "sai.pdf").exists()
    done = run_cli(*args, "-o", str(tmp_path / "ky.pdf"), db=db_path, env={**token.env, "VANTHU_PIN": token.pin})
    assert done.returncode == 0, done.stderr
    assert "Chữ ký số hợp lệ" in done.stdout
    report = verify_file(tmp_path / "ky.pdf", [ca.der])
    assert report.ok and report.signatures[0].signer == "Văn thư Sở Nội vụ"
    assert os.path.getsize(tmp_path / "ky.pdf") > draft.stat().st_size
