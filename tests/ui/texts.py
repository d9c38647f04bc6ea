"""Every text a clerk can read on a window or dialog (labels, buttons, titles, tips, headers, menus, list items), and
the English words among them."""

from __future__ import annotations

import re

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

# English words that have no business on a Vietnamese clerk's screen. Key names (Enter, Tab, Delete, Esc…) are
# left out: they are printed on the keys. Short words that are also Vietnamese (in, to, an, no) are left out too.
ENGLISH = frozenset("""
about add all and apply are arguments back browse cancel change choice choose close computer copy create date
default details detail directory discard document documents done download edit error expected exit false
file files filter find folder for forward from help hidden hide ignore invalid list loading location login look
message modified name new next none not null of ok open optional options parent password paste please positional
preview previous print printer properties quit recent redo refresh remove rename retry save search select settings
show size status the this true type undo unknown untitled usage user view warning with yes you your
""".split())

_TAG = re.compile(r"<[^>]+>")
_ENTITY = re.compile(r"&[a-z]+;|&#\d+;")
# Not prose: paths, addresses, commands and settings keys the clerk may copy, file patterns.
_NOT_PROSE = re.compile(r"(?:[A-Za-z]:)?[\\/][^\s]*|https?://\S+|python -m app[^\n]*|\b[a-z_]+\.[a-z_.]+\b|\*\.\w+")


def english_words(texts: list[str]) -> dict[str, str]:
    """The English words found, each with the first text it was found in."""
    found: dict[str, str] = {}
    for text in texts:
        plain = _NOT_PROSE.sub(" ", _ENTITY.sub(" ", _TAG.sub(" ", text.replace("&&", "&"))))
        for word in re.findall(r"[^\W\d_]+", plain.replace("&", "")):
            if word.lower() in ENGLISH:
                found.setdefault(word.lower(), text)
    return found


def _view_headers(view: QAbstractItemView) -> list[str]:
    model = view.model()
    if model is None or isinstance(view, QListView):  # a list has no header
        return []
    return [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(model.columnCount(QModelIndex()))]


def texts_of(widget: QWidget) -> list[str]:
    """The texts of `widget` and everything inside it, shown or on another tab (the clerk can switch to it)."""
    texts: list[str] = []
    for w in [widget, *widget.findChildren(QWidget)]:
        texts += [w.windowTitle() if w.isWindow() else "", w.toolTip(), w.statusTip(), w.whatsThis()]
        if isinstance(w, QMessageBox):
            texts += [w.text(), w.informativeText(), w.detailedText()]
        elif isinstance(w, QLabel):
            texts.append(w.text())
        elif isinstance(w, QAbstractButton):
            texts.append(w.text())
        elif isinstance(w, QGroupBox):
            texts.append(w.title())
        elif isinstance(w, QLineEdit):
            texts.append(w.placeholderText())
        elif isinstance(w, QTextEdit | QPlainTextEdit):
            texts.append(w.placeholderText())
        elif isinstance(w, QComboBox):
            texts += [w.itemText(i) for i in range(min(w.count(), 50))]
        elif isinstance(w, QTabBar):
            texts += [w.tabText(i) for i in range(w.count())] + [w.tabToolTip(i) for i in range(w.count())]
        elif isinstance(w, QAbstractItemView):
            texts += _view_headers(w)
        elif isinstance(w, QMenu):
            texts.append(w.title())
        for action in w.actions():
            texts += [action.text(), action.toolTip(), action.statusTip()]
            if action.menu() is not None:
                texts += [a.text() for a in action.menu().actions()]
    return [t for t in texts if t]
