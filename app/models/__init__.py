"""SQLAlchemy mapped classes of the register (no behaviour beyond the mapping)."""

from app.models.attachment import Attachment
from app.models.audit import AuditEvent
from app.models.base import Base
from app.models.book import NumberSequence, RegisterBook
from app.models.directory import Department, Organization, Person
from app.models.document import Document
from app.models.document_body import DocumentBody
from app.models.document_type import DocumentType
from app.models.edxml import EdxmlMessage
from app.models.link import DocumentLink
from app.models.routing import DeadlineRule, Holiday, Routing, RoutingAssignment
from app.models.setting import Setting
from app.models.signature import RevocationList, SignatureCheck, TrustedCertificate
from app.models.user import User

__all__ = [
    "Attachment", "AuditEvent", "Base", "DeadlineRule", "Department", "Document", "DocumentBody", "DocumentLink",
    "DocumentType", "EdxmlMessage", "Holiday", "NumberSequence", "Organization", "Person", "RegisterBook", "Routing",
    "RevocationList", "RoutingAssignment", "Setting", "SignatureCheck", "TrustedCertificate", "User",
]
