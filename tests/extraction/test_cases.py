"""Realistic documents of both families read field by field: inline texts and the pairs in tests/data/extraction."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from app.extraction.extractor import extract
from app.extraction.records import ExtractedDocument
from tests.extraction.support import field_mismatches, invented_references

DATA = Path(__file__).resolve().parents[1] / "data" / "extraction"
PAIRS = sorted(p for p in DATA.glob("*.txt") if p.with_name(p.stem + ".expected.json").exists()) \
    if DATA.is_dir() else []


def only(text: str) -> ExtractedDocument:
    result = extract(text)
    assert len(result.documents) == 1, [d.to_json() for d in result.documents]
    return result.documents[0]


# -- the colleague's realistic cases: NAME.txt read as NAME.expected.json says, field for field ----------------


@pytest.mark.skipif(not PAIRS, reason=f"no NAME.txt / NAME.expected.json pairs in {DATA}")
@pytest.mark.parametrize("path", PAIRS, ids=[p.stem for p in PAIRS])
def test_data_pair(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    expected = json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))
    result = extract(text)
    got = result.to_json()
    assert got["received_stamp"] == expected["received_stamp"]
    assert len(got["documents"]) == len(expected["documents"]), [d["reference"] for d in got["documents"]]
    problems = []
    for index, (doc, want) in enumerate(zip(got["documents"], expected["documents"], strict=True)):
        problems += field_mismatches(doc, want, f"document {index + 1}: ")
    assert problems == []
    assert invented_references(result, text) == []


# -- inline texts -----------------------------------------------------------------------------------------------

QUYET_DINH = """\
UBND TỈNH TÂY NINH
SỞ GIÁO DỤC VÀ ĐÀO TẠO
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
số: 1025/qđ-sgdđt
Tây Ninh, ngày 5 tháng 2 năm 2024

QUYẾT ĐỊNH
Về việc thành lập Tổ kiểm tra công tác văn thư, lưu trữ năm 2024

GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO

Căn cứ Luật Lưu trữ ngày 11 tháng 11 năm 2011;
Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư;
Căn cứ Quyết định số 12/2021/QĐ-UBND ngày 03 tháng 6 năm 2021 của Ủy ban nhân dân tỉnh quy định chức năng,
nhiệm vụ, quyền hạn và cơ cấu tổ chức của Sở Giáo dục và Đào tạo;
Căn cứ Kế hoạch số 25/KH-SGDĐT, ngày 10/01/2024 của Sở Giáo dục và Đào tạo;
Theo đề nghị của Chánh Văn phòng Sở.

QUYẾT ĐỊNH:

Điều 1. Thành lập Tổ kiểm tra công tác văn thư, lưu trữ năm 2024 gồm các ông (bà) có tên trong danh sách.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký.
Điều 3. Chánh Văn phòng Sở, Trưởng các phòng thuộc Sở chịu trách nhiệm thi hành Quyết định này./.

Nơi nhận:
- Như Điều 3;
- Giám đốc Sở (b/c);
- Lưu: VT, VP.

KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC
(Đã ký)
Nguyễn Thị Thanh Hà
"""


def test_state_quyet_dinh_with_can_cu_citations() -> None:
    doc = only(QUYET_DINH)
    assert doc.family == "state"
    assert (doc.issuer, doc.issuer_parent) == ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "UBND TỈNH TÂY NINH")
    # lower-case "số:" and notation: read, the notation upper-cased
    assert (doc.number, doc.notation, doc.reference) == (1025, "QĐ-SGDĐT", "1025/QĐ-SGDĐT")
    assert doc.doc_type == "Quyết định"
    assert (doc.issued_on, doc.place) == (date(2024, 2, 5), "Tây Ninh")  # "ngày 5 tháng 2": no leading zeros
    assert doc.subject == "Về việc thành lập Tổ kiểm tra công tác văn thư, lưu trữ năm 2024"
    assert [(c.reference, c.doc_type, c.issued_on) for c in doc.cites] == [
        ("30/2020/NĐ-CP", "Nghị định", date(2020, 3, 5)),
        ("12/2021/QĐ-UBND", "Quyết định", date(2021, 6, 3)),  # "ngày 03 tháng 6 năm 2021"
        ("25/KH-SGDĐT", "Kế hoạch", date(2024, 1, 10)),  # "số …, ngày …"
    ]  # the Luật (no số) and "Quyết định này" are not cites
    assert doc.distribution == ["Như Điều 3", "Giám đốc Sở (b/c)", "Lưu: VT, VP."]
    assert (doc.signing_authority, doc.signer_title, doc.signer) == (
        "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Thị Thanh Hà")
    assert doc.recipients == [] and doc.deadline is None and doc.urgency is None and doc.secrecy is None
    assert doc.sources["reference"] == 5 and doc.sources["subject"] == 9 and doc.sources["doc_type"] == 8


PARTY_CONG_VAN = """\
TỈNH ỦY TÂY NINH
*
Số 1272^{*} - CV/TU
V/v triển khai Kết luận số 21-KL/TW, ngày 25/10/2021
của Ban Chấp hành Trung ương Đảng khóa XIII

