"""What extraction returns: per document the fields of the expected JSON shape, each with the line it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass
class Citation:
    """A document named in the text: "Thông báo số 1737-TB/VPTU ngày 22/9/2023"."""

    reference: str
    doc_type: str | None = None
    issued_on: date | None = None
    line: int | None = None  # 1-based line of the whole input where it was read

    def to_json(self) -> dict[str, Any]:
        return {"reference": self.reference, "doc_type": self.doc_type,
                "issued_on": self.issued_on.isoformat() if self.issued_on else None}


@dataclass
class DigitalSignature:
    """The "Ký bởi / Cơ quan / Thời gian ký" block of an electronically signed document."""

    signed_by: str | None = None
    organization: str | None = None
    signed_at: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        return {"signed_by": self.signed_by, "organization": self.organization,
                "signed_at": self.signed_at.strftime("%Y-%m-%dT%H:%M:%SZ") if self.signed_at else None}


@dataclass
class ExtractedDocument:
    """One document of a bundle. A field that could not be read is None (or empty): never guessed."""

    family: str | None = None  # "state" | "party"
    issuer: str | None = None
    issuer_parent: str | None = None
    number: int | None = None
    notation: str | None = None
    reference: str | None = None
    doc_type: str | None = None
    issued_on: date | None = None
    place: str | None = None
    subject: str | None = None
    urgency: str | None = None  # "khan" | "thuong_khan" | "hoa_toc" (Urgency values)
    secrecy: str | None = None  # "mat" | "toi_mat" | "tuyet_mat" (Secrecy values)
    recipients: list[str] = field(default_factory=list)
    distribution: list[str] = field(default_factory=list)
    signing_authority: str | None = None  # "KT. CHỦ TỊCH", "T/L BAN THƯỜNG VỤ"
    signer_title: str | None = None
    signer: str | None = None
    digital_signature: DigitalSignature | None = None
    deadline: date | None = None
    cites: list[Citation] = field(default_factory=list)
    # field name -> 1-based line of the input it was read from, so a form can show where each value came from
    sources: dict[str, int] = field(default_factory=dict)
    # field name -> every line of a value read over several (a wrapped subject, an issuer on two lines)
    source_lines: dict[str, tuple[int, ...]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "family": self.family, "issuer": self.issuer, "issuer_parent": self.issuer_parent,
            "number": self.number, "notation": self.notation, "reference": self.reference,
            "doc_type": self.doc_type, "issued_on": self.issued_on.isoformat() if self.issued_on else None,
            "place": self.place, "subject": self.subject, "urgency": self.urgency, "secrecy": self.secrecy,
            "recipients": list(self.recipients), "distribution": list(self.distribution),
            "signing_authority": self.signing_authority, "signer_title": self.signer_title, "signer": self.signer,
        }
        if self.digital_signature is not None:
            data["digital_signature"] = self.digital_signature.to_json()
        data["deadline"] = self.deadline.isoformat() if self.deadline else None
        data["cites"] = [c.to_json() for c in self.cites]
        return data


@dataclass
class ReceivedStamp:
    """The ĐẾN stamp already on the paper: "ĐẾN Số: 1363 Ngày: 24/10/23"."""

    number: int | None = None
    date: date | None = None
    line: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, "date": self.date.isoformat() if self.date else None}


@dataclass
class Extraction:
    """Everything read from one input: the stamp (if any) and the documents in order (cover letter first)."""

    received_stamp: ReceivedStamp | None = None
    documents: list[ExtractedDocument] = field(default_factory=list)

    def to_json(self, with_sources: bool = False) -> dict[str, Any]:
        documents = []
        for doc in self.documents:
            data = doc.to_json()
            if with_sources:
                data["sources"] = dict(doc.sources)
            documents.append(data)
        return {"received_stamp": self.received_stamp.to_json() if self.received_stamp else None,
                "documents": documents}
