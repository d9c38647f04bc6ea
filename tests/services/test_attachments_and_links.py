"""Attachments (content-addressed store, refusals, detach) and link maintenance (unlink, forwarding chain)."""

from __future__ import annotations

import hashlib
import os
from datetime import date
from pathlib import Path

import pytest

from app.core.enums import LinkType
from app.core.errors import NotFoundError, ValidationError, VanThuError
from app.core.records import IncomingInput
from app.models import DocumentLink
from app.services import Registry
from app.services import attachments as store

pytestmark = pytest.mark.both_engines

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def incoming(reg: Registry, reference: str, issuer: str = "SỞ Y TẾ", issued_on: str = "24/10/2023",
             subject: str = "Tham mưu thực hiện Thông báo") -> int:
    return reg.documents.register_incoming(IncomingInput(
        issuer=issuer, reference=reference, issued_on=issued_on, received_on="24/10/2023",
        doc_type="Công văn", subject=subject)).id


def scan(tmp_path: Path, name: str = "quet.pdf", data: bytes = PDF) -> Path:
    path = tmp_path / "scans" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.mark.sqlite_only  # the data folder beside the .sqlite3 file
def test_attach_copies_into_the_data_folder_under_its_hash(state_registry: Registry, tmp_path: Path,
                                                           db_path: Path) -> None:
    doc = incoming(state_registry, "3646/SYT-VP")
    source = scan(tmp_path, "Công văn 3646.PDF")
    record = state_registry.attachments.attach(doc, source)
    sha = hashlib.sha256(PDF).hexdigest()
    assert (record.document_id, record.file_name, record.sha256, record.size) == (doc, "Công văn 3646.PDF", sha,
                                                                                 len(PDF))
    assert record.added_by == "van_thu_test" and not record.removed
    stored = db_path.parent / "attachments" / sha[:2] / f"{sha}.pdf"
    assert stored.read_bytes() == PDF
    assert state_registry.attachments.folder == db_path.parent
    assert state_registry.attachments.path(record.id) == stored
    assert state_registry.attachments.list(doc) == [record]
    source.unlink()  # the register keeps its own copy
    assert state_registry.attachments.path(record.id).read_bytes() == PDF
    event = state_registry.audit.events("document", doc)[0]
    assert (event.action, event.after["file_name"], event.after["sha256"]) == ("attach", "Công văn 3646.PDF", sha)
    assert not [p for p in stored.parent.parent.iterdir() if p.name.startswith(".incoming")]


def test_same_file_twice_is_refused_but_other_documents_share_the_copy(state_registry: Registry,
                                                                       tmp_path: Path) -> None:
    first, second = incoming(state_registry, "1/SYT-VP"), incoming(state_registry, "2/SYT-VP")
    a = state_registry.attachments.attach(first, scan(tmp_path))
    with pytest.raises(ValidationError) as caught:
        state_registry.attachments.attach(first, scan(tmp_path, "ban khac ten.pdf"))
    assert caught.value.errors[0].label == "Tệp đính kèm"
    assert "đã được đính kèm vào văn bản" in str(caught.value)
    b = state_registry.attachments.attach(second, scan(tmp_path))
    assert state_registry.attachments.path(a.id) == state_registry.attachments.path(b.id)
    assert len(state_registry.attachments.list(first)) == 1


@pytest.mark.parametrize("name, data, text", [
    ("rong.pdf", b"", "rỗng"),
    ("chuong_trinh.exe", b"MZ...", "chỉ nhận bản quét PDF hoặc ảnh"),
])
def test_bad_files_are_refused_on_the_attachment_field(state_registry: Registry, tmp_path: Path, name: str,
                                                       data: bytes, text: str) -> None:
    doc = incoming(state_registry, "1/SYT-VP")
    with pytest.raises(ValidationError) as caught:
        state_registry.attachments.attach(doc, scan(tmp_path, name, data))
    error = caught.value.errors[0]
    assert (error.field, error.label) == ("file", "Tệp đính kèm") and text in error.message
    assert state_registry.attachments.list(doc) == []


