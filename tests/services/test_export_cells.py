"""Every workbook the app writes holds what users typed as text, never as a formula (issue 17, item 4)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.cell import Cell
from openpyxl.workbook.workbook import Workbook

from app.core.dates import today
from app.core.enums import Direction
from app.core.records import DocumentQuery, IncomingInput, OutgoingInput
from app.services import Registry
from app.spreadsheets.cells import FORMULA_TRIGGERS, csv_text

YEAR = today().year - 1  # every date in the past, whatever day the tests run
# What a sender's letterhead or a clerk's typing can start with: formulas, DDE-style calls, error codes. The
# leading tab and CR are trimmed by registration like any surrounding blank; what is stored must come out as is.
HOSTILE = ("=1+2", "+1", "-1+1", "@SUM(A1)", '=HYPERLINK("http://x","y")', "\t=3*4", "\r=5*6", "#N/A",
           "=cmd|'/C calc'!A0")
STORED = tuple(h.strip() for h in HOSTILE)
AGENCY = '=HYPERLINK("http://x","SỞ Y TẾ")'
# Register columns filled from a document's fields, every one of them with the document's hostile text.
INCOMING_TEXT = ("Tác giả", "Số, ký hiệu văn bản", "Tên loại", "Trích yếu nội dung văn bản", "Đơn vị hoặc người nhận",
                 "Ý kiến chỉ đạo", "Số và ký hiệu hồ sơ", "Ghi chú")
OUTGOING_TEXT = ("Tên loại", "Trích yếu nội dung văn bản", "Người ký", "Chức vụ người ký", "Nơi nhận văn bản",
                 "Đơn vị, người nhận bản lưu", "Số và ký hiệu hồ sơ", "Ghi chú", "Lý do hủy")


def _abbreviation(index: int) -> str:
    return "QX" + chr(ord("A") + index)


def _fill(reg: Registry) -> None:
    """One incoming and one outgoing entry per hostile text, the text in every field it may go into: issuer,
    reference, type, subject, unit (as recipient), directive, file code, note; signer, title, recipients, archive
    holder, cancellation reason. One secret entry too, for the secret book and its report."""
    reg.settings.set("agency.name", AGENCY)
    for index, text in enumerate(HOSTILE):
        reg.types.save(text, _abbreviation(index))
        reg.directory.add_department(text)
        doc = reg.documents.register_incoming(IncomingInput(
            issuer=text, reference=text, issued_on=f"02/03/{YEAR}", received_on=f"03/03/{YEAR}", doc_type=text,
            subject=text, note=text, file_code=text))
        reg.routing.route(doc.id, text.strip(), deadline=date(YEAR, 3, 20), directive=text,
                          directed_at=date(YEAR, 3, 4))
        out = reg.documents.register_outgoing(OutgoingInput(
            doc_type=text, subject=text, unit="VP", signer=text, signer_title=text, recipients=text,
            archive_holder=text, note=text, file_code=text, signed_on=f"04/03/{YEAR}"))
        reg.documents.cancel(out.id, text)
    reg.documents.register_incoming(IncomingInput(
        issuer=HOSTILE[4], reference="@mật", issued_on=f"02/03/{YEAR}", received_on=f"05/03/{YEAR}",
        doc_type=HOSTILE[0], subject=HOSTILE[3], secrecy="Mật"))


def _query(direction: Direction, secret: bool = False) -> DocumentQuery:
    return DocumentQuery(direction=direction, year=YEAR, secret=secret, sort="number", descending=False)


def _cells(book: Workbook) -> list[Cell]:
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def _assert_no_formula(path: Path) -> Workbook:
    """The whole workbook: no cell is a formula (or an error value); every text is a string cell, and a text that
    starts like a formula is marked quotePrefix so that Excel keeps it text when the cell is edited."""
    book = openpyxl.load_workbook(path)
    for cell in _cells(book):
        where = f"{path.name} {cell.parent.title}!{cell.coordinate} = {cell.value!r}"
        assert cell.data_type not in ("f", "e"), where
        if isinstance(cell.value, str):
            assert cell.data_type == "s", where
            assert cell.quotePrefix == cell.value.startswith(FORMULA_TRIGGERS), where
    return book


def _table(book: Workbook) -> list[dict[str, Any]]:
    """The register sheet's rows (title in row 1, headings in row 2) keyed by heading."""
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    return [dict(zip(rows[1], row, strict=True)) for row in rows[2:]]


