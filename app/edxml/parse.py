"""An edXML document message read into a DocumentMessage: QCVN 102:2016's elements, each checked and named."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from app.edxml.message import Attachment, DocumentMessage, Organ, Package, ResponseFor, TraceHeader
from app.edxml.names import check_attachment_name
from app.edxml.reader import Node, Refused, read_header, read_package

_DATE = re.compile(r"^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:[ T].*)?$")
_REQUIRED = (("Code", "CodeNotation", "ký hiệu văn bản"), ("PromulgationInfo", "PromulgationDate", "ngày ban hành"),
             ("DocumentType", "TypeName", "tên loại văn bản"), (None, "Subject", "trích yếu"))


def read_message(path: str | Path) -> Package:
    """The document message of an .edxml file with its attachments decoded; ValidationError (exit 2) otherwise."""
    return read_package(path, build_message)


def read_summary(path: str | Path) -> DocumentMessage:
    """The message without its files (for the inbox list): nothing decoded, nothing written."""
    return read_header(path, build_message)


def parse_date(text: str, where: str) -> date | None:
    """YYYY/MM/DD (the standard's form; YYYY-MM-DD and a time after it are accepted too)."""
    if not text:
        return None
    match = _DATE.match(text.strip())
    try:
        if match is None:
            raise ValueError
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise Refused(f"{where} «{text[:40]}» không phải ngày dạng YYYY/MM/DD") from None


def _text(node: Node | None, *names: str) -> str:
    for name in names:
        node = node.child(name) if node is not None else None
    return node.text if node is not None else ""


def _int(node: Node, name: str) -> int | None:
    text = _text(node, name)
    if not text:
        return None
    if not text.isdigit() or len(text) > 9:
        raise Refused(f"{node.where()}/{name} «{text[:20]}» không phải một số")
    return int(text)


def _organ(node: Node | None) -> Organ:
    return Organ(*(_text(node, n) for n in ("OrganId", "OrganName", "OrganizationInCharge", "OrganAdd", "Email",
                                           "Telephone", "Fax", "Website")))


def _envelope(root: Node) -> Node:
    envelope = root if root.name == "edXMLEnvelope" else root.child("edXMLEnvelope")
    if envelope is None:
        raise Refused("thiếu thẻ edXMLEnvelope")
    return envelope


def build_message(root: Node, staging: Path | None) -> DocumentMessage:
    envelope = _envelope(root)
    header = envelope.child("edXMLHeader")
    head = header.child("MessageHeader") if header is not None else None
    if head is None:
        raise Refused("thiếu thẻ edXMLHeader/MessageHeader")
    sender = head.child("From")
    if sender is None or not (_text(sender, "OrganName") or _text(sender, "OrganId")):
        raise Refused("thiếu thẻ MessageHeader/From (cơ quan gửi: OrganId, OrganName)")
    for parent, name, label in _REQUIRED:
        if not (_text(head, parent, name) if parent else _text(head, name)):
            raise Refused(f"thiếu thẻ MessageHeader/{parent + '/' if parent else ''}{name} ({label}) hoặc thẻ rỗng")
    other = head.child("OtherInfo") or Node("OtherInfo", head)
    signer = head.child("SignerInfo")
    return DocumentMessage(
        sender=_organ(sender), recipients=tuple(_organ(n) for n in head.all("To")),
        document_id=_text(head, "DocumentId"), code_number=_text(head, "Code", "CodeNumber"),
        code_notation=_text(head, "Code", "CodeNotation"), place=_text(head, "PromulgationInfo", "Place"),
        promulgation_date=parse_date(_text(head, "PromulgationInfo", "PromulgationDate"),
                                     "MessageHeader/PromulgationInfo/PromulgationDate"),
        type_code=_text(head, "DocumentType", "Type"), type_name=_text(head, "DocumentType", "TypeName"),
        subject=_text(head, "Subject"), content=_text(head, "Content"),
        competence=_text(signer, "Competence"), position=_text(signer, "Position"), signer=_text(signer, "FullName"),
        due_date=parse_date(_text(head, "DueDate"), "MessageHeader/DueDate"),
        to_places=tuple(p.text for places in head.all("ToPlaces") for p in places.all("Place") if p.text),
        priority=_text(other, "Priority"), sphere=_text(other, "SphereOfPromulgation"),
        typer_notation=_text(other, "TyperNotation"), promulgation_amount=_int(other, "PromulgationAmount"),
        page_amount=_int(other, "PageAmount"),
        appendixes=tuple(a.text for group in other.all("Appendixes") for a in group.all("Appendix") if a.text),
        steering_type=_text(head, "SteeringType"),
        response_for=tuple(ResponseFor(_text(r, "OrganId"), _text(r, "Code"),
                                       parse_date(_text(r, "PromulgationDate"), "ResponseFor/PromulgationDate"),
                                       _text(r, "DocumentId")) for r in head.all("ResponseFor")),
        traces=tuple(TraceHeader(_text(t, "OrganId"), _text(t, "Timestamp"))
                     for traces in (header.all("TraceHeaderList") if header else [])
                     for t in traces.all("TraceHeader")),
        attachments=_attachments(root, envelope, staging) if staging is not None else (),
    )


def _content_id(text: str) -> str:
    return text.strip().removeprefix("cid:").strip("<>")


def _attachments(root: Node, envelope: Node, staging: Path) -> tuple[Attachment, ...]:
    """Each decoded file moved under its own name into staging/<n>/; the manifest's files must all be there."""
    found: list[Attachment] = []
    groups = root.all("AttachmentEncoded") + (envelope.all("AttachmentEncoded") if envelope is not root else [])
    for index, node in enumerate((a for g in groups for a in g.all("Attachment")), start=1):
        data = node.child("ContentTransferEncoded")
        if data is None or data.path is None:
            raise Refused(f"Attachment thứ {index}: thiếu ContentTransferEncoded (dữ liệu tệp)")
        try:
            name = check_attachment_name(_text(node, "AttachmentName"), index)
        except ValueError as exc:
            raise Refused(str(exc)) from None
        if any(a.name == name for a in found):
            raise Refused(f"hai tệp đính kèm cùng tên «{name}»")
        folder = staging / str(index)
        folder.mkdir()
        target = data.path.rename(folder / name)
        found.append(Attachment(_content_id(_text(node, "ContentId")), name, _text(node, "ContentType"),
                                _text(node, "Description"), target, data.sha256, data.decoded))
    body = envelope.child("edXMLBody")
    manifest = body.child("edXMLManifest") if body is not None else None
    for ref in manifest.all("Reference") if manifest is not None else []:
        cid, name = _content_id(_text(ref, "ContentId")), _text(ref, "AttachmentName")
        if not any((cid and a.content_id == cid) or (not cid and a.name == name) for a in found):
            raise Refused(f"edXMLManifest có tệp «{name or cid}» nhưng AttachmentEncoded không có tệp đó: thông "
                          "điệp thiếu tệp đính kèm")
    return tuple(found)
