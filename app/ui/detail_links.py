"""The Liên kết tab: the entry's forward chain upward and its links both ways, as a tree."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.enums import LinkType
from app.core.records import ForwardChain

LINK_ROLE = Qt.ItemDataRole.UserRole  # a link this entry owns or receives (removable here), or None
DOC_ROLE = Qt.ItemDataRole.UserRole + 1  # the registered document the row names, or None
_LABEL_PARTS = re.compile(r"^(?P<head>.+?) \((?P<issuer>[^()]+)\)(?P<tail> — .+)?$")


def two_lines(label: str) -> str:
    """'5068/UBND-TH ngày 02/10/2023 (UBND TỈNH TÂY NINH)' on two lines, number first: tree rows do not wrap."""
    match = _LABEL_PARTS.match(label)
    return f"{match['head']}\n{match['issuer']}{match['tail'] or ''}" if match else label


def link_item(kind: str | None, label: str, link_id: int | None, doc_id: int | None) -> QTreeWidgetItem:
    """A row naming the document at a link's other end; italic when it is not (yet) in the register."""
    prefix = f"{kind}: " if kind else ""
    item = QTreeWidgetItem([prefix + two_lines(label)])
    item.setToolTip(0, prefix + label + ("" if doc_id is None else "\nNhấn đúp để mở văn bản này."))
    item.setData(0, LINK_ROLE, link_id)
    item.setData(0, DOC_ROLE, doc_id)
    if doc_id is None:
        font = item.font(0)
        font.setItalic(True)
        item.setFont(0, font)
    return item


def _tip_every_row(tree: QTreeWidget) -> None:
    """A row too long for a narrow pane is cut at its edge: its whole text is always in its tooltip."""
    stack = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    while stack:
        item = stack.pop()
        if not item.toolTip(0):
            item.setToolTip(0, item.text(0))
        stack += [item.child(i) for i in range(item.childCount())]


class LinksBox(QGroupBox):
    """The links tree with its Thêm / Bỏ liên kết buttons (the pane runs the buttons: they change the register)."""

    open_document = Signal(int)  # a row naming another registered document was double-clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Liên kết", parent)
        self._document_id: int | None = None
        self.links = QTreeWidget()
        self.links.setHeaderHidden(True)
        self.links.setIndentation(14)
        self.links.setMinimumHeight(150)
        self.links.setWordWrap(True)
        # Wrap long labels inside the pane's width instead of eliding them or scrolling sideways.
        self.links.setUniformRowHeights(False)
        self.links.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.links.header().setStretchLastSection(False)
        self.links.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.links.itemDoubleClicked.connect(self._open_linked)
        self.add_link_button = QPushButton("Thêm liên kết…")
        self.remove_link_button = QPushButton("Bỏ liên kết")
        layout = QVBoxLayout(self)
        layout.addWidget(self.links)
        row = QHBoxLayout()
        for button in (self.add_link_button, self.remove_link_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)

    def show_chain(self, chain: ForwardChain | None) -> dict[int, str]:
        """Show the chain (or nothing); returns the labels of the registered documents it names, by id."""
        self.links.clear()
        self._document_id = chain.document_id if chain else None
        if chain is None:
            return {}
        bold = QFont(self.links.font())
        bold.setBold(True)
        labels: dict[int, str] = {}
        if chain.ancestors:
            node = QTreeWidgetItem([f"{two_lines(chain.label)} (văn bản này)"])
            node.setFont(0, bold)
            node.setToolTip(0, f"{chain.label}\nChuỗi sao gửi / chuyển tiếp: mỗi cấp là văn bản mà cấp trên nó sao gửi")
            self.links.addTopLevelItem(node)
            for index, step in enumerate(chain.ancestors):
                # Only the first step is this entry's own link; the ones above belong to other entries.
                kind = LinkType.FORWARDS.label if index == 0 else None
                child = link_item(kind, step.label + (" — ĐÃ HỦY" if step.cancelled else ""),
                                  step.link_id if index == 0 else None, step.document_id)
                node.addChild(child)
                node = child
                if step.document_id is not None:
                    labels[step.document_id] = step.label
            if chain.cycle:
                node.addChild(QTreeWidgetItem(["… chuỗi quay lại một văn bản ở trên (vòng lặp), dừng tại đây"]))
        for title, rows in (("Văn bản này liên kết đến", chain.links_from),
                            ("Văn bản liên kết đến văn bản này", chain.links_to)):
            if not rows:
                continue
            group = QTreeWidgetItem([title])
            group.setFont(0, bold)
            self.links.addTopLevelItem(group)
            for link in rows:
                other = link.target_id if link.source_id == chain.document_id else link.source_id
                group.addChild(link_item(link.link_type.label, link.other_label, link.id, other))
                if other is not None:
                    labels[other] = link.other_label
        if self.links.topLevelItemCount() == 0:
            empty = QTreeWidgetItem(["Chưa có liên kết.\nDùng “Thêm liên kết…” để nối với văn bản gốc,\n"
                                     "văn bản trả lời hoặc văn bản được viện dẫn."])
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.links.addTopLevelItem(empty)
        self.links.expandAll()
        _tip_every_row(self.links)
        return labels

    def selected_link(self) -> int | None:
        """The selected link when this entry owns or receives it (removable here)."""
        item = self.links.currentItem()
        value = item.data(0, LINK_ROLE) if item is not None and item.isSelected() else None
        return int(value) if value is not None else None

    def selected_text(self) -> str:
        item = self.links.currentItem()
        return item.text(0) if item is not None else ""

    def _open_linked(self, item: QTreeWidgetItem, _column: int) -> None:
        doc_id = item.data(0, DOC_ROLE)
        if doc_id is not None and doc_id != self._document_id:
            self.open_document.emit(int(doc_id))