ĐẢNG CỘNG SẢN VIỆT NAM
Tây Ninh, ngày 05 tháng 02 năm 2024

Kính gửi:
- Các huyện ủy, thị ủy, thành ủy,
- Các đảng ủy trực thuộc Tỉnh ủy.

Thực hiện Kết luận số 21-KL/TW, ngày 25/10/2021 của Ban Chấp hành Trung ương Đảng khóa XIII và Hướng dẫn số
36-HD/VPTW, ngày 03/4/2018 của Văn phòng Trung ương Đảng, Ban Thường vụ Tỉnh ủy đề nghị các cấp ủy báo cáo kết
quả thực hiện về Ban Thường vụ Tỉnh ủy (qua Văn phòng Tỉnh ủy) trước ngày 20 tháng 11 năm 2024.

Nơi nhận:
- Như trên,
- Lưu Văn phòng Tỉnh ủy.

T/M BAN THƯỜNG VỤ
PHÓ BÍ THƯ THƯỜNG TRỰC

Nguyễn Mạnh Hùng
"""


def test_party_cong_van_with_ocr_debris_and_t_m_signing() -> None:
    doc = only(PARTY_CONG_VAN)
    assert doc.family == "party"
    assert (doc.issuer, doc.issuer_parent) == ("TỈNH ỦY TÂY NINH", None)
    assert (doc.number, doc.notation, doc.reference) == (1272, "CV/TU", "1272-CV/TU")  # '^{*}' and spaces dropped
    assert doc.doc_type == "Công văn"  # party CV
    # the date inside the V/v ("…, ngày 25/10/2021") is not the date line
    assert (doc.issued_on, doc.place) == (date(2024, 2, 5), "Tây Ninh")
    assert doc.subject == ("triển khai Kết luận số 21-KL/TW, ngày 25/10/2021 của Ban Chấp hành Trung ương Đảng "
                           "khóa XIII")
    assert doc.recipients == ["Các huyện ủy, thị ủy, thành ủy", "Các đảng ủy trực thuộc Tỉnh ủy"]
    assert [(c.reference, c.doc_type, c.issued_on) for c in doc.cites] == [
        ("21-KL/TW", "Kết luận", date(2021, 10, 25)), ("36-HD/VPTW", "Hướng dẫn", date(2018, 4, 3))]
    assert doc.deadline == date(2024, 11, 20)  # "trước ngày 20 tháng 11 năm 2024" after "báo cáo"
    assert (doc.signing_authority, doc.signer_title, doc.signer) == (
        "T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ THƯỜNG TRỰC", "Nguyễn Mạnh Hùng")


PARTY_KT = """\
ĐẢNG BỘ TỈNH TÂY NINH
ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH
*
ĐẢNG CỘNG SẢN VIỆT NAM
Số 141-KH/ĐUK
Tây Ninh, ngày 3 tháng 4 năm 2024
KẾ HOẠCH
tổ chức Hội nghị học tập, quán triệt Nghị quyết Hội nghị Trung ương 8 khóa XIII

