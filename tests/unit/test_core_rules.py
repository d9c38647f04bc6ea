"""Pure rules: dates as clerks type them, references of both families, Vietnamese folding, enums."""

from __future__ import annotations

from datetime import date, time

import pytest

from app.core.dates import date_line, parse_date, parse_time
from app.core.enums import Family, Secrecy, Urgency
from app.core.references import (
    build_reference,
    canonical_type,
    parse_reference,
    reference_key,
    type_abbreviation,
)
from app.core.text import fold, name_key
from app.core.validation import split_recipients


@pytest.mark.parametrize("typed", ["24/10/2023", "24/10/23", "24-10-2023", "2023-10-24", "241023", "24102023",
                                   " 24.10.2023 "])
def test_accepted_date_forms(typed: str) -> None:
    assert parse_date(typed) == date(2023, 10, 24)


@pytest.mark.parametrize("typed, reason", [("31/02/2024", "không phải là ngày có thật"),
                                           ("29/02/2023", "không phải là ngày có thật"),
                                           ("10", "không đúng dạng ngày"), ("hôm qua", "không đúng dạng ngày"),
                                           ("2023/10/24/1", "không đúng dạng ngày"),
                                           ("00/10/2023", "không phải là ngày có thật"),
                                           ("10/24/2023", "ngày trước, tháng sau"),
                                           ("05/13/23", "ngày trước, tháng sau")])
def test_refused_dates_say_why(typed: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_date(typed)


def test_leap_day_and_times() -> None:
    assert parse_date("29/02/2024") == date(2024, 2, 29)
    assert parse_time("8:30") == time(8, 30) and parse_time("14h") == time(14, 0)
    with pytest.raises(ValueError):
        parse_time("25:00")


def test_date_line_pads_days_and_first_two_months_only() -> None:
    assert date_line("Tây Ninh", date(2024, 2, 5)) == "Tây Ninh, ngày 05 tháng 02 năm 2024"
    assert date_line("Hà Nội", date(2023, 10, 24)) == "Hà Nội, ngày 24 tháng 10 năm 2023"
    assert date_line("Huế", date(2023, 4, 9)) == "Huế, ngày 09 tháng 4 năm 2023"


def test_fold_handles_every_mark_and_d_stroke() -> None:
    assert fold("Đảng ủy") == "dang uy"
    assert fold("THÔNG BÁO") == "thong bao"
    assert fold("Hoả tốc") == fold("Hỏa tốc") == "hoa toc"
    assert fold("Nghị quyết Đại hội") == "nghi quyet dai hoi"
    # Decomposed input (as some OCR and pasted text arrives) folds the same as precomposed.
    import unicodedata

    assert fold(unicodedata.normalize("NFD", "Ủy ban nhân dân")) == "uy ban nhan dan"
    assert name_key("Sở Y tế, tỉnh  Tây Ninh") == name_key("SỞ Y TẾ TỈNH TÂY NINH") == "so y te tinh tay ninh"


def test_state_and_party_references_are_built_per_decree() -> None:
    assert build_reference(5, Family.STATE, "SYT", None, "VP") == "05/SYT-VP"
    assert build_reference(15, Family.STATE, "UBND", "QĐ", None) == "15/QĐ-UBND"
    assert build_reference(1272, Family.PARTY, "TU", "CV", None) == "1272-CV/TU"
    assert build_reference(1, Family.PARTY, "TU", "KH", None) == "01-KH/TU"
    assert type_abbreviation("Công văn", Family.STATE) is None
    assert type_abbreviation("công văn", Family.PARTY) == "CV"
    assert type_abbreviation("Quy định", Family.STATE) == "QyĐ"
    assert type_abbreviation("Quy định", Family.PARTY) == "QĐi"
    assert type_abbreviation("Tờ trình", Family.STATE) == "TTr"
    assert canonical_type("THÔNG BÁO") == "Thông báo" and canonical_type("nghị định") == "Nghị định"


@pytest.mark.parametrize("typed, reference, number, notation, family", [
    ("Số: 3646 /SYT-VP", "3646/SYT-VP", 3646, "SYT-VP", Family.STATE),
    ("Số 1272 - CV/TU", "1272-CV/TU", 1272, "CV/TU", Family.PARTY),
    ("05/BNV-VP", "05/BNV-VP", 5, "BNV-VP", Family.STATE),
    ("12/2023/NĐ-CP", "12/2023/NĐ-CP", 12, "2023/NĐ-CP", Family.STATE),
    ("không số", "không số", None, None, None),
])
def test_incoming_references_are_normalised(typed: str, reference: str, number: int | None,
                                             notation: str | None, family: Family | None) -> None:
    parsed = parse_reference(typed)
    assert (parsed.reference, parsed.number, parsed.notation, parsed.family) == (reference, number, notation, family)


def test_reference_key_ignores_case_spaces_marks_and_padding() -> None:
    assert reference_key("05/QĐ-UBND") == reference_key("5 / qd-ubnd") == "5/qd-ubnd"
    assert reference_key("1272-CV/TU") != reference_key("1272/CV-TU")


def test_enums_parse_labels_with_or_without_marks() -> None:
    assert Urgency.parse("Thượng khẩn") is Urgency.THUONG_KHAN
    assert Urgency.parse("hoả tốc") is Urgency.HOA_TOC
    assert Urgency.parse("KHAN") is Urgency.KHAN
    assert Secrecy.parse("tuyet mat") is Secrecy.TUYET_MAT
    with pytest.raises(ValueError):
        Urgency.parse("gấp")


def test_recipients_split_on_semicolons_and_lines() -> None:
    assert split_recipients("- Như trên;\n- LĐ SYT;\n- Lưu: VT, VP.") == ["Như trên", "LĐ SYT", "Lưu: VT, VP."]
