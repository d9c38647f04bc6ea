"""Enabling buttons and menu actions by the signed-in user's permissions, and saying which one is missing."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from app.core.access import PERMISSION_LABELS, Permission
from app.services import Registry

_PLAIN_TIP = "plain_tool_tip"  # the tooltip the control has when it is allowed


def denied_text(permission: Permission) -> str:
    """'Tài khoản đang dùng không có quyền in dấu đến, phiếu, sổ.'"""
    return f"Tài khoản đang dùng không có quyền {PERMISSION_LABELS[permission]}."


def allow(control: QWidget | QAction, registry: Registry, permission: Permission, enabled: bool = True) -> bool:
    """Enable the control when the user has the permission (and `enabled`); a refused one says in its tooltip
    (and status tip, for actions) which permission is missing. Returns whether the permission is granted."""
    granted = registry.can(permission)
    if control.property(_PLAIN_TIP) is None:
        plain = control.toolTip() if isinstance(control, QWidget) else control.statusTip()
        control.setProperty(_PLAIN_TIP, plain or "")
    plain = str(control.property(_PLAIN_TIP))
    tip = plain if granted else denied_text(permission)
    control.setEnabled(granted and enabled)
    if isinstance(control, QAction):
        control.setStatusTip(tip)
        control.setToolTip(tip or control.text().replace("&", ""))
    else:
        control.setToolTip(tip)
    return granted