Thực hiện Kế hoạch số 98-KH/TU, ngày 15/3/2024 của Ban Thường vụ Tỉnh ủy, Ban Thường vụ Đảng ủy Khối xây dựng kế
hoạch tổ chức hội nghị như sau.
Nơi nhận:
- Các chi, đảng bộ cơ sở,
- Lưu Văn phòng Đảng ủy.
K/T BÍ THƯ
PHÓ BÍ THƯ
Trần Thị Kim Ngân
"""


def test_party_ke_hoach_with_k_t_signing() -> None:
    doc = only(PARTY_KT)
    assert doc.family == "party"
    assert (doc.issuer, doc.issuer_parent) == ("ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH", "ĐẢNG BỘ TỈNH TÂY NINH")
    assert (doc.reference, doc.doc_type, doc.issued_on) == ("141-KH/ĐUK", "Kế hoạch", date(2024, 4, 3))
    assert doc.subject == "tổ chức Hội nghị học tập, quán triệt Nghị quyết Hội nghị Trung ương 8 khóa XIII"
    assert [(c.reference, c.issued_on) for c in doc.cites] == [("98-KH/TU", date(2024, 3, 15))]
    assert (doc.signing_authority, doc.signer_title, doc.signer) == ("K/T BÍ THƯ", "PHÓ BÍ THƯ", "Trần Thị Kim Ngân")


GIAY_MOI = """\
ỦY BAN NHÂN DÂN
THÀNH PHỐ TÂY NINH

CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập – Tự do – Hạnh phúc

Số 45/GM-UBND

Tây Ninh, ngày 01 tháng 3 năm 2024

GIẤY MỜI
Họp triển khai kế hoạch chuyển đổi số năm 2024

Kính gửi: Thủ trưởng các cơ quan, đơn vị thuộc Ủy ban nhân dân thành phố

Thực hiện Kế hoạch số 58/KH-UBND ngày 20/02/2024 của Ủy ban nhân dân thành phố về chuyển đổi số, Ủy ban nhân dân
thành phố tổ chức cuộc họp như sau:
Thời gian: 14 giờ 00, ngày 12/3/2024.
Địa điểm: Hội trường Ủy ban nhân dân thành phố.
Đề nghị các đơn vị đăng ký danh sách đại biểu về Văn phòng trước ngày 8/3/2024./.

Nơi nhận:
- Như trên;
- Lưu: VT.

CHỦ TỊCH

Huỳnh Văn Sơn
"""


def test_state_giay_moi() -> None:
    doc = only(GIAY_MOI)
    assert doc.family == "state"  # "CỘNG HOÀ" spelled with the old tone placement
    assert (doc.issuer, doc.issuer_parent) == ("ỦY BAN NHÂN DÂN THÀNH PHỐ TÂY NINH", None)
    assert (doc.number, doc.notation, doc.reference) == (45, "GM-UBND", "45/GM-UBND")  # "Số" without colon
    assert doc.doc_type == "Giấy mời"
    assert doc.subject == "Họp triển khai kế hoạch chuyển đổi số năm 2024"
    assert doc.recipients == ["Thủ trưởng các cơ quan, đơn vị thuộc Ủy ban nhân dân thành phố"]
    assert doc.deadline == date(2024, 3, 8)  # the meeting day (12/3) is not a deadline
    assert [c.reference for c in doc.cites] == ["58/KH-UBND"]
    assert (doc.signing_authority, doc.signer_title, doc.signer) == (None, "CHỦ TỊCH", "Huỳnh Văn Sơn")


HOA_TOC = """\
HỎA TỐC
BỘ NỘI VỤ

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 05/BNV-VP
V/v báo cáo số liệu cán bộ, công chức
phục vụ Hội nghị Chính phủ
Hà Nội, ngày 04 tháng 3 năm 2024
Kính gửi:
- Các Bộ, cơ quan ngang Bộ, cơ quan thuộc Chính phủ;
- Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương.
Để chuẩn bị Hội nghị Chính phủ với các địa phương, Bộ Nội vụ đề nghị các cơ quan khẩn trương tổng hợp số liệu
theo mẫu gửi kèm, gửi về Bộ Nội vụ chậm nhất ngày 15 tháng 3 năm 2024 để tổng hợp.
Trân trọng./.
Nơi nhận:
- Như trên;
- Bộ trưởng (để b/c);
- Lưu: VT, VP.
TUQ. BỘ TRƯỞNG
CHÁNH VĂN PHÒNG
[Chữ ký]
Trần Anh Tuấn
"""


def test_hoa_toc_cong_van_from_a_bo_without_blank_lines() -> None:
    doc = only(HOA_TOC)
    assert doc.urgency == "hoa_toc" and doc.secrecy is None
    assert (doc.issuer, doc.issuer_parent, doc.family) == ("BỘ NỘI VỤ", None, "state")
    assert (doc.number, doc.reference, doc.doc_type) == (5, "05/BNV-VP", "Công văn")  # leading zero kept as printed
    assert doc.subject == "báo cáo số liệu cán bộ, công chức phục vụ Hội nghị Chính phủ"
    assert (doc.issued_on, doc.place) == (date(2024, 3, 4), "Hà Nội")
    assert len(doc.recipients) == 2
    assert doc.deadline == date(2024, 3, 15)  # "chậm nhất ngày 15 tháng 3 năm 2024"
    assert (doc.signing_authority, doc.signer_title, doc.signer) == (
        "TUQ. BỘ TRƯỞNG", "CHÁNH VĂN PHÒNG", "Trần Anh Tuấn")
    assert doc.sources["urgency"] == 1


SECRET = """\
ỦY BAN NHÂN DÂN
HUYỆN CHÂU THÀNH
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
TỐI MẬT
KHẨN
Số: 88/BC-UBND
Châu Thành, ngày 9 tháng 1 năm 2024
BÁO CÁO
Tình hình an ninh trật tự trên địa bàn huyện năm 2023

