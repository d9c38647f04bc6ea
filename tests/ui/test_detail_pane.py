"""The detail pane: fields, editing with inline errors, cancel, links (chain, add, remove) and attachments."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidgetItem

from app.core.enums import LinkType
from app.core.records import IncomingInput, OutgoingInput
from app.services import Registry
from app.ui.detail_pane import DetailPane
from tests.ui.keyboard import press, type_text

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def register(reg: Registry, reference: str, issuer: str = "SỞ Y TẾ TỈNH TÂY NINH", issued_on: str = "24/10/2023",
             subject: str = "Tham mưu thực hiện Thông báo", **extra: object) -> int:
    return reg.documents.register_incoming(IncomingInput(
        issuer=issuer, reference=reference, issued_on=issued_on, received_on="24/10/2023", doc_type="Công văn",
        subject=subject, **extra)).id  # type: ignore[arg-type]


@pytest.fixture
def pane(qtbot, state_registry: Registry, monkeypatch: pytest.MonkeyPatch) -> DetailPane:  # type: ignore[no-untyped-def]
    widget = DetailPane(state_registry)
    qtbot.addWidget(widget)
    widget.resize(420, 900)
    widget.show()
    qtbot.waitExposed(widget)
    # No message box may block a test: errors are collected, confirmations answered yes unless a test says no.
    widget.shown_errors = []  # type: ignore[attr-defined]
    monkeypatch.setattr(widget, "show_error", widget.shown_errors.append)  # type: ignore[attr-defined]
    monkeypatch.setattr(widget, "confirm", lambda _title, _text: True)
    return widget


def history(pane: DetailPane) -> list[str]:
    return [pane.history.item(i).text() for i in range(pane.history.count())]


def tree_items(pane: DetailPane) -> list[QTreeWidgetItem]:
    items: list[QTreeWidgetItem] = []

    def walk(item: QTreeWidgetItem) -> None:
        items.append(item)
        for i in range(item.childCount()):
            walk(item.child(i))

    for i in range(pane.links.topLevelItemCount()):
        walk(pane.links.topLevelItem(i))
    return items


def find_item(pane: DetailPane, text: str) -> QTreeWidgetItem:
    return next(item for item in tree_items(pane) if text in item.text(0))


def test_shows_every_field_of_incoming_and_outgoing_entries(pane: DetailPane, state_registry: Registry) -> None:
    doc = register(state_registry, "3646/SYT-VP", urgency="Thượng khẩn", pages="3", note="Bản gốc",
                   file_code="01.VP", received_at="08:15")
    pane.show_document(doc)
    assert pane.header.text() == "Văn bản đến — Số đến 1 — 24/10/2023"
    assert "Chờ trình" in pane.status.text() and pane.banner.isHidden()
    values = pane.form.values()
    assert values["received_on"] == "24/10/2023" and values["received_at"] == "08:15"
    assert values["issuer"] == "SỞ Y TẾ TỈNH TÂY NINH" and values["reference"] == "3646/SYT-VP"
    assert values["issued_on"] == "24/10/2023" and values["doc_type"] == "Công văn"
    assert values["subject"] == "Tham mưu thực hiện Thông báo" and values["urgency"] == "Thượng khẩn"
    assert (values["secrecy"], values["pages"], values["note"], values["file_code"]) == ("", "3", "Bản gốc", "01.VP")
    assert not pane.edit_button.isHidden() and pane.save_button.isHidden()
    assert pane.form.fields["subject"].isReadOnly()
    assert history(pane)[0].endswith("van_thu_test — Vào sổ (số 1)")

    out = state_registry.documents.register_outgoing(OutgoingInput(
        doc_type="Quyết định", subject="Khen thưởng", signer="Trương Văn Hùng", authority="KT.",
        signer_title="Phó Giám đốc", recipients="Như trên; Lưu: VT, VP.", signed_on="05/01/2023"))
    pane.show_document(out.id)
    assert pane.header.text() == "Văn bản đi — Số 01/QĐ-SYT — 05/01/2023"
    values = pane.form.values()
    assert values["reference"] == "01/QĐ-SYT" and values["signer"] == "Trương Văn Hùng"
    assert values["authority"] == "KT." and values["recipients"] == "Như trên\nLưu: VT, VP."
    pane.start_editing()
    assert pane.form.fields["reference"].isReadOnly() and not pane.form.fields["signer"].isReadOnly()

    pane.show_document(None)
    assert pane.header.text() == "Chưa chọn văn bản" and not pane.edit_button.isEnabled()


def test_edit_subject_in_vietnamese_is_saved_and_shown_in_history(qtbot, pane: DetailPane,  # type: ignore[no-untyped-def]
                                                                  state_registry: Registry) -> None:
    doc = register(state_registry, "3646/SYT-VP")
    pane.show_document(doc)
    press(pane.form.fields["subject"], Qt.Key.Key_F2)
    assert pane.editing and not pane.form.fields["subject"].isReadOnly()
    subject = pane.form.fields["subject"]
    subject.selectAll()
    type_text(subject, "Báo cáo kết quả thực hiện Thông báo 1737 của Tỉnh ủy")
    assert pane.changes() == {"subject": "Báo cáo kết quả thực hiện Thông báo 1737 của Tỉnh ủy"}
    with qtbot.waitSignal(pane.document_changed, timeout=2000) as changed:
        qtbot.mouseClick(pane.save_button, Qt.MouseButton.LeftButton)
    assert changed.args == [doc]
    assert state_registry.documents.get(doc).subject == "Báo cáo kết quả thực hiện Thông báo 1737 của Tỉnh ủy"
    assert not pane.editing and pane.form.fields["subject"].isReadOnly()
    assert "— Sửa\n    Trích yếu: Tham mưu thực hiện Thông báo → Báo cáo kết quả thực hiện Thông báo 1737 của " \
           "Tỉnh ủy" in history(pane)[0]


def test_invalid_edit_shows_the_error_under_the_field_and_saves_nothing(qtbot, pane: DetailPane,  # type: ignore[no-untyped-def]
                                                                         state_registry: Registry) -> None:
    doc = register(state_registry, "3646/SYT-VP")
    pane.show_document(doc)
    pane.start_editing()
    issued = pane.form.fields["issued_on"]
    issued.selectAll()
    type_text(issued, "31/02/2023")
    note = pane.form.fields["note"]
    type_text(note, "Đã photo gửi phòng")
    assert pane.save() is False
    error = pane.form.errors["issued_on"]
    assert not error.isHidden() and "'31/02/2023' không phải là ngày có thật" in error.text()
    assert pane.form.errors["note"].isHidden()
    saved = state_registry.documents.get(doc)
    assert saved.issued_on.isoformat() == "2023-10-24" and saved.note == ""
    assert [e.action for e in state_registry.audit.events("document", doc)] == ["create"]
    assert pane.editing and issued.text() == "31/02/2023" and note.toPlainText() == "Đã photo gửi phòng"

    qtbot.mouseClick(pane.discard_button, Qt.MouseButton.LeftButton)  # Bỏ qua
    assert not pane.editing and issued.text() == "24/10/2023" and note.toPlainText() == ""
    assert pane.form.errors["issued_on"].isHidden()


def test_duplicate_edit_asks_before_saving(pane: DetailPane, state_registry: Registry,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    register(state_registry, "3646/SYT-VP")
    doc = register(state_registry, "3647/SYT-VP")
    pane.show_document(doc)
    pane.start_editing()
    reference = pane.form.fields["reference"]
    reference.selectAll()
    type_text(reference, "3646/SYT-VP")
    questions: list[str] = []
    monkeypatch.setattr(pane, "confirm", lambda _title, text: questions.append(text) or False)
    assert pane.save() is False
    assert "đã vào sổ" in questions[0] and state_registry.documents.get(doc).reference == "3647/SYT-VP"
    assert pane.editing and reference.text() == "3646/SYT-VP"
    monkeypatch.setattr(pane, "confirm", lambda _title, _text: True)
    assert pane.save() is True
    assert state_registry.documents.get(doc).reference == "3646/SYT-VP" and not pane.editing


def test_cancel_requires_a_reason_and_shows_the_banner(qtbot, pane: DetailPane,  # type: ignore[no-untyped-def]
                                                       state_registry: Registry) -> None:
    doc = register(state_registry, "3646/SYT-VP")
    pane.show_document(doc)
    dialog = pane.cancel_current()
    assert dialog is not None and not dialog.ok_button.isEnabled()
    type_text(dialog.reason, "Vào sổ nhầm, trùng số đến 1362")
    assert dialog.ok_button.isEnabled()
    with qtbot.waitSignal(pane.document_changed, timeout=2000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    record = state_registry.documents.get(doc)
    assert record.cancelled and record.cancel_reason == "Vào sổ nhầm, trùng số đến 1362"
    assert not pane.banner.isHidden() and pane.banner.text().startswith("ĐÃ HỦY ngày ")
    assert pane.banner.text().endswith("Lý do: Vào sổ nhầm, trùng số đến 1362")
    assert not pane.edit_button.isEnabled() and not pane.cancel_button.isEnabled()
    assert pane.cancel_current() is None
    assert "Hủy văn bản — lý do: Vào sổ nhầm" in history(pane)[0]


def chain(reg: Registry) -> tuple[int, int, int]:
    top = register(reg, "1737-TB/VPTU", "VĂN PHÒNG TỈNH ỦY", "22/09/2023", "Thông báo kết luận của Ban Thường vụ")
    middle = register(reg, "5068/UBND-TH", "UBND TỈNH TÂY NINH", "02/10/2023", "Sao gửi Thông báo 1737")
    bottom = register(reg, "3646/SYT-VP", subject="Sao gửi Thông báo 1737 đến các phòng")
    reg.links.add(middle, LinkType.FORWARDS, top)
    reg.links.add(bottom, LinkType.FORWARDS, middle)
    return top, middle, bottom


def test_forward_chain_is_a_nested_path_upward(qtbot, pane: DetailPane,  # type: ignore[no-untyped-def]
                                              state_registry: Registry) -> None:
    top, middle, bottom = chain(state_registry)
    pane.show_document(bottom)
    root = pane.links.topLevelItem(0)
    assert root.text(0).startswith("3646/SYT-VP") and root.text(0).endswith("(văn bản này)")
    parent = root.child(0)
    grandparent = parent.child(0)
    assert parent.text(0).startswith("Sao gửi / chuyển tiếp: 5068/UBND-TH ngày 02/10/2023")
    assert grandparent.text(0) == "1737-TB/VPTU ngày 22/09/2023\nVĂN PHÒNG TỈNH ỦY"
    assert grandparent.childCount() == 0

    pane.links.scrollToItem(grandparent)
    with qtbot.waitSignal(pane.open_document, timeout=2000) as opened:
        pane.links.itemDoubleClicked.emit(grandparent, 0)
    assert opened.args == [top]

    pane.show_document(top)
    forwarded_by = find_item(pane, "5068/UBND-TH")
    assert forwarded_by.parent().text(0) == "Văn bản liên kết đến văn bản này"
    assert forwarded_by.text(0).startswith("Sao gửi / chuyển tiếp: 5068/UBND-TH")


def test_add_links_through_the_dialog_by_search_without_marks_and_by_reference(
        qtbot, pane: DetailPane, state_registry: Registry) -> None:  # type: ignore[no-untyped-def]
    cited = register(state_registry, "1737-TB/VPTU", "VĂN PHÒNG TỈNH ỦY", "22/09/2023",
                     "Thông báo kết luận của Ban Thường vụ Tỉnh ủy")
    register(state_registry, "99/UBND-TH", "UBND TỈNH TÂY NINH", subject="Kế hoạch phòng chống dịch")
    doc = register(state_registry, "3646/SYT-VP")
    pane.show_document(doc)

    dialog = pane.add_link()
    assert dialog is not None
    dialog.link_type.setCurrentIndex(dialog.link_type.findData(LinkType.CITES))
    type_text(dialog.search_box, "thong bao ket luan")
    qtbot.waitUntil(lambda: dialog.results.count() > 0, timeout=3000)
    assert dialog.results.count() == 1 and "1737-TB/VPTU" in dialog.results.item(0).text()
    with qtbot.waitSignal(pane.document_changed, timeout=2000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    links = state_registry.documents.get(doc).links
    assert [(r.link_type, r.target_id) for r in links] == [(LinkType.CITES, cited)]
    item = find_item(pane, "Căn cứ / viện dẫn: 1737-TB/VPTU")
    assert item.parent().text(0) == "Văn bản này liên kết đến"

    dialog = pane.add_link()
    assert dialog is not None
    dialog.tabs.setCurrentIndex(1)
    type_text(dialog.reference, "5068/UBND-TH")
    type_text(dialog.issued_on, "31/13/2023")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "Ngày văn bản" in dialog.error.text()  # refused, nothing typed lost
    dialog.issued_on.clear()
    type_text(dialog.issued_on, "02/10/2023")
    type_text(dialog.issuer, "UBND tỉnh Tây Ninh")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    pending = find_item(pane, "5068/UBND-TH ngày 02/10/2023\nUBND tỉnh Tây Ninh — chưa có trong sổ")
    assert pending.parent().text(0).endswith("(văn bản này)")  # a forward: the first step of the chain
    assert "Thêm liên kết" in history(pane)[0] and "5068/UBND-TH" in history(pane)[0]


def test_remove_a_link_after_confirmation(qtbot, pane: DetailPane, state_registry: Registry,  # type: ignore[no-untyped-def]
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    top, middle, bottom = chain(state_registry)
    pane.show_document(bottom)
    assert not pane.remove_link_button.isEnabled()
    pane.links.setCurrentItem(find_item(pane, "1737-TB/VPTU"))  # another document's link: not removable here
    assert not pane.remove_link_button.isEnabled()
    pane.links.setCurrentItem(find_item(pane, "5068/UBND-TH"))
    assert pane.remove_link_button.isEnabled()

    monkeypatch.setattr(pane, "confirm", lambda _title, _text: False)
    qtbot.mouseClick(pane.remove_link_button, Qt.MouseButton.LeftButton)
    assert len(state_registry.documents.get(bottom).links) == 1

    monkeypatch.setattr(pane, "confirm", lambda _title, _text: True)
    with qtbot.waitSignal(pane.document_changed, timeout=2000):
        qtbot.mouseClick(pane.remove_link_button, Qt.MouseButton.LeftButton)
    assert state_registry.documents.get(bottom).links == ()
    assert "Chưa có liên kết" in pane.links.topLevelItem(0).text(0)
    assert "— Bỏ liên kết\n    Sao gửi / chuyển tiếp: 5068/UBND-TH" in history(pane)[0]
    assert len(state_registry.documents.get(middle).links) == 1  # the parent's own link stays
    assert pane.shown_errors == []  # type: ignore[attr-defined]


def test_attach_open_and_detach_a_scan(qtbot, pane: DetailPane, state_registry: Registry,  # type: ignore[no-untyped-def]
                                       tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = register(state_registry, "3646/SYT-VP")
    scan = tmp_path / "Bản quét 3646.pdf"
    scan.write_bytes(PDF)
    pane.show_document(doc)
    monkeypatch.setattr(pane, "choose_file", lambda: str(scan))
    with qtbot.waitSignal(pane.document_changed, timeout=2000):
        qtbot.mouseClick(pane.add_file_button, Qt.MouseButton.LeftButton)
    assert pane.files.count() == 1 and pane.files.item(0).text().startswith("Bản quét 3646.pdf — ")
    sha = hashlib.sha256(PDF).hexdigest()
    stored = state_registry.attachments.folder / "attachments" / sha[:2] / f"{sha}.pdf"
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == sha
    assert "Đính kèm tệp: Bản quét 3646.pdf" in history(pane)[0]

    opened: list[Path] = []
    monkeypatch.setattr(pane, "open_path", opened.append)
    pane.files.setCurrentRow(0)
    qtbot.mouseClick(pane.open_file_button, Qt.MouseButton.LeftButton)
    assert opened == [stored]

    assert pane.attach_file(scan)  # the same scan again: read in the background, then refused with the reason
    qtbot.waitUntil(lambda: "đã được đính kèm" in " ".join(pane.shown_errors))  # type: ignore[attr-defined]

    pane.files.setCurrentRow(0)
    qtbot.mouseClick(pane.remove_file_button, Qt.MouseButton.LeftButton)
    assert pane.files.count() == 0 and state_registry.attachments.list(doc) == []
    assert stored.exists()  # detached, never deleted
    assert "Gỡ tệp đính kèm: Bản quét 3646.pdf" in history(pane)[0]
