"""Ký số và phát hành, Tạo bản sao điện tử: the dialog driven like a clerk, with a real .p12 from the test PKI, a
reportlab draft in Liberation Serif and a Pillow seal, on a real register file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QPushButton

from app.core.access import Permission
from app.core.enums import Direction, LinkType
from app.core.records import IncomingInput, OutgoingInput
from app.services import Registry
from app.signatures.placement import MM
from app.ui import file_dialogs
from app.ui.main_window import MainWindow
from app.ui.permissions import denied_text
from app.ui.sign_dialog import SignDialog
from app.ui.tasks import BackgroundTasks
from tests import pki
from tests.signatures import documents
from tests.ui.keyboard import type_text

AGENCY = "Sở Nội vụ tỉnh Tây Ninh"
SIGNER = "Nguyễn Văn An"
PASSWORD = "mật-khẩu-1"
NAME_AT = documents.NAME_AT  # where the draft writes the signer's name, in points from the bottom left
SHOTS = Path("/tmp")


def draft_pdf(path: Path, signer: str = SIGNER, pages: int = 2) -> Path:
    """A công văn whose last page ends with GIÁM ĐỐC and the signer's name (the signing tests' letter)."""
    return documents.letter(path, signer, pages)


def seal_png(path: Path) -> Path:
    """A red ring on a transparent background, 400 px at 282 dpi: about 36 mm."""
    return documents.seal(path)


@pytest.fixture(scope="module")
def ca() -> pki.Issued:
    return pki.make_ca()


@pytest.fixture
def agency(registry: Registry, tmp_path: Path, ca: pki.Issued) -> Registry:
    registry.settings.set("agency.name", AGENCY)
    registry.settings.set("agency.abbreviation", "SNV")
    registry.settings.set("agency.seal_image", str(seal_png(tmp_path / "con-dau.png")))
    registry.trust.add(ca.write_pem(tmp_path / "goc.pem"))
    return registry


def p12(tmp_path: Path, ca: pki.Issued, o: str = AGENCY) -> Path:
    key = pki.issue(ca, "Văn thư Sở Nội vụ", o)
    return key.write_p12(tmp_path / f"co-quan-{key.fingerprint[:6]}.p12", PASSWORD, chain=[ca])


def outgoing(reg: Registry, signer: str = SIGNER):  # type: ignore[no-untyped-def]
    return reg.documents.register_outgoing(OutgoingInput(doc_type="Công văn", subject="V/v thử ký số", unit="VP",
                                                         signer=signer, signer_title="GIÁM ĐỐC"))


def incoming(reg: Registry):  # type: ignore[no-untyped-def]
    return reg.documents.register_incoming(IncomingInput(
        issuer="ỦY BAN NHÂN DÂN TỈNH TÂY NINH", reference="1737/UBND-VP", issued_on="20/10/2024",
        received_on="21/10/2024", doc_type="Công văn", subject="Về việc sắp xếp tổ chức bộ máy"))


def open_dialog(qtbot, reg: Registry, doc, copy: bool = False) -> SignDialog:  # type: ignore[no-untyped-def]
    tasks = BackgroundTasks()
    dialog = SignDialog(reg, doc, tasks, copy)
    dialog.tasks_owner = tasks  # kept alive with the dialog
    # A test may end with files chosen and nothing signed: hidden first, closing at teardown asks nothing.
    qtbot.addWidget(dialog, before_close_func=lambda d: d.hide())
    dialog.show()
    return dialog


def choose_buttons(dialog: SignDialog) -> list[QPushButton]:
    """The "Chọn…" buttons in order: the file, the output, the .p12, the PKCS#11 library."""
    return [b for b in dialog.findChildren(QPushButton) if b.text() == "Chọn…"]