def test_every_workbook_keeps_hostile_text_as_text(state_registry: Registry, tmp_path: Path) -> None:
    reg = state_registry
    _fill(reg)
    for direction, columns in ((Direction.INCOMING, INCOMING_TEXT), (Direction.OUTGOING, OUTGOING_TEXT)):
        path, written = reg.transfer.export_xlsx(_query(direction), tmp_path / f"{direction.value}.xlsx")
        assert written == len(HOSTILE)
        book = _assert_no_formula(path)
        assert book.worksheets[0]["A1"].value.startswith('=HYPERLINK("HTTP://X","SỞ Y TẾ")')
        rows = _table(book)
        assert [r["Trích yếu nội dung văn bản"] for r in rows] == list(STORED)
        recipients = {d.subject: "; ".join(d.recipients) for d in reg.documents.list(direction, YEAR)}
        for row in rows:
            text = row["Trích yếu nội dung văn bản"]
            expected = dict.fromkeys(columns, text)
            if "Nơi nhận văn bản" in expected:  # a leading "-" or "+" is a list bullet of Nơi nhận, dropped
                expected["Nơi nhận văn bản"] = recipients[text]
            assert {c: row[c] for c in columns} == expected

    path, written = reg.transfer.export_xlsx(_query(Direction.INCOMING, secret=True), tmp_path / "secret.xlsx")
    (row,) = _table(_assert_no_formula(path))
    assert written == 1 and (row["Tác giả"], row["Số, ký hiệu văn bản"], row["Tên loại"],
                             row["Trích yếu nội dung văn bản"]) == (HOSTILE[4], "@mật", HOSTILE[0], HOSTILE[3])
    ids = [d.id for d in reg.documents.list(Direction.INCOMING, YEAR)]  # a selection on screen, in its order
    path, written = reg.transfer.export_xlsx(ids[::-1], tmp_path / "selection.xlsx")
    assert [r["Tác giả"] for r in _table(_assert_no_formula(path))] == list(STORED[::-1])

    for secret in (False, True):
        path = reg.reports.export_xlsx(YEAR, tmp_path / f"report-{secret}.xlsx", on=date(YEAR, 6, 1), secret=secret)
        book = _assert_no_formula(path)
        labels = {sheet.title: {c.value for c in sheet["A"]} for sheet in book.worksheets}
        expected = {HOSTILE[4]} if secret else set(STORED)
        assert expected <= labels["Theo cơ quan ban hành"], labels
        assert ({HOSTILE[0]} if secret else set(STORED)) <= labels["Theo loại văn bản"], labels
        if not secret:
            assert set(STORED) <= labels["Theo đơn vị"], labels
        assert all(isinstance(c.value, int) for c in book["Theo loại văn bản"]["B"][4:]), "figures stay numbers"


def test_the_register_reads_its_hostile_export_back(state_registry: Registry, tmp_path: Path) -> None:
    _fill(state_registry)
    target = Registry(str(tmp_path / "target.sqlite3"), actor="van_thu_moi")
    try:
        target.settings.set("agency.abbreviation", "SYT")
        for index, text in enumerate(HOSTILE):
            target.types.save(text, _abbreviation(index))
        for direction in (Direction.INCOMING, Direction.OUTGOING):
            path, _ = state_registry.transfer.export_xlsx(_query(direction), tmp_path / f"{direction.value}.xlsx")
            report = target.transfer.import_register(path)
            assert report.ok and report.rows_imported == len(HOSTILE), report.errors
            fields = ("issuer", "reference", "doc_type", "subject", "note", "file_code", "recipient_text",
                      "directive", "signer", "signer_title", "recipients", "archive_holder", "cancel_reason")
            assert [[getattr(d, f) for f in fields] for d in target.documents.list(direction, YEAR)] == \
                [[getattr(d, f) for f in fields] for d in state_registry.documents.list(direction, YEAR)]
    finally:
        target.close()


@pytest.mark.parametrize(("text", "written"), [
    ("=1+2", "'=1+2"), ("+1", "'+1"), ("-1+1", "'-1+1"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"), ("Công văn =1+2", "Công văn =1+2"), ("", ""), ("#N/A", "#N/A"),
])
def test_a_csv_field_never_starts_a_formula(text: str, written: str) -> None:
    assert csv_text(text) == written
