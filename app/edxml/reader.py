"""Reading an edXML file without trusting it: defusedxml's expat (no DTD, no entities, nothing fetched), read in
chunks, every attachment decoded from base64 straight to disk, every limit and every refusal naming its element."""

from __future__ import annotations

import binascii
import hashlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler, feature_namespaces

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.expatreader import DefusedExpatParser

from app.core.errors import ValidationError
from app.core.files import sha256_of
from app.edxml.message import NAMESPACE, Package
from app.edxml.names import check_attachment_name

FIELD, LABEL = "edxml", "Tệp edXML"
MB = 1024 * 1024
MAX_ATTACHMENT = 100 * MB  # one decoded file: a 300-page scan at 300 dpi is about 60 MB
MAX_TOTAL = 250 * MB  # all the files of one message, decoded
MAX_FILE = MAX_TOTAL * 4 // 3 + 16 * MB  # base64 takes 4 bytes for 3, plus line breaks and the header
MAX_TEXT = 4 * MB  # any other element's text: Content holds a whole document's text, never more
MAX_HEADER = 16 * MB  # all the text outside the attachments
MAX_ELEMENTS = 20_000
_CHUNK = MB
_STREAMED = "ContentTransferEncoded"

# Expat's messages, in Vietnamese, by their start.
_EXPAT = (("no element found", "tệp bị cắt cụt: hết tệp khi thẻ chưa đóng (tệp chép chưa xong hoặc bị hỏng)"),
          ("mismatched tag", "thẻ đóng không khớp thẻ mở"),
          ("not well-formed", "có ký tự hoặc thẻ sai cú pháp XML"),
          ("unclosed token", "tệp bị cắt cụt hoặc hỏng: có thẻ viết dở"),
          ("junk after document element", "có dữ liệu sau thẻ gốc đã đóng"),
          ("undefined entity", "dùng thực thể (&…;) không được khai báo"),
          ("syntax error", "sai cú pháp XML"),
          ("unbound prefix", "dùng tiền tố namespace chưa khai báo"),
          ("duplicate attribute", "một thuộc tính ghi hai lần"),
          ("XML or text declaration not at start of entity", "khai báo <?xml …?> không ở đầu tệp"),
          ("encoding specified in XML declaration is incorrect", "khai báo mã ký tự sai"),
          ("unknown encoding", "mã ký tự không hỗ trợ"))


class Refused(Exception):
    """Raised inside the parse: the message is refused for the reason given (already in Vietnamese)."""


@dataclass
class Node:
    """One element of the message (outside the attachments' data): its local name, text and children."""

    name: str
    parent: Node | None = field(default=None, repr=False)
    children: list[Node] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    size: int = 0
    path: Path | None = None  # ContentTransferEncoded: where its bytes were decoded to
    sha256: str = ""
    decoded: int = 0

    @property
    def text(self) -> str:
        return "".join(self.parts).strip()

    def child(self, name: str) -> Node | None:
        return next((c for c in self.children if c.name == name), None)

    def all(self, name: str) -> list[Node]:
        return [c for c in self.children if c.name == name]

    def where(self) -> str:
        """edXMLHeader/MessageHeader/Subject: the element's place, for messages."""
        names: list[str] = []
        node: Node | None = self
        while node is not None and node.parent is not None:
            names.append(node.name)
            node = node.parent
        return "/".join(reversed(names))


