"""The main window's menu bar: every menu, action and keyboard shortcut, and which of them this account may use."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

from app.core.access import Permission
from app.core.enums import Direction
from app.services import Registry
from app.ui.permissions import allow

Slot = Callable[[], object]
Item = tuple[str, str, str] | None  # (key, text, shortcut); None is a separator

# The menus, by the key of each action's slot. Not Ctrl+E for the export: on Linux a focused text field takes it
# (end of line), and the search box often has focus.
DOCUMENTS: Sequence[Item] = (
    ("register_incoming", "Vào sổ văn bản đến…", "Ctrl+N"),
    ("register_outgoing", "Vào sổ văn bản đi…", "Ctrl+Shift+N"),
    ("edxml_inbox", "Văn bản điện tử chờ vào sổ (edXML)", "Ctrl+Shift+D"),
    None,
    ("route", "Chuyển xử lý (ý kiến chỉ đạo, đơn vị, thời hạn)…", "Ctrl+R"),
    ("handover", "Ký nhận…", "Ctrl+K"),
    None,
    ("cancel", "Hủy văn bản đang chọn…", "Ctrl+Del"),
    None,
    ("sign", "Ký số và phát hành…", "Ctrl+Shift+K"),
    ("copy", "Tạo bản sao điện tử…", ""),
    None,
    ("search", "Tìm", "Ctrl+F"),
    ("reload", "Tải lại", "F5"),
    None,
    ("quit", "Thoát", "Ctrl+Q"),
)
BOOK_FILES: Sequence[Item] = (
    ("export", "Xuất danh sách đang hiện ra Excel…", "Ctrl+Shift+E"),
    ("import", "Nhập sổ cũ từ Excel, CSV…", ""),
)
FOLLOW_UP: Sequence[Item] = (
    ("overdue", "Văn bản quá hạn, sắp đến hạn", "Ctrl+H"),
    ("reports", "Báo cáo, thống kê…", "Ctrl+Shift+R"),
    ("audit", "Nhật ký thay đổi…", ""),
)
SETTINGS: Sequence[Item] = (("settings", "Cài đặt cơ quan, sổ, loại văn bản…", "Ctrl+,"),)
ACCOUNT: Sequence[Item] = (("password", "Đổi mật khẩu…", ""), ("clerk_name", "Họ và tên văn thư…", ""),
                           ("users", "Quản lý tài khoản…", ""))
HELP: Sequence[Item] = (("about", "Giới thiệu", "F1"),)

# Menu actions and what they need; the "In" menu's actions all need Permission.PRINT.
ACTION_PERMISSIONS: dict[str, Permission] = {
    "register_incoming": Permission.REGISTER, "register_outgoing": Permission.REGISTER,
    "cancel": Permission.REGISTER, "import": Permission.REGISTER, "route": Permission.ROUTE,
    "handover": Permission.ROUTE, "export": Permission.REPORT, "overdue": Permission.REPORT,
    "reports": Permission.REPORT, "audit": Permission.AUDIT, "settings": Permission.SETTINGS,
    "users": Permission.USERS,
}
# Actions on the selected entry: what they need, the books whose entries they take, and their plain status tip.
SELECTION_ACTIONS: dict[str, tuple[Permission, frozenset[Direction], str]] = {
    "sign": (Permission.REGISTER, frozenset({Direction.OUTGOING}),
             "Ký số văn bản đi đang chọn bằng chữ ký số của cơ quan và đính kèm tệp đã ký"),
    "copy": (Permission.REGISTER, frozenset({Direction.INCOMING, Direction.OUTGOING}),
             "Tạo bản sao điện tử (sao y, sao lục, trích sao) có chữ ký số của cơ quan, vào sổ bản sao"),
}


class WindowMenus:
    """Builds the menu bar from the slots it is given, by key. Every action is also added to `owner`, so its
    shortcut works wherever the focus is."""

    def __init__(self, owner: QWidget, bar: QMenuBar) -> None:
        self.owner, self.bar = owner, bar
        self.by_key: dict[str, QAction] = {}
        self.print_actions: list[QAction] = []
        self.selected_book: Direction | None = None  # the book of the selected entry, None without one

    def action(self, menu: QMenu, text: str, shortcut: str, slot: Slot) -> QAction:
        action = QAction(text, self.owner)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        self.owner.addAction(action)  # shortcuts work wherever the focus is
        return action

    def _fill(self, menu: QMenu, items: Sequence[Item], slots: Mapping[str, Slot]) -> None:
        for item in items:
            if item is None:
                menu.addSeparator()
                continue
            key, text, shortcut = item
            self.by_key[key] = self.action(menu, text, shortcut, slots[key])

    def build(self, slots: Mapping[str, Slot], tab_titles: Sequence[str], select_tab: Callable[[int], None],
              print_menu: Callable[[QMenu, Callable[..., QAction]], list[QAction]]) -> dict[str, QAction]:
        """Văn bản, In (its actions are print_menu's), Sổ (Alt+1… for the tabs), Theo dõi, Cài đặt, Tài khoản,
        Trợ giúp. Returns the actions by key."""
        documents = self.bar.addMenu("&Văn bản")
        self._fill(documents, DOCUMENTS, slots)
        self.print_actions = print_menu(self.bar.addMenu("&In"), self.action)
        books = self.bar.addMenu("&Sổ")
        for i, title in enumerate(tab_titles):  # the tabs this account has (the secret ones after)
            self.action(books, title, f"Alt+{i + 1}", lambda _checked=False, i=i: select_tab(i))
        books.addSeparator()
        self._fill(books, BOOK_FILES, slots)
        follow = self.bar.addMenu("&Theo dõi")
        self._fill(follow, FOLLOW_UP, slots)
        settings = self.bar.addMenu("&Cài đặt")
        self._fill(settings, SETTINGS, slots)
        account = self.bar.addMenu("&Tài khoản")
        self._fill(account, ACCOUNT, slots)
        for bar_menu in (documents, books, follow, settings, account):
            bar_menu.setToolTipsVisible(True)  # a greyed action says which permission it needs
        self._fill(self.bar.addMenu("&Trợ giúp"), HELP, slots)
        return self.by_key

    def apply_permissions(self, registry: Registry) -> None:
        """Grey out what this account may not do; the tooltip names the missing permission."""
        for key, permission in ACTION_PERMISSIONS.items():
            allow(self.by_key[key], registry, permission)
        for action in self.print_actions:
            allow(action, registry, Permission.PRINT)
        self.selection_changed(registry, self.selected_book)
        password = self.by_key["password"]
        signed_in = registry.principal.signed_in
        password.setEnabled(signed_in)
        password.setToolTip("Đổi mật khẩu của tài khoản đang đăng nhập" if signed_in
                            else "Sổ chưa có tài khoản: không có mật khẩu để đổi.")
        password.setStatusTip(password.toolTip())
        clerk = self.by_key["clerk_name"]  # a register without accounts: the name on receipts and in the audit
        clerk.setEnabled(not signed_in)
        clerk.setToolTip("Sổ có tài khoản: họ và tên là của tài khoản đăng nhập." if signed_in
                         else "Họ và tên văn thư ghi vào nhật ký và in trên giấy biên nhận")

    def selection_changed(self, registry: Registry, book: Direction | None) -> None:
        """Actions on the selected entry are enabled for the entries of their books (signing: outgoing only)."""
        self.selected_book = book
        for key, (permission, books, tip) in SELECTION_ACTIONS.items():
            action = self.by_key[key]
            if not action.statusTip():
                action.setStatusTip(tip)
            allow(action, registry, permission, book in books)
