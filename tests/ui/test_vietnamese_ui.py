"""Every window and dialog the menus open, and Qt's own file choosers and buttons, speak Vietnamese: a walk through
them all fails on an English word from tests/ui/texts.py's list."""

from __future__ import annotations

import re
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QLineEdit, QMessageBox, QWidget

from app.core.enums import Direction
from app.core.records import IncomingInput, OutgoingInput
from app.services import Registry
from app.ui import file_dialogs
from app.ui.main_window import MainWindow
from tests.ui.texts import english_words, texts_of


class Harvest:
    """Reads and closes every window that opens over the main window (modal ones too, from inside their loop)."""

    def __init__(self, window: QWidget) -> None:
        self.window, self.texts, self.seen = window, [], []  # type: list[str]
        self.timer = QTimer()
        self.timer.timeout.connect(self.collect)
        self.timer.start(30)

    def collect(self) -> None:
        for w in QApplication.topLevelWidgets():
            if w is self.window or not w.isVisible() or not isinstance(w, QDialog):
                continue
            self.texts += texts_of(w)
            self.seen.append(w.windowTitle() or type(w).__name__)
            if isinstance(w, QMessageBox):
                w.done(QMessageBox.StandardButton.Cancel)  # as Esc would, without the box's own answer
            else:
                QDialog.done(w, 0)  # closed unasked: its "unsaved changes" question is not what is read here

    def settle(self, rounds: int = 10) -> None:
        for _ in range(rounds):
            QApplication.processEvents()
            self.collect()


def _fill(reg: Registry) -> None:
    reg.documents.register_incoming(IncomingInput(
        issuer="UBND tỉnh Tây Ninh", reference="12/UBND-VP", issued_on="02/12/2026", received_on="03/12/2026",
        doc_type="Công văn", subject="Về việc triển khai kế hoạch phòng chống thiên tai"))
    reg.documents.register_outgoing(OutgoingInput(doc_type="Quyết định", subject="Khen thưởng",
                                                  signer="Trương Văn Hùng", signed_on="04/12/2026"))


def test_every_menu_window_and_dialog_is_vietnamese(qtbot, state_registry: Registry) -> None:  # type: ignore[no-untyped-def]
    _fill(state_registry)
    window = MainWindow(state_registry)
    qtbot.addWidget(window)
    window.show()
    window.wait_loaded()
    harvest = Harvest(window)
    texts = texts_of(window)
    skip = {"quit", "reload", "search"}  # close the window, or nothing to read
    for key, action in window.menus.by_key.items():
        if key in skip or not action.isEnabled():
            continue
        if key in ("sign", "copy"):
            window.select_document(state_registry.documents.find(Direction.OUTGOING, 1, 2026).id)
        else:
            window.select_document(state_registry.documents.find(Direction.INCOMING, 1, 2026).id)
        window.wait_loaded()
        action.trigger()
        harvest.settle()
    for action in window.menus.print_actions:
        window.select_document(state_registry.documents.find(Direction.INCOMING, 1, 2026).id)
        window.wait_loaded()
        if action.isEnabled():
            action.trigger()
            harvest.settle()
    harvest.timer.stop()  # it must not outlive the window it reads
    texts += texts_of(window) + harvest.texts  # docks and panels the actions opened
    assert len(harvest.seen) >= 12, harvest.seen
    found = english_words(texts)
    assert not found, "\n".join(f"{w}: {t!r}" for w, t in found.items()) + f"\n{harvest.seen}"


def test_file_choosers_are_vietnamese_and_start_in_documents(qtbot, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "Documents").mkdir()
    (tmp_path / "Documents" / "cong-van.pdf").write_bytes(b"%PDF-1.4\n")
    seen: list[tuple[str, list[str]]] = []

    def read_and_close() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QFileDialog) and w.isVisible():
                seen.append((w.directory().absolutePath(), texts_of(w)))
                w.reject()

    timer = QTimer()
    timer.timeout.connect(read_and_close)
    timer.start(30)
    assert file_dialogs.open_file(None, "Chọn bản quét để đính kèm", "Tệp PDF (*.pdf)") is None
    assert file_dialogs.save_file(None, "Lưu PDF", "Tệp PDF (*.pdf)", "so-den.pdf") is None
    assert file_dialogs.choose_folder(None, "Chọn thư mục") is None
    timer.stop()
    assert [folder for folder, _ in seen] == [str(tmp_path / "Documents")] * 3
    texts = [t for _, ts in seen for t in ts]
    assert "Tên tệp:" in [t.replace("&", "") for t in texts] and "Hủy" in texts
    assert not english_words(texts), english_words(texts)


def test_a_chosen_file_is_returned(qtbot, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("HOME", str(tmp_path))
    scan = tmp_path / "quet.pdf"
    scan.write_bytes(b"%PDF-1.4\n")

    started = time.monotonic()

    def pick() -> None:
        for w in QApplication.topLevelWidgets():
            if not (isinstance(w, QFileDialog) and w.isVisible()):
                continue
            if time.monotonic() - started > 30:  # never chosen: fail the test rather than wait for ever
                w.reject()
                return
            name = w.findChild(QLineEdit, "fileNameEdit")
            name.setText(str(scan))  # the path, as pasted into "Tên tệp"
            w.accept()  # as "Mở" does

    timer = QTimer()
    timer.timeout.connect(pick)
    timer.start(30)
    assert file_dialogs.open_file(None, "Chọn bản quét", "Tệp PDF (*.pdf)") == str(scan)
    timer.stop()


def test_every_file_chooser_is_ours() -> None:
    # Qt's static choosers open the system's dialog in the system's language and in the last folder used: every
    # open, save and folder chooser of the app must go through app/ui/file_dialogs.py instead.
    ui = Path(file_dialogs.__file__).parent
    static = re.compile(r"QFileDialog\.get(OpenFileNames?|SaveFileName|ExistingDirectory)")
    callers = [str(p.relative_to(ui)) for p in sorted(ui.rglob("*.py")) if static.search(p.read_text("utf-8"))]
    assert callers == []
    users = [p.name for p in sorted(ui.rglob("*.py")) if "file_dialogs." in p.read_text("utf-8")]
    assert len(users) >= 12, users  # the choosers moved to file_dialogs are still found by this walk
