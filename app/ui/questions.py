"""A question with two answers, the safe one the default (Enter) and the Escape key's."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def ask_two_ways(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str, go: str, safe: str,
                 go_role: QMessageBox.ButtonRole = QMessageBox.ButtonRole.AcceptRole) -> bool:
    """True when the clerk chose `go`; Enter and Escape both take `safe`."""
    box = QMessageBox(icon, title, text, parent=parent)
    chosen = box.addButton(go, go_role)
    keep = box.addButton(safe, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is chosen
