"""Two registers exchange documents as edXML files: an outgoing entry leaves as a message that imports into the
other register with every field equal, its reply comes back linked to it; status messages and the inbox folder."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from defusedxml import ElementTree

from app.core.enums import Authority, Direction, LinkType, Urgency
from app.core.errors import ValidationError
from app.core.records import OutgoingInput
from app.services import Registry
from tests import pki
from tests.edxml.messages import NS, Message
from tests.signatures import documents as d

pytestmark = pytest.mark.both_engines

A_NAME, A_ID = d.AGENCY, "000.00.31.H53"  # Sở Nội vụ tỉnh Tây Ninh
B_NAME, B_ID = d.SENDER, "000.00.12.H53"  # Sở Y tế tỉnh Tây Ninh
E = f"{{{NS}}}"


def _agency(reg: Registry, name: str, abbreviation: str, organ_id: str, ca: pki.Issued, folder: Path) -> Registry:
    reg.settings.set("agency.name", name)
    reg.settings.set("agency.abbreviation", abbreviation)
    reg.settings.set("agency.organ_id", organ_id)
    reg.settings.set("agency.place", "Tây Ninh")
    reg.trust.add(ca.write_pem(folder / f"root-{abbreviation}.pem"))
    return reg


@pytest.fixture
def a(registry: Registry, tmp_path: Path, ca: pki.Issued) -> Registry:
    return _agency(registry, A_NAME, "SNV", A_ID, ca, tmp_path)


@pytest.fixture
def b(engine: str, tmp_path: Path, ca: pki.Issued, request: pytest.FixtureRequest) -> Iterator[Registry]:
    """The other agency's register, on the same engine."""
    name = None
    if engine == "postgresql":
        server = request.getfixturevalue("postgres")
        name, url = server.new_database()
    else:
        (tmp_path / "b").mkdir()
        url = str(tmp_path / "b" / "b.db")
    reg = Registry(url, actor="van_thu_b")
    yield _agency(reg, B_NAME, "SYT", B_ID, ca, tmp_path)
    reg.close()
    if name is not None:
        server.drop_database(name)


def _outgoing(reg: Registry, tmp_path: Path, ca: pki.Issued, agency: str, **fields) -> tuple:  # type: ignore[no-untyped-def]
    doc = reg.documents.register_outgoing(OutgoingInput(**{
        "doc_type": "Công văn", "unit": "VP", "signer": "Nguyễn Văn An", "signer_title": "PHÓ GIÁM ĐỐC",
        "authority": "KT.", "signed_on": date(2026, 11, 20), "urgency": "khẩn", "pages": "2", "copies": "3",
        "reply_due": date(2026, 12, 10), **fields}))
    who = pki.issue(ca, "Văn thư", agency, "Văn phòng")
    signed = d.signed(tmp_path, who, ca, f"{doc.id}-{agency[:6]}.pdf")
    attached = reg.attachments.attach(doc.id, signed)
    return doc, signed, attached


