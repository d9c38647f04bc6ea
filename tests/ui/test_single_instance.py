"""Issue 21 item 11: a second start of the window on the same register file of this PC says so and can bring the
first window forward; another file, a PostgreSQL register, or a socket left by a crash starts silently. Both
starts are the real launcher.open_window in this process (the local socket works in-process)."""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDir, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from app.services import Registry
from app.ui.launcher import open_window
from app.ui.main_window import MainWindow
from app.ui.single_instance import OPEN_ELSEWHERE, WindowGuard, server_name
from tests.ui.keyboard import press

CLERK = "Nguyễn Thị Lan"


@pytest.fixture(autouse=True)
def machine_settings(tmp_path: Path) -> Path:
    """This PC's settings (the window's geometry) in a temporary folder, never the tester's own."""
    folder = tmp_path / "settings"
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(folder))
    return folder


class Starts:
    """Starts of the window (registry, guard, window), all closed at the end of the test."""

    def __init__(self, qtbot) -> None:  # type: ignore[no-untyped-def]
        self.qtbot = qtbot
        self.opened: list[tuple[Registry, WindowGuard, MainWindow | None]] = []

    def __call__(self, db: str) -> tuple[WindowGuard, MainWindow | None]:
        registry = Registry(db)
        guard = WindowGuard(registry.file)
        window = open_window(registry, guard, clerk=CLERK)
        if window is not None:
            self.qtbot.addWidget(window)
            window.wait_loaded()
        self.opened.append((registry, guard, window))
        return guard, window

    def close(self) -> None:
        for registry, guard, window in reversed(self.opened):
            if window is not None:
                window.close()
            guard.close()
            registry.close()


@pytest.fixture
def start(qtbot) -> Iterator[Starts]:  # type: ignore[no-untyped-def]
    starts = Starts(qtbot)
    yield starts
    starts.close()


class Answer:
    """Answers the "already open" question when it comes, as the clerk would, and keeps what it said."""

    def __init__(self, how: Callable[[QMessageBox], None]) -> None:
        self.how, self.asked = how, []
        self.timer = QTimer()
        self.timer.timeout.connect(self._look)
        self.timer.start(20)

    def _look(self) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            self.asked.append(box.text())
            self.how(box)

    def stop(self) -> None:
        self.timer.stop()


def enter(box: QMessageBox) -> None:  # Enter: the default button, Đưa cửa sổ kia lên
    press(box, Qt.Key.Key_Return)


def click_close(box: QMessageBox) -> None:
    button = box.findChild(QPushButton, "close")
    assert button is not None and button.text() == "Đóng"
    button.click()


def test_a_second_start_on_the_same_file_is_told_and_raises_the_first_window(qtbot, start, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    first_guard, first = start(str(db_path))
    assert first is not None and first.isVisible()
    first.showMinimized()
    answer = Answer(enter)
    try:
        with qtbot.waitSignal(first_guard.raised, timeout=5000):
            _guard, second = start(str(db_path))
    finally:
        answer.stop()
    assert second is None  # no second window on the same file
    assert answer.asked == [OPEN_ELSEWHERE]
    assert not first.isMinimized() and first.isVisible()


def test_closing_the_question_leaves_the_first_window_as_it_was(qtbot, start, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    first_guard, first = start(str(db_path))
    assert first is not None
    raised: list[bool] = []
    first_guard.raised.connect(lambda: raised.append(True))
    answer = Answer(click_close)
    try:
        _guard, second = start(str(db_path))
        qtbot.wait(300)  # time for a raise to arrive, were one sent
    finally:
        answer.stop()
    assert second is None and answer.asked == [OPEN_ELSEWHERE] and raised == []


def test_another_register_file_opens_without_a_question(qtbot, start, tmp_path: Path, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    _guard, first = start(str(db_path))
    answer = Answer(click_close)
    try:
        _other_guard, other = start(str(tmp_path / "so-khac.sqlite3"))
    finally:
        answer.stop()
    assert first is not None and other is not None and answer.asked == []


@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
def test_several_windows_on_one_postgresql_register_stay_silent(qtbot, start, db_url: str) -> None:  # type: ignore[no-untyped-def]
    answer = Answer(click_close)
    try:
        first_guard, first = start(db_url)
        second_guard, second = start(db_url)
    finally:
        answer.stop()
    assert first is not None and second is not None and answer.asked == []
    assert first_guard.name is None and first_guard.server is None  # nothing is even listened for


@pytest.mark.skipif(sys.platform == "win32", reason="a Unix socket file is what a crashed window leaves behind")
def test_a_socket_left_by_a_crashed_window_does_not_block_the_start(qtbot, start, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    Registry(str(db_path)).close()
    stale = Path(QDir.tempPath()) / server_name(db_path)
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(stale))  # bound, never listened on, closed: the file stays, nobody answers
    dead.close()
    try:
        assert stale.exists()
        answer = Answer(click_close)
        try:
            guard, window = start(str(db_path))
        finally:
            answer.stop()
        assert window is not None and answer.asked == []
        assert guard.server is not None and guard.server.isListening()
        answer = Answer(click_close)  # and it now guards the file: a second start is told
        try:
            _guard, second = start(str(db_path))
        finally:
            answer.stop()
        assert second is None and answer.asked == [OPEN_ELSEWHERE]
    finally:
        if stale.exists() and not os.path.isdir(stale):
            stale.unlink(missing_ok=True)