Kính gửi: Ủy ban nhân dân tỉnh Tây Ninh.

Thực hiện chế độ bảo vệ bí mật nhà nước, Ủy ban nhân dân huyện khẩn trương báo cáo như sau: tình hình cơ bản ổn
định, không để lộ, mất tài liệu mật.

Nơi nhận:
- Như trên;
- Lưu: VT.

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH

Lê Văn Bình
"""


def test_secret_and_urgent_marks_in_the_header() -> None:
    doc = only(SECRET)
    assert (doc.secrecy, doc.urgency) == ("toi_mat", "khan")
    assert (doc.doc_type, doc.reference, doc.issued_on) == ("Báo cáo", "88/BC-UBND", date(2024, 1, 9))
    assert doc.recipients == ["Ủy ban nhân dân tỉnh Tây Ninh"]
    assert (doc.signing_authority, doc.signer_title) == ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")


def test_marks_inside_sentences_are_not_marks() -> None:
    text = SECRET.replace("TỐI MẬT\nKHẨN\n", "")
    doc = only(text)
    assert (doc.secrecy, doc.urgency) == (None, None)  # "bí mật", "khẩn trương", "tài liệu mật" are words


BROKEN_OCR = """\
**UBND TỈNH TÂY NINH
SỞ Y TẾ**

**CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
—————

Số:
3646 /SYT-VP

Tây Ninh, ngày 09 tháng 10 năm 2023

V/v tham mưu thực hiện Công văn số 3068
/UBND-TH ngày 28/9/2023 của UBND tỉnh

Kính gửi:

• Các cơ quan, đơn vị trực thuộc Sở;
• Các phòng chuyên môn thuộc Sở.

Thực hiện Công văn số 3068 / UBND-TH ngày 28 tháng 9
năm 2023 của Ủy ban nhân dân tỉnh, Sở Y tế đề nghị các đơn vị triển khai thực hiện./.

Nơi nhận: *[Chữ ký]*
- Như trên;
- Lưu: VT, VP. (Hà)

**GIÁM ĐỐC**

