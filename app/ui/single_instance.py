"""One window per register file on this PC: a second start on the same SQLite file says so and can bring the first
window forward. A PostgreSQL register is never checked: several clerks on one server is how it is meant to be used."""

from __future__ import annotations

import hashlib
import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QMessageBox, QWidget

from app import APP_NAME

log = logging.getLogger(__name__)

OPEN_ELSEWHERE = "Sổ này đang mở trong một cửa sổ khác trên máy này."
RAISE = b"raise\n"
CONNECT_MS = 500  # a live window answers at once; a socket file left by a crash refuses at once too


def server_name(path: Path) -> str:
    """The local socket's name: a hash of the register's resolved path (any path is too long or has characters a
    socket name cannot take); case-folded where the file system is (Windows)."""
    digest = hashlib.sha256(os.path.normcase(str(path.resolve())).encode("utf-8")).hexdigest()[:24]
    return f"SoVanThu-{digest}"


def bring_forward(window: QWidget) -> None:
    """Un-minimise (keeping maximised if it was), raise and activate the window."""
    window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()


class WindowGuard(QObject):
    """The first window of a register file listens on a local socket named after the file; a later start on the
    same file connects to it, and may ask it to come forward."""

    raised = Signal()  # the window was asked to come forward by a second start, and did

    def __init__(self, path: Path | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(path) if path is not None else None
        self.server: QLocalServer | None = None
        self.window: QWidget | None = None
        self._other: QLocalSocket | None = None

    def already_open(self) -> bool:
        """True when a window of this PC has this register open (its socket answers); never on PostgreSQL."""
        if self.name is None:
            return False
        socket = QLocalSocket(self)
        socket.connectToServer(self.name)
        if socket.waitForConnected(CONNECT_MS):
            self._other = socket
            return True
        socket.deleteLater()
        return False

    def listen(self) -> bool:
        """Become the register's window on this PC. A socket file left by a window that crashed is removed first;
        if listening still fails (another OS user's window, say), the window opens all the same, unguarded."""
        if self.name is None:
            return False
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            QLocalServer.removeServer(self.name)
            if not server.listen(self.name):
                log.warning("Không giữ được tên %s cho cửa sổ của sổ: %s", self.name, server.errorString())
                return False
        server.newConnection.connect(self._connected)
        self.server = server
        return True

    def serve(self, window: QWidget) -> None:
        """The window a second start brings forward."""
        self.window = window

    def _connected(self) -> None:
        assert self.server is not None
        while (socket := self.server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)

    def _read(self, socket: QLocalSocket) -> None:
        if RAISE.strip() in bytes(socket.readAll().data()) and self.window is not None:
            bring_forward(self.window)
            self.raised.emit()

    def ask(self, parent: QWidget | None = None) -> bool:
        """Tell the clerk the register is open in another window; returns True when it was asked to come forward.
        Either way this start ends: two windows on one file would show each other stale rows."""
        box = QMessageBox(QMessageBox.Icon.Information, APP_NAME, OPEN_ELSEWHERE, parent=parent)
        box.setObjectName("already_open")
        box.setInformativeText("Dùng cửa sổ đang mở; cửa sổ này sẽ đóng.")
        forward = box.addButton("Đưa cửa sổ kia lên", QMessageBox.ButtonRole.AcceptRole)
        forward.setObjectName("bring_forward")
        close = box.addButton("Đóng", QMessageBox.ButtonRole.RejectRole)
        close.setObjectName("close")
        box.setDefaultButton(forward)
        box.setEscapeButton(close)
        box.exec()
        wanted = box.clickedButton() is forward
        if wanted:
            self._send_raise()
        if self._other is not None:
            self._other.disconnectFromServer()
        return wanted

    def _send_raise(self) -> None:
        if self._other is None:
            return
        if sys.platform == "win32":  # Windows lets the foreground process hand the foreground to another one
            import ctypes

            ctypes.windll.user32.AllowSetForegroundWindow(-1)  # type: ignore[attr-defined]  # ASFW_ANY
        self._other.write(RAISE)
        self._other.flush()
        self._other.waitForBytesWritten(1000)

    def close(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
