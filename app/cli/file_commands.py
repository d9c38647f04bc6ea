"""The register on paper and in spreadsheets: print (PDF), export and import (Excel), report."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING, Any

from app.cli import output
from app.cli.shared import date_option, find_document, wants_json
from app.core.dates import today
from app.core.errors import ValidationError, VanThuError
from app.services.attachment_text import OCR, AttachedText
from app.services.printouts import BOOK_KINDS, RegisterRange

if TYPE_CHECKING:
    from app.services import Registry


def cmd_print(reg: Registry, args: argparse.Namespace) -> None:
    """Every printout goes to a PDF written whole or not at all (no partial file on a refusal)."""
    if args.action == "register":
        year = args.year or today().year
        register = RegisterRange(
            kind=args.book, year=year, date_from=date_option(args.date_from, "date_from", "Từ ngày"),
            date_to=date_option(args.date_to, "date_to", "Đến ngày"), number_from=args.from_number,
            number_to=args.to_number, secret=args.secret, book_number=args.book_number)
        path, entries, pages = reg.printouts.register(register, args.output)
        done = f"Đã in {BOOK_KINDS[args.book].lower()} năm {year}: {entries} văn bản, {pages} trang"
        if wants_json(args):
            output.emit_json({"file": str(path), "entries": entries, "pages": pages})
        else:
            output.say(f"{done} → {path}")
        return
    if args.action == "handover":
        unit, ids = reg.routing.awaiting_handover(args.unit)
        path = reg.printouts.handover(unit, None, args.output)
        if wants_json(args):
            output.emit_json({"file": str(path), "unit": unit, "documents": ids})
        else:
            output.say(f"Đã in sổ chuyển giao cho {unit}: {len(ids)} văn bản → {path}")
        return
    doc = find_document(reg, args)
    if args.action == "stamp":
        path = reg.printouts.stamps([doc.id], args.output, sheet=args.sheet)
        what = "dấu ĐẾN"
    elif args.action == "stamp-scan":
        path = reg.printouts.stamp_on_scan(doc.id, args.scan, args.output)
        what = "bản quét có dấu ĐẾN"
    elif args.action == "slip":
        path = reg.printouts.slip(doc.id, args.output)
        what = "phiếu giải quyết"
    else:
        path = reg.printouts.receipt([doc.id], args.output, args.sender)
        what = "giấy biên nhận"
    if wants_json(args):
        output.emit_json({"file": str(path), "document": doc.id})
    else:
        output.say(f"Đã in {what} của số đến {doc.number}/{doc.year} → {path}")


def text_note(read: AttachedText) -> str:
    """What the attachment adds to search, in a line."""
    if not read.text:
        return f"Không có nội dung để tìm kiếm: {read.problem}" if read.problem else "Tệp không có lớp chữ."
    how = f"nhận dạng chữ, độ tin cậy {read.confidence or 0:.0f}%" if read.source == OCR else "lớp chữ của tệp PDF"
    characters = f"{len(read.text):,}".replace(",", ".")  # Vietnamese thousands separator
    copy = " Đã kèm bản PDF có lớp chữ của bản quét." if read.searchable is not None else ""
    return f"Nội dung ({characters} ký tự, {how}) đã được đưa vào tìm kiếm.{copy}"


def cmd_attach(reg: Registry, args: argparse.Namespace) -> None:
    """Attach one file to an entry (checked and copied whole before the entry records it)."""
    doc = find_document(reg, args)
    reg.attachments.check(args.file)  # a refused file is said before seconds of reading it
    read = reg.attachments.read_text(args.file)
    attached = reg.attachments.attach(doc.id, args.file, read, signature_reason=args.accept_signature)
    if wants_json(args):
        check = reg.signatures.latest([attached.id]).get(attached.id)
        output.emit_json({**attached.to_dict(), "text_characters": len(read.text), "text_problem": read.problem,
                          "signature": check.to_dict() if check else None})
        return
    size = f"{attached.size:,}".replace(",", ".")  # Vietnamese thousands separator
    output.say(f"Đã đính kèm «{attached.file_name}» ({size} byte, SHA-256 {attached.sha256[:16]}…) vào "
               f"{output.summary(doc)}")
    output.say(text_note(read))
    say_signature(reg, attached.id)


def say_signature(reg: Registry, attachment_id: int) -> None:
    """The check stored with a PDF just attached, in a line (nothing for an image)."""
    check = reg.signatures.latest([attachment_id]).get(attachment_id)
    if check is not None:
        output.say(f"Kiểm tra chữ ký số: {check.verdict}" + (f" Đã xác nhận vẫn nhận, lý do: {check.confirmed_reason}"
                                                             if check.confirmed_reason else ""))


def cmd_export(reg: Registry, args: argparse.Namespace) -> None:
    """A book (a year, optionally a date range) to .xlsx, written whole or not at all."""
    from app.services.printouts import register_query

    year = args.year or today().year
    query = register_query(RegisterRange(
        kind=args.book, year=year, date_from=date_option(args.date_from, "date_from", "Từ ngày"),
        date_to=date_option(args.date_to, "date_to", "Đến ngày"), secret=args.secret))
    path, rows = reg.transfer.export_xlsx(query, args.xlsx)
    if wants_json(args):
        output.emit_json({"file": str(path), "book": args.book, "year": year, "rows": rows})
    else:
        book = BOOK_KINDS[args.book].lower() + (" (mật)" if args.secret else "")
        output.say(f"Đã xuất {book} năm {year}: {rows} văn bản → {path}")


def cmd_import(reg: Registry, args: argparse.Namespace) -> None:
    """An old register in: every row or none; each refusal on its own line ("Dòng 7, Ngày đến: …"), exit 2."""
    report = reg.transfer.import_register(args.file, args.book, args.dry_run)
    book = BOOK_KINDS[report.book].lower()
    if wants_json(args):
        output.emit_json(report)
    if not report.ok:
        if not wants_json(args):
            for error in report.errors:
                output.warn(str(error))
            if report.error_count > len(report.errors):
                output.warn(f"… và {report.error_count - len(report.errors)} lỗi khác.")
        raise ValidationError.single("file", "Tệp", f"không nhập văn bản nào vào {book}: {report.error_count} lỗi "
                                     f"trong {report.rows_read} dòng; sửa tệp rồi nhập lại.")
    if wants_json(args):
        return
    ranges = "; ".join(report.ranges)
    if report.dry_run:
        output.say(f"Kiểm tra xong, chưa ghi gì: {report.rows_read} dòng hợp lệ, sẽ vào {book} "
                   f"{report.rows_imported} văn bản ({ranges}).")
    else:
        output.say(f"Đã nhập {report.rows_imported} văn bản vào {book} ({ranges}) từ {report.file}.")
    if report.ignored_columns:
        output.warn(f"Các cột không thuộc sổ, không nhập: {', '.join(report.ignored_columns)}.")


def _report_text(table: Any) -> list[str]:
    """One dimension as an aligned text table: names left, figures right, the total row under a rule."""
    from app.core.report_records import format_count, format_rate

    def cell(value: Any, col: int) -> str:
        if col == table.rate_column:
            return format_rate(value)
        return format_count(value) if isinstance(value, int) else str(value)

    lines = [[str(h) for h in table.headers]]
    lines += [[cell(v, c) for c, v in enumerate(row)] for row in (*table.rows, table.total)]
    widths = [max(len(line[c]) for line in lines) for c in range(len(table.headers))]

    def join(line: list[str]) -> str:
        return "  ".join(text.ljust(widths[0]) if c == 0 else text.rjust(widths[c]) for c, text in enumerate(line))

    rule = "-" * (sum(widths) + 2 * (len(widths) - 1))
    body = [join(line) for line in lines[1:-1]]
    return [table.title.upper(), join(lines[0]), rule, *body, rule, join(lines[-1]),
            *([table.note] if table.note else [])]


def cmd_report(reg: Registry, args: argparse.Namespace) -> None:
    """Every option is checked before anything is read; the workbook is written whole or not at all."""
    from app.core.report_records import report_heading, report_tables
    from app.services.reports import check_request

    year = args.year or today().year
    on = date_option(args.on, "on", "Ngày tính") or today()
    check_request(year, args.by, args.top)
    if args.xlsx is not None and not args.xlsx.lower().endswith(".xlsx"):
        raise ValidationError.single("xlsx", "Tệp Excel", f"'{args.xlsx}' phải có đuôi .xlsx.")
    if args.xlsx is not None and os.path.isdir(args.xlsx):
        raise ValidationError.single("xlsx", "Tệp Excel", f"'{args.xlsx}' là một thư mục.")
    report = reg.reports.build(year, args.by, on, args.secret, args.top)
    if args.xlsx is not None:
        from app.spreadsheets.report_xlsx import write_report

        try:
            write_report(report, args.xlsx)
        except OSError as exc:
            raise VanThuError(f"Không ghi được tệp {args.xlsx}: {exc.strerror or exc}") from None
    if wants_json(args):
        output.emit_json({**report.to_dict(), **({"xlsx": args.xlsx} if args.xlsx else {})})
        return
    output.say(report_heading(report))
    for table in report_tables(report):
        output.say("")
        for line in _report_text(table):
            output.say(line)
    if args.xlsx:
        output.say(f"\nĐã ghi tệp Excel: {args.xlsx}")