class _Base64Sink:
    """Decodes base64 text as it arrives into a file, hashing it; refuses bad data and anything past the limit."""

    def __init__(self, path: Path, budget: int, index: int):
        self.path = path
        self.index = index
        self.handle: BinaryIO = path.open("wb")
        self.digest = hashlib.sha256()
        self.pending: list[str] = []
        self.pending_size = 0
        self.size = 0
        self.budget = min(budget, MAX_ATTACHMENT)
        self.ended = False

    def feed(self, text: str) -> None:
        self.pending.append(text)
        self.pending_size += len(text)
        if self.pending_size >= 256 * 1024:
            self._decode(final=False)

    def _decode(self, final: bool) -> None:
        data = "".join("".join(self.pending).split())
        self.pending, self.pending_size = [], 0
        keep = "" if final else data[len(data) - len(data) % 4:]
        data = data[:len(data) - len(keep)]
        if keep:
            self.pending, self.pending_size = [keep], len(keep)
        if not data:
            return
        if self.ended:
            raise Refused(f"Attachment thứ {self.index}: ContentTransferEncoded còn dữ liệu sau dấu kết thúc "
                          "base64 (=): tệp đính kèm bị hỏng")
        try:
            raw = binascii.a2b_base64(data, strict_mode=True)
        except binascii.Error:
            raise Refused(f"Attachment thứ {self.index}: ContentTransferEncoded không phải dữ liệu base64 hợp lệ: "
                          "tệp đính kèm bị hỏng") from None
        self.ended = data.endswith("=")
        self.size += len(raw)
        if self.size > self.budget:
            limit = MAX_ATTACHMENT if self.budget == MAX_ATTACHMENT else MAX_TOTAL
            what = "tệp đính kèm" if limit == MAX_ATTACHMENT else "các tệp đính kèm cộng lại"
            raise Refused(f"Attachment thứ {self.index}: ContentTransferEncoded lớn quá mức nhận ({what} tối đa "
                          f"{limit // MB} MB): không nhận thông điệp này; đề nghị nơi gửi chia nhỏ")
        self.digest.update(raw)
        self.handle.write(raw)

    def close(self) -> None:
        try:
            self._decode(final=True)
        finally:
            self.handle.close()


class _Handler(ContentHandler):
    """Builds the tree of everything but the attachments' data, which goes to files in `staging`."""

    def __init__(self, staging: Path | None):
        super().__init__()
        self.staging = staging  # None: a quick look (the inbox list): the attachments' data is skipped
        self.root: Node | None = None
        self.current: Node | None = None
        self.sink: _Base64Sink | None = None
        self.elements = 0
        self.header_size = 0
        self.attachments = 0
        self.decoded = 0
        self.skipping: Node | None = None

    def startElementNS(self, name: tuple[str | None, str], qname: str | None, attrs: object) -> None:
        uri, local = name
        if self.root is None:
            _check_root(uri, local)
        elif uri not in (NAMESPACE, None, ""):
            local = f"{{{uri}}}{local}"  # another vocabulary (an XML signature): kept apart, never read as ours
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise Refused(f"có hơn {MAX_ELEMENTS} thẻ: không phải một văn bản")
        node = Node(local, self.current)
        if self.current is None:
            self.root = node
        else:
            self.current.children.append(node)
        if local == _STREAMED and self.current is not None and self.current.name == "Attachment":
            if self.sink is not None:
                raise Refused("ContentTransferEncoded lồng trong ContentTransferEncoded")
            self.attachments += 1
            if self.staging is not None:
                node.path = self.staging / f"{self.attachments}.bin"
                self.sink = _Base64Sink(node.path, MAX_TOTAL - self.decoded, self.attachments)
            else:
                self.skipping = node
        self.current = node

    def endElementNS(self, name: tuple[str | None, str], qname: str | None) -> None:
        node = self.current
        assert node is not None
        if self.sink is not None and node.name == _STREAMED:
            self.sink.close()
            node.sha256, node.decoded = self.sink.digest.hexdigest(), self.sink.size
            self.decoded += self.sink.size
            self.sink = None
        if node is self.skipping:
            self.skipping = None
        self.current = node.parent

    def characters(self, content: str) -> None:
        if self.sink is not None:
            self.sink.feed(content)
            return
        if self.skipping is not None:
            return
        node = self.current
        if node is None:
            return
        node.size += len(content)
        self.header_size += len(content)
        if node.size > MAX_TEXT:
            raise Refused(f"thẻ {node.where()} dài quá {MAX_TEXT // MB} MB chữ")
        if self.header_size > MAX_HEADER:
            raise Refused(f"phần chữ ngoài tệp đính kèm dài quá {MAX_HEADER // MB} MB")
        node.parts.append(content)

    def close(self) -> None:
        if self.sink is not None:
            self.sink.handle.close()


