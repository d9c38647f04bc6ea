"""Open, save and folder choosers in Vietnamese, starting in the user's Documents folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from app.ui import qt_vietnamese


def documents_folder() -> str:
    """The user's Documents folder (Tài liệu), or the home folder where there is none."""
    for kind in (QStandardPaths.StandardLocation.DocumentsLocation, QStandardPaths.StandardLocation.HomeLocation):
        folder = QStandardPaths.writableLocation(kind)
        if folder and Path(folder).is_dir():
            return folder
    return str(Path.home())


def _start(start: str | None) -> str:
    """Where the chooser opens: the given file or folder when it names one we can reach, else Documents; a bare
    file name offered for saving goes into Documents."""
    if not start:
        return documents_folder()
    path = Path(start)
    if path.is_absolute():
        return start if path.exists() or path.parent.is_dir() else documents_folder()
    return str(Path(documents_folder()) / path)


def _dialog(parent: QWidget | None, title: str, start: str | None, filters: str) -> QFileDialog:
    qt_vietnamese.install()
    # Qt's own chooser, not the system's: the system one speaks the system's language, ours always Vietnamese.
    dialog = QFileDialog(parent, title, _start(start), filters)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setLabelText(QFileDialog.DialogLabel.Reject, "Hủy")
    dialog.setObjectName("vanthu_file_dialog")
    return dialog


def _run(dialog: QFileDialog) -> str | None:
    try:
        if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
            return None
        return dialog.selectedFiles()[0]
    finally:
        dialog.deleteLater()


def open_file(parent: QWidget | None, title: str, filters: str, start: str | None = None) -> str | None:
    """One existing file chosen by the clerk, or None."""
    dialog = _dialog(parent, title, start, filters)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setLabelText(QFileDialog.DialogLabel.Accept, "Mở")
    return _run(dialog)


def save_file(parent: QWidget | None, title: str, filters: str, suggested: str | None = None) -> str | None:
    """Where to write a file (an existing one is confirmed before it is replaced), or None."""
    dialog = _dialog(parent, title, suggested, filters)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setLabelText(QFileDialog.DialogLabel.Accept, "Lưu")
    if suggested:
        dialog.selectFile(Path(suggested).name)
    return _run(dialog)


def choose_folder(parent: QWidget | None, title: str, start: str | None = None) -> str | None:
    """An existing folder, or None."""
    dialog = _dialog(parent, title, start, "")
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly)
    dialog.setLabelText(QFileDialog.DialogLabel.Accept, "Chọn")
    return _run(dialog)