def test_an_outgoing_document_leaves_and_imports_with_every_field_and_its_reply_comes_back_linked(
        a: Registry, b: Registry, tmp_path: Path, ca: pki.Issued) -> None:
    x, x_pdf, _ = _outgoing(b, tmp_path, ca, B_NAME, subject="Đề nghị báo cáo công tác cán bộ quý IV năm 2026",
                            recipients=[A_NAME, "Lưu: VT, VP"])
    sent = b.edxml.export(x.id, tmp_path / "x.edxml")
    assert sent.message_id == f"{B_ID},2026/11/20,{x.reference}" and sent.attachments == [x_pdf.name]

    got = a.edxml.import_file(sent.path).document
    assert (got.reference, got.issued_on, got.doc_type, got.subject) == (x.reference, x.registered_on, x.doc_type,
                                                                         x.subject)
    assert (got.issuer, got.signer, got.signer_title, got.authority) == (B_NAME, x.signer, x.signer_title,
                                                                         Authority.KT)
    assert (got.recipients, got.due_on, got.urgency, got.pages, got.copies) == (
        x.recipients, x.reply_due, Urgency.KHAN, x.pages, x.copies)
    attached = a.attachments.list(got.id)
    assert [(f.file_name, f.sha256) for f in attached] == [(x_pdf.name, b.attachments.list(x.id)[0].sha256)]
    assert a.signatures.latest([attached[0].id])[attached[0].id].status == "valid"
    kept = a.edxml.messages(got.id)[0]
    assert kept["organ_id"] == B_ID and kept["header"]["place"] == "Tây Ninh"
    assert kept["header"]["content"] == b.edxml.messages(x.id)[0]["header"]["content"] != ""
    assert a.directory.organizations(B_NAME)[0].organ_id == B_ID

    # A answers it; the answer's ResponseFor carries X's DocumentId, and B links it to X
    y, _y_pdf, _ = _outgoing(a, tmp_path, ca, A_NAME, subject="Báo cáo công tác cán bộ quý IV năm 2026",
                             recipients=[B_NAME], replies_to=str(got.number))
    answer = a.edxml.export(y.id, tmp_path / "y.edxml")
    root = ElementTree.parse(answer.path).getroot()
    assert root.find(f".//{E}MessageHeader/{E}To/{E}OrganId").text == B_ID  # the directory knew B's id
    assert root.find(f".//{E}ResponseFor/{E}DocumentId").text == sent.message_id
    back = b.edxml.import_file(answer.path).document
    replies = [link for link in back.links if link.link_type is LinkType.REPLIES_TO]
    assert [r.target_id for r in replies] == [x.id]
    assert b.edxml.messages(x.id)[0]["kind"] == "sent"
    events = [e.action for e in b.audit.events() if e.action.startswith("edxml")]
    assert events == ["edxml_import", "edxml_export"]


def test_given_files_replace_the_attached_ones_and_bad_exports_are_refused(a: Registry, tmp_path: Path,
                                                                          ca: pki.Issued) -> None:
    y, _pdf, _ = _outgoing(a, tmp_path, ca, A_NAME, subject="Kế hoạch", recipients=["Các phòng"])
    other = d.letter(tmp_path / "Kế hoạch chi tiết.pdf")
    written = a.edxml.export(y.id, tmp_path / "given.edxml", attach=[other])
    assert written.attachments == ["Kế hoạch chi tiết.pdf"]
    with a.edxml.read(written.path) as package:
        assert package.message.attachments[0].path.read_bytes() == other.read_bytes()
    incoming = a.edxml.import_file(Message(attachments=[("x.pdf", d.signed(tmp_path, pki.issue(
        ca, "B", B_NAME), ca, "in.pdf").read_bytes(), "application/pdf")]).write(tmp_path / "in.edxml")).document
    with pytest.raises(ValidationError, match="không phải văn bản đi"):
        a.edxml.export(incoming.id, tmp_path / "no.edxml")
    a.settings.set("agency.organ_id", "")
    with pytest.raises(ValidationError, match="mã định danh điện tử"):
        a.edxml.export(y.id, tmp_path / "no.edxml")
    assert not (tmp_path / "no.edxml").exists()


