"""`print …` as a clerk runs it: PDFs read back, exit codes, and no partial file after a refusal."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from app.core.dates import today
from app.printing.fonts import SERIF, register_fonts
from tests.conftest import run_cli
from tests.printing.pdf_read import page_sizes_mm, page_texts

YEAR = today().year
DAY = today().strftime("%d/%m/%Y")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "r.sqlite3"
    for key, value in (("agency.name", "SỞ Y TẾ TỈNH TÂY NINH"), ("agency.abbreviation", "SYT"),
                       ("agency.parent", "UBND TỈNH TÂY NINH"), ("agency.place", "Tây Ninh")):
        assert run_cli("settings", "set", key, value, db=path).returncode == 0
    for i, (issuer, ref, subject) in enumerate([
        ("Văn phòng Tỉnh ủy Tây Ninh", "1737-TB/VPTU", "Kết luận của Thường trực Tỉnh ủy về phòng, chống dịch"),
        ("Ủy ban nhân dân tỉnh Tây Ninh", "5068/UBND-TH", "Triển khai Thông báo số 1737-TB/VPTU"),
    ]):
        done = run_cli("incoming", "add", "--issuer", issuer, "--reference", ref, "--issued-on", DAY, "--type",
                       "Thông báo" if i == 0 else "Công văn", "--subject", subject, db=path)
        assert done.returncode == 0, done.stderr
    return path


def _scan(path: Path, pages: int = 2) -> Path:
    register_fonts()
    c = canvas.Canvas(str(path), pagesize=A4)
    for n in range(pages):
        c.setFont(SERIF, 12)
        c.drawString(60, 780, f"VĂN PHÒNG TỈNH ỦY — trang {n + 1}")
        c.drawString(60, 400, "Nội dung văn bản quét")
        c.showPage()
    c.save()
    return path


def test_stamp_label_slip_and_receipt(db: Path, tmp_path: Path) -> None:
    stamp = tmp_path / "stamp.pdf"
    done = run_cli("print", "stamp", "2", "--year", str(YEAR), "-o", str(stamp), db=db)
    assert done.returncode == 0, done.stderr
    assert page_sizes_mm(stamp) == [(50.0, 35.0)]
    text = page_texts(stamp)[0]
    assert "SỞ Y TẾ TỈNH TÂY NINH" in text and "ĐẾN" in text and "2" in text and today().strftime("%d/%m/%Y") in text
    sheet = tmp_path / "sheet.pdf"
    assert run_cli("print", "stamp", "1", "-o", str(sheet), "--sheet", db=db).returncode == 0
    assert page_sizes_mm(sheet) == [(210.0, 297.0)]

    slip = tmp_path / "phieu.pdf"
    assert run_cli("print", "slip", "1", "--year", str(YEAR), "-o", str(slip), db=db).returncode == 0
    text = " ".join(page_texts(slip))
    assert "PHIẾU GIẢI QUYẾT VĂN BẢN ĐẾN" in text and "1737-TB/VPTU" in text
    assert "Ý kiến của lãnh đạo cơ quan, tổ chức" in text

    receipt = tmp_path / "bn.pdf"
    done = run_cli("print", "receipt", "2", "--sender", "Bưu điện tỉnh", "-o", str(receipt), "--json", db=db)
    assert done.returncode == 0, done.stderr
    text = " ".join(page_texts(receipt))
    assert "GIẤY BIÊN NHẬN" in text and "5068/UBND-TH" in text and "Bưu điện tỉnh" in text


def test_stamp_on_scan_keeps_pages_and_refuses_bad_scans(db: Path, tmp_path: Path) -> None:
    scan = _scan(tmp_path / "scan.pdf", pages=3)
    out = tmp_path / "stamped.pdf"
    done = run_cli("print", "stamp-scan", "1", "--year", str(YEAR), "--in", str(scan), "-o", str(out), db=db)
    assert done.returncode == 0, done.stderr
    before, after = page_texts(scan), page_texts(out)
    assert len(after) == 3 and after[1:] == before[1:]
    assert "VĂN PHÒNG TỈNH ỦY — trang 1" in after[0] and "ĐẾN" in after[0] and "ĐẾN" not in before[0]

    for bad in (tmp_path / "missing.pdf", tmp_path / "note.pdf"):
        if bad.name == "note.pdf":
            bad.write_text("không phải PDF", encoding="utf-8")
        target = tmp_path / f"out-{bad.stem}.pdf"
        done = run_cli("print", "stamp-scan", "1", "--in", str(bad), "-o", str(target), db=db)
        assert done.returncode == 2 and "Bản quét" in done.stderr, done.stderr
        assert not target.exists() and not list(tmp_path.glob(f".out-{bad.stem}*"))  # no partial file
    none_attached = run_cli("print", "stamp-scan", "1", "-o", str(tmp_path / "x.pdf"), db=db)
    assert none_attached.returncode == 2 and "chưa có bản quét" in none_attached.stderr


def test_register_books_and_range_refusals(db: Path, tmp_path: Path) -> None:
    book = tmp_path / "so.pdf"
    done = run_cli("print", "register", "--book", "incoming", "--year", str(YEAR), "-o", str(book), "--json", db=db)
    assert done.returncode == 0, done.stderr
    sizes = page_sizes_mm(book)
    assert sizes and all(size == (297.0, 210.0) for size in sizes)
    text = " ".join(page_texts(book))
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in text and f"Năm: {YEAR}" in text and "5068/UBND-TH" in text
    for kind in ("outgoing", "follow-up"):
        target = tmp_path / f"{kind}.pdf"
        result = run_cli("print", "register", "--book", kind, "-o", str(target), db=db)
        if kind == "outgoing":  # nothing registered as outgoing: an empty range is refused
            assert result.returncode == 2 and "không có văn bản nào" in result.stderr
            assert not target.exists()
        else:
            assert result.returncode == 0, result.stderr
            assert "SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN" in " ".join(page_texts(target))
    backwards = run_cli("print", "register", "--book", "incoming", "--from-number", "5", "--to-number", "2",
                        "-o", str(tmp_path / "b.pdf"), db=db)
    assert backwards.returncode == 2 and "bị ngược" in backwards.stderr and not (tmp_path / "b.pdf").exists()
    other_year = run_cli("print", "register", "--book", "incoming", "--year", str(YEAR), "--from", "01/01/2001",
                         "-o", str(tmp_path / "c.pdf"), db=db)
    assert other_year.returncode == 2 and "không thuộc năm" in other_year.stderr


def test_unknown_number_and_missing_agency(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "s.pdf"
    done = run_cli("print", "stamp", "99", "--year", str(YEAR), "-o", str(target), db=db)
    assert done.returncode == 2 and "Không có" in done.stderr and not target.exists()
    fresh = tmp_path / "fresh.sqlite3"
    run_cli("incoming", "add", "--issuer", "Bộ Y tế", "--reference", "1/BYT", "--issued-on", DAY, "--type",
            "Công văn", "--subject", "Thử", db=fresh)
    done = run_cli("print", "stamp", "1", "-o", str(target), db=fresh)
    assert done.returncode == 2 and "Tên cơ quan" in done.stderr and not target.exists()


def test_the_leaders_directive_reaches_the_slip_and_the_stamp(db: Path, tmp_path: Path) -> None:
    for name, code in (("Phòng Nghiệp vụ Y", "NVY"), ("Phòng Kế hoạch - Tài chính", "KHTC")):
        assert run_cli("department", "add", name, "--code", code, db=db).returncode == 0
    routed = run_cli("route", "1", "--year", str(YEAR), "--lead", "Phòng Nghiệp vụ Y", "--support",
                     "Phòng Kế hoạch - Tài chính", "--directive", "Chủ trì tham mưu, báo cáo Giám đốc", db=db)
    assert routed.returncode == 0, routed.stderr
    slip = tmp_path / "phieu.pdf"
    assert run_cli("print", "slip", "1", "-o", str(slip), db=db).returncode == 0
    text = " ".join(page_texts(slip))
    assert "chủ trì: Phòng Nghiệp vụ Y" in text and "Phòng Kế hoạch - Tài chính" in text
    assert "Chủ trì tham mưu, báo cáo Giám đốc" in text
    stamp = tmp_path / "stamp.pdf"
    assert run_cli("print", "stamp", "1", "-o", str(stamp), db=db).returncode == 0
    assert "Chuyển: Phòng Nghiệp vụ Y" in page_texts(stamp)[0]
