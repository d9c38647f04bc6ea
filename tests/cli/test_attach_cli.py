"""`python -m app attach NUMBER --year Y FILE`: the scan is stored under its hash and listed on the entry; a bad
file or an unknown entry exits 2 and stores nothing."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from app.core.enums import Direction
from app.services import Registry
from tests.conftest import run_cli
from tests.services.test_bad_input import incoming


def test_attach_from_the_command_line(db_path: Path, tmp_path: Path) -> None:
    reg = Registry(str(db_path), actor="van_thu_test")
    first = reg.documents.register_incoming(incoming("1/SYT-VP"))
    reg.documents.register_incoming(incoming("2/SYT-VP"))
    reg.close()
    scan = tmp_path / "công văn đến.pdf"
    scan.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 40)

    done = run_cli("attach", "1", "--year", "2025", str(scan), db=db_path)  # the option between the two
    assert done.returncode == 0, done.stderr
    assert "Đã đính kèm «công văn đến.pdf»" in done.stdout and "Số đến 1" in done.stdout
    again = run_cli("attach", "--id", str(first.id), str(scan), db=db_path)
    assert again.returncode == 2 and "đã được đính kèm" in again.stderr
    photo = tmp_path / "ảnh chụp.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    listed = json.loads(run_cli("--json", "attach", "--id", str(first.id), str(photo), db=db_path).stdout)
    assert listed["sha256"] == hashlib.sha256(photo.read_bytes()).hexdigest() and listed["size"] == 10248

    for args, says in (((str(tmp_path / "khong-co.pdf"),), "không tìm thấy tệp"),
                       ((str(tmp_path),), "Tệp đính kèm"),
                       ((str(tmp_path / "trong.pdf"),), "Tệp đính kèm")):
        (tmp_path / "trong.pdf").write_bytes(b"")
        refused = run_cli("attach", "2", "--year", "2025", *args, db=db_path)
        assert refused.returncode == 2 and says in refused.stderr and "Traceback" not in refused.stderr, refused
    unknown = run_cli("attach", "9", "--year", "2025", str(scan), db=db_path)
    assert unknown.returncode == 2 and "Không có văn bản đến số 9 năm 2025" in unknown.stderr
    wrong_book = run_cli("attach", "1", "--book", "outgoing", "--year", "2025", str(scan), db=db_path)
    assert wrong_book.returncode == 2 and "văn bản đi số 1" in wrong_book.stderr

    reg = Registry(str(db_path), actor="van_thu_test")
    try:
        stored = reg.attachments.list(first.id)
        assert [a.file_name for a in stored] == ["công văn đến.pdf", "ảnh chụp.png"]
        assert reg.attachments.path(stored[0].id).read_bytes() == scan.read_bytes()
        second = reg.documents.find(Direction.INCOMING, 2, 2025)
        assert reg.attachments.list(second.id) == []  # nothing of the refused ones was kept
    finally:
        reg.close()


def test_an_attached_letter_is_found_by_a_word_of_its_body(db_path: Path, tmp_path: Path) -> None:
    from tests.services.test_body_search import BODY, text_pdf

    reg = Registry(str(db_path), actor="van_thu_test")
    reg.documents.register_incoming(incoming("5/SYT-VP"))
    reg.close()
    letter = text_pdf(tmp_path / "cv5.pdf", BODY)
    done = run_cli("attach", "1", "--year", "2025", str(letter), db=db_path)
    assert done.returncode == 0, done.stderr
    assert "ký tự, lớp chữ của tệp PDF) đã được đưa vào tìm kiếm" in done.stdout
    found = run_cli("search", "duong dien lut bao", db=db_path)
    assert found.returncode == 0 and "Số đến 1" in found.stdout and "[khớp ở nội dung]" in found.stdout, found
    hits = json.loads(run_cli("--json", "search", "ĐƯỜNG ĐIỆN", db=db_path).stdout)
    assert [(h["number"], h["matched_in"]) for h in hits] == [(1, "nội dung")]
    assert json.loads(run_cli("--json", "search", "khong co chu nay", db=db_path).stdout) == []


def test_a_scan_attached_from_the_command_line_is_read_and_gets_its_searchable_copy(db_path: Path,
                                                                                     tmp_path: Path) -> None:
    from tests.ocr.scans import image_pdf, letter_pdf, rasterise, spoil

    reg = Registry(str(db_path), actor="van_thu_test")
    reg.documents.register_incoming(incoming("7/SYT-VP"))
    reg.close()
    scan = image_pdf([spoil(p) for p in rasterise(letter_pdf(tmp_path / "goc.pdf"), dpi=250)], tmp_path / "quét.pdf")
    done = run_cli("attach", "1", "--year", "2025", str(scan), db=db_path)
    assert done.returncode == 0, done.stderr
    assert "nhận dạng chữ, độ tin cậy" in done.stdout and "Đã kèm bản PDF có lớp chữ" in done.stdout
    hits = json.loads(run_cli("--json", "search", "tiem chung mo rong", db=db_path).stdout)
    assert [(h["number"], h["matched_in"]) for h in hits] == [(1, "nội dung")]
    reg = Registry(str(db_path), actor="van_thu_test")
    try:
        files = reg.attachments.list(reg.documents.find(Direction.INCOMING, 1, 2025).id)
        assert [f.file_name for f in files] == ["quét.pdf", "quét (có lớp chữ).pdf"]
    finally:
        reg.close()
