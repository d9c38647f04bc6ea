"""Qt's own texts (file dialogs, standard buttons, the edit menu) in Vietnamese: Qt ships no Vietnamese catalogue."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

# Qt's source texts by context, as Qt asks for them (mnemonics kept where Qt uses them). Key names of QShortcut
# (Ctrl, Shift, Enter…) stay as printed on the keyboard.
TEXTS: dict[str, dict[str, str]] = {
    "QPlatformTheme": {
        "OK": "Đồng ý", "Save": "Lưu", "Save All": "Lưu tất cả", "Open": "Mở", "&Yes": "&Có",
        "Yes to &All": "Có với &tất cả", "&No": "&Không", "N&o to All": "Khô&ng với tất cả", "Abort": "Hủy bỏ",
        "Retry": "Thử lại", "Ignore": "Bỏ qua", "Close": "Đóng", "Cancel": "Hủy", "Discard": "Bỏ",
        "Help": "Trợ giúp", "Apply": "Áp dụng", "Reset": "Đặt lại", "Restore Defaults": "Khôi phục mặc định",
    },
    "QMessageBox": {
        "Show Details...": "Xem chi tiết...", "Hide Details...": "Ẩn chi tiết...", "OK": "Đồng ý",
        "<h3>About Qt</h3><p>This program uses Qt version %1.</p>": "<h3>Về Qt</h3><p>Chương trình dùng Qt %1.</p>",
    },
    "QFileDialog": {
        "&Look in:": "&Tìm trong:", "File &name:": "Tên &tệp:", "Files of &type:": "&Loại tệp:",
        "&Open": "&Mở", "&Save": "&Lưu", "&Choose": "&Chọn", "Open": "Mở", "Save As": "Lưu thành",
        "Find Directory": "Chọn thư mục", "Directory:": "Thư mục:", "Directories": "Thư mục",
        "All Files (*)": "Mọi tệp (*)", "Files": "Tệp", "Back": "Quay lại", "Forward": "Tiến tới",
        "Go back": "Quay lại", "Go forward": "Tiến tới", "Parent Directory": "Thư mục cha",
        "Go to the parent directory": "Lên thư mục cha", "Create New Folder": "Tạo thư mục mới",
        "Create a New Folder": "Tạo thư mục mới", "New Folder": "Thư mục mới", "&New Folder": "Thư mục &mới",
        "List View": "Xem dạng danh sách", "Detail View": "Xem chi tiết", "Change to list view mode":
            "Xem dạng danh sách", "Change to detail view mode": "Xem chi tiết",
        "List of places and bookmarks": "Danh sách nơi lưu", "Sidebar": "Thanh bên", "Recent Places": "Nơi mở gần đây",
        "&Rename": "Đổi &tên", "&Delete": "&Xóa", "Show &hidden files": "Hiện tệp &ẩn", "Show ": "Hiện ",
        "My Computer": "Máy tính", "Computer": "Máy tính", "Unknown": "Không rõ", "Drive": "Ổ đĩa",
        "File": "Tệp", "File Folder": "Thư mục", "Folder": "Thư mục", "Alias": "Lối tắt", "Shortcut": "Lối tắt",
        "%1 already exists.\nDo you want to replace it?": "%1 đã có.\nGhi đè tệp đó?",
        "%1\nFile not found.\nPlease verify the correct file name was given.":
            "%1\nKhông tìm thấy tệp.\nHãy kiểm tra lại tên tệp.",
        "%1\nDirectory not found.\nPlease verify the correct directory name was given.":
            "%1\nKhông tìm thấy thư mục.\nHãy kiểm tra lại tên thư mục.",
        "'%1' is write protected.\nDo you want to delete it anyway?": "'%1' đang được bảo vệ chống ghi.\nVẫn xóa?",
        "Are you sure you want to delete '%1'?": "Xóa '%1'?",
        "Could not delete directory.": "Không xóa được thư mục.",
        "Invalid file name": "Tên tệp không hợp lệ",
        "<b>The name \"%1\" cannot be used.</b><p>Try using another name, with fewer characters or no "
        "punctuation marks.": "<b>Không dùng được tên \"%1\".</b><p>Hãy chọn tên khác, ngắn hơn, không có dấu câu.",
    },
    "QFileSystemModel": {
        "Name": "Tên", "Size": "Kích thước", "Type": "Loại", "Kind": "Loại", "Date Modified": "Ngày sửa",
        "Computer": "Máy tính", "My Computer": "Máy tính", "%1 TB": "%1 TB", "%1 GB": "%1 GB", "%1 MB": "%1 MB",
        "%1 KB": "%1 KB", "%1 bytes": "%1 byte", "Invalid filename": "Tên tệp không hợp lệ",
    },
    "QAbstractFileIconProvider": {"Drive": "Ổ đĩa", "Folder": "Thư mục", "File": "Tệp", "Unknown": "Không rõ"},
    "QFileIconProvider": {"Drive": "Ổ đĩa", "Folder": "Thư mục", "File": "Tệp", "Unknown": "Không rõ"},
    "QLineEdit": {
        "&Undo": "&Hoàn tác", "&Redo": "&Làm lại", "Cu&t": "Cắ&t", "&Copy": "&Sao chép", "&Paste": "&Dán",
        "Delete": "Xóa", "Select All": "Chọn tất cả",
    },
    "QWidgetTextControl": {
        "&Undo": "&Hoàn tác", "&Redo": "&Làm lại", "Cu&t": "Cắ&t", "&Copy": "&Sao chép", "&Paste": "&Dán",
        "Delete": "Xóa", "Select All": "Chọn tất cả", "Copy &Link Location": "Sao chép địa chỉ &liên kết",
    },
    "QDialogButtonBox": {"OK": "Đồng ý", "Cancel": "Hủy", "&OK": "Đồng ý", "&Cancel": "Hủy", "Close": "Đóng"},
    "QInputDialog": {"Enter a value:": "Nhập giá trị:"},
    "QPrintPreviewDialog": {
        "Print Preview": "Xem trước khi in", "Print": "In", "Close": "Đóng", "First page": "Trang đầu",
        "Previous page": "Trang trước", "Next page": "Trang sau", "Last page": "Trang cuối", "Fit page": "Vừa trang",
        "Fit width": "Vừa chiều ngang", "Zoom in": "Phóng to", "Zoom out": "Thu nhỏ", "Portrait": "Khổ dọc",
        "Landscape": "Khổ ngang", "Show single page": "Xem từng trang", "Show facing pages": "Xem hai trang",
        "Show overview of all pages": "Xem mọi trang", "Page setup": "Thiết lập trang", "Export to PDF": "Xuất ra PDF",
    },
    "QPrintDialog": {
        "Print": "In", "&Print": "&In", "All Pages": "Mọi trang", "Odd Pages": "Trang lẻ", "Even Pages": "Trang chẵn",
        "&Options >>": "&Tùy chọn >>", "&Options <<": "&Tùy chọn <<", "Print to File (PDF)": "In ra tệp (PDF)",
        "Local file": "Tệp trên máy", "Write PDF file": "Ghi tệp PDF", "Print To File ...": "In ra tệp...",
        "File exists": "Tệp đã có", "<qt>Do you want to overwrite it?</qt>": "<qt>Ghi đè tệp đó?</qt>",
    },
    "QPrintWidget": {
        "Form": "", "Printer": "Máy in", "&Name:": "&Tên:", "P&roperties": "&Thuộc tính", "Location:": "Vị trí:",
        "Preview": "Xem trước", "Type:": "Loại:", "Output &file:": "&Tệp ghi ra:", "...": "...",
    },
    "QPrintSettingsOutput": {
        "Form": "", "Print range": "Phạm vi in", "Print all": "In tất cả", "Pages from": "Từ trang", "to": "đến",
        "Pages": "Các trang", "Current Page": "Trang hiện tại", "Selection": "Phần đã chọn",
        "Page &Set:": "&Nhóm trang:",
        "Output Settings": "Thiết lập bản in", "Copies:": "Số bản:", "Collate": "In theo bộ", "Reverse": "In ngược",
        "Copies": "Số bản", "Color Mode": "Màu", "Color": "Màu", "Grayscale": "Đen trắng",
        "Double Sided Printing": "In hai mặt", "Off": "Không", "Long side binding": "Đóng theo cạnh dài",
        "Short side binding": "Đóng theo cạnh ngắn", "Options": "Tùy chọn",
        "Specify pages or ranges separated by commas. Ranges are specified by two numbers separated by a hyphen. "
        "E.g: 3,5-7,9 prints pages 3, 5, 6, 7 and 9.": "Ghi các trang hoặc khoảng trang, cách nhau bằng dấu phẩy; "
        "khoảng trang là hai số nối bằng gạch ngang. Ví dụ: 3,5-7,9 in các trang 3, 5, 6, 7 và 9.",
    },
    "QTabBar": {"Scroll Left": "Cuộn sang trái", "Scroll Right": "Cuộn sang phải"},
}


class VietnameseQt(QTranslator):
    """Answers Qt's own translate() calls from TEXTS; anything else is left to Qt (None)."""

    def translate(self, context: str, source: str, disambiguation: str | None = None,  # noqa: D102
                  n: int = -1) -> str | None:
        return TEXTS.get(context, {}).get(source)

    def isEmpty(self) -> bool:  # noqa: N802 - Qt's name; an "empty" translator is skipped by Qt
        return False


_installed: VietnameseQt | None = None


def install() -> None:
    """Make Qt speak Vietnamese in this process (dates and numbers too); safe to call more than once."""
    global _installed
    app = QCoreApplication.instance()
    if app is None or _installed is not None:
        return
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    _installed = VietnameseQt(app)
    app.installTranslator(_installed)
