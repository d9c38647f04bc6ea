"""The issuer's full name from its header lines, on the real samples, and the phrasings of a stated deadline."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from app.extraction.extractor import extract
from app.extraction.issuer_names import agency_case, full_issuer

DATA = Path(__file__).resolve().parents[1] / "data" / "extraction"
# What each sample's first document is registered under (None: its issuer line is already the whole name).
FULL = {
    "02_state_giay_moi_so": "Sở Tài chính thành phố Hà Nội",
    "04_state_mat_cong_van_so": "Sở Nội vụ tỉnh Lào Cai",
    "05_party_thong_bao_vptu": "Văn phòng Tỉnh ủy Gia Lai",
    "06_party_ke_hoach_huyen_uy": None,  # HUYỆN ỦY NAM ĐÀN under ĐẢNG BỘ TỈNH NGHỆ AN
    "07_party_cong_van_dang_uy": None,  # ĐẢNG ỦY XÃ THANH SƠN
    "11_state_thong_bao_tl": "Sở Giáo dục và Đào tạo thành phố Hải Phòng",
    "12_state_digital_signature": "Sở Nội vụ tỉnh Đồng Tháp",
}


@pytest.mark.parametrize("name", sorted(FULL))
def test_the_full_issuer_of_each_real_sample(name: str) -> None:
    doc = extract((DATA / f"{name}.txt").read_text(encoding="utf-8")).documents[0]
    expected = json.loads((DATA / f"{name}.expected.json").read_text(encoding="utf-8"))["documents"][0]
    assert (doc.issuer, doc.issuer_parent) == (expected["issuer"], expected["issuer_parent"])
    assert full_issuer(doc.issuer, doc.issuer_parent) == FULL[name]


def test_the_forwarded_letter_of_a_bundle_names_its_province() -> None:
    docs = extract((DATA / "10_bundle_forward_den_stamp.txt").read_text(encoding="utf-8")).documents
    assert full_issuer(docs[1].issuer, docs[1].issuer_parent) == \
        "Sở Nông nghiệp và Phát triển nông thôn tỉnh Nghệ An"


@pytest.mark.parametrize(("issuer", "parent", "full"), [
    ("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "ỦY BAN NHÂN DÂN TỈNH TÂY NINH",
     "Sở Lao động - Thương binh và Xã hội tỉnh Tây Ninh"),  # "XÃ HỘI" is no xã
    ("BAN QUẢN LÝ CÁC KHU CÔNG NGHIỆP", "UBND TP. HỒ CHÍ MINH",
     "Ban Quản lý các khu công nghiệp thành phố Hồ Chí Minh"),  # "QUẢN" is no quận
    ("BAN TUYÊN GIÁO", "HUYỆN ỦY CHÂU THÀNH", "Ban Tuyên giáo Huyện ủy Châu Thành"),
    ("CỤC QUẢN LÝ DƯỢC", "BỘ Y TẾ", None),  # a ministry above its department: nothing guessed
    ("SỞ Y TẾ TỈNH TÂY NINH", "UBND TỈNH TÂY NINH", None),
    ("SỞ Y TẾ", None, None),
])
def test_full_issuer_rules(issuer: str, parent: str | None, full: str | None) -> None:
    assert full_issuer(issuer, parent) == full


def test_agency_case_keeps_abbreviations() -> None:
    assert agency_case("VĂN PHÒNG ĐOÀN ĐBQH VÀ HĐND TỈNH AN GIANG") == "Văn phòng Đoàn ĐBQH và HĐND tỉnh An Giang"


@pytest.mark.parametrize(("sentence", "due"), [
    ("báo cáo kết quả về Sở trước ngày 15/11/2023.", date(2023, 11, 15)),
    ("Thời hạn hoàn thành: ngày 30/11/2023.", date(2023, 11, 30)),
    ("Hạn gửi báo cáo trước ngày 20/11/2023.", date(2023, 11, 20)),
    ("gửi về Văn phòng Sở, hạn nộp đến ngày 05/12/2023.", date(2023, 12, 5)),
    ("chậm nhất là ngày 10 tháng 12 năm 2023.", date(2023, 12, 10)),
    ("còn hạn chế 3/12/2023 chưa khắc phục.", None),
])
def test_stated_deadline_phrasings(sentence: str, due: date | None) -> None:
    text = ("UBND TỈNH TÂY NINH\nSỞ Y TẾ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            "Số: 3700/SYT-VP\nTây Ninh, ngày 30 tháng 10 năm 2023\nV/v báo cáo kết quả thực hiện\n\n"
            f"Kính gửi: Các phòng chức năng thuộc Sở.\n\nĐề nghị các phòng {sentence}\n\nNơi nhận:\n- Như trên;\n"
            "- Lưu: VT, VP.\n\nGIÁM ĐỐC\n\nTrương Văn Hùng\n")
    assert extract(text).documents[0].deadline == due
