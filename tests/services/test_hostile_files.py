"""Hostile spreadsheets on import, built in the test: cut sheets, zip bombs, lying sizes, a million empty rows, a
megabyte cell, bad CSV bytes. Each is refused with a clear Vietnamese message and the register stays empty."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
import tracemalloc
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from app.core.dates import today
from app.core.enums import Direction
from app.core.errors import ValidationError
from app.core.records import IncomingInput
from app.services import Registry
from app.services.backup import MANIFEST
from app.services.registry import restore
from tests.services.zip_craft import Member, deflated, write_zip

YEAR = today().year - 1
HEAD = ["Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu văn bản", "Ngày tháng văn bản", "Tên loại",
        "Trích yếu nội dung văn bản"]
SHEET = "xl/worksheets/sheet1.xml"
_XML_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.'
             b'openxmlformats.org/spreadsheetml/2006/main">')


def _row(number: int) -> list[object]:
    day = f"{(number % 27) + 1:02d}/02/{YEAR}"
    return [day, number, "SỞ TÀI CHÍNH", f"{number}/STC-NS", day, "Công văn", f"Văn bản số {number}"]


@pytest.fixture(scope="module")
def parts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The members of a sound workbook of 60 rows, to be reassembled with one of them spoilt."""
    path = tmp_path_factory.mktemp("book") / "so.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEAD)
    for number in range(1, 61):
        sheet.append(_row(number))
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _with_sheet(parts: dict[str, bytes], path: Path, sheet: bytes | Member | None) -> Path:
    """The workbook with its sheet replaced (bytes, a crafted member) or left out (None)."""
    members = [deflated(n, [(d, 1)]) for n, d in parts.items() if n != SHEET]
    if sheet is not None:
        members.append(sheet if isinstance(sheet, Member) else deflated(SHEET, [(sheet, 1)]))
    return write_zip(path, members)


def _rows_xml(rows: bytes, dimension: str | None = None) -> bytes:
    head = b"".join(f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>'.encode()
                    for i, h in enumerate(HEAD))
    dim = f'<dimension ref="{dimension}"/>'.encode() if dimension else b""
    return _XML_HEAD + dim + b'<sheetData><row r="1">' + head + b"</row>" + rows + b"</sheetData></worksheet>"


def _untouched(reg: Registry) -> None:
    assert reg.documents.list(Direction.INCOMING, YEAR) == []
    assert reg.books.list() == []
    assert [e for e in reg.audit.events(limit=100) if e.entity in ("document", "register", "organization")] == []


@dataclass
class Cost:
    seconds: float = 0.0
    peak_mb: float = 0.0


@contextmanager
def measured() -> Iterator[Cost]:
    """Wall time and the peak of Python's allocations (tracemalloc: openpyxl's and the XML parser's buffers)."""
    cost = Cost()
    tracemalloc.start()
    start = time.perf_counter()
    try:
        yield cost
    finally:
        cost.seconds = time.perf_counter() - start
        cost.peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        print(f"cost: {cost.seconds:.2f} s, peak {cost.peak_mb:.1f} MB")


def _refused(reg: Registry, path: Path, *expected: str, dry_run: bool = False) -> str:
    with pytest.raises(ValidationError) as caught:
        reg.transfer.import_register(path, "incoming", dry_run=dry_run)
    message = str(caught.value)
    for part in expected:
        assert part in message, message
    _untouched(reg)
    return message


# ------------------------------------------------------------------------------------------------ broken sheets


def test_a_sound_workbook_imports(registry: Registry, parts: dict[str, bytes], tmp_path: Path) -> None:
    report = registry.transfer.import_register(_with_sheet(parts, tmp_path / "so.xlsx", parts[SHEET]), "incoming")
    assert report.ok and report.rows_imported == 60


