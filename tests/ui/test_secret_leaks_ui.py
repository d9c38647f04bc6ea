"""No string of a secret document reaches a user without clearance in the window: every dialog they can open is
read whole (labels, fields, tables, trees, lists, suggestions, tooltips) and searched for the secret token."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from app.core.access import Permission
from app.core.enums import Direction
from app.services import Registry
from app.ui.audit_dialog import AuditDialog
from app.ui.link_dialog import LinkDialog
from app.ui.main_window import MainWindow
from app.ui.register_dialog import RegisterDialog
from app.ui.reports_dialog import ReportsDialog
from app.ui.route_dialog import RouteDialog
from app.ui.settings_dialog import SettingsDialog
from app.ui.users_dialog import UsersDialog
from tests.secret_register import ADMIN, CLEARED, CLERK, leaks, new_cli, set_up


def _model_text(model: QAbstractItemModel, parent: QModelIndex | None = None, limit: int = 2000) -> list[str]:
    parent = parent or QModelIndex()
    texts: list[str] = []
    try:
        columns = model.columnCount(parent)
        tree = True
    except TypeError:  # a list model (QStringListModel) keeps columnCount and hasChildren private: flat, one column
        columns, tree = 1, False
    for row in range(min(model.rowCount(parent), limit)):
        for column in range(columns):
            index = model.index(row, column, parent)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = model.data(index, role)
                if value is not None:
                    texts.append(str(value))
            if tree and column == 0 and model.rowCount(index) > 0:
                texts.extend(_model_text(model, index, limit))
    return texts


def shown_text(top: QWidget) -> str:
    """Every string the widget and its children hold, seen or a click away (tooltips, tabs, suggestion lists)."""
    texts = [top.windowTitle()]
    for widget in [top, *top.findChildren(QWidget)]:
        texts.append(widget.toolTip())
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QLineEdit):
            texts.append(widget.text())
            if widget.completer() is not None:
                texts.extend(_model_text(widget.completer().model()))
        elif isinstance(widget, QPlainTextEdit | QTextEdit):
            texts.append(widget.toPlainText())
        elif isinstance(widget, QComboBox):
            texts.extend(widget.itemText(i) for i in range(widget.count()))
        elif isinstance(widget, QTabWidget):
            texts.extend(widget.tabText(i) for i in range(widget.count()))
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            texts.extend(_model_text(widget.model()))
    return "\n".join(texts)


def _signed_in(db_path: Path, env: dict[str, str]) -> Registry:
    registry = Registry(str(db_path))
    registry.sign_in(env["VANTHU_USER"], env["VANTHU_PASSWORD"], "kiểm thử")
    return registry


def test_no_secret_string_reaches_an_uncleared_user_in_any_dialog(qtbot, db_path: Path,  # type: ignore[no-untyped-def]
                                                                  monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    ids = set_up(new_cli(db_path, monkeypatch, capsys))
    found: list[str] = []

    def look(who: str, what: str, widget: QWidget) -> None:
        if leaks(text := shown_text(widget)):
            lines = [line for line in text.splitlines() if leaks(line)]
            found.append(f"{who}: {what} → {lines[:3]}")

    cleared = _signed_in(db_path, CLEARED)
    try:  # the check itself can see the token where it is allowed
        window = MainWindow(cleared)
        qtbot.addWidget(window)
        window.wait_loaded()
        secret_tab = next(i for i in range(window.tabs.count()) if "mật" in window.tabs.tabText(i))
        window.tabs.setCurrentIndex(secret_tab)
        window.wait_loaded()
        assert leaks(shown_text(window))
        window.close()
    finally:
        cleared.close()

    for who, env in (("văn thư", CLERK), ("quản trị", ADMIN)):
        registry = _signed_in(db_path, env)
        try:
            window = MainWindow(registry)
            qtbot.addWidget(window)
            window.show()
            window.wait_loaded()
            for tab in range(window.tabs.count()):
                window.tabs.setCurrentIndex(tab)
                window.wait_loaded()
                look(who, f"cửa sổ, thẻ {window.tabs.tabText(tab)}", window)
            if registry.principal.can(Permission.REGISTER):
                dialog = RegisterDialog(registry, Direction.INCOMING)
                qtbot.addWidget(dialog)
                issuer = dialog.form.widget("issuer", QLineEdit)
                for typed in ("ky thuat", "cuc", "q"):
                    issuer.setText(typed)
                    issuer.textEdited.emit(typed)
                    look(who, f"vào sổ, gợi ý cơ quan '{typed}'", dialog)
                ordinary = registry.documents.get(ids["ordinary"])
                link = LinkDialog(registry, ordinary)
                qtbot.addWidget(link)
                look(who, "liên kết", link)
                route = RouteDialog(registry, ordinary, registry.routing.history(ordinary.id))
                qtbot.addWidget(route)
                look(who, "chuyển xử lý", route)
            reports = ReportsDialog(registry)
            qtbot.addWidget(reports)
            reports.set_year(2026)
            for index in range(reports.book.count()):
                reports.book.setCurrentIndex(index)
                reports.wait_loaded()
                look(who, f"báo cáo, {reports.book.itemText(index)}", reports)
            if who == "quản trị":
                audit = AuditDialog(registry)
                qtbot.addWidget(audit)
                qtbot.waitUntil(lambda dialog=audit: not dialog.tasks.busy(), timeout=15_000)  # type: ignore[misc]
                look(who, "nhật ký", audit)
                for dialog_class in (SettingsDialog, UsersDialog):
                    opened = dialog_class(registry)
                    qtbot.addWidget(opened)
                    look(who, dialog_class.__name__, opened)
            window.close()
        finally:
            registry.close()
    assert found == []
