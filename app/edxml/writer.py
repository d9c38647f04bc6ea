"""Writing edXML: a document message (attachments streamed in base64 from their files) and a status message."""

from __future__ import annotations

import base64
from datetime import date
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import XMLGenerator

from app.edxml.message import NAMESPACE, DocumentMessage, Organ, ResponseFor, StatusMessage

_P = "edXML:"
_XLINK = "http://www.w3.org/1999/xlink"
_SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
_LINE = 57 * 1024  # bytes per base64 piece: a multiple of 3, so the pieces join into one valid text


def edxml_date(value: date | None) -> str:
    return value.strftime("%Y/%m/%d") if value else ""


class _Out:
    """XMLGenerator with the edXML: prefix and one call per simple element."""

    def __init__(self, out: BinaryIO):
        self.xml = XMLGenerator(out, encoding="utf-8", short_empty_elements=True)
        self.xml.startDocument()

    def open(self, name: str, attrs: dict[str, str] | None = None, prefixed: bool = True) -> None:
        self.xml.startElement(f"{_P}{name}" if prefixed else name, attrs or {})

    def close(self, name: str, prefixed: bool = True) -> None:
        self.xml.endElement(f"{_P}{name}" if prefixed else name)

    def leaf(self, name: str, text: object = "", prefixed: bool = True) -> None:
        self.open(name, prefixed=prefixed)
        if text not in ("", None):
            self.xml.characters(str(text))
        self.close(name, prefixed=prefixed)

    def organ(self, name: str, organ: Organ) -> None:
        self.open(name)
        for tag, value in (("OrganId", organ.organ_id), ("OrganizationInCharge", organ.in_charge),
                           ("OrganName", organ.name), ("OrganAdd", organ.address), ("Email", organ.email),
                           ("Telephone", organ.telephone), ("Fax", organ.fax), ("Website", organ.website)):
            self.leaf(tag, value)
        self.close(name)

    def response_for(self, item: ResponseFor) -> None:
        self.open("ResponseFor")
        self.leaf("OrganId", item.organ_id)
        self.leaf("Code", item.code)
        self.leaf("PromulgationDate", edxml_date(item.promulgation_date))
        self.leaf("DocumentId", item.document_id)
        self.close("ResponseFor")

    def base64_of(self, path: Path) -> None:
        with path.open("rb") as source:
            while piece := source.read(_LINE):
                self.xml.characters(base64.b64encode(piece).decode("ascii"))


def write_message(out: BinaryIO, message: DocumentMessage, timestamp: str) -> None:
    """The whole message; `timestamp` ("YYYY/MM/DD HH:MM:SS") is this hop's TraceHeader, added after the others."""
    w = _Out(out)
    w.xml.startElement("edXML", {"xmlns": NAMESPACE})
    w.open("edXMLEnvelope", {"xmlns:edXML": NAMESPACE})
    w.open("edXMLHeader")
    w.open("MessageHeader")
    w.organ("From", message.sender)
    for organ in message.recipients:
        w.organ("To", organ)
    w.open("Code")
    w.leaf("CodeNumber", message.code_number)
    w.leaf("CodeNotation", message.code_notation)
    w.close("Code")
    w.open("PromulgationInfo")
    w.leaf("Place", message.place)
    w.leaf("PromulgationDate", edxml_date(message.promulgation_date))
    w.close("PromulgationInfo")
    w.open("DocumentType")
    w.leaf("Type", message.type_code)
    w.leaf("TypeName", message.type_name)
    w.close("DocumentType")
    w.leaf("Subject", message.subject)
    w.leaf("Content", message.content)
    w.open("SignerInfo")
    w.leaf("Competence", message.competence)
    w.leaf("Position", message.position)
    w.leaf("FullName", message.signer)
    w.close("SignerInfo")
    w.leaf("DueDate", edxml_date(message.due_date))
    w.open("ToPlaces")
    for place in message.to_places:
        w.leaf("Place", place)
    w.close("ToPlaces")
    _other_info(w, message)
    w.leaf("SteeringType", message.steering_type)
    w.leaf("DocumentId", message.document_id)
    for item in message.response_for:
        w.response_for(item)
    w.close("MessageHeader")
    w.open("TraceHeaderList")
    for trace in message.traces:
        _trace(w, trace.organ_id, trace.timestamp)
    _trace(w, message.sender.organ_id, timestamp)
    w.close("TraceHeaderList")
    w.close("edXMLHeader")
    w.open("edXMLBody")
    w.open("edXMLManifest", {"version": "1.0"})
    for item in message.attachments:
        w.open("Reference", {"xmlns:xlink": _XLINK, "xlink:href": f"cid:{item.content_id}", "xlink:type": "simple"})
        w.leaf("ContentId", f"cid:{item.content_id}")
        w.leaf("AttachmentName", item.name)
        w.leaf("Description", item.description)
        w.close("Reference")
    w.close("edXMLManifest")
    w.close("edXMLBody")
    w.close("edXMLEnvelope")
    _attachments(w, message)
    w.xml.endElement("edXML")
    w.xml.endDocument()


