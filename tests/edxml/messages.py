"""Real-shaped edXML messages for the tests, written as text the way the axis's SDK writes them (root <edXML>,
an edXML:-prefixed envelope, AttachmentEncoded outside it in the default namespace) — not by the app's writer."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"

STATE_SENDER = {"OrganId": "000.00.12.H53", "OrganizationInCharge": "Ủy ban nhân dân tỉnh Tây Ninh",
                "OrganName": "Sở Y tế tỉnh Tây Ninh", "OrganAdd": "22 Đường 30/4, Phường 3, TP. Tây Ninh",
                "Email": "syt@tayninh.gov.vn", "Telephone": "0276 3822 222"}
PARTY_SENDER = {"OrganId": "000.01.00.T53", "OrganizationInCharge": "Tỉnh ủy Tây Ninh",
                "OrganName": "Văn phòng Tỉnh ủy Tây Ninh", "OrganAdd": "Số 1 Trần Hưng Đạo, TP. Tây Ninh",
                "Email": "vptu@tayninh.dcs.vn"}
US = {"OrganId": "000.00.31.H53", "OrganName": "Sở Nội vụ tỉnh Tây Ninh",
      "OrganizationInCharge": "Ủy ban nhân dân tỉnh Tây Ninh"}


@dataclass
class Message:
    """The fields of one message; every one is written as its element."""

    sender: dict[str, str] = field(default_factory=lambda: dict(STATE_SENDER))
    to: list[dict[str, str]] = field(default_factory=lambda: [dict(US)])
    number: str = "3646"
    notation: str = "SYT-VP"
    place: str = "Tây Ninh"
    date: str = "2026/12/01"
    type_code: str = "1"
    type_name: str = "Công văn"
    subject: str = "V/v tăng cường phòng, chống dịch sốt xuất huyết mùa mưa năm 2026"
    content: str = "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh, Sở Y tế đề nghị các sở, ngành phối hợp triển khai."
    competence: str = "KT. GIÁM ĐỐC"
    position: str = "PHÓ GIÁM ĐỐC"
    signer: str = "Trần Thị Hồng Nhung"
    due: str = "2026/12/15"
    places: list[str] = field(default_factory=lambda: ["Như trên", "UBND tỉnh (b/c)", "Lưu: VT, NVY"])
    priority: str = "1"
    sphere: str = "Liên thông văn bản quốc gia"
    typer: str = "NVY"
    amount: str = "15"
    pages: str = "2"
    steering: str = "0"
    document_id: str = "000.00.12.H53,2026/12/01,3646/SYT-VP"
    response_for: list[dict[str, str]] = field(default_factory=list)
    traces: list[tuple[str, str]] = field(default_factory=lambda: [("000.00.12.H53", "2026/12/01 15:30:12")])
    attachments: list[tuple[str, bytes, str]] = field(default_factory=list)  # (name, bytes, content type)

    def xml(self) -> bytes:
        return build(self).encode("utf-8")

    def write(self, path: Path) -> Path:
        path.write_bytes(self.xml())
        return path


def _e(name: str, value: str) -> str:
    return f"<edXML:{name}>{escape(value)}</edXML:{name}>"


def _organ(tag: str, organ: dict[str, str]) -> str:
    return f"<edXML:{tag}>" + "".join(_e(k, v) for k, v in organ.items()) + f"</edXML:{tag}>"


def build(m: Message) -> str:
    cids = [f"att{i}@vanthu.test" for i in range(1, len(m.attachments) + 1)]
    head = (
        _organ("From", m.sender) + "".join(_organ("To", t) for t in m.to)
        + "<edXML:Code>" + _e("CodeNumber", m.number) + _e("CodeNotation", m.notation) + "</edXML:Code>"
        + "<edXML:PromulgationInfo>" + _e("Place", m.place) + _e("PromulgationDate", m.date)
        + "</edXML:PromulgationInfo>"
        + "<edXML:DocumentType>" + _e("Type", m.type_code) + _e("TypeName", m.type_name) + "</edXML:DocumentType>"
        + _e("Subject", m.subject) + _e("Content", m.content)
        + "<edXML:SignerInfo>" + _e("Competence", m.competence) + _e("Position", m.position)
        + _e("FullName", m.signer) + "</edXML:SignerInfo>"
        + _e("DueDate", m.due)
        + "<edXML:ToPlaces>" + "".join(_e("Place", p) for p in m.places) + "</edXML:ToPlaces>"
        + "<edXML:OtherInfo>" + _e("Priority", m.priority) + _e("SphereOfPromulgation", m.sphere)
        + _e("TyperNotation", m.typer) + _e("PromulgationAmount", m.amount) + _e("PageAmount", m.pages)
        + "<edXML:Appendixes/></edXML:OtherInfo>"
        + _e("SteeringType", m.steering) + _e("DocumentId", m.document_id)
        + "".join("<edXML:ResponseFor>" + "".join(_e(k, v) for k, v in r.items()) + "</edXML:ResponseFor>"
                  for r in m.response_for))
    traces = "".join("<edXML:TraceHeader>" + _e("OrganId", o) + _e("Timestamp", t) + "</edXML:TraceHeader>"
                     for o, t in m.traces)
    manifest = "".join(
        f'<edXML:Reference xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="cid:{cid}" xlink:type="simple">'
        + _e("ContentId", f"cid:{cid}") + _e("AttachmentName", name) + _e("Description", "Văn bản điện tử")
        + "</edXML:Reference>" for cid, (name, _data, _type) in zip(cids, m.attachments, strict=True))
    encoded = "".join(
        "<Attachment>" + f"<ContentType>{escape(ctype)}</ContentType><ContentId>{cid}</ContentId>"
        + "<Description>Văn bản điện tử</Description><ContentTransferEncoded>"
        + base64.encodebytes(data).decode("ascii") + "</ContentTransferEncoded>"
        + f"<AttachmentName>{escape(name)}</AttachmentName></Attachment>"
        for cid, (name, data, ctype) in zip(cids, m.attachments, strict=True))
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<edXML xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            f'xmlns="{NS}">\n<edXML:edXMLEnvelope xmlns:edXML="{NS}">\n<edXML:edXMLHeader>\n'
            f'<edXML:MessageHeader>{head}</edXML:MessageHeader>\n'
            f'<edXML:TraceHeaderList>{traces}</edXML:TraceHeaderList>\n</edXML:edXMLHeader>\n'
            f'<edXML:edXMLBody><edXML:edXMLManifest version="1.0">{manifest}</edXML:edXMLManifest></edXML:edXMLBody>\n'
            f'</edXML:edXMLEnvelope>\n'
            + (f"<AttachmentEncoded>{encoded}</AttachmentEncoded>\n" if m.attachments else "")
            + "</edXML>\n")


def party_message() -> Message:
    """A Party document: a Thông báo of the Văn phòng Tỉnh ủy, hỏa tốc, no due date."""
    return Message(sender=dict(PARTY_SENDER), number="1737", notation="TB/VPTU", date="2026/11/22",
                   type_name="Thông báo", subject="Kết luận của Thường trực Tỉnh ủy về công tác cải cách hành chính",
                   content="Ngày 20 tháng 11 năm 2026, Thường trực Tỉnh ủy đã nghe báo cáo…",
                   competence="T/L BAN THƯỜNG VỤ", position="CHÁNH VĂN PHÒNG", signer="Nguyễn Thành Tâm",
                   due="", priority="3", places=["Các sở, ban, ngành tỉnh", "Lưu Văn phòng Tỉnh ủy"],
                   document_id="000.01.00.T53,2026/11/22,1737-TB/VPTU", typer="TVT")
