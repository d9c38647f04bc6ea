"""Closed word lists the extractor reads against: type names and abbreviations, titles, marks, surnames."""

from __future__ import annotations

# Document type names as folded keys (upper case, no marks, Đ -> D) -> canonical Vietnamese name.
TYPE_NAMES: dict[str, str] = {
    "THONG BAO": "Thông báo", "CONG VAN": "Công văn", "VAN BAN": "Văn bản", "KE HOACH": "Kế hoạch",
    "QUYET DINH": "Quyết định", "NGHI QUYET": "Nghị quyết", "BIEN BAN": "Biên bản", "KET LUAN": "Kết luận",
    "CHI THI": "Chỉ thị", "HUONG DAN": "Hướng dẫn", "BAO CAO": "Báo cáo", "TO TRINH": "Tờ trình",
    "CHUONG TRINH": "Chương trình", "QUY DINH": "Quy định", "QUY CHE": "Quy chế", "NGHI DINH": "Nghị định",
    "THONG TU LIEN TICH": "Thông tư liên tịch", "THONG TU": "Thông tư", "LUAT": "Luật", "PHAP LENH": "Pháp lệnh",
    "CONG DIEN": "Công điện", "GIAY MOI": "Giấy mời", "THONG TRI": "Thông tri", "THONG CAO": "Thông cáo",
    "DE AN": "Đề án", "PHUONG AN": "Phương án", "DU AN": "Dự án", "HOP DONG": "Hợp đồng",
    "GIAY GIOI THIEU": "Giấy giới thiệu", "GIAY UY QUYEN": "Giấy ủy quyền", "GIAY NGHI PHEP": "Giấy nghỉ phép",
    "PHIEU GUI": "Phiếu gửi", "PHIEU CHUYEN": "Phiếu chuyển", "PHIEU BAO": "Phiếu báo",
    "BAN GHI NHO": "Bản ghi nhớ", "BAN THOA THUAN": "Bản thỏa thuận", "HIEN PHAP": "Hiến pháp",
}

# Names that may stand alone as the title line of a document (not "Văn bản", which is only used when citing).
TITLE_KEYS: frozenset[str] = frozenset(k for k in TYPE_NAMES if k not in {"VAN BAN", "HIEN PHAP"})

# Type names that may be cited: "<Type> số <reference>".
CITE_KEYS: tuple[str, ...] = tuple(sorted(TYPE_NAMES, key=len, reverse=True))

# Words allowed between a cited type name and "số": "Thông báo kết luận số …", "Chương trình hành động số …".
CITE_QUALIFIERS: tuple[str, ...] = ("KET LUAN", "HANH DONG", "LIEN TICH", "LIEN NGANH", "HOA TOC", "THUONG KHAN",
                                    "KHAN", "MAT")

# Type abbreviations inside a notation, upper-cased as printed (Đ kept: HĐ hợp đồng is not HD hướng dẫn).
STATE_ABBREVIATIONS: dict[str, str] = {
    "NQ": "Nghị quyết", "QĐ": "Quyết định", "QD": "Quyết định", "CT": "Chỉ thị", "QC": "Quy chế",
    "QYĐ": "Quy định", "TC": "Thông cáo", "TB": "Thông báo", "HD": "Hướng dẫn", "CTR": "Chương trình",
    "KH": "Kế hoạch", "PA": "Phương án", "ĐA": "Đề án", "DA": "Dự án", "BC": "Báo cáo", "BB": "Biên bản",
    "TTR": "Tờ trình", "HĐ": "Hợp đồng", "CĐ": "Công điện", "BGN": "Bản ghi nhớ", "BTT": "Bản thỏa thuận",
    "GUQ": "Giấy ủy quyền", "GM": "Giấy mời", "GGT": "Giấy giới thiệu", "GNP": "Giấy nghỉ phép",
    "PG": "Phiếu gửi", "PC": "Phiếu chuyển", "PB": "Phiếu báo", "SY": "Bản sao y", "TRS": "Bản trích sao",
    "SL": "Bản sao lục", "NĐ": "Nghị định", "ND": "Nghị định", "TT": "Thông tư", "TTLT": "Thông tư liên tịch",
}
PARTY_ABBREVIATIONS: dict[str, str] = {
    **STATE_ABBREVIATIONS, "CV": "Công văn", "KL": "Kết luận", "TT": "Thông tri", "QĐI": "Quy định",
    "BS": "Bản sao",
}

# Signer titles (upper case as printed) a title line starts with, when there is no authority line above it.
TITLE_PREFIXES: tuple[str, ...] = (
    "PHÓ ", "GIÁM ĐỐC", "CHỦ TỊCH", "CHÁNH ", "BÍ THƯ", "TRƯỞNG", "BỘ TRƯỞNG", "THỨ TRƯỞNG", "CỤC TRƯỞNG",
    "VỤ TRƯỞNG", "TỔNG ", "HIỆU TRƯỞNG", "VIỆN TRƯỞNG", "CHỦ NHIỆM", "ỦY VIÊN", "UỶ VIÊN", "THƯỜNG TRỰC",
    "KẾ TOÁN TRƯỞNG", "THỦ TƯỚNG", "THỦ TRƯỞNG", "CHI CỤC TRƯỞNG", "PHỤ TRÁCH", "CHỈ HUY TRƯỞNG",
)