def _other_info(w: _Out, message: DocumentMessage) -> None:
    w.open("OtherInfo")
    w.leaf("Priority", message.priority)
    w.leaf("SphereOfPromulgation", message.sphere)
    w.leaf("TyperNotation", message.typer_notation)
    w.leaf("PromulgationAmount", message.promulgation_amount)
    w.leaf("PageAmount", message.page_amount)
    w.open("Appendixes")
    for appendix in message.appendixes:
        w.leaf("Appendix", appendix)
    w.close("Appendixes")
    w.close("OtherInfo")


def _trace(w: _Out, organ_id: str, timestamp: str) -> None:
    w.open("TraceHeader")
    w.leaf("OrganId", organ_id)
    w.leaf("Timestamp", timestamp)
    w.close("TraceHeader")


def _attachments(w: _Out, message: DocumentMessage) -> None:
    """Outside the envelope, in the default namespace (as the axis's own SDK writes them)."""
    if not message.attachments:
        return
    w.open("AttachmentEncoded", prefixed=False)
    for item in message.attachments:
        w.open("Attachment", prefixed=False)
        w.leaf("ContentId", item.content_id, prefixed=False)
        w.leaf("AttachmentName", item.name, prefixed=False)
        w.leaf("ContentType", item.content_type, prefixed=False)
        w.leaf("Description", item.description, prefixed=False)
        w.open("ContentTransferEncoded", prefixed=False)
        w.base64_of(item.path)
        w.close("ContentTransferEncoded", prefixed=False)
        w.close("Attachment", prefixed=False)
    w.close("AttachmentEncoded", prefixed=False)


def write_status(out: BinaryIO, status: StatusMessage) -> None:
    """The status message in its SOAP envelope, as the axis carries it."""
    w = _Out(out)
    w.xml.startElement("SOAP-ENV:Envelope", {"xmlns:SOAP-ENV": _SOAP})
    w.xml.startElement("SOAP-ENV:Header", {})
    w.open("Status", {"xmlns:edXML": NAMESPACE})
    w.response_for(status.response_for)
    w.organ("From", status.sender)
    w.leaf("StatusCode", status.code)
    w.leaf("Description", status.description)
    w.leaf("Timestamp", status.timestamp)
    w.open("StaffInfo")
    for tag, value in (("Department", status.department), ("Staff", status.staff), ("Mobile", status.mobile),
                       ("Email", status.email)):
        w.leaf(tag, value)
    w.close("StaffInfo")
    w.close("Status")
    w.xml.endElement("SOAP-ENV:Header")
    w.xml.startElement("SOAP-ENV:Body", {})
    w.xml.endElement("SOAP-ENV:Body")
    w.xml.endElement("SOAP-ENV:Envelope")
    w.xml.endDocument()