def test_status_messages_answer_the_sender_with_a_known_code(a: Registry, tmp_path: Path, ca: pki.Issued) -> None:
    signed = d.signed(tmp_path, pki.issue(ca, "B", B_NAME), ca, "in.pdf").read_bytes()
    doc = a.edxml.import_file(Message(attachments=[("x.pdf", signed, "application/pdf")]).write(
        tmp_path / "in.edxml")).document
    written = a.edxml.status(doc.id, "đã tiếp nhận", tmp_path / "st.xml", staff="Phạm Thị Lan",
                             department="Văn phòng")
    status = ElementTree.parse(written.path).getroot().find(f".//{E}Status")
    assert status.find(f"{E}ResponseFor/{E}DocumentId").text == Message().document_id
    assert status.find(f"{E}ResponseFor/{E}OrganId").text == "000.00.12.H53"
    assert status.find(f"{E}From/{E}OrganId").text == A_ID
    assert (status.find(f"{E}StatusCode").text, status.find(f"{E}Description").text) == ("03", "Đã tiếp nhận")
    assert status.find(f"{E}StaffInfo/{E}Staff").text == "Phạm Thị Lan"
    assert a.edxml.status(doc.id, "6", tmp_path / "done.xml").message_id == "06"
    with pytest.raises(ValidationError, match=r"'07' không phải mã trạng thái .*01 đã đến, 02 từ chối tiếp nhận"):
        a.edxml.status(doc.id, "07", tmp_path / "bad.xml")
    assert not (tmp_path / "bad.xml").exists()
    assert [m["status_code"] for m in a.edxml.messages(doc.id)] == [None, "03", "06"]


def test_the_inbox_lists_waiting_files_registers_one_and_refuses_another(a: Registry, tmp_path: Path,
                                                                        ca: pki.Issued) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    a.settings.set("edxml.inbox", str(inbox))
    signed = d.signed(tmp_path, pki.issue(ca, "B", B_NAME), ca, "in.pdf").read_bytes()
    first = Message(attachments=[("3646.pdf", signed, "application/pdf")]).write(inbox / "3646.edxml")
    second = Message(number="3700", subject="V/v mời họp giao ban", document_id="000.00.12.H53,2026/12/01,3700",
                     attachments=[("3700.pdf", signed, "application/pdf")]).write(inbox / "3700.edxml")
    (inbox / "hong.edxml").write_bytes(b"<edXML")
    items = {i.path.name: i for i in a.edxml_inbox.items()}
    assert set(items) == {"3646.edxml", "3700.edxml", "hong.edxml"}
    assert (items["3700.edxml"].sender, items["3700.edxml"].reference, items["3700.edxml"].subject) == (
        B_NAME, "3700/SYT-VP", "mời họp giao ban")
    assert "cắt cụt" in items["hong.edxml"].problem
    assert items["3646.edxml"].registered == ""
    done = a.edxml_inbox.register(first)
    assert done.document.reference == "3646/SYT-VP" and (inbox / "Đã vào sổ" / "3646.edxml").is_file()
    (inbox / "3646 lần 2.edxml").write_bytes((inbox / "Đã vào sổ" / "3646.edxml").read_bytes())  # sent again
    again = next(i for i in a.edxml_inbox.items() if i.path.name == "3646 lần 2.edxml")
    assert again.registered == f"số đến {done.document.number}/{done.document.year}"
    a.edxml_inbox.refuse(again.path, "Văn bản đã nhận trước đó", write_status=False)
    refused = a.edxml_inbox.refuse(second, "Gửi nhầm cơ quan: văn bản gửi Sở Y tế")
    assert refused.moved_to == inbox / "Đã từ chối" / "3700.edxml" and not second.exists()
    status = ElementTree.parse(refused.status.path).getroot().find(f".//{E}Status")
    assert (status.find(f"{E}StatusCode").text, status.find(f"{E}Description").text) == (
        "02", "Gửi nhầm cơ quan: văn bản gửi Sở Y tế")
    assert [i.path.name for i in a.edxml_inbox.items()] == ["hong.edxml"]
    assert len(a.documents.list(Direction.INCOMING)) == 1
    with pytest.raises(ValidationError, match="không còn trong thư mục"):
        a.edxml_inbox.register(second)
    assert sorted(e.after["reason"] for e in a.audit.events() if e.action == "edxml_refuse") == [
        "Gửi nhầm cơ quan: văn bản gửi Sở Y tế", "Văn bản đã nhận trước đó"]
