"""edXML messages in the window: dropped on the incoming registration dialog (fields, sender, files and their signature
verdicts, the reason asked before writing, a hostile file refused), the inbox dock (Enter vào sổ, Delete từ chối)
and the agency page's two settings — real messages, real signed PDFs, a real SQLite register."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from app.core.enums import Direction, Urgency
from app.core.records import DocumentQuery
from app.services import Registry
from app.ui import file_dialogs
from app.ui.detail_files import REASON_QUESTION
from app.ui.edxml_inbox_panel import NOT_SET, PROBLEM, EdxmlInboxPanel, RefusalDialog
from app.ui.main_window import MainWindow
from app.ui.register_dialog import RegisterDialog
from app.ui.settings_dialog import SettingsDialog
from tests import pki
from tests.edxml.messages import Message
from tests.signatures import documents as d
from tests.ui.dialogs import Asked, drop, open_incoming
from tests.ui.keyboard import press, type_text

CTRL = Qt.KeyboardModifier.ControlModifier
REASON = "Đã gọi điện cho Sở Y tế xác nhận"
REFUSAL = "Văn bản gửi nhầm cơ quan"
MAIN = "3646-SYT-VP.pdf"
APPENDIX = "Phụ lục danh sách đơn vị.pdf"


@pytest.fixture
def reg(state_registry: Registry) -> Registry:
    state_registry.settings.set("agency.organ_id", "000.00.31.H53")
    return state_registry


@pytest.fixture
def trusted(reg: Registry, tmp_path: Path, ca: pki.Issued) -> Registry:
    reg.trust.add(ca.write_pem(tmp_path / "root.pem"))
    return reg


def message(tmp_path: Path, who: pki.Issued, ca: pki.Issued, name: str = "3646.edxml", **fields) -> Path:  # type: ignore[no-untyped-def]
    """A message of the Sở Y tế: its signed letter and an unsigned appendix."""
    signed = d.signed(tmp_path, who, ca, f"signed-{name}.pdf").read_bytes()
    appendix = d.letter(tmp_path / f"appendix-{name}.pdf").read_bytes()
    m = Message(attachments=[(MAIN, signed, "application/pdf"), (APPENDIX, appendix, "application/pdf")], **fields)
    return m.write(tmp_path / name)


def incoming(reg: Registry) -> list[int]:
    return reg.documents.search_ids(DocumentQuery(direction=Direction.INCOMING, year=None))


@pytest.fixture
def dialog(qtbot, reg: Registry) -> RegisterDialog:  # type: ignore[no-untyped-def]
    return open_incoming(qtbot, reg, 820)


def save_by_keyboard(dlg: RegisterDialog) -> None:
    press(QApplication.focusWidget() or dlg, Qt.Key.Key_Return, CTRL)


# the registration dialog
def test_dropped_message_fills_the_form_shows_its_files_and_registers_with_them(
        dialog: RegisterDialog, trusted: Registry, tmp_path: Path, ca: pki.Issued, sender: pki.Issued,
        monkeypatch: pytest.MonkeyPatch) -> None:
    asked = Asked(monkeypatch, ("", False))
    path = message(tmp_path, sender, ca, response_for=[{
        "OrganId": "000.00.31.H53", "Code": "12/SNV-VP", "PromulgationDate": "2026/11/20",
        "DocumentId": "000.00.31.H53,2026/11/20,12/SNV-VP"}])
    assert drop(dialog, path)
    assert (dialog.value("issuer"), dialog.value("reference"), dialog.value("issued_on"), dialog.value("doc_type")) \
        == (d.SENDER, "3646/SYT-VP", "01/12/2026", "Công văn")
    assert dialog.value("subject") == "tăng cường phòng, chống dịch sốt xuất huyết mùa mưa năm 2026"
    assert (dialog.value("urgency"), dialog.value("pages")) == (Urgency.KHAN.value, "2")
    assert dialog.inputs["reference"].property("extracted")  # yellow until the clerk passes through it
    edxml = dialog.edxml
    assert edxml is not None and edxml.box.isVisible()
    assert "000.00.12.H53" in edxml.sender.text() and d.SENDER in edxml.sender.text()
    states = {b.text().split("»")[0].split("«")[1]: b.state for b in edxml.banners}
    assert states == {MAIN: "valid", APPENDIX: "none"}  # green, grey; no red "nothing signed" line
    assert "Chữ ký số hợp lệ" in edxml.banners[0].text() and edxml.banners[0].text().startswith("✔")
    assert "Trả lời văn bản 12/SNV-VP ngày 20/11/2026" in edxml.notes.text()
    assert "Trần Thị Hồng Nhung" in edxml.notes.text() and "15/12/2026" in edxml.notes.text()
    assert not edxml.warning.isVisible() and not edxml.skipped.isVisible()
    assert "Đã điền" in dialog.message.text() and "kèm 2 tệp" in dialog.message.text()
    staging = edxml.package.staging
    assert staging is not None and staging.is_dir()
    dialog.grab().save("/tmp/edxml-dialog-drop.png")

    dialog.form.set_value("urgency", "")  # the clerk's "Thường" wins over the message's Khẩn
    dialog.form.set_value("note", "Bản giấy gửi sau")
    assert incoming(trusted) == []
    dialog.inputs["subject"].setFocus()
    save_by_keyboard(dialog)
    assert asked.labels == []  # a good signature is not questioned
    assert dialog.result() == 1 and not dialog.isVisible(), dialog.message.text()
    [doc_id] = incoming(trusted)
    doc = trusted.documents.get(doc_id)
    assert (doc.issuer, doc.reference, doc.number, doc.urgency, doc.note) == (
        d.SENDER, "3646/SYT-VP", 1, None, "Bản giấy gửi sau")
    assert (doc.signer, doc.copies) == ("Trần Thị Hồng Nhung", 15)
    files = trusted.attachments.list(doc_id)
    assert [a.file_name for a in files] == [MAIN, APPENDIX]
    checks = trusted.signatures.latest([a.id for a in files])
    assert [checks[a.id].status for a in files] == ["valid", "none"]
    assert [m["kind"] for m in trusted.edxml.messages(doc_id)] == ["received"]
    assert not staging.exists() and edxml.package is None  # the staged files went with the message


def test_a_duplicate_message_is_warned_at_the_drop_and_offered_at_saving(
        dialog: RegisterDialog, trusted: Registry, tmp_path: Path, ca: pki.Issued, sender: pki.Issued) -> None:
    path = message(tmp_path, sender, ca)
    first = trusted.edxml.import_file(path).document
    assert drop(dialog, path)
    edxml = dialog.edxml
    assert edxml is not None and edxml.warning.isVisible()
    assert edxml.warning.text().startswith("⚠ Có thể trùng") and "--allow-duplicate" not in edxml.warning.text()
    assert dialog.save(close=False) is None and incoming(trusted) == [first.id]
    assert dialog.banner.isVisible() and "--allow-duplicate" not in dialog.banner.label.text()
    dialog.banner.force_button.click()  # Vẫn vào sổ
    assert len(incoming(trusted)) == 2, dialog.message.text()
    assert dialog.last_record is not None and dialog.last_record.number == 2


def test_untrusted_signature_asks_the_reason_before_writing_and_keeps_it(
        dialog: RegisterDialog, reg: Registry, tmp_path: Path, ca: pki.Issued, sender: pki.Issued,
        monkeypatch: pytest.MonkeyPatch) -> None:
    asked = Asked(monkeypatch, ("", False))  # first the clerk cancels
    assert drop(dialog, message(tmp_path, sender, ca))
    edxml = dialog.edxml
    assert edxml is not None and edxml.banners[0].state == "untrusted" and edxml.banners[0].text().startswith("!")
    dialog.grab().save("/tmp/edxml-dialog-untrusted.png")
    typed = {name: dialog.value(name) for name in dialog.inputs}
    assert dialog.save(close=True) is None
    assert len(asked.labels) == 1 and incoming(reg) == []  # asked before anything was written
    assert "chưa được tin cậy" in asked.labels[0] and REASON_QUESTION in asked.labels[0]
    assert dialog.message.text().startswith("Chưa vào sổ, chưa ghi gì") and MAIN in dialog.message.text()
    assert dialog.isVisible() and {name: dialog.value(name) for name in dialog.inputs} == typed
    assert edxml.package is not None  # still to be registered

    asked.answer = (REASON, True)
    record = dialog.save(close=False)
    assert record is not None, dialog.message.text()
    assert len(asked.labels) == 2 and incoming(reg) == [record.id]
    files = {a.file_name: a.id for a in reg.attachments.list(record.id)}
    checks = reg.signatures.latest(list(files.values()))
    assert checks[files[MAIN]].status == "untrusted" and checks[files[MAIN]].confirmed_reason == REASON
    assert checks[files[APPENDIX]].confirmed_reason is None  # an unsigned appendix needs no reason
    assert not edxml.box.isVisible()  # the next document starts without the message


def test_a_hostile_message_is_refused_with_its_reason_and_changes_nothing(
        dialog: RegisterDialog, reg: Registry, tmp_path: Path) -> None:
    dialog.inputs["issuer"].setText("Sở Tài chính")  # type: ignore[union-attr]
    hostile = tmp_path / "hostile.edxml"
    hostile.write_text('<?xml version="1.0"?>\n<!DOCTYPE edXML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
                       "<edXML>&xxe;</edXML>\n", encoding="utf-8")
    assert not drop(dialog, hostile)
    assert "DOCTYPE" in dialog.message.text() and "hostile.edxml" in dialog.message.text()
    assert dialog.message.property("kind") == "error"
    assert dialog.value("issuer") == "Sở Tài chính" and dialog.value("reference") == ""
    assert dialog.edxml is not None and dialog.edxml.package is None and not dialog.edxml.box.isVisible()
    dialog.grab().save("/tmp/edxml-dialog-hostile.png")
    assert dialog.save(close=False) is None  # what stands is the typed form, which lacks its số, ký hiệu
    assert incoming(reg) == []


def test_opening_a_message_with_the_file_button_and_a_text_after_it_lets_it_go(
        qtbot, dialog: RegisterDialog, reg: Registry, tmp_path: Path, ca: pki.Issued, sender: pki.Issued,  # type: ignore[no-untyped-def]
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = message(tmp_path, sender, ca)
    monkeypatch.setattr(file_dialogs, "open_file", lambda *_a, **_k: str(path))  # the clerk's pick
    assert dialog.text_fill is not None and dialog.edxml is not None
    qtbot.mouseClick(dialog.text_fill.open_button, Qt.MouseButton.LeftButton)  # "Đọc từ tệp…"
    assert dialog.edxml.package is not None and dialog.value("reference") == "3646/SYT-VP"
    staging = dialog.edxml.package.staging
    assert dialog.text_fill.from_text("UBND TỈNH TÂY NINH\nSỞ TÀI CHÍNH\nSố: 77/STC-NS\nTây Ninh, ngày 02 tháng 12 "
                                      "năm 2026\nV/v quyết toán ngân sách\n")
    assert dialog.edxml.package is None and not staging.exists() and not dialog.edxml.box.isVisible()
    assert dialog.value("reference") == "77/STC-NS"


# the inbox dock
@pytest.fixture
def inbox(trusted: Registry, tmp_path: Path, ca: pki.Issued, sender: pki.Issued) -> Path:
    folder = tmp_path / "Hộp thư edXML"
    folder.mkdir()
    message(tmp_path, sender, ca, name="3646.edxml").rename(folder / "3646.edxml")
    message(tmp_path, sender, ca, name="88.edxml", number="88", notation="SYT-NVY", date="2026/12/03",
            subject="V/v báo cáo tình hình dịch bệnh tháng 11", document_id="000.00.12.H53,2026/12/03,88/SYT-NVY"
            ).rename(folder / "88.edxml")
    trusted.settings.set("edxml.inbox", str(folder))
    return folder


@pytest.fixture
def panel(qtbot, trusted: Registry, inbox: Path) -> EdxmlInboxPanel:  # type: ignore[no-untyped-def]
    widget = EdxmlInboxPanel(trusted)
    qtbot.addWidget(widget)
    widget.resize(1000, 260)
    widget.show()
    return widget


def rows(panel: EdxmlInboxPanel) -> list[list[str]]:
    tree = panel.tree
    return [[tree.topLevelItem(r).text(c) for c in range(tree.columnCount())] for r in range(tree.topLevelItemCount())]


def test_inbox_lists_the_files_enter_registers_one_delete_refuses_the_other(
        qtbot, panel: EdxmlInboxPanel, trusted: Registry, inbox: Path) -> None:  # type: ignore[no-untyped-def]
    titles: list[str] = []
    panel.title_changed.connect(titles.append)
    registered: list[object] = []
    panel.registered.connect(registered.append)
    assert [r[:3] for r in rows(panel)] == [[d.SENDER, "3646/SYT-VP", "01/12/2026"],
                                            [d.SENDER, "88/SYT-NVY", "03/12/2026"]]
    assert rows(panel)[1][3] == "Công văn: báo cáo tình hình dịch bệnh tháng 11"
    assert str(inbox) in panel.heading.text()
    panel.grab().save("/tmp/edxml-inbox-two.png")

    panel.tree.setFocus()
    panel.select(inbox / "3646.edxml")
    press(panel.tree, Qt.Key.Key_Return)
    [doc_id] = incoming(trusted)
    doc = trusted.documents.get(doc_id)
    assert [r.id for r in registered] == [doc_id] and doc.reference == "3646/SYT-VP"  # type: ignore[attr-defined]
    assert [a.file_name for a in trusted.attachments.list(doc_id)] == [MAIN, APPENDIX]
    assert not (inbox / "3646.edxml").exists() and (inbox / "Đã vào sổ" / "3646.edxml").is_file()
    assert [r[1] for r in rows(panel)] == ["88/SYT-NVY"] and titles[-1] == "Văn bản điện tử chờ vào sổ (1)"
    assert "Đã vào sổ số đến 1" in panel.message.text()

    def answer() -> None:  # the real dialog, as the clerk fills it
        refusal = QApplication.activeModalWidget()
        assert isinstance(refusal, RefusalDialog)
        assert refusal.write_status.isChecked() and not refusal.ok.isEnabled()  # a reason is required
        type_text(refusal.reason, REFUSAL)
        refusal.grab().save("/tmp/edxml-refusal.png")
        refusal.ok.click()

    QTimer.singleShot(0, answer)
    press(panel.tree, Qt.Key.Key_Delete)
    refused = inbox / "Đã từ chối"
    status = refused / "88.tu-choi.xml"
    assert (refused / "88.edxml").is_file() and not (inbox / "88.edxml").exists()
    assert status.is_file()
    text = status.read_text(encoding="utf-8")
    assert REFUSAL in text and "000.00.12.H53,2026/12/03,88/SYT-NVY" in text
    assert str(status) in panel.message.text() and panel.message.property("kind") == "ok"
    assert rows(panel) == [] and titles[-1] == "Văn bản điện tử chờ vào sổ (0)"
    assert len(incoming(trusted)) == 1  # a refusal registers nothing
    assert {"edxml_refuse", "edxml_status"} <= {e.action for e in trusted.audit.events("edxml_message")}


def test_inbox_shows_an_unreadable_file_and_asks_about_a_duplicate(
        qtbot, panel: EdxmlInboxPanel, trusted: Registry, inbox: Path,  # type: ignore[no-untyped-def]
        monkeypatch: pytest.MonkeyPatch) -> None:
    (inbox / "hỏng.edxml").write_text("<edXML><không đóng", encoding="utf-8")  # the watcher sees it come
    qtbot.waitUntil(lambda: len(rows(panel)) == 3, timeout=5000)
    broken = rows(panel)[2]
    assert broken[0] == "«hỏng.edxml»" and broken[3].startswith("Không đọc được")
    assert panel.tree.topLevelItem(2).foreground(3).color() == PROBLEM
    panel.select(inbox / "hỏng.edxml")
    assert not panel.register_button.isEnabled() and panel.refuse_button.isEnabled()
    panel.select(inbox / "88.edxml")
    panel.grab().save("/tmp/edxml-inbox-unreadable.png")

    # the same message as an entry already registered: asked, "Bỏ qua" leaves the file waiting
    first = trusted.edxml.import_file(inbox / "3646.edxml").document
    panel.refresh()  # the list says so before Enter is pressed
    listed = next(r for r in rows(panel) if r[1] == "3646/SYT-VP")
    assert listed[3].startswith(f"(Đã vào sổ, số đến {first.number}/{first.year}) Công văn:")
    asked: list[str] = []
    monkeypatch.setattr(panel, "confirm_duplicate", lambda text: asked.append(text) is None and False)
    panel.select(inbox / "3646.edxml")
    assert panel.register_selected() is None
    assert len(asked) == 1 and "3646/SYT-VP" in asked[0] and "--allow-duplicate" not in asked[0]
    assert (inbox / "3646.edxml").is_file() and incoming(trusted) == [first.id]
    assert "Đã bỏ qua" in panel.message.text()

    # then "Vẫn vào sổ": a second entry, with a new số đến
    monkeypatch.setattr(panel, "confirm_duplicate", lambda text: True)
    result = panel.register_selected()
    assert result is not None and result.document.number == 2 and len(incoming(trusted)) == 2
    assert (inbox / "Đã vào sổ" / "3646.edxml").is_file()


def test_untrusted_file_in_the_inbox_asks_the_reason_before_writing(
        qtbot, reg: Registry, tmp_path: Path, ca: pki.Issued, sender: pki.Issued,  # type: ignore[no-untyped-def]
        monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    message(tmp_path, sender, ca, name="x.edxml").rename(folder / "3646.edxml")
    reg.settings.set("edxml.inbox", str(folder))
    widget = EdxmlInboxPanel(reg)
    qtbot.addWidget(widget)
    answers: list[str | None] = [None, REASON]
    asked: list[str] = []
    monkeypatch.setattr(widget, "ask_reason", lambda name, verdict: asked.append(verdict) or answers.pop(0))
    assert widget.register_selected() is None  # no reason: nothing written, the file waits
    assert incoming(reg) == [] and (folder / "3646.edxml").is_file() and "chưa ghi gì" in widget.message.text()
    result = widget.register_selected()
    assert result is not None and len(asked) == 2 and "chưa được tin cậy" in asked[0]
    files = {a.file_name: a.id for a in result.attachments}
    assert reg.signatures.latest([files[MAIN]])[files[MAIN]].confirmed_reason == REASON


def test_inbox_without_a_folder_says_where_to_set_it(qtbot, reg: Registry) -> None:  # type: ignore[no-untyped-def]
    widget = EdxmlInboxPanel(reg)
    qtbot.addWidget(widget)
    assert widget.heading.text() == NOT_SET and "Cài đặt → Cơ quan" in NOT_SET
    assert rows(widget) == [] and not widget.register_button.isEnabled() and not widget.refuse_button.isEnabled()


def test_main_window_docks_the_inbox_and_shows_what_it_registers(
        qtbot, trusted: Registry, inbox: Path) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(trusted)
    qtbot.addWidget(window)
    window.show()
    window.wait_loaded()
    dock = window.inbox_dock
    assert dock.isVisible() and dock.windowTitle() == "Văn bản điện tử chờ vào sổ (2)"
    window.show_overdue()  # Ctrl+H: the overdue list comes as a tab beside it
    assert window.tabifiedDockWidgets(dock) == [window.overdue_dock]
    window.actions_by_key["edxml_inbox"].trigger()
    assert window.inbox_panel.tree.hasFocus()
    press(window.inbox_panel.tree, Qt.Key.Key_Return)
    window.wait_loaded()
    [doc_id] = incoming(trusted)
    assert doc_id in window.pages[0].model.ids and dock.windowTitle() == "Văn bản điện tử chờ vào sổ (1)"
    window.grab().save("/tmp/edxml-main-window.png")


# the agency settings page
def test_agency_page_saves_the_organ_id_and_the_inbox_folder(qtbot, registry: Registry, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = SettingsDialog(registry)
    qtbot.addWidget(dialog, before_close_func=lambda d: d.hide())  # ends with refused values typed: ask nothing
    dialog.show()
    page = dialog.agency_page
    type_text(page.organ_id, "000.00.31.H53")
    folder = tmp_path / "Văn bản điện tử đến"
    folder.mkdir()
    monkeypatch.setattr(file_dialogs, "choose_folder", lambda *_a, **_k: str(folder))
    qtbot.mouseClick(page.choose_inbox_button, Qt.MouseButton.LeftButton)  # "Chọn…"
    assert page.inbox.text() == str(folder)
    press(page.organ_id, Qt.Key.Key_Return)
    stored = registry.settings.all()
    assert (stored["agency.organ_id"], stored["edxml.inbox"]) == ("000.00.31.H53", str(folder))
    assert registry.edxml_inbox.folder() == folder
    assert "Đã lưu 2 mục" in page.status.text()
    dialog.grab().save("/tmp/edxml-settings.png")

    page.organ_id.clear()
    type_text(page.organ_id, "mã sai!")
    page.inbox.setText(str(tmp_path / "không có"))
    page.save()
    assert page.form.errors["agency.organ_id"].isVisible() and page.form.errors["edxml.inbox"].isVisible()
    assert "không có thư mục" in page.form.errors["edxml.inbox"].text()
    assert registry.settings.all()["agency.organ_id"] == "000.00.31.H53"  # a refusal keeps what was saved


def test_a_closed_window_reads_its_inbox_no_more(qtbot, registry: Registry) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(registry)
    qtbot.addWidget(window)
    window.show()
    window.wait_loaded()
    panel = window.inbox_panel
    assert panel.timer.isActive()
    window.close()
    assert not panel.timer.isActive() and not panel._soon.isActive() and panel.watcher.signalsBlocked()
