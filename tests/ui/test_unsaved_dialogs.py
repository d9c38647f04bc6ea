"""Every dialog that takes typed input asks Lưu / Bỏ / Quay lại before closing over it (Esc, its close button, the
window's close box), and each answer does what it says: checked in the register file, reopened by a second
Registry."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from app.core.enums import Direction
from app.core.records import IncomingInput, OutgoingInput
from app.services import Registry
from app.ui.cancel_dialog import CancelDialog
from app.ui.import_dialog import ImportDialog
from app.ui.link_dialog import LinkDialog
from app.ui.register_dialog import RegisterDialog
from app.ui.sign_dialog import SignDialog
from app.ui.sign_in_dialog import FirstAdminDialog
from app.ui.tasks import BackgroundTasks
from app.ui.users_dialog import ADD, UserForm
from tests.ui.answers import answer_unsaved
from tests.ui.keyboard import focused, key, press, type_text, typed


def shown(qtbot, dialog: QDialog) -> QDialog:  # type: ignore[no-untyped-def]
    qtbot.addWidget(dialog, before_close_func=lambda d: d.hide())  # a failed test must not leave a question up
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: (w := QApplication.focusWidget()) is not None and w.window() is dialog)
    return dialog


def incoming(reg: Registry) -> int:
    return reg.documents.register_incoming(IncomingInput(
        issuer="SỞ Y TẾ TỈNH TÂY NINH", reference="3646/SYT-VP", issued_on="24/10/2023", received_on="24/10/2023",
        doc_type="Công văn", subject="Tham mưu thực hiện Thông báo")).id


def test_registration_dialog(qtbot, state_registry: Registry, reopen) -> None:  # type: ignore[no-untyped-def]
    dialog = shown(qtbot, RegisterDialog(state_registry, Direction.INCOMING))
    typed("Ủy ban nhân dân tỉnh Tây Ninh")
    asked = answer_unsaved("Quay lại")
    key(Qt.Key.Key_Escape)
    assert asked and "Vào sổ văn bản đến (chưa vào sổ): Cơ quan ban hành (tác giả)" in asked[0]
    assert dialog.isVisible() and dialog.value("issuer") == "Ủy ban nhân dân tỉnh Tây Ninh"

    asked = answer_unsaved("Lưu")  # not all typed yet: refused, the dialog stays with the reason under the field
    key(Qt.Key.Key_Escape)
    assert asked and dialog.isVisible() and not dialog.form.errors["subject"].isHidden()
    assert reopen().documents.list(Direction.INCOMING, 2023) == []

    dialog.form.fields["reference"].setFocus()
    typed("5068/UBND-TH")
    typed("24/10/23")
    typed("Công văn")
    typed("Về việc triển khai", then=Qt.Key.Key_Tab)
    asked = answer_unsaved("Lưu")
    key(Qt.Key.Key_Escape)
    assert asked and dialog.result() == QDialog.DialogCode.Accepted and not dialog.isVisible()
    [doc] = reopen().documents.list(Direction.INCOMING, today_year())
    assert (doc.reference, doc.subject) == ("5068/UBND-TH", "Về việc triển khai")

    dialog = shown(qtbot, RegisterDialog(state_registry, Direction.INCOMING))
    typed("Bộ Y tế", then=None)
    asked = answer_unsaved("Bỏ")
    dialog.close()  # the window's close box
    assert asked and not dialog.isVisible() and len(reopen().documents.list(Direction.INCOMING, today_year())) == 1


def today_year() -> int:
    from app.core.dates import today

    return today().year


def test_link_dialog(qtbot, state_registry: Registry, reopen) -> None:  # type: ignore[no-untyped-def]
    doc = incoming(state_registry)
    dialog = shown(qtbot, LinkDialog(state_registry, state_registry.documents.get(doc)))
    dialog.tabs.setCurrentIndex(1)  # Chưa có trong sổ
    dialog.reference.setFocus()
    type_text(dialog.reference, "1737-TB/VPTU")
    asked = answer_unsaved("Quay lại")
    press(dialog.reference, Qt.Key.Key_Escape)
    assert asked and "Thêm liên kết: Số, ký hiệu" in asked[0] and dialog.isVisible()
    assert dialog.reference.text() == "1737-TB/VPTU"
    asked = answer_unsaved("Lưu")
    press(dialog.reference, Qt.Key.Key_Escape)
    assert asked and dialog.result() == QDialog.DialogCode.Accepted
    assert [link.target_reference for link in reopen().documents.get(doc).links] == ["1737-TB/VPTU"]

    dialog = shown(qtbot, LinkDialog(state_registry, state_registry.documents.get(doc)))
    type_text(dialog.search_box, "thong bao")
    asked = answer_unsaved("Bỏ")
    press(dialog.search_box, Qt.Key.Key_Escape)
    assert asked and "Tìm trong sổ «thong bao»" in asked[0] and not dialog.isVisible()
    assert len(reopen().documents.get(doc).links) == 1


def test_cancel_dialog_defaults_to_quay_lai(qtbot, state_registry: Registry, reopen) -> None:  # type: ignore[no-untyped-def]
    doc = incoming(state_registry)
    dialog = shown(qtbot, CancelDialog(state_registry, state_registry.documents.get(doc)))
    type_text(dialog.reason, "Vào sổ nhầm")
    asked = answer_unsaved("Quay lại", by=Qt.Key.Key_Return)  # Enter: a cancellation is never undone
    press(dialog.reason, Qt.Key.Key_Escape)
    assert asked and "«Vào sổ nhầm» (Lưu là hủy văn bản)" in asked[0] and dialog.isVisible()
    asked = answer_unsaved("Bỏ")
    press(dialog.reason, Qt.Key.Key_Escape)
    assert asked and not dialog.isVisible() and not reopen().documents.get(doc).cancelled

    dialog = shown(qtbot, CancelDialog(state_registry, state_registry.documents.get(doc)))
    type_text(dialog.reason, "Vào sổ nhầm")
    asked = answer_unsaved("Lưu", by=Qt.Key.Key_L)  # Enter would be Quay lại here: L is Lưu
    press(dialog.reason, Qt.Key.Key_Escape)
    again = reopen().documents.get(doc)
    assert asked and dialog.result() == QDialog.DialogCode.Accepted
    assert again.cancelled and again.cancel_reason == "Vào sổ nhầm"


def test_account_form(qtbot, registry: Registry, reopen) -> None:  # type: ignore[no-untyped-def]
    dialog = shown(qtbot, UserForm(registry, ADD))
    type_text(focused(), "lan.nt")
    type_text(dialog.full_name, "Nguyễn Thị Lan")
    asked = answer_unsaved("Lưu")  # no role, no password: refused, named under the fields
    press(dialog.full_name, Qt.Key.Key_Escape)
    assert asked and "Thêm tài khoản: Tên đăng nhập, Họ và tên" in asked[0] and dialog.isVisible()
    assert not dialog.form.errors["password"].isHidden() and reopen().users.list() == []
    asked = answer_unsaved("Quay lại")
    dialog.close()
    assert asked and dialog.isVisible() and dialog.full_name.text() == "Nguyễn Thị Lan"
    asked = answer_unsaved("Bỏ")
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)  # Hủy
    assert asked and not dialog.isVisible() and reopen().users.list() == []


def test_sign_dialog(qtbot, state_registry: Registry, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    doc = state_registry.documents.register_outgoing(OutgoingInput(doc_type="Công văn", subject="V/v thử ký số",
                                                                   unit="VP", signer="Nguyễn Văn An"))
    tasks = BackgroundTasks()
    dialog = shown(qtbot, SignDialog(state_registry, doc, tasks))
    dialog.tasks_owner = tasks  # type: ignore[attr-defined]  # kept alive with the dialog
    dialog.pkcs12.setFocus()
    type_text(dialog.pkcs12, str(tmp_path / "co-quan.p12"))
    asked = answer_unsaved("Lưu")  # Lưu signs: no draft chosen, refused under that field, the dialog stays
    press(dialog.pkcs12, Qt.Key.Key_Escape)
    assert asked and "Ký số và phát hành (chưa ký): Tệp khóa" in asked[0] and dialog.isVisible()
    assert not dialog.form.errors["draft"].isHidden() and not dialog.signing
    asked = answer_unsaved("Bỏ")
    press(dialog.pkcs12, Qt.Key.Key_Escape)
    assert asked and not dialog.isVisible()
    assert state_registry.attachments.list(doc.id) == []


def test_import_dialog(qtbot, state_registry: Registry, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = shown(qtbot, ImportDialog(state_registry))
    dialog.path.setFocus()
    type_text(dialog.path, str(tmp_path / "so-cu.csv"))
    asked = answer_unsaved("Quay lại")
    press(dialog.path, Qt.Key.Key_Escape)
    assert asked and "chưa nhập vào sổ" in asked[0] and dialog.isVisible()
    with qtbot.waitSignal(dialog.reported, timeout=20_000):
        asked = answer_unsaved("Lưu")  # not checked yet: Lưu runs the check that must come first
        press(dialog.path, Qt.Key.Key_Escape)
    assert asked and dialog.isVisible() and "so-cu.csv" in dialog.error.text()
    asked = answer_unsaved("Bỏ")
    press(dialog.path, Qt.Key.Key_Escape)
    assert asked and not dialog.isVisible() and state_registry.documents.list(Direction.INCOMING, 2023) == []


def test_first_admin_dialog(qtbot, registry: Registry, reopen) -> None:  # type: ignore[no-untyped-def]
    dialog = shown(qtbot, FirstAdminDialog(registry))
    type_text(dialog.full_name, "Nguyễn Thị Lan")
    asked = answer_unsaved("Lưu")  # no password yet: refused under it, the dialog stays
    press(dialog.full_name, Qt.Key.Key_Escape)
    assert asked and "Tài khoản quản trị: Họ và tên" in asked[0] and dialog.isVisible()
    assert not dialog.form.errors["password"].isHidden() and reopen().users.list() == []
    asked = answer_unsaved("Bỏ")
    press(dialog.full_name, Qt.Key.Key_Escape)
    assert asked and dialog.result() == QDialog.DialogCode.Rejected and not dialog.created
    assert reopen().users.list() == []
