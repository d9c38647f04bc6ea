"""The trust page: the root certificates the register's signature checks trust, and the CRLs imported for them."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QVBoxLayout, QWidget

from app.core.access import Permission
from app.core.errors import VanThuError
from app.core.records import TrustedCertificateRecord
from app.services import Registry
from app.ui import file_dialogs
from app.ui.permissions import allow
from app.ui.settings.widgets import button, fill, hint, selected_id, table

HEADERS = ("Chủ thể", "Tổ chức", "Nơi cấp", "Hiệu lực", "Dấu vân tay SHA-256")
CERTIFICATE_FILTER = "Chứng thư số (*.pem *.cer *.crt *.der *.p7b);;Mọi tệp (*)"
CRL_FILTER = "Danh sách thu hồi (*.crl *.pem *.der);;Mọi tệp (*)"
ERROR_STYLE, OK_STYLE = "color: #b00020;", "color: #2e7d32;"
HELP = ("Chỉ thêm chứng thư gốc do chính nơi cấp công bố: Ban Cơ yếu Chính phủ (chữ ký số chuyên dùng công vụ, "
        "ca.gov.vn); các nhà cung cấp dịch vụ chữ ký số công cộng dùng chứng thư gốc của Bộ Thông tin và Truyền "
        "thông — Trung tâm Chứng thực điện tử quốc gia NEAC (rootca.gov.vn). Trước khi thêm, văn thư phải đối "
        "chiếu dấu vân tay SHA-256 của tệp với dấu vân tay nơi cấp công bố; chứng thư lấy qua thư điện tử, Zalo "
        "hay trang lạ có thể là giả. Sổ không có sẵn chứng thư nào: khi danh sách trống, mọi chữ ký số đều "
        "\"chưa được tin cậy\".")


def short_fingerprint(fingerprint: str) -> str:
    """The first 16 hex digits, in pairs as a CA publishes them: "AB:CD:EF:01:23:45:67:89"."""
    head = fingerprint[:16].upper()
    return ":".join(head[i:i + 2] for i in range(0, len(head), 2))


def _validity(record: TrustedCertificateRecord) -> str:
    text = f"{record.not_before:%d/%m/%Y} – {record.not_after:%d/%m/%Y}"
    after = record.not_after if record.not_after.tzinfo else record.not_after.replace(tzinfo=UTC)
    return f"{text} (đã hết hạn)" if after < datetime.now(UTC) else text


class TrustPage(QWidget):
    """Chứng thư số tin cậy: the list for everyone who opens the settings; adding, removing and CRLs only for
    an account with Permission.SETTINGS (the quản trị). Every change is audited by registry.trust."""

    def __init__(self, registry: Registry) -> None:
        super().__init__()
        self.registry = registry
        self.records: list[TrustedCertificateRecord] = []
        self.table = table(HEADERS)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.add_button = button("Thê&m chứng thư…", self.add_certificate)
        self.remove_button = button("Bỏ &khỏi danh sách", self.remove_selected)
        self.crl_button = button("Nhập &CRL…", self.add_crl)
        self.fingerprint = QLabel()
        self.fingerprint.setObjectName("trust_fingerprint")
        self.fingerprint.setWordWrap(True)
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel()
        self.status.setObjectName("trust_status")
        self.status.setWordWrap(True)
        for line, lines in ((self.fingerprint, 2), (self.status, 3)):  # wrapped lines are never cut off
            line.setMinimumHeight(line.fontMetrics().lineSpacing() * lines + 4)
        self.read_only = hint("Chỉ tài khoản quản trị được thêm, bỏ chứng thư và nhập CRL; tài khoản đang dùng chỉ "
                              "xem danh sách.")
        layout = QVBoxLayout(self)
        layout.addWidget(hint(HELP))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.fingerprint)
        row = QHBoxLayout()
        for push in (self.add_button, self.remove_button, self.crl_button):
            row.addWidget(push)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.read_only)
        layout.addWidget(self.status)
        self.load()

    @property
    def may_change(self) -> bool:
        return self.registry.can(Permission.SETTINGS)

    def load(self) -> None:
        try:
            self.records = self.registry.trust.list()
        except VanThuError as exc:
            self.records = []
            self._say(str(exc), ERROR_STYLE)
        fill(self.table, [(r.fingerprint, (r.subject, r.organization, r.issuer, _validity(r),
                                           short_fingerprint(r.fingerprint))) for r in self.records])
        for r, record in enumerate(self.records):
            self.table.item(r, len(HEADERS) - 1).setToolTip(record.fingerprint.upper())
        self.table.setCurrentItem(None)
        self.table.clearSelection()
        self.fingerprint.setText("Chọn một chứng thư để xem dấu vân tay SHA-256 đầy đủ." if self.records else
                                 "Chưa có chứng thư gốc tin cậy nào.")
        self._update_buttons()

    def selected(self) -> TrustedCertificateRecord | None:
        fingerprint = selected_id(self.table)
        return next((r for r in self.records if r.fingerprint == fingerprint), None)

    def _selection_changed(self) -> None:
        record = self.selected()
        if record is not None:
            full = record.fingerprint.upper()
            pairs = ":".join(full[i:i + 2] for i in range(0, len(full), 2))
            self.fingerprint.setText(f"Dấu vân tay SHA-256 đầy đủ của «{record.subject}»:\n{pairs}")
        self._update_buttons()

    def _update_buttons(self) -> None:
        allow(self.add_button, self.registry, Permission.SETTINGS)
        allow(self.crl_button, self.registry, Permission.SETTINGS)
        allow(self.remove_button, self.registry, Permission.SETTINGS, self.selected() is not None)
        self.read_only.setVisible(not self.may_change)

    def _say(self, text: str, style: str = "") -> None:
        self.status.setStyleSheet(style)
        self.status.setText(text)

    # what a click asks the clerk; tests replace these
    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def choose(self, title: str, filters: str) -> str:
        return file_dialogs.open_file(self, title, filters) or ""

    # the actions
    def add_certificate(self) -> None:
        if not self.may_change:
            return
        path = self.choose("Thêm chứng thư số tin cậy", CERTIFICATE_FILTER)
        if path:
            self.add_path(path)

    def add_path(self, path: str) -> bool:
        try:
            added = self.registry.trust.add(path)
        except VanThuError as exc:
            self._say(f"Không thêm được chứng thư: {exc}", ERROR_STYLE)
            return False
        self.load()
        names = "; ".join(f"{r.subject} ({short_fingerprint(r.fingerprint)}…)" for r in added)
        self._say(f"Đã thêm {len(added)} chứng thư tin cậy: {names}. Hãy đối chiếu dấu vân tay với nơi cấp; nếu "
                  "không khớp, bỏ ngay khỏi danh sách.", OK_STYLE)
        if added:
            self._select(added[0].fingerprint)
        return True

    def _select(self, fingerprint: str) -> None:
        for r in range(self.table.rowCount()):
            if self.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == fingerprint:
                self.table.selectRow(r)
                return

    def remove_selected(self) -> bool:
        record = self.selected()
        if record is None or not self.may_change:
            return False
        if not self.confirm("Bỏ chứng thư tin cậy", f"Bỏ «{record.subject}» (dấu vân tay "
                            f"{short_fingerprint(record.fingerprint)}…) khỏi danh sách tin cậy?\n\nChữ ký số do "
                            "chứng thư này (và các chứng thư nó cấp) bảo đảm sẽ thành \"chưa được tin cậy\" ở lần "
                            "kiểm tra sau. Các kết quả kiểm tra đã lưu vẫn giữ nguyên."):
            return False
        try:
            removed = self.registry.trust.remove(record.fingerprint)
        except VanThuError as exc:
            self._say(f"Không bỏ được chứng thư: {exc}", ERROR_STYLE)
            return False
        self.load()
        self._say(f"Đã bỏ chứng thư khỏi danh sách tin cậy: {removed.subject}.", OK_STYLE)
        return True

    def add_crl(self) -> None:
        if not self.may_change:
            return
        path = self.choose("Nhập danh sách chứng thư bị thu hồi (CRL)", CRL_FILTER)
        if path:
            self.add_crl_path(path)

    def add_crl_path(self, path: str) -> bool:
        try:
            self.registry.trust.add_crl(path)
        except VanThuError as exc:
            self._say(f"Không nhập được CRL: {exc}", ERROR_STYLE)
            return False
        self._say("Đã nhập danh sách chứng thư bị thu hồi (CRL); lần kiểm tra chữ ký số sau sẽ dùng nó.", OK_STYLE)
        return True