def choose_draft(qtbot, dialog: SignDialog, path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(file_dialogs, "open_file", lambda *args, **kwargs: str(path))
    with qtbot.waitSignal(dialog.previewed, timeout=20_000):
        qtbot.mouseClick(choose_buttons(dialog)[0], Qt.MouseButton.LeftButton)


def fill_key(dialog: SignDialog, key: Path, password: str) -> None:
    dialog.pkcs12.setText(str(key))
    dialog.password.clear()
    type_text(dialog.password, password)


def red_pixels(image: QImage) -> list[tuple[int, int]]:
    found = []
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            colour = image.pixelColor(x, y)
            if colour.red() > 200 and colour.green() < 80 and colour.blue() < 80:
                found.append((x, y))
    return found


def test_signing_an_outgoing_entry_with_a_p12(qtbot, agency: Registry, tmp_path: Path, ca: pki.Issued,  # type: ignore[no-untyped-def]
                                              monkeypatch) -> None:
    doc = outgoing(agency)
    draft = draft_pdf(tmp_path / "du-thao.pdf")
    dialog = open_dialog(qtbot, agency, doc)
    assert dialog.windowTitle() == "Ký số và phát hành" and not dialog.copy_form.isVisible()
    assert dialog.password.echoMode() == dialog.password.EchoMode.Password
    choose_draft(qtbot, dialog, draft, monkeypatch)
    output = tmp_path / "du-thao (đã ký số).pdf"
    assert dialog.output.text() == str(output)

    # The preview: the last page, the seal's box at its real size over the left third of the signature.
    preview = dialog.preview_data
    assert preview is not None and (preview.index, preview.pages, preview.problem) == (1, 2, "")
    box = preview.box
    assert abs((box.x1 - box.x0) - 36 * MM) < 1 * MM and abs((box.y1 - box.y0) - 36 * MM) < 1 * MM
    name_x, name_y = NAME_AT
    assert box.x0 < name_x < box.x1 < name_x + 40 * MM  # its right part over the signature, left of the name's end
    assert name_y < box.y0 < name_y + 30 * MM  # above the signer's name
    assert "Trang 2/2" in dialog.caption.text() and SIGNER in dialog.caption.text()
    image = dialog.preview.pixmap().toImage()
    red = red_pixels(image)
    scale = image.width() / preview.page.width_pt
    assert red and min(x for x, _ in red) >= box.x0 * scale - 2 and max(x for x, _ in red) <= box.x1 * scale + 2
    assert min(y for _, y in red) >= (preview.page.height_pt - box.y1) * scale - 2
    dialog.grab().save(str(SHOTS / "ui19b_sign_dialog.png"))

    # A wrong password: said under the field, nothing written, nothing attached.
    key = p12(tmp_path, ca)
    fill_key(dialog, key, "sai mật khẩu")
    qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    assert dialog.signing and not dialog.sign_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.signing, timeout=30_000)
    error = dialog.form.errors["password"]
    assert error.isVisible() and "sai mật khẩu" in error.text() and "Chưa ký" in error.text()
    assert not output.exists() and not list(tmp_path.glob(".*dang-ky*"))
    assert agency.attachments.list(doc.id) == [] and dialog.sign_button.isEnabled()
    dialog.grab().save(str(SHOTS / "ui19b_sign_wrong_password.png"))

    # The right one: signed in the background, attached, checked, the verdict shown.
    fill_key(dialog, key, PASSWORD)
    with qtbot.waitSignal(dialog.issued, timeout=30_000) as signal:
        qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    issued = signal.args[0]
    assert output.is_file() and issued.output == output and issued.check.status == "valid"
    assert not error.isVisible()
    assert [a.file_name for a in agency.attachments.list(doc.id)] == [output.name]
    assert issued.check.verdict in dialog.result.text() and "Đã ký số văn bản" in dialog.result.text()
    assert not dialog.sign_button.isEnabled()  # never twice from one dialog
    dialog.grab().save(str(SHOTS / "ui19b_sign_done.png"))


def test_an_attachment_is_previewed_and_signed_with_the_top_right_text(qtbot, agency: Registry, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                        ca: pki.Issued, monkeypatch) -> None:
    doc = outgoing(agency)
    dialog = open_dialog(qtbot, agency, doc)
    dialog.attachment.setChecked(True)
    choose_draft(qtbot, dialog, draft_pdf(tmp_path / "phu-luc.pdf"), monkeypatch)
    preview = dialog.preview_data
    assert preview.index == 0 and preview.box.x0 > preview.page.width_pt / 2
    assert preview.box.y1 > preview.page.height_pt - 30 * MM and "Trang 1/2" in dialog.caption.text()
    with qtbot.waitSignal(dialog.previewed, timeout=20_000):
        dialog.attachment.setChecked(False)  # back to the seal: the preview follows
    assert dialog.preview_data.index == 1
    with qtbot.waitSignal(dialog.previewed, timeout=20_000):
        dialog.attachment.setChecked(True)
    fill_key(dialog, p12(tmp_path, ca), PASSWORD)
    with qtbot.waitSignal(dialog.issued, timeout=30_000) as signal:
        qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    assert signal.args[0].check.status == "valid" and "văn bản kèm theo" in dialog.result.text()