@pytest.mark.parametrize("cut", ["half", "inside a tag"])
def test_a_sheet_cut_short_is_refused_and_nothing_is_kept(registry: Registry, parts: dict[str, bytes],
                                                          tmp_path: Path, cut: str) -> None:
    sheet = parts[SHEET]
    # Cut after 40 good rows have been read (and registered in the transaction that must then roll back).
    end = len(sheet) // 2 if cut == "half" else sheet.index(b'<c r="B45"') + len(b'<c r="B4')
    message = _refused(registry, _with_sheet(parts, tmp_path / "cut.xlsx", sheet[:end]),
                       "Tệp Excel bị hỏng hoặc không đọc hết được: cut.xlsx")
    assert "line 1, column" in message  # the parser's own words say where the sheet stops


def test_a_missing_sheet_or_a_broken_zip_is_refused(registry: Registry, parts: dict[str, bytes],
                                                    tmp_path: Path) -> None:
    _refused(registry, _with_sheet(parts, tmp_path / "thieu.xlsx", None), "thieu.xlsx không có trang tính nào")
    whole = _with_sheet(parts, tmp_path / "nguyen.xlsx", parts[SHEET]).read_bytes()
    (tmp_path / "nua.xlsx").write_bytes(whole[:len(whole) // 2])  # a download cut short: no zip directory
    _refused(registry, tmp_path / "nua.xlsx", "không đọc được nua.xlsx như một tệp Excel .xlsx",
             "không phải tệp nén zip")
    (tmp_path / "rac.xlsx").write_bytes(os.urandom(4096))
    _refused(registry, tmp_path / "rac.xlsx", "không đọc được rac.xlsx như một tệp Excel .xlsx")


def test_a_sheet_that_inflates_beyond_its_declared_size_is_refused(registry: Registry, parts: dict[str, bytes],
                                                                   tmp_path: Path) -> None:
    sheet = parts[SHEET]
    lying = deflated(SHEET, [(sheet, 1)], declared=len(sheet) // 3)
    _refused(registry, _with_sheet(parts, tmp_path / "doi.xlsx", lying), "doi.xlsx", "bị hỏng ở thành phần " + SHEET)


def test_links_and_twice_named_parts_are_refused(registry: Registry, parts: dict[str, bytes],
                                                 tmp_path: Path) -> None:
    link = Member(**{**deflated(SHEET, [(b"/etc/passwd", 1)]).__dict__, "external_attr": 0o120777 << 16})
    _refused(registry, _with_sheet(parts, tmp_path / "link.xlsx", link), "thành phần " + SHEET,
             "liên kết (symlink)")
    members = [deflated(n, [(d, 1)]) for n, d in parts.items()] + [deflated(SHEET, [(parts[SHEET], 1)])]
    _refused(registry, write_zip(tmp_path / "hai.xlsx", members), "có hai thành phần cùng tên " + SHEET)


# ------------------------------------------------------------------------------------------------ bombs


def _spaces_bomb(size_mb: int) -> Member:
    """A sheet with `size_mb` MB of spaces between two rows: deflate packs it about 1000:1."""
    body = _rows_xml(b"")
    cut = body.index(b"</sheetData>")
    return deflated(SHEET, [(body[:cut], 1), (b" " * 2**20, size_mb), (body[cut:], 1)])


def test_a_whitespace_bomb_is_refused_before_it_is_inflated(registry: Registry, parts: dict[str, bytes],
                                                            tmp_path: Path) -> None:
    path = _with_sheet(parts, tmp_path / "bom.xlsx", _spaces_bomb(3 * 1024))  # 3 GB of spaces
    assert path.stat().st_size < 4 * 2**20
    with measured() as cost:
        _refused(registry, path, "bom.xlsx", f"thành phần {SHEET} bung ra 3 GB, quá giới hạn 512 MB")
    assert cost.seconds < 5 and cost.peak_mb < 50  # before the guard: 54 s and 3.2 GB, then imported


def test_a_bomb_under_the_size_cap_is_refused_by_its_ratio(registry: Registry, parts: dict[str, bytes],
                                                           tmp_path: Path) -> None:
    with measured() as cost:
        _refused(registry, _with_sheet(parts, tmp_path / "bom.xlsx", _spaces_bomb(400)), "hơn 100 lần")
    assert cost.seconds < 5 and cost.peak_mb < 50


def test_a_bomb_packed_loosely_is_refused_by_its_long_text(registry: Registry, parts: dict[str, bytes],
                                                           tmp_path: Path) -> None:
    """Noise in the spaces keeps the ratio under 100:1; the guard still sees 300 MB with no tag in it."""
    noise = os.urandom(64 * 1024).replace(b"<", b"x")
    body = _rows_xml(b"")
    cut = body.index(b"</sheetData>")
    sheet = deflated(SHEET, [(body[:cut], 1), (b" " * 4 * 2**20 + noise, 75), (body[cut:], 1)])
    assert sheet.size < 100 * len(sheet.data)
    with measured() as cost:
        _refused(registry, _with_sheet(parts, tmp_path / "bom.xlsx", sheet), "không có thẻ XML nào")
    assert cost.seconds < 10 and cost.peak_mb < 50


# ------------------------------------------------------------------------------------------------ rows and cells


def _empty_rows(count: int, cell: str) -> bytes:
    return b"".join(f'<row r="{n}" spans="1:7">{cell.format(n=n)}</row>'.encode() for n in range(2, count + 2))


@pytest.mark.parametrize("kind", ["styled cells", "a space in each"])
def test_a_million_empty_rows_are_refused_quickly(registry: Registry, parts: dict[str, bytes], tmp_path: Path,
                                                  kind: str) -> None:
    """Styled empty cells and no <dimension> (openpyxl would parse the whole sheet at open, twice): refused from
    the XML before. A space in each cell passes that count: refused after 50,000 such rows in a row."""
    if kind == "styled cells":
        sheet = _rows_xml(_empty_rows(1_000_000, '<c r="A{n}" s="1"/><c r="B{n}" s="1"/>'))
    else:
        sheet = _rows_xml(_empty_rows(1_000_000, '<c r="G{n}" t="inlineStr"><is><t> </t></is></c>'), "A1:G1000001")
    path = _with_sheet(parts, tmp_path / "trong.xlsx", sheet)
    with measured() as cost:
        message = _refused(registry, path, "trong.xlsx", "dòng trống", "quá 50.000 dòng")
    assert ("50.001 dòng trống liền nhau (đến dòng 50.002)" in message) == (kind != "styled cells"), message
    assert cost.seconds < 30 and cost.peak_mb < 500


def test_a_row_a_million_rows_down_is_read(registry: Registry, parts: dict[str, bytes], tmp_path: Path) -> None:
    """The rows a sheet skips cost nothing: an entry at row 1,000,000 is found (and imported)."""
    cells = "".join(f'<c r="{chr(65 + i)}1000000" t="inlineStr"><is><t>{v}</t></is></c>'
                    for i, v in enumerate(_row(1)))
    path = _with_sheet(parts, tmp_path / "xa.xlsx", _rows_xml(f'<row r="1000000">{cells}</row>'.encode()))
    with measured() as cost:
        report = registry.transfer.import_register(path, "incoming", dry_run=True)
    assert report.ok and report.rows_read == 1
    assert cost.seconds < 30 and cost.peak_mb < 500


def test_a_row_past_excels_last_row_is_refused(registry: Registry, parts: dict[str, bytes], tmp_path: Path) -> None:
    path = _with_sheet(parts, tmp_path / "qua.xlsx", _rows_xml(b'<row r="2000000000"><c r="A2000000000"><v>1</v>'
                                                               b"</c></row>"))
    with measured() as cost:
        _refused(registry, path, "qua.xlsx có dòng 1.048.577, quá số dòng tối đa của một trang Excel (1.048.576)")
    assert cost.seconds < 30 and cost.peak_mb < 500


def test_a_megabyte_cell_is_refused_naming_its_row_and_column(registry: Registry, parts: dict[str, bytes],
                                                              tmp_path: Path) -> None:
    def row(number: int, values: list[object]) -> str:  # openpyxl would cut a cell to Excel's 32,767
        return f'<row r="{number}">' + "".join(f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>'
                                               for i, v in enumerate(values)) + "</row>"

    rows = row(2, _row(1)) + row(3, _row(2)[:6] + ["x" * 1_000_000])
    _refused(registry, _with_sheet(parts, tmp_path / "o.xlsx", _rows_xml(rows.encode())),
             "Trích yếu nội dung văn bản: dòng 3, cột G: ô dài 1.000.000 ký tự, một ô tối đa 10.000 ký tự.")
    lines = [";".join(HEAD), ";".join(map(str, _row(1))), ";".join(map(str, _row(2)[:6])) + ";" + "y" * 20_000]
    (tmp_path / "o.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _refused(registry, tmp_path / "o.csv", "dòng 3, cột G: ô dài 20.000 ký tự")


# ------------------------------------------------------------------------------------------------ CSV


def test_hostile_csv_files_are_refused(registry: Registry, tmp_path: Path) -> None:
    """Dry runs: 4,000 good rows come first (past the 256 KB sample), and registering them would take long."""
    good = "\n".join([";".join(HEAD)] + [";".join(map(str, _row(n))) for n in range(1, 4000)]) + "\n"
    (tmp_path / "byte.csv").write_bytes(good.encode() + b"4;\xff\xfe;x\n")  # past the 256 KB sample
    _refused(registry, tmp_path / "byte.csv", "byte.csv không phải văn bản mã UTF-8 (gặp byte 0xFF", dry_run=True)
    (tmp_path / "dong.csv").write_bytes(good.encode() + b"a" * (2 * 2**20))  # a 2 MB line, no field breaks
    _refused(registry, tmp_path / "dong.csv", "dong.csv có một dòng dài hơn 1.048.576 ký tự", dry_run=True)
    (tmp_path / "o.csv").write_bytes(good.encode() + b'"' + b"z" * 200_000 + b'"\n')
    _refused(registry, tmp_path / "o.csv", "o.csv, dòng 4001: có ô dài hơn 131.072 ký tự", dry_run=True)
    many = good.encode() + b'"a\n";' * 1_000_000  # one record of a million quoted fields over many lines
    (tmp_path / "nhieu.csv").write_bytes(many)
    _refused(registry, tmp_path / "nhieu.csv", "nhieu.csv có một bản ghi (nhiều dòng nối nhau trong ngoặc kép) dài hơn "
             "4.194.304 ký tự", dry_run=True)
    with (tmp_path / "lon.csv").open("wb") as handle:  # sparse: 600 MB on paper, nothing on disk
        handle.write(good.encode())
        handle.truncate(600 * 2**20)
    _refused(registry, tmp_path / "lon.csv", "lon.csv nặng 600 MB, tệp CSV tối đa 512 MB.")


# ------------------------------------------------------------------------------------------------ backups

DB_MEMBER = "register.sqlite3"


def _tables(db: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(db)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {n: sorted(conn.execute(f'SELECT * FROM "{n}"'), key=repr) for n in names}
    finally:
        conn.close()


@pytest.fixture
def good_backup(registry: Registry, tmp_path: Path) -> dict[str, bytes]:
    """The members of a real backup of a register holding one entry (the register is then closed)."""
    registry.documents.register_incoming(IncomingInput(
        issuer="SỞ TÀI CHÍNH", reference="1/STC-NS", issued_on=f"01/02/{YEAR}", received_on=f"02/02/{YEAR}",
        doc_type="Công văn", subject="Về việc kiểm tra"))
    path = Path(registry.backups.create(tmp_path / "good.vanthu").path)
    registry.close()
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _backup_with(parts: dict[str, bytes], path: Path, extra: dict[str, tuple[bytes, int]] | None = None,
                 replace: dict[str, bytes] | None = None, twice: str | None = None) -> Path:
    """The backup with members replaced or added (data, Unix mode), the manifest's hashes and sizes kept true."""
    members = {**parts, **(replace or {})}
    manifest = json.loads(members.pop(MANIFEST))
    modes = {name: 0o100644 for name in members}
    for name, (data, mode) in (extra or {}).items():
        members[name], modes[name] = data, mode
    for name, data in members.items():
        manifest["members"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    crafted = [Member(**{**deflated(n, [(d, 1)]).__dict__, "external_attr": modes[n] << 16})
               for n, d in members.items()]
    crafted += [deflated(twice, [(members[twice], 1)])] if twice else []
    return write_zip(path, [*crafted, deflated(MANIFEST, [(json.dumps(manifest).encode(), 1)])])


def _restore_refused(db_path: Path, bad: Path, *expected: str) -> None:
    before, around = _tables(db_path), sorted(p.name for p in db_path.parent.iterdir())
    with pytest.raises(ValidationError) as caught:
        restore(str(db_path), bad)
    for part in expected:
        assert part in str(caught.value), str(caught.value)
    assert _tables(db_path) == before  # the register unchanged, nothing beside it added (no backup of it made)
    assert sorted(p.name for p in db_path.parent.iterdir()) == around


def test_a_backup_member_that_is_a_link_is_refused(good_backup: dict[str, bytes], db_path: Path,
                                                   tmp_path: Path) -> None:
    name = f"attachments/ab/{'ab' * 32}.pdf"
    bad = _backup_with(good_backup, tmp_path / "link.vanthu", extra={name: (b"../../../../etc/passwd", 0o120777)})
    _restore_refused(db_path, bad, "link.vanthu có thành phần " + name, "là liên kết (symlink)")
    bad = _backup_with(good_backup, tmp_path / "fifo.vanthu", extra={name: (b"", 0o010644)})
    _restore_refused(db_path, bad, "không phải tệp thường")


def test_a_backup_member_named_twice_is_refused(good_backup: dict[str, bytes], db_path: Path,
                                                tmp_path: Path) -> None:
    bad = _backup_with(good_backup, tmp_path / "hai.vanthu", twice=DB_MEMBER)
    _restore_refused(db_path, bad, "hai.vanthu có hai thành phần cùng tên register.sqlite3")


def test_a_backup_database_that_is_not_sqlite_is_refused(good_backup: dict[str, bytes], db_path: Path,
                                                         tmp_path: Path) -> None:
    fake = b"SQLite format 2\x00" + good_backup[DB_MEMBER][16:]
    bad = _backup_with(good_backup, tmp_path / "gia.vanthu", replace={DB_MEMBER: fake})
    _restore_refused(db_path, bad, "gia.vanthu: register.sqlite3 không phải cơ sở dữ liệu SQLite")


def test_a_backup_member_past_the_cap_is_refused_before_it_inflates(good_backup: dict[str, bytes], db_path: Path,
                                                                    tmp_path: Path) -> None:
    bad = tmp_path / "lon.vanthu"
    with zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in good_backup.items():
            archive.writestr(name, data)
        archive.getinfo(DB_MEMBER).file_size = 40 * 2**30  # the directory (zip64) now says 40 GB
    with measured() as cost:
        _restore_refused(db_path, bad, "lon.vanthu có thành phần register.sqlite3 bung ra 40 GB, quá giới hạn 32 GB")
    assert cost.seconds < 5 and cost.peak_mb < 50


def test_a_backup_member_inflating_past_its_declared_size_is_refused(good_backup: dict[str, bytes],
                                                                     db_path: Path, tmp_path: Path) -> None:
    """The directory and the manifest both say a third of the size: the read stops there and fails its CRC."""
    data = good_backup[DB_MEMBER]
    manifest = json.loads(good_backup[MANIFEST])
    manifest["members"][DB_MEMBER]["size"] = len(data) // 3
    members = [deflated(n, [(d, 1)]) for n, d in good_backup.items() if n not in (MANIFEST, DB_MEMBER)]
    members += [deflated(DB_MEMBER, [(data, 1)], declared=len(data) // 3),
                deflated(MANIFEST, [(json.dumps(manifest).encode(), 1)])]
    bad = write_zip(tmp_path / "doi.vanthu", members)
    _restore_refused(db_path, bad, "doi.vanthu bị hỏng ở thành phần register.sqlite3")


def test_a_manifest_bomb_is_refused_without_inflating_it(good_backup: dict[str, bytes], db_path: Path,
                                                         tmp_path: Path) -> None:
    members = [deflated(n, [(d, 1)]) for n, d in good_backup.items() if n != MANIFEST]
    members.append(deflated(MANIFEST, [(b"{", 1), (b" " * 2**20, 1024), (b"}", 1)]))  # 1 GB of spaces
    bad = write_zip(tmp_path / "bom.vanthu", members)
    with measured() as cost:
        _restore_refused(db_path, bad, "bom.vanthu không phải là bản sao lưu của Sổ Văn Thư (manifest.json bung "
                         "ra 1 GB, tối đa 64 MB)")
    assert cost.seconds < 5 and cost.peak_mb < 50


# ------------------------------------------------------------------------------------------------ control characters

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_an_attachment_name_loses_its_control_characters(registry: Registry, tmp_path: Path) -> None:
    doc = registry.documents.register_incoming(IncomingInput(
        issuer="SỞ TÀI CHÍNH", reference="1/STC-NS", issued_on=f"01/02/{YEAR}", received_on=f"02/02/{YEAR}",
        doc_type="Công văn", subject="Về việc kiểm tra"))
    scan = tmp_path / "a\nb\x1b[31mđỏ\u202e.pdf"  # a line break, a colour code, a right-to-left override
    scan.write_bytes(PDF)
    stored = registry.attachments.attach(doc.id, scan)
    assert stored.file_name == "a bđỏ.pdf"
    assert [a.file_name for a in registry.attachments.list(doc.id)] == ["a bđỏ.pdf"]
    empty = tmp_path / "\x1b[0m\x07.pdf"
    empty.write_bytes(PDF + b"2")
    assert registry.attachments.attach(doc.id, empty).file_name == "tệp.pdf"
    with pytest.raises(ValidationError) as caught:
        registry.attachments.attach(doc.id, tmp_path / "x\x1b[2Jy.pdf")  # missing: the message quotes the name
    assert "\x1b" not in str(caught.value) and "xy.pdf" in str(caught.value)


def test_typed_and_imported_text_loses_escape_codes(registry: Registry, tmp_path: Path) -> None:
    typed = registry.documents.register_incoming(IncomingInput(
        issuer="SỞ\x1b[1m TÀI CHÍNH\x00", reference="1/STC-NS", issued_on=f"01/02/{YEAR}",
        received_on=f"02/02/{YEAR}", doc_type="Công văn", subject="Về việc\x1b]0;pwned\x07 kiểm\x9b31m tra\x7f"))
    assert (typed.issuer, typed.subject) == ("SỞ TÀI CHÍNH", "Về việc kiểm tra")
    row = _row(2)
    row[6] = "\x1b[31mĐỏ\x1b[0m\tgấp\x85"
    (tmp_path / "mau.csv").write_text(";".join(HEAD) + "\n" + ";".join(map(str, row)) + "\n", encoding="utf-8")
    assert registry.transfer.import_register(tmp_path / "mau.csv", "incoming").ok
    assert registry.documents.find(Direction.INCOMING, 2, YEAR).subject == "Đỏ gấp"