[Chữ ký]
•
Trương Văn Hùng
"""


def test_broken_ocr_lines_are_joined_and_markup_dropped() -> None:
    doc = only(BROKEN_OCR)
    assert (doc.issuer, doc.issuer_parent, doc.family) == ("SỞ Y TẾ", "UBND TỈNH TÂY NINH", "state")
    assert (doc.number, doc.notation, doc.reference) == (3646, "SYT-VP", "3646/SYT-VP")  # "Số:" on its own line
    assert doc.sources["reference"] == 8
    assert doc.subject == "tham mưu thực hiện Công văn số 3068 /UBND-TH ngày 28/9/2023 của UBND tỉnh"
    assert doc.recipients == ["Các cơ quan, đơn vị trực thuộc Sở", "Các phòng chuyên môn thuộc Sở"]
    # a cite whose date runs over the line break
    assert [(c.reference, c.doc_type, c.issued_on) for c in doc.cites] == [
        ("3068/UBND-TH", "Công văn", date(2023, 9, 28))]
    assert doc.distribution == ["Như trên", "Lưu: VT, VP. (Hà)"]
    assert (doc.signing_authority, doc.signer_title, doc.signer) == (None, "GIÁM ĐỐC", "Trương Văn Hùng")


BUNDLE = """\
SỞ Y TẾ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Số: 120/SYT-NV
Tây Ninh, ngày 10 tháng 5 năm 2024
V/v sao gửi văn bản
Kính gửi: Các đơn vị trực thuộc.
Sở Y tế sao gửi Công văn số 77/UBND-VX ngày 08/5/2024 của UBND tỉnh đến các đơn vị để thực hiện./.
Nơi nhận:
- Như trên;
- Lưu: VT.
GIÁM ĐỐC
Phạm Văn Tâm
Số: 77/UBND-VX
Tây Ninh, ngày 08 tháng 5 năm 2024
V/v tăng cường phòng, chống dịch sốt xuất huyết
Kính gửi: Sở Y tế.
Ủy ban nhân dân tỉnh đề nghị Sở Y tế chủ trì, phối hợp các đơn vị liên quan triển khai thực hiện./.
Nơi nhận:
- Như trên;
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Nguyễn Thanh Ngọc
THÔNG BÁO
Lịch tiếp công dân tháng 5 năm 2024
Văn phòng Ủy ban nhân dân tỉnh thông báo lịch tiếp công dân định kỳ của lãnh đạo tỉnh như sau.
Nơi nhận:
- Các sở, ngành;
- Lưu: VT.
CHÁNH VĂN PHÒNG
Lê Văn Hòa
"""


def test_bundle_split_on_number_line_and_bare_title_after_a_signature() -> None:
    docs = extract(BUNDLE).documents
    assert [d.reference for d in docs] == ["120/SYT-NV", "77/UBND-VX", None]
    cover, attached, notice = docs
    assert cover.issuer == "SỞ Y TẾ" and cover.signer == "Phạm Văn Tâm"
    assert [c.reference for c in cover.cites] == ["77/UBND-VX"]
    # the attached letter's header lost its agency lines: issuer left empty, never borrowed from the cover
    assert attached.issuer is None and attached.family == "state"  # family from the 77/UBND-VX form
    assert (attached.signing_authority, attached.signer_title, attached.signer) == (
        "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Thanh Ngọc")
    assert (notice.doc_type, notice.subject, notice.signer) == (
        "Thông báo", "Lịch tiếp công dân tháng 5 năm 2024", "Lê Văn Hòa")
    assert notice.issued_on is None and notice.number is None


@pytest.mark.parametrize(("line", "number", "notation", "reference", "family", "doc_type"), [
    ("Số: 3646 /SYT-VP", 3646, "SYT-VP", "3646/SYT-VP", "state", None),
    ("Số:3646/SYT-VP", 3646, "SYT-VP", "3646/SYT-VP", "state", None),
    ("Số 88 /TB-SGDĐT", 88, "TB-SGDĐT", "88/TB-SGDĐT", "state", "Thông báo"),
    ("SỐ: 1025/QĐ-UBND", 1025, "QĐ-UBND", "1025/QĐ-UBND", "state", "Quyết định"),
    ("số:12/qđ-ubnd", 12, "QĐ-UBND", "12/QĐ-UBND", "state", "Quyết định"),
    ("Số: 15/2020/NĐ-CP", 15, "2020/NĐ-CP", "15/2020/NĐ-CP", "state", "Nghị định"),
    ("Số 1272-CV/TU", 1272, "CV/TU", "1272-CV/TU", "party", "Công văn"),
    ("Số: 1737 - TB / VPTU", 1737, "TB/VPTU", "1737-TB/VPTU", "party", "Thông báo"),
    ("Số 1272^{*} -CV/TU", 1272, "CV/TU", "1272-CV/TU", "party", "Công văn"),
    ("Số 68-CTr/TU", 68, "CTr/TU", "68-CTr/TU", "party", "Chương trình"),
    ("số 05-QĐi/TU", 5, "QĐi/TU", "05-QĐi/TU", "party", "Quy định"),
])
def test_number_line_forms(line: str, number: int, notation: str, reference: str, family: str,
                           doc_type: str | None) -> None:
    doc = only(f"VĂN PHÒNG\n{line}\nTây Ninh, ngày 05 tháng 02 năm 2024\n")
    assert (doc.number, doc.notation, doc.reference, doc.family, doc.doc_type) == (
        number, notation, reference, family, doc_type)


@pytest.mark.parametrize("line", ["Số: 3646/", "Số: /SYT-VP", "Số: 12 /", "Số: ......./SYT-VP", "Số 12-CV"])
def test_incomplete_number_lines_give_no_reference(line: str) -> None:
    result = extract(f"SỞ Y TẾ\n{line}\nV/v thử\n")
    assert all(d.reference is None and d.number is None for d in result.documents)


@pytest.mark.parametrize(("line", "issued_on", "place"), [
    ("Tây Ninh, ngày 05 tháng 02 năm 2024", date(2024, 2, 5), "Tây Ninh"),
    ("Hà Nội, ngày 5 tháng 2 năm 2024", date(2024, 2, 5), "Hà Nội"),
    ("TP. Hồ Chí Minh, ngày 24 tháng 10 năm 2023", date(2023, 10, 24), "TP. Hồ Chí Minh"),
    ("Tây Ninh,  ngày  24  tháng  10  năm  2023", date(2023, 10, 24), "Tây Ninh"),
    ("Tây Ninh, ngày      tháng 10 năm 2023", None, "Tây Ninh"),  # day left for the pen
    ("Tây Ninh, ngày 31 tháng 02 năm 2024", None, "Tây Ninh"),  # not a real date: never corrected
    ("ngày 09 tháng 12 năm 2019", date(2019, 12, 9), None),
])
def test_date_line_forms(line: str, issued_on: date | None, place: str | None) -> None:
    doc = only(f"SỞ Y TẾ\nSố: 12/SYT-VP\n{line}\nV/v thử nghiệm\n")
    assert (doc.issued_on, doc.place) == (issued_on, place)


@pytest.mark.parametrize(("authority", "family"), [
    ("KT. CHỦ TỊCH", "state"), ("TM. ỦY BAN NHÂN DÂN", "state"), ("TL. GIÁM ĐỐC", "state"),
    ("TUQ. BỘ TRƯỞNG", "state"), ("Q. GIÁM ĐỐC", None), ("K/T BÍ THƯ", "party"), ("T/M BAN THƯỜNG VỤ", "party"),
    ("T/L BAN THƯỜNG VỤ", "party"), ("KT.CHỦ TỊCH", "state"),
])
def test_signing_forms_and_the_family_they_show(authority: str, family: str | None) -> None:
    text = (f"THÔNG BÁO\nLịch làm việc tuần\n\nNội dung thông báo lịch làm việc của lãnh đạo trong tuần tới.\n\n"
            f"Nơi nhận:\n- Lưu: VT.\n\n{authority}\nPHÓ CHÁNH VĂN PHÒNG\n\nNguyễn Văn Nam\n")
    doc = only(text)
    assert doc.signing_authority == authority
    assert (doc.signer_title, doc.signer, doc.family) == ("PHÓ CHÁNH VĂN PHÒNG", "Nguyễn Văn Nam", family)


@pytest.mark.parametrize(("text", "number", "stamp_date"), [
    ("ĐẾN Số: 1363 Ngày: 24/10/23\n", 1363, date(2023, 10, 24)),
    ("ĐẾN\nSố: 7\nNgày: 05/01/24\n", 7, date(2024, 1, 5)),
    ("SỞ Y TẾ\nĐến số: 45\nNgày đến: 3/1/2024\n", 45, date(2024, 1, 3)),
    ("ĐẾN Số: 215\n", 215, None),
])
def test_received_stamp_forms(text: str, number: int, stamp_date: date | None) -> None:
    stamp = extract(text).received_stamp
    assert stamp is not None and (stamp.number, stamp.date) == (number, stamp_date)


def test_body_words_are_not_a_stamp() -> None:
    assert extract("Văn bản gửi đến số điện thoại 0912345678 ngày 1/2/2024.").received_stamp is None


DIGITALLY_SIGNED = """\
THÔNG BÁO
Kết quả kiểm tra công tác văn thư năm 2023