def test_missing_unreadable_and_oversized_files(state_registry: Registry, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    doc = incoming(state_registry, "1/SYT-VP")
    with pytest.raises(ValidationError, match="Tệp đính kèm: không tìm thấy tệp"):
        state_registry.attachments.attach(doc, tmp_path / "khong_co.pdf")
    with pytest.raises(ValidationError, match="không phải là một tệp"):
        state_registry.attachments.attach(doc, tmp_path)
    if os.name == "posix" and os.geteuid() != 0:
        locked = scan(tmp_path, "khoa.pdf")
        locked.chmod(0)
        with pytest.raises(ValidationError, match="không đọc được tệp khoa.pdf"):
            state_registry.attachments.attach(doc, locked)
    monkeypatch.setattr(store, "MAX_SIZE", 10)
    with pytest.raises(ValidationError, match="tối đa 10 byte"):
        state_registry.attachments.attach(doc, scan(tmp_path))
    with pytest.raises(NotFoundError):
        state_registry.attachments.attach(9999, scan(tmp_path, "khac.pdf", PDF + b"x"))
    assert state_registry.attachments.list(doc) == []


def test_changed_or_missing_stored_copy_is_reported(state_registry: Registry, tmp_path: Path) -> None:
    doc = incoming(state_registry, "1/SYT-VP")
    record = state_registry.attachments.attach(doc, scan(tmp_path, "anh.JPG", b"\xff\xd8\xff image bytes"))
    stored = state_registry.attachments.path(record.id)
    assert stored.suffix == ".jpg"
    stored.write_bytes(b"\xff\xd8\xff IMAGE BYTES")  # same size, other content
    with pytest.raises(VanThuError, match="đã bị thay đổi sau khi đính kèm"):
        state_registry.attachments.path(record.id)
    stored.unlink()
    with pytest.raises(NotFoundError, match="không còn trong thư mục dữ liệu"):
        state_registry.attachments.path(record.id)
    # Attaching the scan again (to another entry) repairs the stored copy.
    other = incoming(state_registry, "2/SYT-VP")
    state_registry.attachments.attach(other, scan(tmp_path, "anh.JPG", b"\xff\xd8\xff image bytes"))
    assert state_registry.attachments.path(record.id).read_bytes() == b"\xff\xd8\xff image bytes"


def test_detach_keeps_the_row_the_bytes_and_the_history(state_registry: Registry, tmp_path: Path) -> None:
    doc = incoming(state_registry, "1/SYT-VP")
    record = state_registry.attachments.attach(doc, scan(tmp_path))
    path = state_registry.attachments.path(record.id)
    removed = state_registry.attachments.detach(record.id)
    assert removed.removed and removed.removed_by == "van_thu_test"
    assert state_registry.attachments.list(doc) == []
    assert state_registry.attachments.list(doc, include_removed=True) == [removed]
    assert path.read_bytes() == PDF
    with pytest.raises(ValidationError, match="đã được gỡ"):
        state_registry.attachments.detach(record.id)
    with pytest.raises(NotFoundError):
        state_registry.attachments.detach(4242)
    assert [e.action for e in state_registry.audit.events("document", doc)][:2] == ["detach", "attach"]
    # Once detached, the same scan may be attached again.
    assert state_registry.attachments.attach(doc, scan(tmp_path)).id != record.id


def test_data_folder_for_server_and_memory_databases() -> None:
    import platformdirs

    user_dir = Path(platformdirs.user_data_dir("SoVanThu", appauthor=False))
    assert store.data_folder("postgresql+psycopg://u:p@host/db") == user_dir
    assert store.data_folder("sqlite://") == user_dir
    assert store.data_folder("sqlite:////srv/vanthu/so.sqlite3") == Path("/srv/vanthu").resolve()


def chain(reg: Registry) -> tuple[int, int, int]:
    """Tỉnh ủy's notice, forwarded by UBND tỉnh, forwarded by Sở Y tế (DOMAIN.md §4)."""
    top = incoming(reg, "1737-TB/VPTU", "VĂN PHÒNG TỈNH ỦY", "22/09/2023", "Thông báo kết luận")
    middle = incoming(reg, "5068/UBND-TH", "UBND TỈNH TÂY NINH", "02/10/2023", "Sao gửi Thông báo 1737")
    bottom = incoming(reg, "3646/SYT-VP", "SỞ Y TẾ", "24/10/2023", "Sao gửi Thông báo 1737")
    reg.links.add(middle, LinkType.FORWARDS, top)
    reg.links.add(bottom, LinkType.FORWARDS, middle)
    return top, middle, bottom


def test_forward_chain_goes_up_in_order_and_lists_links_to_the_document(state_registry: Registry) -> None:
    top, middle, bottom = chain(state_registry)
    reply = incoming(state_registry, "12/PYT-VP", "PHÒNG Y TẾ", "24/10/2023", "Báo cáo thực hiện")
    state_registry.links.add(reply, LinkType.REPLIES_TO, bottom)
    cites = state_registry.links.add(bottom, LinkType.CITES, "15/QĐ-UBND", date(2023, 1, 5), "UBND TỈNH TÂY NINH")

    result = state_registry.links.forward_chain(bottom)
    assert result.label.startswith("3646/SYT-VP ngày 24/10/2023")
    assert [s.document_id for s in result.ancestors] == [middle, top]
    assert [s.label.split(" ")[0] for s in result.ancestors] == ["5068/UBND-TH", "1737-TB/VPTU"]
    assert not result.cycle
    assert [(r.id, r.link_type) for r in result.links_from] == [(cites.id, LinkType.CITES)]
    assert [(r.source_id, r.link_type) for r in result.links_to] == [(reply, LinkType.REPLIES_TO)]

    up = state_registry.links.forward_chain(top)
    assert up.ancestors == ()
    assert [(r.source_id, r.link_type) for r in up.links_to] == [(middle, LinkType.FORWARDS)]
    assert result.to_dict()["ancestors"][0]["document_id"] == middle


def test_forward_chain_stops_at_a_pending_reference(state_registry: Registry) -> None:
    doc = incoming(state_registry, "5068/UBND-TH", "UBND TỈNH TÂY NINH", "02/10/2023")
    child = incoming(state_registry, "3646/SYT-VP")
    state_registry.links.add(child, LinkType.FORWARDS, doc)
    state_registry.links.add(doc, LinkType.FORWARDS, "1737-TB/VPTU", date(2023, 9, 22), "Văn phòng Tỉnh ủy")
    steps = state_registry.links.forward_chain(child).ancestors
    assert steps[0].document_id == doc
    assert steps[1].document_id is None
    assert steps[1].label == "1737-TB/VPTU ngày 22/09/2023 (Văn phòng Tỉnh ủy) — chưa có trong sổ"
    assert len(steps) == 2


def test_forward_chain_cuts_a_cycle(state_registry: Registry) -> None:
    a, b = incoming(state_registry, "1/SYT-VP"), incoming(state_registry, "2/SYT-VP")
    state_registry.links.add(a, LinkType.FORWARDS, b)
    # add_link refuses cycles; a pending reference resolved later can still close one, so write it directly.
    with state_registry.db.writing() as s:
        s.add(DocumentLink(source_id=b, link_type=LinkType.FORWARDS, target_id=a, created_by="test"))
    result = state_registry.links.forward_chain(a)
    assert [s.document_id for s in result.ancestors] == [b] and result.cycle


def test_unlink_deletes_the_link_and_audits_it(state_registry: Registry) -> None:
    top, middle, bottom = chain(state_registry)
    link = next(r for r in state_registry.documents.get(bottom).links if r.target_id == middle)
    removed = state_registry.links.remove(link.id)
    assert removed.id == link.id and removed.other_label.startswith("5068/UBND-TH")
    assert state_registry.documents.get(bottom).links == ()
    assert state_registry.links.forward_chain(bottom).ancestors == ()
    event = state_registry.audit.events("document", bottom)[0]
    assert event.action == "unlink" and event.before is not None and event.after is None
    assert (event.before["link_id"], event.before["target_id"], event.before["link_type"]) == (link.id, middle,
                                                                                              "forwards")
    with pytest.raises(NotFoundError):
        state_registry.links.remove(link.id)
    with pytest.raises(NotFoundError):
        state_registry.links.forward_chain(9999)
