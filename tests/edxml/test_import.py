"""An edXML message registers in one step: every field, the sender matched by OrganId, the files attached with
their signature checks, the reply linked; a duplicate is refused; nothing is written when anything is refused."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest

from app.core.enums import Authority, Direction, LinkType, Urgency
from app.core.errors import DuplicateError
from app.core.records import DocumentQuery, OutgoingInput
from app.services import Registry
from app.services.signature_checks import SignatureNeedsConfirmation
from tests import pki
from tests.edxml.messages import PARTY_SENDER, Message, party_message
from tests.signatures import documents as d

pytestmark = pytest.mark.both_engines  # the register's part runs on SQLite and on PostgreSQL alike


@pytest.fixture
def reg(registry: Registry, tmp_path: Path, ca: pki.Issued) -> Registry:
    registry.settings.set("agency.name", d.AGENCY)
    registry.settings.set("agency.abbreviation", "SNV")
    registry.settings.set("agency.organ_id", "000.00.31.H53")
    registry.trust.add(ca.write_pem(tmp_path / "root.pem"))
    return registry


@pytest.fixture
def signed_pdf(tmp_path: Path, ca: pki.Issued, sender: pki.Issued) -> bytes:
    return d.signed(tmp_path, sender, ca, "3646.pdf").read_bytes()


def _message(tmp_path: Path, signed_pdf: bytes, name: str = "in.edxml", **fields) -> Path:  # type: ignore[no-untyped-def]
    appendix = d.letter(tmp_path / f"pl-{name}.pdf").read_bytes()
    m = Message(attachments=[("3646-SYT-VP.pdf", signed_pdf, "application/pdf"),
                             ("Phụ lục danh sách đơn vị.pdf", appendix, "application/pdf")], **fields)
    return m.write(tmp_path / name)


def test_a_signed_message_registers_with_every_field_its_files_checked(reg: Registry, tmp_path: Path,
                                                                       signed_pdf: bytes) -> None:
    path = _message(tmp_path, signed_pdf)
    result = reg.edxml.import_file(path, received_on=date(2026, 12, 2))
    doc = result.document
    assert (doc.direction, doc.number, doc.received_on) == (Direction.INCOMING, 1, date(2026, 12, 2))
    assert (doc.issuer, doc.reference, doc.issued_on, doc.doc_type) == (
        "Sở Y tế tỉnh Tây Ninh", "3646/SYT-VP", date(2026, 12, 1), "Công văn")
    assert doc.subject == "tăng cường phòng, chống dịch sốt xuất huyết mùa mưa năm 2026"  # "V/v" off
    assert (doc.urgency, doc.pages, doc.copies, doc.due_on) == (Urgency.KHAN, 2, 15, date(2026, 12, 15))
    assert (doc.signer, doc.signer_title, doc.authority) == ("Trần Thị Hồng Nhung", "PHÓ GIÁM ĐỐC", Authority.KT)
    assert doc.recipients == ("Như trên", "UBND tỉnh (b/c)", "Lưu: VT, NVY")
    # both files attached, byte for byte, the signed one checked valid, the appendix unsigned
    names = [a.file_name for a in result.attachments]
    assert names == ["3646-SYT-VP.pdf", "Phụ lục danh sách đơn vị.pdf"]
    assert result.attachments[0].sha256 == hashlib.sha256(signed_pdf).hexdigest()
    assert reg.attachments.path(result.attachments[0].id).read_bytes() == signed_pdf
    states = {reg.attachments.list(doc.id)[i].file_name: result.checks[a.id].status
              for i, a in enumerate(result.attachments)}
    assert states == {"3646-SYT-VP.pdf": "valid", "Phụ lục danh sách đơn vị.pdf": "none"}
    # the message is kept with the entry: its DocumentId, the trace, every field of the header
    kept = reg.edxml.messages(doc.id)
    assert [m["kind"] for m in kept] == ["received"]
    header = kept[0]["header"]
    assert kept[0]["document_id"] == "000.00.12.H53,2026/12/01,3646/SYT-VP"
    assert header["traces"] == [{"organ_id": "000.00.12.H53", "timestamp": "2026/12/01 15:30:12"}]
    assert (header["place"], header["sphere"], header["typer_notation"], header["steering_type"]) == (
        "Tây Ninh", "Liên thông văn bản quốc gia", "NVY", "0")
    assert header["sender"]["in_charge"] == "Ủy ban nhân dân tỉnh Tây Ninh"
    # the original message file is kept under its hash beside the attachments
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert (reg.attachments.folder / "edxml" / digest[:2] / f"{digest}.edxml").read_bytes() == path.read_bytes()
    # the sender's OrganId is learned by the directory; Content is searchable (marks and đ folded)
    assert reg.directory.organizations("Sở Y tế")[0].organ_id == "000.00.12.H53"
    assert [r.id for r in reg.documents.search(DocumentQuery(text="phoi hop trien khai"))] == [doc.id]
    events = [e for e in reg.audit.events() if e.action == "edxml_import"]
    assert len(events) == 1 and events[0].after["document_id"] == "000.00.12.H53,2026/12/01,3646/SYT-VP"


def test_the_same_message_twice_is_a_duplicate_and_so_is_the_same_document_under_another_id(
        reg: Registry, tmp_path: Path, signed_pdf: bytes) -> None:
    first = reg.edxml.import_file(_message(tmp_path, signed_pdf)).document
    with pytest.raises(DuplicateError, match=r"đã vào sổ: số đến 1/2026"):
        reg.edxml.import_file(_message(tmp_path, signed_pdf, "again.edxml"))
    other_id = _message(tmp_path, signed_pdf, "resent.edxml", document_id="000.00.12.H53,2026/12/01,khac")
    with pytest.raises(DuplicateError):  # same số/ký hiệu, issuer and date (Phụ lục VI check)
        reg.edxml.import_file(other_id)
    assert [doc.id for doc in reg.documents.list(Direction.INCOMING)] == [first.id]
    again = reg.edxml.import_file(other_id, allow_duplicate=True).document
    assert again.number == 2


def test_the_sender_is_matched_by_organ_id_before_its_name(reg: Registry, tmp_path: Path, signed_pdf: bytes) -> None:
    first = reg.edxml.import_file(_message(tmp_path, signed_pdf)).document
    renamed = dict(Message().sender, OrganName="SỞ Y TẾ TÂY NINH")  # the same OrganId, written otherwise
    second = reg.edxml.import_file(_message(tmp_path, signed_pdf, "b.edxml", sender=renamed, number="3650",
                                            document_id="000.00.12.H53,2026/12/01,3650/SYT-VP")).document
    assert second.issuer_id == first.issuer_id and second.issuer == "Sở Y tế tỉnh Tây Ninh"


def test_a_party_message_keeps_its_own_reference_form_and_authority(reg: Registry, tmp_path: Path,
                                                                     signed_pdf: bytes) -> None:
    m = party_message()
    m.attachments = [("1737-TB-VPTU.pdf", signed_pdf, "application/pdf")]
    doc = reg.edxml.import_file(m.write(tmp_path / "tu.edxml"), signature_reason="Bản ký của Văn phòng Tỉnh ủy, "
                                "đã đối chiếu").document
    assert (doc.reference, doc.doc_type, doc.issuer) == ("1737-TB/VPTU", "Thông báo", PARTY_SENDER["OrganName"])
    assert (doc.urgency, doc.authority, doc.due_on) == (Urgency.HOA_TOC, Authority.PARTY_TL, None)


def test_a_reply_links_to_our_outgoing_document_or_waits_for_it(reg: Registry, tmp_path: Path,
                                                                signed_pdf: bytes) -> None:
    ours = reg.documents.register_outgoing(OutgoingInput(
        doc_type="Công văn", unit="VP", subject="Đề nghị báo cáo tình hình dịch bệnh", signer="Nguyễn Văn An",
        recipients=["Sở Y tế tỉnh Tây Ninh"], signed_on=date(2026, 11, 20)))
    answer = _message(tmp_path, signed_pdf, "reply.edxml", response_for=[
        {"OrganId": "000.00.31.H53", "Code": ours.reference, "PromulgationDate": "2026/11/20",
         "DocumentId": f"000.00.31.H53,2026/11/20,{ours.reference}"},
        {"OrganId": "000.00.31.H53", "Code": "99/SNV-VP", "PromulgationDate": "2026/10/01", "DocumentId": ""}])
    result = reg.edxml.import_file(answer)
    replies = [link for link in result.document.links if link.link_type is LinkType.REPLIES_TO]
    assert [(r.target_id, r.resolved) for r in replies] == [(ours.id, True), (None, False)]
    assert ours.reference in replies[0].other_label and replies[1].target_reference == "99/SNV-VP"
    assert [p.target_id for p in result.replies] == [ours.id, None]


def test_an_untrusted_or_unsigned_message_needs_the_clerk_s_reason_and_writes_nothing_before(
        registry: Registry, tmp_path: Path, signed_pdf: bytes) -> None:
    registry.settings.set("agency.name", d.AGENCY)  # no root trusted here
    path = _message(tmp_path, signed_pdf)
    stored = set(registry.attachments.folder.rglob("*"))
    with pytest.raises(SignatureNeedsConfirmation, match="chưa được tin cậy"):
        registry.edxml.import_file(path)
    assert registry.documents.list(Direction.INCOMING) == []
    assert set(registry.attachments.folder.rglob("*")) == stored  # no file copied either
    done = registry.edxml.import_file(path, signature_reason="Đã gọi điện xác nhận với Sở Y tế")
    assert done.checks[done.attachments[0].id].confirmed_reason == "Đã gọi điện xác nhận với Sở Y tế"
    unsigned = Message(number="3700", document_id="x,3700", attachments=[
        ("3700.pdf", d.letter(tmp_path / "u.pdf").read_bytes(), "application/pdf")]).write(tmp_path / "u.edxml")
    with pytest.raises(SignatureNeedsConfirmation, match="không kèm tệp PDF nào có chữ ký số"):
        registry.edxml.import_file(unsigned)
    assert len(registry.documents.list(Direction.INCOMING)) == 1


def test_a_file_the_register_does_not_attach_stays_in_the_kept_message(reg: Registry, tmp_path: Path,
                                                                        signed_pdf: bytes) -> None:
    m = Message(attachments=[("3646.pdf", signed_pdf, "application/pdf"),
                             ("Dự thảo.docx", b"PK\x03\x04 word", "application/vnd.openxmlformats")])
    result = reg.edxml.import_file(m.write(tmp_path / "docx.edxml"))
    assert [a.file_name for a in result.attachments] == ["3646.pdf"]
    assert list(result.skipped) == ["Dự thảo.docx"] and ".docx" in result.skipped["Dự thảo.docx"]
