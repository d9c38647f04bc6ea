"""Broken and hostile edXML files are refused with a Vietnamese reason naming the element; nothing is written, no
decoded file is left behind, no entity is expanded and nothing is fetched."""

from __future__ import annotations

import base64
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from app.core.enums import Direction
from app.core.errors import ValidationError
from app.edxml import reader
from app.services import Registry
from tests.edxml.messages import NS, Message

PDF = b"%PDF-1.4\n" + b"0" * 2000 + b"\n%%EOF\n"


def _good() -> Message:
    return Message(attachments=[("3646.pdf", PDF, "application/pdf")])


def _replace(old: bytes, new: bytes) -> Callable[[bytes], bytes]:
    def change(xml: bytes) -> bytes:
        assert old in xml
        return xml.replace(old, new, 1)

    return change


def _drop(tag: str) -> Callable[[bytes], bytes]:
    def change(xml: bytes) -> bytes:
        start = xml.index(f"<edXML:{tag}>".encode())
        end = xml.index(f"</edXML:{tag}>".encode()) + len(f"</edXML:{tag}>")
        return xml[:start] + xml[end:]

    return change


CASES: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "malformed": (_replace(b"</edXML:Subject>", b"</edXML:Subjec>"), "thẻ đóng không khớp"),
    "truncated": (lambda xml: xml[: len(xml) * 2 // 3], "tệp bị cắt cụt"),
    "wrong namespace": (lambda xml: xml.replace(NS.encode(), b"http://example.org/edxml"), "namespace"),
    "not xml": (lambda _xml: b"%PDF-1.4 this is a PDF renamed .edxml", "sai cú pháp XML"),
    "empty": (lambda _xml: b"", "tệp rỗng"),
    "no subject": (_drop("Subject"), "MessageHeader/Subject"),
    "no notation": (_drop("CodeNotation"), "Code/CodeNotation"),
    "no date": (_drop("PromulgationDate"), "PromulgationInfo/PromulgationDate"),
    "no type": (_drop("TypeName"), "DocumentType/TypeName"),
    "no sender": (_drop("From"), "MessageHeader/From"),
    "bad date": (_replace(b"<edXML:PromulgationDate>2026/12/01", b"<edXML:PromulgationDate>01/12/2026"),
                 "PromulgationDate «01/12/2026» không phải ngày dạng YYYY/MM/DD"),
    "bad page count": (_replace(b"<edXML:PageAmount>2", b"<edXML:PageAmount>hai"), "PageAmount «hai»"),
    "xxe": (lambda xml: xml.replace(b"<edXML ", b'<!DOCTYPE edXML [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                                    b"<edXML ", 1).replace(b"<edXML:Content>", b"<edXML:Content>&x;", 1),
            "DOCTYPE"),
    "entity bomb": (lambda xml: xml.replace(b"<edXML ", b'<!DOCTYPE edXML [<!ENTITY a "aaaaaaaaaa">'
                                            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                                            b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><edXML ', 1)
                    .replace(b"<edXML:Content>", b"<edXML:Content>&c;", 1), "bom thực thể"),
    "external dtd": (lambda xml: xml.replace(b"<edXML ", b'<!DOCTYPE edXML SYSTEM "http://127.0.0.1:9/x.dtd">'
                                             b"<edXML ", 1), "DOCTYPE"),
    "undeclared entity": (_replace(b"<edXML:Content>", b"<edXML:Content>&secret;"), "thực thể"),
    "bad base64": (_replace(b"<ContentTransferEncoded>", b"<ContentTransferEncoded>@@@@"), "base64"),
    "path in name": (_replace(b"<AttachmentName>3646.pdf", b"<AttachmentName>../../.bashrc.pdf"),
                     "AttachmentName của Attachment thứ 1 «../../.bashrc.pdf» là một đường dẫn"),
    "absolute name": (_replace(b"<AttachmentName>3646.pdf", b"<AttachmentName>/etc/cron.d/x.pdf"), "đường dẫn"),
    "windows name": (_replace(b"<AttachmentName>3646.pdf", b"<AttachmentName>C:\\Windows\\x.pdf"), "đường dẫn"),
    "missing attachment": (lambda xml: xml[:xml.index(b"<AttachmentEncoded>")] + b"</edXML>\n",
                           "edXMLManifest có tệp «3646.pdf» nhưng AttachmentEncoded không có tệp đó"),
    "status message": (lambda _xml: f'<Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/"><Header>'
                       f'<Status xmlns="{NS}"/></Header></Envelope>'.encode(), "thông điệp trạng thái"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_bad_message_is_refused_naming_what_is_wrong(registry: Registry, tmp_path: Path, case: str,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    change, says = CASES[case]
    path = tmp_path / "hostile.edxml"
    path.write_bytes(change(_good().xml()))
    staging = tmp_path / "tmp"  # this test's own temporary folder: whatever a refusal leaves is seen here
    staging.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(staging))
    with pytest.raises(ValidationError) as refused:
        registry.edxml.import_file(path)
    message = str(refused.value)
    assert says in message and "«hostile.edxml»" in message and "Chưa ghi gì vào sổ" in message
    assert "root:" not in message  # nothing of /etc/passwd came through
    assert registry.documents.list(Direction.INCOMING) == []
    assert [e for e in registry.audit.events() if e.action.startswith("edxml")] == []
    assert list(staging.iterdir()) == []


def test_the_good_message_itself_is_accepted(registry: Registry, tmp_path: Path) -> None:
    """The cases above differ from a message that reads (so each refusal is the change's doing)."""
    with registry.edxml.read(_good().write(tmp_path / "good.edxml")) as package:
        assert package.message.attachments[0].path.read_bytes() == PDF


def test_an_attachment_of_hundreds_of_megabytes_is_refused_while_streaming(registry: Registry,
                                                                            tmp_path: Path) -> None:
    """A 150 MB file (about 200 MB of base64) stops at the limit, read in pieces and never held whole."""
    xml = _good().xml()
    head, tail = xml.split(base64.encodebytes(PDF))
    path = tmp_path / "huge.edxml"
    line = base64.encodebytes(b"\x00" * 57 * 20000)  # 1.1 MB of decoded bytes per write
    with path.open("wb") as out:
        out.write(head)
        for _ in range(150 * 1024 * 1024 // (57 * 20000)):
            out.write(line)
        out.write(tail)
    assert path.stat().st_size > 190 * 1024 * 1024
    started = time.perf_counter()
    with pytest.raises(ValidationError, match=r"Attachment thứ 1: ContentTransferEncoded lớn quá mức nhận "
                                              r"\(tệp đính kèm tối đa 100 MB\)"):
        registry.edxml.import_file(path)
    assert time.perf_counter() - started < 60
    assert registry.documents.list(Direction.INCOMING) == []


def test_a_file_bigger_than_any_message_is_refused_before_it_is_read(registry: Registry, tmp_path: Path) -> None:
    path = tmp_path / "sparse.edxml"
    with path.open("wb") as out:
        out.truncate(reader.MAX_FILE + 1)  # a sparse file: its size alone refuses it
    with pytest.raises(ValidationError, match=r"lớn quá mức nhận \(tối đa 349 MB"):
        registry.edxml.import_file(path)