Sở Y tế thông báo kết quả kiểm tra công tác văn thư, lưu trữ năm 2023 tại các đơn vị trực thuộc như sau.

GIÁM ĐỐC

Ký bởi: Nguyễn Văn An
Email: an.nv@tayninh.gov.vn
Cơ quan: Sở Y tế tỉnh Tây Ninh
Thời gian ký: 27.09.2023 14:55:56 +07:00
"""


def test_digital_signature_with_offset_is_stored_in_utc_and_names_the_issuer() -> None:
    doc = only(DIGITALLY_SIGNED)
    assert doc.digital_signature is not None
    assert doc.digital_signature.signed_by == "Nguyễn Văn An"
    assert doc.digital_signature.organization == "Sở Y tế tỉnh Tây Ninh"
    assert doc.digital_signature.signed_at == datetime(2023, 9, 27, 7, 55, 56)
    # no header: the certificate's organization is the issuer (a person signed, so not "Ký bởi")
    assert doc.issuer == "SỞ Y TẾ TỈNH TÂY NINH" and doc.family == "state"
    assert doc.signer_title == "GIÁM ĐỐC" and doc.signer is None  # no printed name under the title
    assert doc.reference is None and doc.issued_on is None


def test_signing_time_without_offset_is_not_guessed() -> None:
    doc = only(DIGITALLY_SIGNED.replace(" +07:00", ""))
    assert doc.digital_signature is not None and doc.digital_signature.signed_at is None


def test_never_invents_cites_or_deadlines() -> None:
    text = """\