# Urgency and secrecy marks, upper case as printed (both tone placements) and without marks.
URGENCY_MARKS: dict[str, str] = {
    "HỎA TỐC": "hoa_toc", "HOẢ TỐC": "hoa_toc", "HOA TOC": "hoa_toc",
    "THƯỢNG KHẨN": "thuong_khan", "THUONG KHAN": "thuong_khan", "KHẨN": "khan", "KHAN": "khan",
}
SECRECY_MARKS: dict[str, str] = {
    "TUYỆT MẬT": "tuyet_mat", "TUYET MAT": "tuyet_mat", "TỐI MẬT": "toi_mat", "TOI MAT": "toi_mat",
    "MẬT": "mat", "MAT": "mat",
}
URGENCY_RANK: dict[str, int] = {"khan": 1, "thuong_khan": 2, "hoa_toc": 3}
SECRECY_RANK: dict[str, int] = {"mat": 1, "toi_mat": 2, "tuyet_mat": 3}

# First words (folded) of a line naming an agency, for headers OCR'd in sentence case ("Ủy ban nhân dân").
AGENCY_STARTS: tuple[str, ...] = (
    "UY BAN", "UBND", "HOI DONG", "HDND", "SO ", "BO ", "CUC ", "CHI CUC", "TONG CUC", "VAN PHONG", "BAN ",
    "DANG ", "TINH UY", "HUYEN UY", "THANH UY", "QUAN UY", "THI UY", "CHI BO", "TRUONG ", "BENH VIEN",
    "TRUNG TAM", "VIEN ", "CONG AN", "PHONG ", "CONG TY", "HOI ", "MAT TRAN", "DOAN ", "LIEN DOAN", "KHO BAC",
    "CHINH PHU", "THU TUONG", "TOA AN", "QUOC HOI", "NGAN HANG", "BAO HIEM", "DAI ", "BO CHI HUY", "THANH TRA",
)
# Words a locality starts with; a header line starting with one continues the agency line above it.
LOCALITY_STARTS: tuple[str, ...] = ("TINH", "THANH PHO", "TP", "HUYEN", "QUAN", "THI XA", "XA", "PHUONG",
                                    "THI TRAN", "DAC KHU")
# Folded header lines that are never the issuer.
NOT_AGENCY: frozenset[str] = frozenset({
    "DEN", "SAO Y BAN CHINH", "BAN SAO", "DU THAO", "SAO Y", "TRICH SAO", "SAO LUC", "BAN CHINH", "DOC LAP",
})

SURNAMES: frozenset[str] = frozenset(
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Trương Đinh Lâm Mai Tô Hà Đoàn "
    "Lương Trịnh Đào Cao Lưu Châu Tạ Thái Kiều Quách Chu Từ La Triệu Hứa Thân Tôn Lục Nông Giang Kim Phùng "
    "Tăng Diệp Mạc Lò Vương Khổng Hầu Ông Âu Doãn Tiêu Quan Trang Thạch Danh Sơn Lã Nghiêm Đàm Khúc Ninh "
    "Bạch Thiều Vi Phí Mẫn Lại Lữ Ứng Cù Kha Tống Giáp Lạc Mã Viên Hàn Bế Lường Tòng Quàng Nhữ Tiết Đồng Đới "
    "Khương Bành Ôn Phương Y Ksor Nay".split()
)
MIDDLE_NAMES: frozenset[str] = frozenset(
    "Thị Văn Đức Hữu Minh Ngọc Thanh Quốc Công Hồng Kim Xuân Thành Trọng Tấn Thu Anh Hoàng Bá Duy Đình Quang "
    "Mạnh Tuấn Phương Thái Hải Như Mai Bảo Gia Khánh Nhật Trung Hoài Phước Phúc Huy Việt Ánh Cẩm Diệu Tường "
    "Chí Trí Đăng Sỹ Sĩ Thùy Thúy Mỹ Ngân Lan Hương Thế Tiến Quý Huỳnh Nguyên Vĩnh Khắc Xuân Hùng Hiếu".split()
)
# Capitalised first words that show a line is not a personal name ("Văn Phòng", "Như Trên").
NOT_NAME_FIRST_WORDS: frozenset[str] = frozenset(
    "Như Nơi Kính Lưu Ban Sở Phòng Tỉnh Huyện Xã Ủy Uỷ Đảng Bộ Cục Vụ Tổng Ký Thời Email Cơ Số Ngày Tháng "
    "Năm Điều Chương Mục Phần Thông Công Quyết Hội Văn Trung Chi Đoàn Thành Quận Phường".split()
)