def _check_root(uri: str | None, local: str) -> None:
    if uri == NAMESPACE and local in ("edXML", "edXMLEnvelope"):
        return
    if local == "Status" or (local == "Envelope" and uri == "http://schemas.xmlsoap.org/soap/envelope/"):
        raise Refused("đây là thông điệp trạng thái (Status) hoặc gói SOAP, không phải thông điệp văn bản")
    shown = f"{{{uri}}}{local}" if uri else local
    raise Refused(f"thẻ gốc là <{shown}>, không phải <edXML> hay <edXMLEnvelope> thuộc namespace {NAMESPACE} "
                  "(QCVN 102:2016): không phải thông điệp edXML")


class _Parser(DefusedExpatParser):
    """defusedxml's expat reader with no DTD at all, and text handed over in large pieces (base64 lines)."""

    def __init__(self) -> None:
        super().__init__(forbid_dtd=True, forbid_entities=True, forbid_external=True)
        self.setFeature(feature_namespaces, True)

    def reset(self) -> None:
        super().reset()
        self._parser.buffer_text = True
        self._parser.buffer_size = 1 << 20


def parse_tree(path: Path, staging: Path | None) -> Node:
    """The message's tree; its attachments decoded into `staging` (None: skipped). Refused (Refused) with the
    reason."""
    handler = _Handler(staging)
    parser = _Parser()
    parser.setContentHandler(handler)
    try:
        with path.open("rb") as source:
            while chunk := source.read(_CHUNK):
                parser.feed(chunk)
        parser.close()
    except SAXParseException as exc:
        raise Refused(_expat_reason(exc, handler)) from None
    except DTDForbidden:
        raise Refused("có khai báo DOCTYPE (DTD): edXML không dùng; khai báo này có thể dùng để đọc trộm tệp trên "
                      "máy (XXE) hoặc làm treo máy (bom thực thể)") from None
    except (EntitiesForbidden, ExternalReferenceForbidden, DefusedXmlException):
        raise Refused("có khai báo thực thể (ENTITY) hoặc tham chiếu ra ngoài: có thể là tệp độc hại") from None
    finally:
        handler.close()
    if handler.root is None:
        raise Refused("tệp rỗng")
    return handler.root


def _expat_reason(exc: SAXParseException, handler: _Handler) -> str:
    message = exc.getMessage()
    reason = next((text for start, text in _EXPAT if message.startswith(start)), f"lỗi XML ({message})")
    inside = f", trong thẻ {handler.current.where() or handler.current.name}" if handler.current is not None else ""
    return f"{reason} (dòng {exc.getLineNumber()}, cột {exc.getColumnNumber() + 1}{inside})"


def refusal(path: Path, reason: str) -> ValidationError:
    return ValidationError.single(FIELD, LABEL, f"«{path.name}»: {reason}. Chưa ghi gì vào sổ.")


def _sized(path: str | Path) -> tuple[Path, int]:
    source = Path(path)
    if not source.is_file():
        raise ValidationError.single(FIELD, LABEL, f"không có tệp {source}.")
    size = source.stat().st_size
    if size > MAX_FILE:
        raise refusal(source, f"tệp {size // MB} MB lớn quá mức nhận (tối đa {MAX_FILE // MB} MB, tức "
                              f"{MAX_TOTAL // MB} MB tệp đính kèm)")
    return source, size


def read_header(path: str | Path, build) -> Any:  # type: ignore[no-untyped-def]
    """A quick look: the message without its attachments' data (nothing is decoded or written)."""
    source, _size = _sized(path)
    try:
        return build(parse_tree(source, None), None)
    except Refused as exc:
        raise refusal(source, str(exc)) from None


def read_package(path: str | Path, build) -> Package:  # type: ignore[no-untyped-def]
    """Read and check a document message: `build(tree, path)` makes the message from the tree (app.edxml.parse).
    Any refusal leaves nothing behind: the staging folder is removed."""
    source, size = _sized(path)
    staging = Path(tempfile.mkdtemp(prefix="vanthu-edxml-"))
    package = Package(None, source, "", size, staging)  # type: ignore[arg-type]
    try:
        tree = parse_tree(source, staging)
        package.message = build(tree, staging)
        package.sha256 = sha256_of(source)
    except Refused as exc:
        package.close()
        raise refusal(source, str(exc)) from None
    except BaseException:
        package.close()
        raise
    return package


__all__ = ["FIELD", "LABEL", "MAX_ATTACHMENT", "MAX_TOTAL", "Node", "Refused", "check_attachment_name",
           "parse_tree", "read_header", "read_package", "refusal"]