SỞ Y TẾ
Số: 12/SYT-VP
Tây Ninh, ngày 02 tháng 6 năm 2024
V/v triển khai nhiệm vụ

Thực hiện Quy định số 96 của Bộ Chính trị, Công văn số 1308 của Ban Tuyên giáo Tỉnh ủy và Kế hoạch số 85,
Sở Y tế đề nghị các đơn vị báo cáo sơ bộ trước ngày 10/6/2024 và báo cáo chính thức trước ngày 20/6/2024./.
"""
    doc = only(text)
    assert doc.cites == []  # no full số/ký hiệu: nothing to cite
    assert doc.deadline is None  # two different deadlines: not sure which, left to the clerk
    assert doc.reference == "12/SYT-VP"


def test_a_cite_dated_after_the_citing_document_keeps_no_date() -> None:
    text = ("SỞ Y TẾ\nSố: 12/SYT-VP\nTây Ninh, ngày 02 tháng 6 năm 2024\nV/v triển khai\n\n"
            "Thực hiện Công văn số 50/UBND-VX ngày 20/6/2024 của UBND tỉnh./.\n")
    (cite,) = only(text).cites
    assert (cite.reference, cite.issued_on) == ("50/UBND-VX", None)


def test_own_reference_is_not_a_cite() -> None:
    text = ("SỞ Y TẾ\nSố: 12/SYT-VP\nTây Ninh, ngày 02 tháng 6 năm 2024\nV/v đính chính\n\n"
            "Sở Y tế đính chính Công văn số 12/SYT-VP ngày 02/6/2024 như sau./.\n")
    assert only(text).cites == []


@pytest.mark.parametrize("text", ["", "   \n\n", "Xin chào các bạn.", "THÔNG BÁO", "Số:", "•\n•\n**"])
def test_nothing_readable_gives_no_document(text: str) -> None:
    result = extract(text)
    assert result.documents == [] or all(d.reference is None for d in result.documents)
    assert result.to_json()["received_stamp"] is None


def test_crlf_and_decomposed_text_read_like_nfc() -> None:
    import unicodedata

    text = unicodedata.normalize("NFD", HOA_TOC).replace("\n", "\r\n")
    assert only(text).to_json() == only(HOA_TOC).to_json()


def test_wrapped_list_items_are_joined_and_dashless_items_kept() -> None:
    text = """\
