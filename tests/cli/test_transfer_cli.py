"""`export` and `import` as a clerk runs them: real subprocesses, real SQLite files, the .xlsx read back."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from dataclasses import asdict
from pathlib import Path
from typing import Any

import openpyxl

from app.core.dates import today
from app.core.enums import Direction
from app.core.records import DocumentQuery, IncomingInput, OutgoingInput
from app.services import Registry
from tests.cli.test_cli import EXIT_BAD_INPUT, cli

YEAR = today().year - 1
_LOCAL = {"id", "book_id", "issuer_id", "created_at", "created_by", "cancelled_at", "links"}


def _register(path: Path) -> Registry:
    reg = Registry(str(path), actor="van_thu")
    for key, value in (("agency.name", "SỞ Y TẾ TỈNH TÂY NINH"), ("agency.abbreviation", "SYT")):
        reg.settings.set(key, value)
    return reg


def _source(path: Path) -> None:
    """Set up in-process (fast); the commands under test run in subprocesses."""
    reg = _register(path)
    try:
        reg.documents.register_incoming(IncomingInput(
            issuer="UBND TỈNH TÂY NINH", reference="5068/UBND-TH", issued_on=f"02/10/{YEAR}",
            received_on=f"03/10/{YEAR}", received_at="14:05", doc_type="Công văn", subject="Triển khai thông báo",
            urgency="Thượng khẩn", copies="1"))
        wrong = reg.documents.register_incoming(IncomingInput(
            issuer="Sở Nội vụ", reference="7/SNV-TCBM", issued_on=f"02/10/{YEAR}", received_on=f"04/10/{YEAR}",
            doc_type="Giấy mời", subject="Dự họp"))
        reg.documents.cancel(wrong.id, "Trùng với số đến 1")
        reg.documents.register_outgoing(OutgoingInput(doc_type="Công văn", unit="VP", subject="Về việc báo cáo",
                                            signer="Nguyễn Văn A", recipients="UBND tỉnh; Lưu: VT.",
                                            signed_on=f"05/10/{YEAR}"))
    finally:
        reg.close()


def _entries(path: Path, direction: Direction) -> list[dict[str, Any]]:
    reg = Registry(str(path))
    try:
        return [{k: v for k, v in asdict(d).items() if k not in _LOCAL} for d in reg.documents.list(direction, YEAR)]
    finally:
        reg.close()


def _count(db: Path) -> int:
    with closing(sqlite3.connect(db)) as conn:
        return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])


def test_export_then_import_from_the_command_line(tmp_path: Path) -> None:
    source, target = tmp_path / "cu.sqlite3", tmp_path / "moi.sqlite3"
    _source(source)
    incoming = tmp_path / "so-den.xlsx"
    done = cli(source, "export", "--book", "incoming", "--year", str(YEAR), "--xlsx", str(incoming))
    assert done.stdout.strip() == f"Đã xuất sổ đăng ký văn bản đến năm {YEAR}: 2 văn bản → {incoming}"
    sheet = openpyxl.load_workbook(incoming).active
    assert [sheet.cell(r, 3).value for r in (2, 3, 4)] == ["Số đến", 1, 2]
    reg = Registry(str(source))
    try:  # the outgoing file is made in-process: the command is the same code path as above
        outgoing, _rows = reg.transfer.export_xlsx(DocumentQuery(direction=Direction.OUTGOING, year=YEAR, sort="number",
                                                        descending=False), tmp_path / "so-di.xlsx")
    finally:
        reg.close()
    _register(target).close()

    report = json.loads(cli(target, "import", str(incoming), "--dry-run", "--json").stdout)
    assert (report["dry_run"], report["rows_read"], report["rows_imported"], report["errors"]) == (True, 2, 2, [])
    assert _count(target) == 0
    done = cli(target, "import", str(incoming), "--book", "incoming")
    assert done.stdout.strip() == (f"Đã nhập 2 văn bản vào sổ đăng ký văn bản đến (năm {YEAR}: số 1–2) "
                                   f"từ {incoming}.")
    done = cli(target, "import", str(outgoing))  # recognised as the outgoing book by its headings
    assert done.stdout.strip().startswith(f"Đã nhập 1 văn bản vào sổ đăng ký văn bản đi (năm {YEAR}: số 1)")
    for direction in (Direction.INCOMING, Direction.OUTGOING):
        assert _entries(target, direction) == _entries(source, direction)


def test_import_errors_one_line_each_and_nothing_written(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite3"
    _register(db).close()
    path = tmp_path / "so-cu.csv"
    path.write_text("\n".join([
        "Ngày đến;Số đến;Tác giả;Số, ký hiệu văn bản;Ngày tháng văn bản;Tên loại;Trích yếu",
        f"05/01/{YEAR};1;Sở Tài chính;01/STC-NS;04/01/{YEAR};Công văn;Dự toán",
        f"31/02/{YEAR};2;Sở Tài chính;02/STC-NS;04/01/{YEAR};Công văn;Quyết toán",
        f"06/01/{YEAR};4;Sở Tài chính;04/STC-NS;04/01/{YEAR};Công văn;Thanh tra",
    ]), encoding="utf-8-sig")
    done = cli(db, "import", str(path), expect=EXIT_BAD_INPUT)
    assert done.stderr.splitlines() == [
        f"Dòng 3, Ngày đến: '31/02/{YEAR}' không phải là ngày có thật.",
        f"Dòng 4, Số đến: thiếu số 3 trước số 4: số trong sổ năm {YEAR} phải liền nhau (số tiếp theo là 3).",
        "Lỗi: Tệp: không nhập văn bản nào vào sổ đăng ký văn bản đến: 2 lỗi trong 3 dòng; sửa tệp rồi nhập lại.",
    ]
    assert done.stdout == "" and _count(db) == 0
    done = cli(db, "import", str(tmp_path / "khong-co.xlsx"), expect=EXIT_BAD_INPUT)
    assert done.stderr.strip() == f"Lỗi: Tệp: không có tệp {tmp_path / 'khong-co.xlsx'}."


def test_a_refused_export_writes_no_file(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite3"
    _source(db)
    out = tmp_path / "so.xlsx"
    done = cli(db, "export", "--book", "incoming", "--year", str(YEAR), "--from", f"01/01/{YEAR + 1}",
               "--xlsx", str(out), expect=EXIT_BAD_INPUT)
    assert done.stderr.strip() == f"Lỗi: Từ ngày … đến ngày: 01/01/{YEAR + 1} không thuộc năm {YEAR} của sổ."
    assert list(tmp_path.glob("*.xlsx*")) == [] and list(tmp_path.glob(".*")) == []