def test_another_agency_s_key_and_a_missing_signer_name_are_refused(qtbot, agency: Registry, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                     ca: pki.Issued, monkeypatch) -> None:
    doc = outgoing(agency, signer="Phạm Thị Dung")  # not the name on the draft
    dialog = open_dialog(qtbot, agency, doc)
    choose_draft(qtbot, dialog, draft_pdf(tmp_path / "khac.pdf"), monkeypatch)
    assert dialog.preview_data.box is None and "không tìm thấy họ tên người ký" in dialog.caption.text()
    assert dialog.preview.pixmap() is not None and not dialog.preview.pixmap().isNull()  # the page all the same
    fill_key(dialog, p12(tmp_path, ca, o="UBND tỉnh Tây Ninh"), PASSWORD)
    qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.signing, timeout=30_000)
    refusal = dialog.form.errors["draft"].text() + dialog.form.errors["certificate"].text()
    assert "không tìm thấy họ tên người ký" in refusal or "không phải cho cơ quan" in refusal
    assert not Path(dialog.output.text()).exists() and agency.attachments.list(doc.id) == []

    # Nothing chosen: each missing field named under it, nothing run.
    dialog.pkcs12.clear()
    qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    assert not dialog.signing and "chọn tệp khóa ký số" in dialog.form.errors["pkcs12"].text()
    dialog.use_token.setChecked(True)
    assert dialog.token_fields.isEnabled() and not dialog.p12_fields.isEnabled()
    assert dialog.pin.echoMode() == dialog.pin.EchoMode.Password
    qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    assert "thư viện PKCS#11" in dialog.form.errors["pkcs11_lib"].text()


def test_an_electronic_copy_of_an_incoming_entry(qtbot, agency: Registry, tmp_path: Path, ca: pki.Issued,  # type: ignore[no-untyped-def]
                                                 monkeypatch) -> None:
    original = incoming(agency)
    dialog = open_dialog(qtbot, agency, original, copy=True)
    assert dialog.windowTitle() == "Tạo bản sao điện tử" and dialog.copy_form.isVisible()
    assert not dialog.attachment.isVisible()
    assert [dialog.copy_form.itemText(i) for i in range(dialog.copy_form.count())] == ["Sao y", "Sao lục", "Trích sao"]
    dialog.copy_form.setCurrentIndex(dialog.copy_form.findData("sao-luc"))
    choose_draft(qtbot, dialog, draft_pdf(tmp_path / "den.pdf", pages=1), monkeypatch)
    output = tmp_path / "den (bản sao lục).pdf"
    assert dialog.output.text() == str(output)
    assert dialog.preview_data.index == 0 and dialog.preview_data.box is not None
    assert "hình thức sao" in dialog.caption.text()
    dialog.grab().save(str(SHOTS / "ui19b_copy_dialog.png"))
    fill_key(dialog, p12(tmp_path, ca), PASSWORD)
    with qtbot.waitSignal(dialog.issued, timeout=30_000) as signal:
        qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    copy = signal.args[0].document
    assert output.is_file() and copy.direction is Direction.COPY and copy.subject.startswith("Sao lục ")
    assert [a.file_name for a in agency.attachments.list(copy.id)] == [output.name]
    links = agency.documents.get(copy.id).links
    assert [(link.link_type, link.target_id) for link in links] == [(LinkType.FORWARDS, original.id)]
    assert "bản sao số" in dialog.result.text()


def test_the_menu_actions_follow_the_selected_book(qtbot, agency: Registry) -> None:  # type: ignore[no-untyped-def]
    letter = outgoing(agency)
    received = incoming(agency)
    window = MainWindow(agency)
    qtbot.addWidget(window)
    window.show()
    window.wait_loaded()
    sign, copy = window.actions_by_key["sign"], window.actions_by_key["copy"]
    assert sign.shortcut().toString() == "Ctrl+Shift+K"
    assert sign.text() == "Ký số và phát hành…" and copy.text() == "Tạo bản sao điện tử…"
    window.select_document(received.id)
    window.wait_loaded()
    qtbot.waitUntil(lambda: window.selected_id() == received.id)
    assert not sign.isEnabled() and copy.isEnabled()
    assert window.sign_selected() is None and "văn bản đi" in window.statusBar().currentMessage()
    window.select_document(letter.id)
    window.wait_loaded()
    qtbot.waitUntil(lambda: window.selected_id() == letter.id)
    assert sign.isEnabled() and copy.isEnabled()
    sign.trigger()
    assert isinstance(window.dialog, SignDialog) and window.dialog.doc.id == letter.id and not window.dialog.copy
    window.dialog.reject()
    qtbot.waitUntil(lambda: window.dialog is None)
    copy.trigger()
    assert isinstance(window.dialog, SignDialog) and window.dialog.copy
    window.dialog.reject()


def test_an_account_that_may_not_register_cannot_sign(qtbot, agency: Registry, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    letter = outgoing(agency)
    agency.users.add("quantri", "mat-khau-2026", "quan_tri")  # settings and accounts, not the register
    admin = Registry(str(db_path))
    try:
        admin.sign_in("quantri", "mat-khau-2026", "kiểm thử")
        window = MainWindow(admin)
        qtbot.addWidget(window)
        window.show()
        window.wait_loaded()
        window.select_document(letter.id)
        window.wait_loaded()
        qtbot.waitUntil(lambda: window.selected_id() == letter.id)
        for key in ("sign", "copy"):
            action = window.actions_by_key[key]
            assert not action.isEnabled() and action.toolTip() == denied_text(Permission.REGISTER)
        assert window.sign_selected() is None and window.dialog is None
        window.close()
    finally:
        admin.close()
