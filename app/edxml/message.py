"""What an edXML message carries, as plain records: the document message, its attachments, a status message."""

from __future__ import annotations

import re
import shutil
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

NAMESPACE = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
_PARTY_NOTATION = re.compile(r"^[^\d/-]+/")


@dataclass(frozen=True)
class Organ:
    """A cơ quan as the axis names it: its mã định danh (OrganId) and its names and contacts."""

    organ_id: str = ""
    name: str = ""
    in_charge: str = ""  # OrganizationInCharge: the cơ quan chủ quản above it
    address: str = ""
    email: str = ""
    telephone: str = ""
    fax: str = ""
    website: str = ""


@dataclass(frozen=True)
class ResponseFor:
    """The document a message answers (or a status message is about)."""

    organ_id: str = ""
    code: str = ""  # số/ký hiệu as one text, "12/SNV-VP"
    promulgation_date: date | None = None
    document_id: str = ""


@dataclass(frozen=True)
class TraceHeader:
    organ_id: str = ""
    timestamp: str = ""  # as written: "2026/12/07 09:30:00"


@dataclass(frozen=True)
class Attachment:
    """One attached file, decoded to `path` (in the package's staging folder) while the message was read."""

    content_id: str
    name: str
    content_type: str
    description: str
    path: Path
    sha256: str
    size: int


@dataclass(frozen=True)
class DocumentMessage:
    """The MessageHeader of a document message (QCVN 102:2016 §2.2), its trace and its attachments."""

    sender: Organ
    recipients: tuple[Organ, ...] = ()
    document_id: str = ""
    code_number: str = ""
    code_notation: str = ""
    place: str = ""
    promulgation_date: date | None = None
    type_code: str = ""
    type_name: str = ""
    subject: str = ""
    content: str = ""
    competence: str = ""
    position: str = ""
    signer: str = ""
    due_date: date | None = None
    to_places: tuple[str, ...] = ()
    priority: str = ""
    sphere: str = ""
    typer_notation: str = ""
    promulgation_amount: int | None = None
    page_amount: int | None = None
    appendixes: tuple[str, ...] = ()
    steering_type: str = ""
    response_for: tuple[ResponseFor, ...] = ()
    traces: tuple[TraceHeader, ...] = ()
    attachments: tuple[Attachment, ...] = ()

    @property
    def reference(self) -> str:
        """Số/ký hiệu as the register writes it: "12/SNV-VP", the Party's "1737-TB/VPTU", or the ký hiệu alone
        for an unnumbered one."""
        number, notation = self.code_number.strip(), self.code_notation.strip()
        if not number or number == "0":
            return notation
        # The Party writes số-TYPE/ISSUER (HD 36-HD/VPTW); the state số/TYPE-ISSUER or số/năm/TYPE-ISSUER.
        return f"{number}-{notation}" if _PARTY_NOTATION.match(notation) else f"{number}/{notation}"

    def header(self) -> dict[str, Any]:
        """Everything but the attachments' bytes, as JSON-ready data (kept with the entry)."""
        data = asdict(self)
        data["attachments"] = [{k: v for k, v in a.items() if k != "path"} for a in data["attachments"]]
        return _jsonable(data)


@dataclass(frozen=True)
class StatusMessage:
    """A status message (QCVN 102:2016 §2.3) about a document the sender sent us."""

    response_for: ResponseFor
    sender: Organ
    code: str
    description: str
    timestamp: str
    department: str = ""
    staff: str = ""
    mobile: str = ""
    email: str = ""


@dataclass
class Package:
    """A read document message and the folder its attachments were decoded into (removed by close())."""

    message: DocumentMessage
    source: Path
    sha256: str
    size: int
    staging: Path | None = field(default=None, repr=False)

    def close(self) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value
