"""Reading a file's text off the window's thread, with a progress bar (page i of n) and Hủy: the registration
dialog's scans and the Tệp tab's attachments both go through it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QProgressBar, QPushButton, QWidget

from app.core.errors import VanThuError
from app.services.attachment_text import AttachedText, discard
from app.ui.tasks import BackgroundTasks

CANCELLED = "Đã hủy nhận dạng chữ; chưa có gì được điền hay ghi."

# (progress(i, n), cancelled()) → the file's text; runs on the worker thread
Reading = Callable[[Callable[[int, int], None], Callable[[], bool]], AttachedText]


class ScanProgress(QObject):
    """One reading at a time on its own worker (a 30-page scan must not hold up the table's queries); `bar` and
    `stop_button` are for the caller's layout, shown only while a reading runs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks = BackgroundTasks(self)
        self.reading: threading.Event | None = None  # set by Hủy; the recognition stops at the next page
        self.bar = QProgressBar()
        self.bar.setTextVisible(True)
        self.bar.hide()
        self.stop_button = QPushButton("Hủy")
        self.stop_button.setToolTip("Dừng nhận dạng chữ; chưa có gì được điền hay ghi")
        self.stop_button.clicked.connect(self.stop)
        self.stop_button.hide()
        self.busy_changed: Callable[[bool], None] = lambda _on: None  # the caller greys its own buttons
        self.closed = False  # the window is going: a result still on its way is thrown away

    @property
    def busy(self) -> bool:
        return self.reading is not None

    def start(self, file: Path, read: Reading, done: Callable[[AttachedText], None],
              failed: Callable[[Exception], None]) -> None:
        stop = self.reading = threading.Event()
        self._show(True)

        def work(report: Callable[[int, int], None]) -> AttachedText:
            return read(report, stop.is_set)

        def finish(callback: Callable[[object], None], value: object) -> None:
            if stop.is_set() or self.closed:  # Hủy during the last page, or the window closing: nothing is kept
                if isinstance(value, AttachedText):
                    discard(value)
                if self.closed:
                    return
                self._show(False)
                failed(VanThuError(CANCELLED))
                return
            self._show(False)
            callback(value)

        self.tasks.run(work, lambda value: finish(done, value), lambda exc: finish(failed, exc), self._page_done)

    def _page_done(self, done: int, total: int) -> None:
        self.bar.setRange(0, total)
        self.bar.setValue(done)
        self.bar.setFormat(f"Đang nhận dạng chữ: xong trang {done}/{total}")

    def _show(self, on: bool) -> None:
        if not on:
            self.reading = None
        self.bar.setVisible(on)
        self.stop_button.setVisible(on)
        self.stop_button.setEnabled(on)
        if on:
            self.bar.setRange(0, 0)  # busy until the first page is done and the count is known
            self.bar.setFormat("Đang mở tệp…")
        self.busy_changed(on)

    def stop(self) -> None:
        """Hủy: the recognition stops after the page it is on."""
        if self.reading is not None:
            self.reading.set()
            self.stop_button.setEnabled(False)
            self.bar.setFormat("Đang dừng…")

    def wait(self) -> None:
        """Stop any reading and wait for its thread (closing the window or dialog); its result, queued behind, is
        thrown away (its temporary searchable copy deleted)."""
        self.closed = True
        self.stop()
        self.tasks.wait()
