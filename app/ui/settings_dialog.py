"""Settings dialog: the agency, its departments and staff, its register books, document types, deadlines, holidays,
safekeeping and the trusted certificates.

Each tab is a page of its own module under app.ui.settings; this module holds the tabs together and, on closing,
asks Lưu / Bỏ / Quay lại about anything typed on any page and not saved."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from app.services import Registry
from app.ui.form_scroll import ScrollingTabs
from app.ui.settings.agency import AgencyPage
from app.ui.settings.books import BooksPage
from app.ui.settings.deadlines import DeadlinesPage
from app.ui.settings.document_types import DocumentTypesPage
from app.ui.settings.people import PeoplePage
from app.ui.settings.safekeeping import SafekeepingPage
from app.ui.settings.trust import TrustPage
from app.ui.unsaved import settle_unsaved

TypedPage = AgencyPage | PeoplePage | BooksPage | DocumentTypesPage | DeadlinesPage | SafekeepingPage

__all__ = ["AgencyPage", "BooksPage", "DeadlinesPage", "DocumentTypesPage", "PeoplePage", "SafekeepingPage",
           "SettingsDialog", "TrustPage"]


class SettingsDialog(QDialog):
    """Cài đặt: one tab per area; every change goes through the Registry and is audited there."""

    def __init__(self, registry: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.setWindowTitle("Cài đặt")
        self.resize(960, 640)
        self.types_page = DocumentTypesPage(registry)
        self.deadlines_page = DeadlinesPage(registry)
        self.books_page = BooksPage(registry)
        self.people_page = PeoplePage(registry)
        self.agency_page = AgencyPage(registry, self._agency_saved)
        self.safekeeping_page = SafekeepingPage(registry)
        self.trust_page = TrustPage(registry)
        self.tabs = ScrollingTabs()  # a page taller than a small screen scrolls
        self.tabs.addTab(self.agency_page, "Cơ &quan")
        self.tabs.addTab(self.people_page, "&Phòng ban, cán bộ")
        self.tabs.addTab(self.books_page, "Sổ đăn&g ký")
        self.tabs.addTab(self.types_page, "Loại văn &bản")
        self.tabs.addTab(self.deadlines_page, "&Thời hạn, ngày nghỉ")
        self.tabs.addTab(self.safekeeping_page, "Sao lưu, &neo nhật ký")
        self.tabs.addTab(self.trust_page, "Chứng thư số t&in cậy")  # Alt+T is the deadlines tab
        self.tabs.currentChanged.connect(self._tab_changed)
        # The pages that take typing (the trust page adds files, it has no fields): each says what is unsaved and
        # saves it through its own save path.
        self.typed_pages: tuple[TypedPage, ...] = (self.agency_page, self.people_page, self.books_page,
                                                   self.types_page, self.deadlines_page, self.safekeeping_page)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText("Đóng")
        close.setAutoDefault(False)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)

    def unsaved(self) -> list[tuple[TypedPage, list[str]]]:
        """Each page holding something typed and not saved, with what, in tab order."""
        found = [(page, page.unsaved()) for page in self.typed_pages]
        return [(page, lines) for page, lines in found if lines]

    def reject(self) -> None:
        """Đóng, Esc and the window's close box: typed values on any page are saved (Lưu), dropped (Bỏ) or kept
        with the dialog open (Quay lại)."""
        pending = self.unsaved()
        lost = [line for _page, lines in pending for line in lines]
        if pending and not settle_unsaved(self, lost, lambda: self._save_pages([page for page, _ in pending])):
            return
        super().reject()

    def _save_pages(self, pages: list[TypedPage]) -> bool:
        """Each page through its own save; at the first refusal its tab is shown with the field named under it,
        and the dialog stays open."""
        for page in pages:
            self.tabs.setCurrentWidget(page)  # before saving: the refused field can only take focus when shown
            if not page.save_unsaved():
                return False
        return True

    def _agency_saved(self) -> None:
        """A new khối changes which types, books and type names the other pages offer."""
        self.types_page.reset_family()
        self.books_page.load()
        self.deadlines_page.load_types()

    def _tab_changed(self) -> None:
        if self.tabs.currentWidget() is self.deadlines_page:
            self.deadlines_page.load_types()  # a type added on the types tab can get a rule at once
