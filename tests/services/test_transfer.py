"""Export to .xlsx and import from .xlsx/.csv on real SQLite files: round trip, numbering, all-or-nothing, bad files."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from app.core.dates import today
from app.core.enums import Direction, DocumentStatus, Secrecy, Urgency
from app.core.errors import NotFoundError, ValidationError
from app.core.records import DocumentQuery, DocumentRecord, IncomingInput, OutgoingInput
from app.services import Registry

pytestmark = pytest.mark.both_engines

YEAR = today().year - 1  # every date in the past, whatever day the tests run
# Fields that belong to this database rather than to the register entry.
_LOCAL = {"id", "book_id", "issuer_id", "created_at", "created_by", "cancelled_at", "links"}
INCOMING_HEAD = ["Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu văn bản", "Ngày tháng văn bản", "Tên loại",
                 "Trích yếu nội dung văn bản"]


def _agency(reg: Registry) -> Registry:
    for key, value in (("agency.name", "SỞ Y TẾ TỈNH TÂY NINH"), ("agency.abbreviation", "SYT")):
        reg.settings.set(key, value)
    return reg


@pytest.fixture
def target(tmp_path: Path, engine: str, request: pytest.FixtureRequest) -> Iterator[Registry]:
    """A second, empty register of the same agency (same engine): where files are imported."""
    name, where = "", str(tmp_path / "target.sqlite3")
    if engine == "postgresql":
        name, where = request.getfixturevalue("postgres").new_database()
    reg = Registry(where, actor="van_thu_moi")
    yield _agency(reg)
    reg.close()
    if name:
        request.getfixturevalue("postgres").drop_database(name)


def _query(direction: Direction, year: int = YEAR) -> DocumentQuery:
    return DocumentQuery(direction=direction, year=year, sort="number", descending=False)


def _entries(reg: Registry, direction: Direction, year: int = YEAR) -> list[dict[str, Any]]:
    return [{k: v for k, v in asdict(d).items() if k not in _LOCAL}
            for d in reg.documents.list(direction, year)]


def _fill(reg: Registry) -> None:
    """A register with every kind of field filled: routed, handled, cancelled, urgent, and both directions."""
    reg.directory.add_department("Phòng Nghiệp vụ Y", "NVY")
    first = reg.documents.register_incoming(IncomingInput(
        issuer="UBND TỈNH TÂY NINH", reference="5068/UBND-TH", issued_on=f"02/03/{YEAR}", received_on=f"03/03/{YEAR}",
        received_at="08:15", doc_type="Công văn", subject="Triển khai Thông báo số 1737-TB/VPTU",
        urgency="Hỏa tốc", pages="3", copies="2", note="Bản gốc", file_code="01.VP"))
    reg.routing.route(first.id, "Phòng Nghiệp vụ Y", deadline=date(YEAR, 3, 20), directive="Giao NVY chủ trì, báo cáo",
              directed_at=date(YEAR, 3, 4))
    reg.routing.set_unit_status(first.id, "NVY", DocumentStatus.HANDLED)
    second = reg.documents.register_incoming(IncomingInput(
        issuer="Văn phòng Tỉnh ủy Tây Ninh", reference="1737-TB/VPTU", issued_on=f"01/03/{YEAR}",
        received_on=f"03/03/{YEAR}", doc_type="Thông báo", subject="Kết luận của Thường trực Tỉnh ủy"))
    reg.documents.cancel(second.id, "Vào sổ nhầm")
    reg.documents.register_incoming(IncomingInput(
        issuer="Bộ Y tế", reference="15/QĐ-BYT", issued_on=f"28/02/{YEAR}", received_on=f"05/03/{YEAR}",
        doc_type="Quyết định", subject="=Ban hành quy chế (bắt đầu bằng dấu bằng)", urgency="Khẩn"))
    reg.documents.register_outgoing(OutgoingInput(
        doc_type="Công văn", subject="Về việc báo cáo công tác", unit="VP", signer="Nguyễn Văn A",
        signer_title="PHÓ GIÁM ĐỐC", authority="KT.", recipients="UBND tỉnh; Như trên; Lưu: VT, VP.", copies="5",
        signed_on=f"06/03/{YEAR}", archive_holder="VP", reply_due=f"20/03/{YEAR}", urgency="Thượng khẩn",
        pages="2", note="Gửi kèm phụ lục", file_code="02.VP"))
    cancelled = reg.documents.register_outgoing(OutgoingInput(
        doc_type="Quyết định", subject="Thành lập tổ công tác", signer="Trần Thị B", signed_on=f"07/03/{YEAR}"))
    reg.documents.cancel(cancelled.id, "Ký nhầm người")
    reg.documents.register_outgoing(OutgoingInput(doc_type="Kế hoạch", subject="Kiểm tra cuối năm", signer="Trần Thị B",
                                        signed_on=f"09/03/{YEAR}"))


def _write_xlsx(path: Path, head: Sequence[str], rows: Sequence[Sequence[Any]], title: str | None = None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    sheet.append(list(head))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def _incoming_row(number: int, day: str, reference: str | None = None) -> list[Any]:
    return [day, number, "SỞ TÀI CHÍNH", reference or f"{number}/STC-NS", day, "Công văn", f"Văn bản số {number}"]


def _no_entries(reg: Registry) -> None:
    assert reg.documents.list(Direction.INCOMING, YEAR) == [] and reg.documents.list(Direction.OUTGOING, YEAR) == []
    assert [e for e in reg.audit.events(limit=1000) if e.entity in ("document", "organization")] == []


# ------------------------------------------------------------------------------------------------ round trip


def test_export_then_import_gives_the_same_register(state_registry: Registry, target: Registry,
                                                    tmp_path: Path) -> None:
    _fill(state_registry)
    files = {}
    for direction in (Direction.INCOMING, Direction.OUTGOING):
        files[direction], rows = state_registry.transfer.export_xlsx(_query(direction), tmp_path / f"{direction}.xlsx")
        assert rows == 3
    for direction, path in files.items():
        report = target.transfer.import_register(path)  # the book is recognised from the headings
        assert report.ok and (report.rows_read, report.rows_imported) == (3, 3), report.errors
        assert report.book == direction.value and report.ranges == (f"năm {YEAR}: số 1–3",)
    for direction in (Direction.INCOMING, Direction.OUTGOING):
        assert _entries(target, direction) == _entries(state_registry, direction)
    imported = target.documents.list(Direction.INCOMING, YEAR)
    assert (imported[0].urgency, imported[0].status, imported[0].directive, imported[0].due_on,
            imported[0].recipient_text) == (Urgency.HOA_TOC, DocumentStatus.HANDLED, "Giao NVY chủ trì, báo cáo",
                                            date(YEAR, 3, 20), "Phòng Nghiệp vụ Y")
    assert (imported[1].cancelled, imported[1].cancel_reason) == (True, "Vào sổ nhầm")
    outgoing = target.documents.list(Direction.OUTGOING, YEAR)
    assert [d.reference for d in outgoing] == ["01/SYT-VP", "02/QĐ-SYT", "03/KH-SYT"]
    assert outgoing[0].recipients == ("UBND tỉnh", "Như trên", "Lưu: VT, VP.") and outgoing[1].cancelled
    # Audited like a registration, plus where it came from; one summary event per file.
    events = target.audit.events(entity="document", entity_id=imported[0].id)
    assert {e.action for e in events} == {"create", "import"}
    origin = next(e for e in events if e.action == "import").after
    assert origin is not None and (origin["file"], origin["row"], origin["status"]) == (
        "incoming.xlsx", 3, DocumentStatus.HANDLED.value)
    assert len([e for e in target.audit.events(entity="register") if e.action == "import"]) == 2


def test_the_sheet_is_a_register_a_clerk_can_read(state_registry: Registry, tmp_path: Path) -> None:
    _fill(state_registry)
    path, _rows = state_registry.transfer.export_xlsx(_query(Direction.INCOMING), tmp_path / "so-den.xlsx")
    sheet = openpyxl.load_workbook(path).active
    assert sheet.title == f"Sổ đến {YEAR}"
    assert sheet["A1"].value == f"SỞ Y TẾ TỈNH TÂY NINH — SỔ ĐĂNG KÝ VĂN BẢN ĐẾN NĂM {YEAR}" and sheet["A1"].font.b
    head = [c.value for c in sheet[2]]
    assert head[:6] == ["Ngày đến", "Giờ đến", "Số đến", "Tác giả", "Số, ký hiệu văn bản", "Ngày tháng văn bản"]
    assert {"Ý kiến chỉ đạo", "Thời hạn giải quyết", "Độ khẩn", "Độ mật", "Đã hủy", "Lý do hủy"} <= set(head)
    assert all(c.font.b for c in sheet[2]) and sheet.freeze_panes == "A3"
    assert sheet.column_dimensions["H"].width == 60  # the trích yếu column is the wide one
    received = sheet["A3"]
    assert received.value.date() == date(YEAR, 3, 3) and received.number_format == "DD/MM/YYYY"
    assert sheet["B3"].number_format == "HH:MM" and sheet["C3"].value == 1
    subject = sheet.cell(5, head.index("Trích yếu nội dung văn bản") + 1)
    assert subject.data_type == "s" and subject.value.startswith("=Ban hành")  # text, never a formula
    assert sheet.cell(4, head.index("Đã hủy") + 1).value == "ĐÃ HỦY"


def test_a_secret_book_round_trips_into_the_secret_book(state_registry: Registry, target: Registry,
                                                        tmp_path: Path) -> None:
    state_registry.documents.register_incoming(IncomingInput(
        issuer="Công an tỉnh", reference="12/CAT-PV01", issued_on=f"02/04/{YEAR}", received_on=f"03/04/{YEAR}",
        doc_type="Công văn", subject="Tài liệu mật", secrecy="Tối mật"))
    query = DocumentQuery(direction=Direction.INCOMING, secret=True, year=YEAR, sort="number", descending=False)
    path, rows = state_registry.transfer.export_xlsx(query, tmp_path / "mat.xlsx")
    assert rows == 1 and openpyxl.load_workbook(path).active.title == f"Sổ đến mật {YEAR}"
    report = target.transfer.import_register(path, "incoming")
    assert report.ok and report.ranges == (f"năm {YEAR} (mật): số 1",)
    assert target.documents.list(Direction.INCOMING, YEAR) == []
    secret = target.documents.list(Direction.INCOMING, YEAR, secret=True)
    assert [(d.number, d.secrecy) for d in secret] == [(1, Secrecy.TOI_MAT)]


# ------------------------------------------------------------------------------------------------ CSV and headings


@pytest.mark.parametrize("delimiter, bom", [(";", True), (",", False)])
def test_csv_with_headings_without_marks(target: Registry, tmp_path: Path, delimiter: str, bom: bool) -> None:
    head = ["Ngay den", "SO DEN", "tac gia", "So, ky hieu van ban", "Ngay thang van ban", "Ten loai",
            "Trich yeu", "Do khan", "Ghi chu", "Cot rieng cua van thu"]
    rows = [[f"02/01/{YEAR - 1}", "1", "Sở Tài chính", "01/STC-NS", f"30/12/{YEAR - 2}", "công văn",
             "Về dự toán, ngân sách", "khan", "", "x"],
            [f"05/01/{YEAR}", "1", "Sở Nội vụ", "7/SNV-TCBM", f"04/01/{YEAR}", "Thông báo", "Lịch họp", "", "", ""],
            [f"03/01/{YEAR - 1}", "2", "Sở Tài chính", "02/STC-NS", f"02/01/{YEAR - 1}", "Công văn", "Bổ sung", "",
             "Đã gọi điện; chờ bản gốc", ""]]
    quoted = [delimiter.join(f'"{cell}"' if delimiter in cell else cell for cell in row) for row in [head, *rows]]
    path = tmp_path / "so-cu.csv"
    path.write_bytes(("\ufeff" if bom else "").encode() + "\r\n".join(quoted).encode("utf-8"))
    report = target.transfer.import_register(path)
    assert report.ok, report.errors
    assert (report.rows_imported, report.ignored_columns) == (3, ("Cot rieng cua van thu",))
    assert report.ranges == (f"năm {YEAR - 1}: số 1–2", f"năm {YEAR}: số 1")
    old = target.documents.list(Direction.INCOMING, YEAR - 1)
    assert [(d.number, d.reference, d.doc_type, d.urgency) for d in old] == [
        (1, "01/STC-NS", "Công văn", Urgency.KHAN), (2, "02/STC-NS", "Công văn", None)]
    assert old[0].subject == "Về dự toán, ngân sách" and old[1].note == "Đã gọi điện; chờ bản gốc"
    assert [d.reference for d in target.documents.list(Direction.INCOMING, YEAR)] == ["7/SNV-TCBM"]


def test_a_paper_style_outgoing_register(target: Registry, tmp_path: Path) -> None:
    """The paper register's own columns: one "Tên loại và trích yếu" column, no Số đi and no drafting unit (both
    read from the số, ký hiệu), rows out of order, a title above the headings."""
    head = ["Số, ký hiệu văn bản", "Ngày tháng văn bản", "Tên loại và trích yếu nội dung văn bản", "Người ký",
            "Nơi nhận văn bản", "Số lượng bản"]
    path = _write_xlsx(tmp_path / "so-di.xlsx", head, [
        ["02/QĐ-SYT", date(YEAR, 1, 6), "Quyết định: Thành lập hội đồng", "Lê C", "Như Điều 3; Lưu: VT", 4],
        ["01/SYT-VP", date(YEAR, 1, 5), "Công văn: Về việc báo cáo", "Lê C", "UBND tỉnh", 2],
    ], title="SỔ ĐĂNG KÝ VĂN BẢN ĐI")
    report = target.transfer.import_register(path, "outgoing")
    assert report.ok, report.errors
    docs = target.documents.list(Direction.OUTGOING, YEAR)
    assert [(d.number, d.reference, d.doc_type, d.subject, d.drafting_unit, d.copies) for d in docs] == [
        (1, "01/SYT-VP", "Công văn", "Về việc báo cáo", "VP", 2),
        (2, "02/QĐ-SYT", "Quyết định", "Thành lập hội đồng", None, 4)]
    assert docs[1].recipients == ("Như Điều 3", "Lưu: VT")


# ------------------------------------------------------------------------------------------------ refusals


def test_every_bad_row_is_reported_and_nothing_is_imported(target: Registry, tmp_path: Path) -> None:
    head = [*INCOMING_HEAD, "Độ khẩn", "Đã hủy", "Lý do hủy"]
    path = _write_xlsx(tmp_path / "loi.xlsx", head, [
        [*_incoming_row(1, f"02/01/{YEAR}"), "", "", ""],
        [f"31/02/{YEAR}", 2, "SỞ TÀI CHÍNH", "2/STC-NS", f"01/01/{YEAR}", "Công văn", "Ngày đến sai", "", "", ""],
        [f"03/01/{YEAR}", 3, "", "3/STC-NS", f"02/01/{YEAR}", "Công văn", "Thiếu tác giả", "gấp", "", ""],
        [*_incoming_row(4, f"04/01/{YEAR}"), "", "ĐÃ HỦY", ""],
        [*_incoming_row(6, f"05/01/{YEAR}"), "", "", ""],
        [*_incoming_row(7, f"05/01/{YEAR}"), "", "", ""],
        [*_incoming_row(7, f"05/01/{YEAR}"), "", "", ""],
    ], title="Sổ đến")
    report = target.transfer.import_register(path)
    assert [str(e) for e in report.errors] == [
        f"Dòng 4, Ngày đến: '31/02/{YEAR}' không phải là ngày có thật.",
        "Dòng 5, Tác giả: không được để trống.",
        "Dòng 5, Độ khẩn: 'gấp' không hợp lệ; chọn một trong: Khẩn, Thượng khẩn, Hỏa tốc.",
        "Dòng 6, Lý do hủy: văn bản đã hủy cần ghi lý do hủy.",
        "Dòng 9, Số đến: số 7 đã ghi ở dòng 8.",
        f"Dòng 7, Số đến: thiếu số 5 trước số 6: số trong sổ năm {YEAR} phải liền nhau (số tiếp theo là 5).",
    ]
    assert (report.rows_read, report.rows_imported, report.error_count, report.ok) == (7, 0, 6, False)
    _no_entries(target)


def test_a_dry_run_reports_and_writes_nothing(target: Registry, tmp_path: Path) -> None:
    path = _write_xlsx(tmp_path / "thu.xlsx", INCOMING_HEAD, [_incoming_row(n, f"0{n}/02/{YEAR}") for n in (1, 2)])
    report = target.transfer.import_register(path, "incoming", dry_run=True)
    assert (report.ok, report.dry_run, report.rows_imported, report.ranges) == (True, True, 2, (f"năm {YEAR}: số 1–2",))
    _no_entries(target)
    assert target.books.list() == []  # not even the book the import would open


def test_an_import_continues_the_numbers_already_in_the_register(target: Registry, tmp_path: Path) -> None:
    for n in (1, 2, 3):
        target.documents.register_incoming(IncomingInput(issuer="SỞ TÀI CHÍNH", reference=f"9{n}/STC",
                                                         issued_on=f"01/01/{YEAR}",
                                               received_on=f"02/01/{YEAR}", doc_type="Công văn", subject="Có sẵn"))

    def attempt(name: str, numbers: Sequence[int]) -> list[str]:
        rows = [_incoming_row(n, f"10/01/{YEAR}") for n in numbers]
        return [str(e) for e in target.transfer.import_register(_write_xlsx(tmp_path / name, INCOMING_HEAD,
                                                                            rows)).errors]

    assert attempt("cu.xlsx", (1, 2)) == [
        f"Dòng {row}, Số đến: số {n} đã có trong sổ năm {YEAR} (sổ đã đến số 3); số nhập tiếp phải bắt đầu từ 4."
        for row, n in ((2, 1), (3, 2))]
    assert attempt("ho.xlsx", (6, 5)) == [
        f"Dòng 3, Số đến: thiếu các số 4–4 trước số 5: số trong sổ năm {YEAR} phải liền nhau (số tiếp theo là 4)."
        .replace("các số 4–4", "số 4")]
    assert len(target.documents.list(Direction.INCOMING, YEAR)) == 3
    assert attempt("tiep.xlsx", (5, 4)) == []  # out of order in the file, registered in number order
    docs = target.documents.list(Direction.INCOMING, YEAR)
    assert [(d.number, d.reference) for d in docs][3:] == [(4, "4/STC-NS"), (5, "5/STC-NS")]


def test_an_outgoing_reference_must_be_the_one_the_book_gives(target: Registry, tmp_path: Path) -> None:
    head = ["Số đi", "Số, ký hiệu văn bản", "Ngày tháng văn bản", "Tên loại", "Trích yếu nội dung văn bản",
            "Người ký", "Đơn vị soạn thảo"]
    path = _write_xlsx(tmp_path / "di.xlsx", head, [
        [1, "01/UBND-VP", date(YEAR, 2, 1), "Công văn", "Về việc A", "Lê C", "VP"],
        [2, "02/SYT-VP", date(YEAR, 2, 1), "Giấy khen", "Khen thưởng", "Lê C", ""],
    ])
    assert [str(e) for e in target.transfer.import_register(path).errors] == [
        "Dòng 2, Số, ký hiệu văn bản: '01/UBND-VP' khác số, ký hiệu sổ ghi cho số 1: '01/SYT-VP' (xem lại Số đi, "
        "Tên loại, Đơn vị soạn thảo và chữ viết tắt tên cơ quan).",
        "Dòng 3, Tên loại: 'Giấy khen' không có trong danh mục loại văn bản của cơ quan (NĐ 30 Phụ lục III và các "
        "loại đã thêm trong Cài đặt › Loại văn bản), nên không có chữ viết tắt để ghi ký hiệu.",
    ]
    _no_entries(target)


def test_an_outgoing_reference_is_never_respelled_on_import(target: Registry, tmp_path: Path) -> None:
    head = ["Số đi", "Số, ký hiệu văn bản", "Ngày tháng văn bản", "Tên loại", "Trích yếu nội dung văn bản",
            "Người ký", "Đơn vị soạn thảo"]
    path = _write_xlsx(tmp_path / "di.xlsx", head, [
        [1, "1/SYT-VP", date(YEAR, 2, 1), "Công văn", "Về việc A", "Lê C", "VP"],  # the leading 0 may be left out
        [2, "02/SYT-TTra", date(YEAR, 2, 1), "Công văn", "Về việc B", "Lê C", "TTra"],
    ])
    assert [str(e) for e in target.transfer.import_register(path).errors] == [
        "Dòng 3, Số, ký hiệu văn bản: '02/SYT-TTra' sẽ được ghi là '02/SYT-TTRA' (chữ hoa, chữ thường khác); sửa "
        "lại trong tệp cho đúng số, ký hiệu đã ban hành."]
    _no_entries(target)


def _bad_file(tmp_path: Path, name: str, content: bytes | None = None) -> Path:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    return path


_BAD_FILES = [
    ("khong-co.xlsx", None, "Tệp: không có tệp"),
    ("so.txt", b"abc", "Tệp: so.txt không phải tệp .xlsx hoặc .csv."),
    ("so.xls", b"\xd0\xcf\x11\xe0", "Tệp: so.xls là tệp Excel đời cũ (.xls)"),
    ("hong.xlsx", b"PK\x03\x04 not really a zip", "Tệp: không đọc được hong.xlsx như một tệp Excel .xlsx"),
    ("cp1258.csv", b"Ng\xe0y \xf0\xe9n;S\xf4 \xf0\xe9n\n", "Tệp: cp1258.csv không phải văn bản mã UTF-8"),
    ("trong.csv", b"", "Tệp: không tìm thấy dòng tiêu đề cột trong 20 dòng đầu của trong.csv"),
    ("khong-tieu-de.csv", b"a;b\n1;2\n", "không tìm thấy dòng tiêu đề cột"),
    ("thieu-cot.csv", "Ngày đến;Số đến;Tác giả;Tên loại;Trích yếu\n".encode(),
     "Cột Số, ký hiệu văn bản: không có trong dòng tiêu đề (dòng 1) của thieu-cot.csv.\n"
     "Cột Ngày tháng văn bản: không có"),
    ("chi-tieu-de.csv", ";".join(INCOMING_HEAD).encode(), "không có dòng văn bản nào dưới dòng tiêu đề (dòng 1)"),
]


def test_bad_files_are_refused_naming_the_problem(target: Registry, tmp_path: Path) -> None:
    for name, content, message in _BAD_FILES:  # one register for all: each refusal must leave it untouched
        with pytest.raises(ValidationError) as caught:
            target.transfer.import_register(_bad_file(tmp_path, name, content))
        assert message in str(caught.value), name
    _no_entries(target)


def test_the_book_must_be_named_when_the_headings_do_not_show_it(target: Registry, tmp_path: Path) -> None:
    path = _bad_file(tmp_path, "mo-ho.csv", "Số, ký hiệu văn bản;Ngày tháng văn bản;Tên loại\n1/X;01/01/2020;A\n"
                     .encode())
    with pytest.raises(ValidationError, match="hãy ghi rõ --book incoming hoặc --book outgoing"):
        target.transfer.import_register(path)
    with pytest.raises(ValidationError, match="'copy' không hợp lệ"):
        target.transfer.import_register(path, "copy")


# ------------------------------------------------------------------------------------------------ atomic export


def test_a_refused_export_leaves_no_file(state_registry: Registry, tmp_path: Path) -> None:
    _fill(state_registry)
    incoming = state_registry.documents.list(Direction.INCOMING, YEAR)
    outgoing = state_registry.documents.list(Direction.OUTGOING, YEAR)
    existing = tmp_path / "cu.xlsx"
    existing.write_bytes(b"old content")
    with pytest.raises(ValidationError, match="văn bản đến và văn bản đi xuất ra hai tệp riêng"):
        state_registry.transfer.export_xlsx([incoming[0].id, outgoing[0].id], existing)
    assert existing.read_bytes() == b"old content"  # replaced whole or not at all
    with pytest.raises(ValidationError, match="cần có đuôi .xlsx"):
        state_registry.transfer.export_xlsx(_query(Direction.INCOMING), tmp_path / "so.csv")
    with pytest.raises(NotFoundError):
        state_registry.transfer.export_xlsx([], tmp_path / "rong.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir() if "xlsx" in p.name) == ["cu.xlsx"]  # no temp file left
    # Ids in the order given, both years of a book allowed; the title then names no year.
    path, rows = state_registry.transfer.export_xlsx([incoming[2].id, incoming[0].id], tmp_path / "chon.xlsx")
    sheet = openpyxl.load_workbook(path).active
    assert rows == 2 and [sheet["C3"].value, sheet["C4"].value] == [3, 1] and sheet.title == "Sổ đến"


def _records(reg: Registry, direction: Direction) -> list[DocumentRecord]:
    return reg.documents.list(direction, YEAR)


def test_a_party_register_keeps_its_per_type_numbers(party_registry: Registry, tmp_path: Path) -> None:
    for doc_type, subject in (("Kế hoạch", "Kiểm tra"), ("Công văn", "Đôn đốc"), ("Kế hoạch", "Tuyên truyền")):
        party_registry.documents.register_outgoing(OutgoingInput(doc_type=doc_type, subject=subject, signer="Lê D",
                                                       authority="T/M", signed_on=f"10/05/{YEAR}"))
    path, _rows = party_registry.transfer.export_xlsx(_query(Direction.OUTGOING), tmp_path / "tu.xlsx")
    target = Registry(str(tmp_path / "tu.sqlite3"), actor="van_thu_moi")
    try:
        for key, value in (("agency.name", "TỈNH ỦY TÂY NINH"), ("agency.abbreviation", "TU"),
                           ("agency.family", "party")):
            target.settings.set(key, value)
        report = target.transfer.import_register(path)
        assert report.ok, report.errors
        assert report.ranges == (f"năm {YEAR}, loại KH: số 1–2", f"năm {YEAR}, loại CV: số 1")
        assert _entries(target, Direction.OUTGOING) == _entries(party_registry, Direction.OUTGOING)
        assert [d.reference for d in _records(target, Direction.OUTGOING)] == ["01-CV/TU", "01-KH/TU", "02-KH/TU"]
    finally:
        target.close()
