"""Cài đặt → Chứng thư số tin cậy, and the seal on the agency page: real certificates from the test PKI, a real
register file, the buttons clicked as a clerk does."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from app.core.access import Permission
from app.services import Registry
from app.ui import file_dialogs
from app.ui.permissions import denied_text
from app.ui.settings.agency import SEAL_IMAGE, SEAL_SIZE
from app.ui.settings.trust import ERROR_STYLE, HEADERS, TrustPage, short_fingerprint
from app.ui.settings_dialog import SettingsDialog
from tests import pki
from tests.ui.test_sign_dialog import seal_png

PASSWORD = "mat-khau-2026"


def _choose(monkeypatch, path: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(file_dialogs, "open_file", lambda *args, **kwargs: str(path))


def _rows(page: TrustPage) -> list[list[str]]:
    return [[page.table.item(r, c).text() for c in range(len(HEADERS))] for r in range(page.table.rowCount())]


def test_a_root_is_added_listed_and_removed(qtbot, registry: Registry, tmp_path: Path,  # type: ignore[no-untyped-def]
                                            monkeypatch) -> None:
    dialog = SettingsDialog(registry)
    qtbot.addWidget(dialog)
    dialog.show()
    page = dialog.trust_page
    dialog.tabs.setCurrentWidget(page)
    assert dialog.tabs.tabText(dialog.tabs.currentIndex()) == "Chứng thư số t&in cậy"
    assert page.table.rowCount() == 0 and "Chưa có chứng thư" in page.fingerprint.text()
    assert page.add_button.isEnabled() and page.crl_button.isEnabled() and not page.remove_button.isEnabled()
    assert page.read_only.isHidden()

    ca = pki.make_ca("Cơ quan chứng thực thử nghiệm", "Ban Cơ yếu Chính phủ (thử)")
    _choose(monkeypatch, ca.write_pem(tmp_path / "goc.pem"))
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    (row,) = _rows(page)
    assert row[:3] == ["Cơ quan chứng thực thử nghiệm", "Ban Cơ yếu Chính phủ (thử)", "Cơ quan chứng thực thử nghiệm"]
    assert row[3] == f"{ca.cert.not_valid_before_utc:%d/%m/%Y} – {ca.cert.not_valid_after_utc:%d/%m/%Y}"
    assert row[4] == short_fingerprint(ca.fingerprint) and len(row[4].replace(":", "")) == 16
    assert page.table.item(0, 4).toolTip() == ca.fingerprint.upper()
    assert "Đã thêm 1 chứng thư" in page.status.text() and "đối chiếu dấu vân tay" in page.status.text()
    assert ca.fingerprint.upper()[:2] + ":" in page.fingerprint.text()  # the whole fingerprint of the selected one
    assert [r.fingerprint for r in registry.trust.list()] == [ca.fingerprint]
    dialog.grab().save("/tmp/ui19b_trust_tab.png")

    # Not a certificate: the register's Vietnamese refusal, nothing added.
    junk = tmp_path / "khong-phai.pem"
    junk.write_text("không phải chứng thư", encoding="utf-8")
    _choose(monkeypatch, junk)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert page.status.styleSheet() == ERROR_STYLE and page.status.text().startswith("Không thêm được chứng thư: ")
    assert page.table.rowCount() == 1

    # A CRL of that root.
    crl = tmp_path / "goc.crl"
    crl.write_bytes(pki.make_crl(ca, []))
    _choose(monkeypatch, crl)
    qtbot.mouseClick(page.crl_button, Qt.MouseButton.LeftButton)
    assert "Đã nhập danh sách chứng thư bị thu hồi" in page.status.text()

    # Removing asks first; "Không" keeps it.
    page.table.selectRow(0)
    assert page.remove_button.isEnabled()
    asked: list[str] = []
    monkeypatch.setattr(page, "confirm", lambda title, text: asked.append(text) or False)
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert asked and "Cơ quan chứng thực thử nghiệm" in asked[0] and page.table.rowCount() == 1
    monkeypatch.setattr(page, "confirm", lambda title, text: True)
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert page.table.rowCount() == 0 and registry.trust.list() == []
    assert "Đã bỏ chứng thư" in page.status.text() and not page.remove_button.isEnabled()
    actions = [e.action for e in registry.audit.events(limit=20)]
    assert {"trust_add", "trust_crl", "trust_remove"} <= set(actions)  # every change audited by registry.trust


def test_without_the_settings_permission_the_list_is_read_only(qtbot, registry: Registry, db_path: Path,  # type: ignore[no-untyped-def]
                                                               tmp_path: Path) -> None:
    ca = pki.make_ca()
    registry.trust.add(ca.write_pem(tmp_path / "goc.pem"))
    registry.users.add("quantri", PASSWORD, "quan_tri")
    registry.users.add("vanthu", PASSWORD, "van_thu")
    clerk = Registry(str(db_path))
    try:
        clerk.sign_in("vanthu", PASSWORD, "kiểm thử")
        assert not clerk.can(Permission.SETTINGS)
        page = TrustPage(clerk)
        qtbot.addWidget(page)
        page.show()
        assert page.table.rowCount() == 1  # the list is shown
        page.table.selectRow(0)
        for push in (page.add_button, page.remove_button, page.crl_button):
            assert not push.isEnabled() and push.toolTip() == denied_text(Permission.SETTINGS)
        assert page.read_only.isVisible()
        page.resize(960, 420)
        page.grab().save("/tmp/ui19b_trust_read_only.png")
        assert not page.remove_selected() and clerk.trust.list()[0].fingerprint == ca.fingerprint
    finally:
        clerk.close()


def test_the_seal_image_and_size_are_saved_on_the_agency_page(qtbot, registry: Registry, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                              monkeypatch) -> None:
    dialog = SettingsDialog(registry)
    qtbot.addWidget(dialog, before_close_func=lambda d: d.hide())  # ends with refused values typed: ask nothing
    dialog.show()
    page = dialog.agency_page
    seal = seal_png(tmp_path / "con-dau.png")
    _choose(monkeypatch, seal)
    qtbot.mouseClick(page.choose_seal_button, Qt.MouseButton.LeftButton)
    assert page.seal_image.text() == str(seal)
    page.seal_size.setText("40")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    stored = registry.settings.all()
    assert (stored[SEAL_IMAGE], stored[SEAL_SIZE]) == (str(seal), "40")
    assert "Đã lưu 2 mục" in page.status.text()
    dialog.grab().save("/tmp/ui19b_agency_seal.png")

    page.seal_size.setText("200")  # not a seal's size: refused under the field
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.form.errors[SEAL_SIZE].isVisible() and "15–80 mm" in page.form.errors[SEAL_SIZE].text()
    page.seal_image.setText(str(tmp_path / "khong-co.png"))
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.form.errors[SEAL_IMAGE].isVisible()
    assert registry.settings.all()[SEAL_IMAGE] == str(seal)