SỞ Y TẾ
Số: 12/SYT-VP
Tây Ninh, ngày 02 tháng 6 năm 2024
V/v triển khai nhiệm vụ
Kính gửi: Ủy ban nhân dân các huyện, thị xã,
thành phố trong tỉnh.
Căn cứ Luật Khám bệnh, chữa bệnh;
Sở Y tế đề nghị các đơn vị triển khai thực hiện./.
Nơi nhận:
Như trên;
- Trung tâm Kiểm soát bệnh tật,
Bệnh viện Đa khoa tỉnh;
- Lưu: VT, NV.
GIÁM ĐỐC
Trương Văn Hùng
"""
    doc = only(text)
    assert doc.recipients == ["Ủy ban nhân dân các huyện, thị xã, thành phố trong tỉnh"]
    assert doc.distribution == ["Như trên", "Trung tâm Kiểm soát bệnh tật", "Bệnh viện Đa khoa tỉnh", "Lưu: VT, NV."]
    assert (doc.signer_title, doc.signer) == ("GIÁM ĐỐC", "Trương Văn Hùng")


def test_header_columns_read_side_by_side_on_one_line() -> None:
    text = """\
UBND TỈNH TÂY NINH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ Y TẾ Độc lập - Tự do - Hạnh phúc
Số: 3646/SYT-VP Tây Ninh, ngày 24 tháng 10 năm 2023
V/v tham mưu thực hiện Thông báo số 1737-TB/VPTU ngày 22/9/2023

Kính gửi: Các phòng chuyên môn thuộc Sở.
"""
    doc = only(text)
    assert (doc.issuer, doc.issuer_parent, doc.family) == ("SỞ Y TẾ", "UBND TỈNH TÂY NINH", "state")
    assert (doc.reference, doc.issued_on, doc.place) == ("3646/SYT-VP", date(2023, 10, 24), "Tây Ninh")
    assert doc.recipients == ["Các phòng chuyên môn thuộc Sở"]
    assert [c.reference for c in doc.cites] == ["1737-TB/VPTU"]


@pytest.mark.parametrize("stamp", ["0001-01-01T00:30:00+07:00", "2023-02-30T07:55:56Z", "9999-12-31T23:59:59-07:00"])
def test_impossible_signing_times_are_left_empty(stamp: str) -> None:
    doc = only(f"THÔNG BÁO\nLịch làm việc\n\nKý bởi: VĂN PHÒNG\nCơ quan: TỈNH ỦY TÂY NINH\nThời gian ký: {stamp}\n")
    assert doc.digital_signature is not None and doc.digital_signature.signed_at is None
    assert doc.issuer == "VĂN PHÒNG TỈNH ỦY TÂY NINH" and doc.family == "party"


def test_a_sentence_opening_with_so_does_not_start_a_new_document() -> None:
    text = QUYET_DINH.replace(
        "Theo đề nghị của Chánh Văn phòng Sở.",
        "Số 12/2021/QĐ-UBND nêu trên đã quy định rõ chức năng, nhiệm vụ, quyền hạn của Sở Giáo dục và Đào tạo.")
    assert [d.reference for d in extract(text).documents] == ["1025/QĐ-SGDĐT"]


def test_a_cite_named_twice_takes_its_one_date_and_drops_two_different_ones() -> None:
    text = ("SỞ Y TẾ\nSố: 12/SYT-VP\nTây Ninh, ngày 02 tháng 6 năm 2024\nV/v triển khai\n\n"
            "Thực hiện Thông báo số 17-TB/VPTU của Văn phòng Tỉnh ủy và Kế hoạch số 5/KH-UBND ngày 01/3/2024.\n\n"
            "Thông báo số 17-TB/VPTU ngày 22/5/2024 yêu cầu; Kế hoạch số 5/KH-UBND ngày 02/3/2024 đã nêu./.\n")
    cites = {c.reference: c.issued_on for c in only(text).cites}
    assert cites == {"17-TB/VPTU": date(2024, 5, 22), "5/KH-UBND": None}
    assert [c.reference for c in only(text).cites] == ["17-TB/VPTU", "5/KH-UBND"]  # order of first mention
