"""`report` on the command line: JSON figures, aligned text, the Excel workbook read back, refusals."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.core.report_records import DIMENSION_TITLES, UNIT_HEADERS
from tests.conftest import run_cli
from tests.services.test_reports import ON, Register, build_register

ON_TEXT = ON.strftime("%d/%m/%Y")


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Register]:
    built = build_register(tmp_path_factory.mktemp("report-cli") / "r.sqlite3")
    built.reg.close()  # the CLI opens the file on its own
    yield built


def _db(register: Register) -> Path:
    return Path(register.reg.location)


def test_json_and_workbook_hold_the_service_figures(register: Register, tmp_path: Path) -> None:
    target = tmp_path / "bao cao" / "báo cáo 2026.xlsx"  # a folder not made yet, a Vietnamese file name
    done = run_cli("report", "--year", "2026", "--on", ON_TEXT, "--top", "2", "--xlsx", str(target), "--json",
                   db=_db(register))
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["xlsx"] == str(target) and data["on"] == "2026-06-15"
    # The hand counts of tests/services/test_reports.py.
    assert data["month_total"] == {"month": 0, "incoming": 6, "outgoing": 3, "incoming_cancelled": 1,
                                   "outgoing_cancelled": 1}
    assert [(r["issuer"], r["incoming"]) for r in data["issuers"]] == [
        ("UBND tỉnh Tây Ninh", 3), ("Bộ Y tế", 2), ("Khác", 1)]
    assert [(t["doc_type"], t["incoming"], t["outgoing"]) for t in data["types"]][:2] == [
        ("Công văn", 3, 2), ("Quyết định", 1, 1)]
    total = data["unit_total"]
    assert [total[k] for k in ("assigned", "lead", "support", "on_time", "late", "overdue", "open_in_time")] == [
        8, 5, 3, 4, 2, 1, 1]
    assert data["unrouted"] == {"total": 1, "closed": 0, "overdue": 0, "open_in_time": 1}

    book = load_workbook(target)
    assert book.sheetnames == [DIMENSION_TITLES[d] for d in ("month", "issuer", "type", "unit")]
    for sheet in book.worksheets:
        assert len(sheet._charts) == 1, sheet.title  # a native bar chart on every sheet
        assert sheet["A1"].value.startswith("BÁO CÁO TÌNH HÌNH VĂN BẢN NĂM 2026")
        assert sheet.cell(4, 1).font.bold
        # Prints as the clerk hands it in: A4 landscape, all columns on one page width.
        assert (sheet.page_setup.orientation, sheet.page_setup.fitToWidth) == ("landscape", 1)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
    rows = {sheet.title: [tuple(c.value for c in row) for row in sheet.iter_rows(min_row=4)]
            for sheet in book.worksheets}

    months = rows["Theo tháng"]
    assert months[0] == ("Tháng", "Văn bản đến", "Văn bản đi", "Văn bản đến đã hủy", "Văn bản đi đã hủy")
    assert [r[1:] for r in months[1:13]] == [(m["incoming"], m["outgoing"], m["incoming_cancelled"],
                                              m["outgoing_cancelled"]) for m in data["months"]]
    assert months[13] == ("Tổng cộng", 6, 3, 1, 1)
    issuers = rows["Theo cơ quan ban hành"]
    assert issuers[1:5] == [("UBND tỉnh Tây Ninh", 3), ("Bộ Y tế", 2), ("Khác", 1), ("Tổng cộng", 6)]
    types = rows["Theo loại văn bản"]
    assert [r[:3] for r in types[1:1 + len(data["types"])]] == [
        (t["doc_type"], t["incoming"], t["outgoing"]) for t in data["types"]]
    units = rows["Theo đơn vị"]
    assert units[0] == UNIT_HEADERS
    keys = ("unit", "assigned", "lead", "support", "on_time", "late", "overdue", "open_in_time", "on_time_rate")
    assert units[1:5] == [tuple(u[k] for k in keys) for u in (*data["units"], total)]
    assert book["Theo đơn vị"].cell(8, 9).number_format == "0.0%"
    assert "Chưa chuyển cho đơn vị nào: 1 văn bản đến" in str(units[6][0])


def test_text_tables_are_aligned_with_vietnamese_headings(register: Register) -> None:
    done = run_cli("report", "--year", "2026", "--on", ON_TEXT, "--by", "unit", db=_db(register))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "BÁO CÁO TÌNH HÌNH VĂN BẢN NĂM 2026 (sổ thường), tính đến ngày 15/06/2026"
    start = lines.index("THEO ĐƠN VỊ")
    header, rule, *body, closing = lines[start + 1:start + 7]
    assert header.split("  ")[0] == "Đơn vị" and header.endswith("Tỷ lệ đúng hạn")
    assert len(header) == len(rule) == len(body[0]) == len(closing) and set(rule) == {"-"} and len(body) == 3
    assert body[0].split() == ["Phòng", "Kế", "hoạch", "-", "Tài", "chính", "3", "1", "2", "2", "0", "1", "0",
                               "66,7", "%"]
    assert lines[start + 7].split() == ["Tổng", "cộng", "8", "5", "3", "4", "2", "1", "1", "57,1", "%"]
    assert "THEO THÁNG" not in done.stdout  # only the table asked for


def test_bad_input_is_refused_and_nothing_is_written(register: Register, tmp_path: Path) -> None:
    target = tmp_path / "r.xlsx"
    for args, says in ((("--on", "31/02/2026"), "Ngày tính"), (("--year", "20260"), "năm 20260 không hợp lệ"),
                       (("--by", "week"), "week")):
        done = run_cli("report", "--xlsx", str(target), *args, db=_db(register))
        assert done.returncode == 2, (args, done.stderr)
        assert says in done.stderr and done.stdout == ""
    done = run_cli("report", "--year", "2026", "--xlsx", str(tmp_path / "r.csv"), db=_db(register))
    assert done.returncode == 2 and "đuôi .xlsx" in done.stderr
    assert list(tmp_path.iterdir()) == []  # no file, no leftover temporary file
