"""Command handlers and the CLI entry point: exit 0 done, 2 bad input, 3 duplicate refused, 1 unexpected."""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy.exc import DBAPIError

from app.cli import output
from app.cli.parser import build_parser
from app.cli.user_commands import cmd_user, sign_in
from app.core.dates import format_date, parse_date, parse_moment, today
from app.core.enums import BookCategory, Direction, DocumentStatus, LinkType, NumberingScope
from app.core.errors import DuplicateError, NotFoundError, ValidationError, VanThuError
from app.core.records import AssignmentRecord, DocumentQuery, DocumentRecord, IncomingInput, OutgoingInput
from app.core.text import fold
from app.db.safety import storage_error
from app.services import Registry
from app.services.deadline_rules import describe as describe_rule
from app.services.printouts import BOOK_KINDS, RegisterRange
from app.services.routing import INCOMING_STATUSES, UNIT_STATUSES

EXIT_OK, EXIT_UNEXPECTED, EXIT_BAD_INPUT, EXIT_DUPLICATE = 0, 1, 2, 3
_REQUIRED_INCOMING = (("--issuer", "issuer"), ("--reference", "reference"), ("--issued-on", "issued_on"),
                      ("--type", "doc_type"), ("--subject", "subject"))
_INCOMING_KEYS = ("issuer", "reference", "issued_on", "doc_type", "subject", "received_on", "received_at",
                  "urgency", "secrecy", "pages", "copies", "note", "file_code")
_OUTGOING_KEYS = ("doc_type", "unit", "signed_on", "subject", "signer", "signer_title", "authority",
                  "recipients", "copies", "archive_holder", "reply_due", "urgency", "secrecy", "pages", "note",
                  "file_code")


def _given(args: argparse.Namespace, keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: getattr(args, k) for k in keys if getattr(args, k, None) is not None}


def _wants_json(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "json", False))


def _show(args: argparse.Namespace, doc: DocumentRecord, done: str) -> None:
    if _wants_json(args):
        output.emit_json(doc)
    else:
        output.say(f"{done}: {output.summary(doc)}")


def _direction(args: argparse.Namespace) -> Direction:
    return Direction(args.command) if args.command in ("incoming", "outgoing", "copy") else Direction.INCOMING


def _find(reg: Registry, args: argparse.Namespace) -> DocumentRecord:
    """The entry named by --id, or by its number and year (this year when --year is left out)."""
    if args.id is not None:
        doc = reg.documents.get(args.id)
        if doc.direction is not _direction(args):
            raise NotFoundError(f"Văn bản mã {args.id} không thuộc sổ {_direction(args).label.lower()}.")
        return doc
    if args.number is None:
        raise ValidationError.single("number", "Số", "cần số (kèm --year) hoặc --id.")
    return reg.documents.find(_direction(args), args.number, args.year or today().year, args.secret)


def cmd_init(reg: Registry, args: argparse.Namespace) -> None:
    revision, head = reg.schema_revision()
    output.say(f"Cơ sở dữ liệu sẵn sàng: {reg.location} (lược đồ {revision}, mới nhất {head}).")


def cmd_settings(reg: Registry, args: argparse.Namespace) -> None:
    if args.action == "set":
        value = reg.settings.set(args.key, args.value)
        output.say(f"Đã đặt {args.key} = {value}")
        return
    values = reg.settings.all()
    if args.action == "get":
        if args.key not in values:
            raise ValidationError.single("key", "Khóa cài đặt",
                                         f"'{args.key}' không có; các khóa: {', '.join(values)}.")
        output.emit_json({args.key: values[args.key]}) if _wants_json(args) else output.say(values[args.key])
    elif _wants_json(args):
        output.emit_json(values)
    else:
        for key, value in values.items():
            output.say(f"{key} = {value}")


def cmd_documents(reg: Registry, args: argparse.Namespace) -> None:
    incoming = args.command == "incoming"
    if args.action == "add":
        if incoming and args.from_text:
            _add_from_text(reg, args)
        elif incoming:
            # A Tuyệt mật entry has no trích yếu in the register: validation refuses one if given.
            top_secret = fold(args.secrecy or "").replace("_", " ").strip() == "tuyet mat"
            missing = [option for option, key in _REQUIRED_INCOMING
                       if getattr(args, key) is None and not (top_secret and key == "subject")]
            if missing:
                raise ValidationError.single("options", "Lệnh vào sổ", f"thiếu {', '.join(missing)} "
                                             "(hoặc dùng --from-text TỆP để đọc từ văn bản).")
            doc = reg.documents.register_incoming(IncomingInput(**_given(args, _INCOMING_KEYS)), args.allow_duplicate)
            _show(args, doc, "Đã vào sổ văn bản đến")
        else:
            doc = reg.documents.register_outgoing(OutgoingInput(**_given(args, (*_OUTGOING_KEYS, "replies_to"))))
            _show(args, doc, "Đã vào sổ văn bản đi")
    elif args.action == "list":
        docs = reg.documents.list(_direction(args), args.year or today().year, args.secret, args.limit)
        output.emit_json(docs) if _wants_json(args) else output.say(output.table(docs))
    elif args.action == "show":
        doc = _find(reg, args)
        output.emit_json(doc) if _wants_json(args) else output.say(output.details(doc))
    elif args.action == "cancel":
        _show(args, reg.documents.cancel(_find(reg, args).id, args.reason), "Đã hủy")
    elif args.action == "edit":
        changes = _given(args, _INCOMING_KEYS if incoming else _OUTGOING_KEYS)
        if not changes:
            raise ValidationError.single("changes", "Nội dung sửa", "chưa ghi trường nào cần sửa.")
        _show(args, reg.documents.update(_find(reg, args).id, changes, getattr(args, "allow_duplicate", False)),
              "Đã sửa")


def _add_from_text(reg: Registry, args: argparse.Namespace) -> None:
    from app.extraction.extractor import extract
    from app.extraction.reader import read_text

    extraction = extract(read_text(args.from_text))
    doc, made = reg.text_entry.register(extraction, _given(args, _INCOMING_KEYS), args.allow_duplicate)
    if _wants_json(args):
        output.emit_json({"document": doc.to_dict(), "links": [
            {"type": p.link_type.value, "reference": p.reference, "target_id": p.target_id, "note": p.note}
            for p in made]})
        return
    output.say(f"Đã vào sổ văn bản đến: {output.summary(doc)}")
    for plan in made:
        output.say(f"  {plan.describe()}")


def cmd_extract(args: argparse.Namespace) -> int:
    """Text in, fields out; no database is opened."""
    from app.extraction.extractor import extract
    from app.extraction.reader import read_text

    try:
        extraction = extract(read_text(args.file))
    except VanThuError as exc:
        output.warn(f"Lỗi: {exc}")
        return EXIT_BAD_INPUT
    output.emit_json(extraction.to_json(with_sources=args.sources))
    return EXIT_OK


def cmd_link(reg: Registry, args: argparse.Namespace) -> None:
    kind, target = next((k, getattr(args, f"link_{k.value}")) for k in LinkType
                        if getattr(args, f"link_{k.value}") is not None)
    on = _date_option(args.on, "on", "Ngày văn bản được dẫn")
    link = reg.links.add(args.id, kind, int(target) if target.strip().isdigit() else target, on, args.issuer)
    if _wants_json(args):
        output.emit_json(link)
    else:
        state = "" if link.resolved else " (sẽ tự nối khi văn bản đó được vào sổ)"
        output.say(f"Đã liên kết văn bản mã {args.id} — {kind.label} — {link.other_label}{state}")


def _date_option(value: str | None, field: str, label: str) -> Any:
    if not value:
        return None
    try:
        return parse_date(value)
    except ValueError as exc:
        raise ValidationError.single(field, label, str(exc)) from None


def cmd_book(reg: Registry, args: argparse.Namespace) -> None:
    if args.action == "add":
        book = reg.books.add(
            Direction(args.direction), BookCategory.SECRET if args.secret else BookCategory.ORDINARY,
            NumberingScope(args.scope) if args.scope else None, args.name,
            _date_option(args.term_start, "term_start", "Ngày bắt đầu nhiệm kỳ"),
            _date_option(args.term_end, "term_end", "Ngày kết thúc nhiệm kỳ"), args.book_number)
        output.emit_json(book) if _wants_json(args) else output.say(f"Đã mở sổ: {book.name} (mã {book.id})")
        return
    found = reg.books.list()
    if _wants_json(args):
        output.emit_json(found)
        return
    for b in found:
        term = f", nhiệm kỳ {b.term_start:%d/%m/%Y}–{b.term_end:%d/%m/%Y}" if b.term_start and b.term_end else ""
        output.say(f"{b.id:>3}  {b.name} — quyển số {b.book_number}, {b.scope.label.lower()}{term}"
                   f"{' [đã khóa]' if b.closed else ''}")


def cmd_department(reg: Registry, args: argparse.Namespace) -> None:
    output.say(f"Đã thêm đơn vị mã {reg.directory.add_department(args.name, args.code)}: {args.name}")


def cmd_issuers(reg: Registry, args: argparse.Namespace) -> None:
    found = reg.directory.organizations(args.text)
    output.emit_json(found) if _wants_json(args) else output.say("\n".join(f"{o.id:>5}  {o.name}" for o in found))


def cmd_audit(reg: Registry, args: argparse.Namespace) -> None:
    if getattr(args, "audit_action", None) == "verify":
        check = reg.audit.verify()
        if _wants_json(args):
            output.emit_json(check)
        elif check.ok:
            output.say(check.message + (f" (mục cuối #{check.last_id}, mã băm {check.last_hash})" if check.last_id
                                        else ""))
        if not check.ok:
            raise VanThuError(check.message)  # exit 2
        return
    found = reg.audit.events(limit=args.limit, actor=args.actor, action=args.action, document_id=args.document,
                             date_from=_date_option(args.date_from, "date_from", "Từ ngày"),
                             date_to=_date_option(args.date_to, "date_to", "Đến ngày"))
    if _wants_json(args):
        output.emit_json(found)
        return
    for e in found:
        # A creation's full record is in --json; the text view shows what a change changed.
        detail = "" if e.action == "create" else f"  {e.before or ''} → {e.after or ''}"
        output.say(f"{e.at:%d/%m/%Y %H:%M:%S} UTC  {e.actor:12} {e.action:12} {e.entity} {e.entity_id or ''}{detail}")


def cmd_print(reg: Registry, args: argparse.Namespace) -> None:
    """Every printout goes to a PDF written whole or not at all (no partial file on a refusal)."""
    if args.action == "register":
        year = args.year or today().year
        register = RegisterRange(
            kind=args.book, year=year, date_from=_date_option(args.date_from, "date_from", "Từ ngày"),
            date_to=_date_option(args.date_to, "date_to", "Đến ngày"), number_from=args.from_number,
            number_to=args.to_number, secret=args.secret, book_number=args.book_number)
        path, entries, pages = reg.printouts.register(register, args.output)
        done = f"Đã in {BOOK_KINDS[args.book].lower()} năm {year}: {entries} văn bản, {pages} trang"
        if _wants_json(args):
            output.emit_json({"file": str(path), "entries": entries, "pages": pages})
        else:
            output.say(f"{done} → {path}")
        return
    if args.action == "handover":
        unit, ids = reg.routing.awaiting_handover(args.unit)
        path = reg.printouts.handover(unit, None, args.output)
        if _wants_json(args):
            output.emit_json({"file": str(path), "unit": unit, "documents": ids})
        else:
            output.say(f"Đã in sổ chuyển giao cho {unit}: {len(ids)} văn bản → {path}")
        return
    doc = _find(reg, args)
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
    if _wants_json(args):
        output.emit_json({"file": str(path), "document": doc.id})
    else:
        output.say(f"Đã in {what} của số đến {doc.number}/{doc.year} → {path}")


def cmd_search(reg: Registry, args: argparse.Namespace) -> None:
    """Same engine as the window's search box; newest first."""
    query = DocumentQuery(direction=Direction(args.book) if args.book else None, secret=args.secret, year=args.year,
                          text=args.text, sort="registered_on", descending=True, limit=args.limit)
    docs = reg.documents.search(query)
    if _wants_json(args):
        output.emit_json([output.search_row(d) for d in docs])
        return
    for doc in docs:
        output.say(output.summary(doc))
    output.warn(f"{len(docs)} văn bản" + (" (có thể còn nữa: tăng --limit)" if len(docs) == args.limit else ""))


def cmd_demo_data(reg: Registry, args: argparse.Namespace) -> None:
    if args.year is not None and args.year > today().year:
        raise ValidationError.single("year", "Năm", f"{args.year} chưa tới; dữ liệu mẫu không ghi ngày tương lai.")
    started = time.perf_counter()

    def progress(done: int) -> None:
        output.warn(f"  … {done:,}/{args.count:,} văn bản".replace(",", "."))

    result = reg.demo.fill(args.count, args.year, args.seed, progress if args.count >= 50_000 else None, args.force)
    if _wants_json(args):
        output.emit_json({"incoming": result.incoming, "outgoing": result.outgoing, "links": result.links,
                          "years": list(result.years), "seconds": round(time.perf_counter() - started, 1)})
        return
    years = ", ".join(map(str, result.years))
    output.say(f"Đã tạo {result.incoming} văn bản đến, {result.outgoing} văn bản đi ({result.links} liên kết) "
               f"trong các năm {years}, mất {time.perf_counter() - started:.1f} giây.")


def _split_supports(text: str | None) -> tuple[list[str], dict[str, date]]:
    """'Phòng A=20/05/2026;Phòng B' -> (['Phòng A', 'Phòng B'], {'Phòng A': 20/05/2026})."""
    units: list[str] = []
    deadlines: dict[str, date] = {}
    for part in (text or "").split(";"):
        unit, _sep, when = part.partition("=")
        unit = unit.strip()
        if not unit:
            if when.strip():
                raise ValidationError.single("support", "Đơn vị phối hợp", f"thiếu tên đơn vị trước '={when}'.")
            continue
        units.append(unit)
        if when.strip():
            deadlines[unit] = _date_option(when.strip(), "support", f"Thời hạn của {unit}")
    return units, deadlines


def _unit_line(a: AssignmentRecord) -> str:
    parts = [f"{a.role.label}: {a.unit}"]
    if a.deadline:
        parts.append(f"hạn {format_date(a.deadline)}")
    if a.assignee:
        parts.append(f"giao {a.assignee}")
    parts.append(a.status.label.lower())
    if a.received_at:
        parts.append(f"ký nhận {a.signed_by} lúc {a.received_at:%H:%M %d/%m/%Y}")
    return ", ".join(parts)


def cmd_route(reg: Registry, args: argparse.Namespace) -> None:
    """Validate every option before anything is written; the service refuses unknown units as a whole."""
    doc = _find(reg, args)
    supports, deadlines = _split_supports(args.support)
    step = reg.routing.route(doc.id, args.lead, supports, _date_option(args.deadline, "deadline", "Thời hạn"),
                     args.directive or "", args.directed_by or "", _date_option(args.on, "on", "Ngày chỉ đạo"),
                     args.assignee or "", deadlines)
    if _wants_json(args):
        output.emit_json(step)
        return
    output.say(f"Đã chuyển (lần {step.step}) số đến {doc.number}/{doc.year}:")
    for a in step.assignments:
        output.say(f"  {_unit_line(a)}")


def _moment_option(value: str | None, label: str = "Thời điểm nhận") -> datetime | None:
    if not value:
        return None
    try:
        return parse_moment(value)
    except ValueError as exc:
        raise ValidationError.single("at", label, str(exc)) from None


def cmd_handover(reg: Registry, args: argparse.Namespace) -> None:
    doc = _find(reg, args)
    assignment = reg.routing.handover(doc.id, args.unit, args.signed_by, _moment_option(args.at))
    if _wants_json(args):
        output.emit_json(assignment)
    else:
        output.say(f"Đã ghi ký nhận số đến {doc.number}/{doc.year} — {_unit_line(assignment)}")


def cmd_status(reg: Registry, args: argparse.Namespace) -> None:
    """A unit reports progress (a closed one gets its completion time); without --unit, the entry's own status."""
    doc = _find(reg, args)
    choices = UNIT_STATUSES if args.unit else INCOMING_STATUSES
    try:
        status = DocumentStatus.parse(args.set)
    except ValueError:
        status = None
    if status not in choices:
        raise ValidationError.single("status", "Trạng thái", f"'{args.set}' không dùng được; chọn: "
                                     f"{', '.join(s.label for s in choices)}.")
    if not args.unit:
        reg.routing.set_document_status(doc.id, status)
        shown = reg.documents.get(doc.id)
        output.emit_json(shown) if _wants_json(args) else output.say(
            f"Đã đặt trạng thái số đến {doc.number}/{doc.year}: {shown.status.label}")
        return
    assignment = reg.routing.set_unit_status(doc.id, args.unit, status, _moment_option(args.at, "Thời điểm"))
    if _wants_json(args):
        output.emit_json(assignment)
    else:
        output.say(f"Đã cập nhật số đến {doc.number}/{doc.year} — {_unit_line(assignment)}")


def cmd_overdue(reg: Registry, args: argparse.Namespace) -> None:
    on = _date_option(args.on, "on", "Ngày tính") or today()
    items = reg.routing.overdue(on)
    if _wants_json(args):
        output.emit_json(items)
        return
    late = [i for i in items if i.overdue]
    soon = [i for i in items if not i.overdue]
    output.say(f"Tính tại ngày {format_date(on)}: {len(late)} việc quá hạn, {len(soon)} việc sắp đến hạn.")
    for title, group in (("QUÁ HẠN", late), ("SẮP ĐẾN HẠN (trong 2 ngày làm việc)", soon)):
        if not group:
            continue
        output.say(title)
        for i in group:
            when = f"quá {i.days_late} ngày" if i.overdue else f"còn {i.working_days_left} ngày làm việc"
            role = f" ({i.role.label.lower()})" if i.role else ""
            output.say(f"  Số đến {i.number}/{i.year} {i.reference or ''} — {i.unit or '(chưa chuyển)'}{role}: "
                       f"hạn {format_date(i.deadline)}, {when} — {i.subject[:60]}")


def cmd_holiday(reg: Registry, args: argparse.Namespace) -> None:
    if args.action == "list":
        found = reg.holidays.list(args.year)
        if _wants_json(args):
            output.emit_json(found)
            return
        for h in found:
            output.say(f"{format_date(h.day)}  {h.name}")
        if not found:
            output.say("(Không có ngày nghỉ nào.)")
        return
    day = _date_option(args.day, "day", "Ngày nghỉ")
    if day is None:
        raise ValidationError.single("day", "Ngày nghỉ", "không được để trống.")
    if args.action == "add":
        holiday = reg.holidays.add(day, args.name)
        done = "Đã thêm ngày nghỉ"
    else:
        holiday = reg.holidays.remove(day)
        done = "Đã bỏ ngày nghỉ"
    output.emit_json(holiday) if _wants_json(args) else output.say(f"{done} {format_date(holiday.day)}: {holiday.name}")



def cmd_deadline_rule(reg: Registry, args: argparse.Namespace) -> None:
    """deadline-rule list|set|remove: the working days the rules give; a change never moves a given deadline."""
    if args.action == "list":
        rules = reg.deadline_rules.list()
        if _wants_json(args):
            output.emit_json(rules)
            return
        for r in rules:
            output.say(f"{describe_rule(r.doc_type, r.urgency)}: {r.working_days} ngày làm việc")
        if not rules:
            output.say("(Chưa có quy định thời hạn nào: văn bản chuyển đi không có thời hạn mặc định.)")
        return
    if args.action == "set":
        rule = reg.deadline_rules.save(args.type, args.urgency, args.days, replace=True)
        done, then = "Đã đặt quy định thời hạn", "quy định này áp dụng cho các lần chuyển từ nay"
    else:
        rule = reg.deadline_rules.remove(doc_type=args.type, urgency=args.urgency)
        done, then = "Đã bỏ quy định thời hạn", "các lần chuyển từ nay theo quy định còn lại"
    if _wants_json(args):
        output.emit_json(rule)
        return
    output.say(f"{done} {describe_rule(rule.doc_type, rule.urgency)}: {rule.working_days} ngày làm việc. "
               f"Thời hạn đã giao không thay đổi; {then}.")


def cmd_export(reg: Registry, args: argparse.Namespace) -> None:
    """A book (a year, optionally a date range) to .xlsx, written whole or not at all."""
    from app.services.printouts import register_query

    year = args.year or today().year
    query = register_query(RegisterRange(
        kind=args.book, year=year, date_from=_date_option(args.date_from, "date_from", "Từ ngày"),
        date_to=_date_option(args.date_to, "date_to", "Đến ngày"), secret=args.secret))
    path, rows = reg.transfer.export_xlsx(query, args.xlsx)
    if _wants_json(args):
        output.emit_json({"file": str(path), "book": args.book, "year": year, "rows": rows})
    else:
        book = BOOK_KINDS[args.book].lower() + (" (mật)" if args.secret else "")
        output.say(f"Đã xuất {book} năm {year}: {rows} văn bản → {path}")


def cmd_import(reg: Registry, args: argparse.Namespace) -> None:
    """An old register in: every row or none; each refusal on its own line ("Dòng 7, Ngày đến: …"), exit 2."""
    report = reg.transfer.import_register(args.file, args.book, args.dry_run)
    book = BOOK_KINDS[report.book].lower()
    if _wants_json(args):
        output.emit_json(report)
    if not report.ok:
        if not _wants_json(args):
            for error in report.errors:
                output.warn(str(error))
            if report.error_count > len(report.errors):
                output.warn(f"… và {report.error_count - len(report.errors)} lỗi khác.")
        raise ValidationError.single("file", "Tệp", f"không nhập văn bản nào vào {book}: {report.error_count} lỗi "
                                     f"trong {report.rows_read} dòng; sửa tệp rồi nhập lại.")
    if _wants_json(args):
        return
    ranges = "; ".join(report.ranges)
    if report.dry_run:
        output.say(f"Kiểm tra xong, chưa ghi gì: {report.rows_read} dòng hợp lệ, sẽ vào {book} "
                   f"{report.rows_imported} văn bản ({ranges}).")
    else:
        output.say(f"Đã nhập {report.rows_imported} văn bản vào {book} ({ranges}) từ {report.file}.")
    if report.ignored_columns:
        output.warn(f"Các cột không thuộc sổ, không nhập: {', '.join(report.ignored_columns)}.")


# ------------------------------------------------------------------------------------------------ report


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
    on = _date_option(args.on, "on", "Ngày tính") or today()
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
    if _wants_json(args):
        output.emit_json({**report.to_dict(), **({"xlsx": args.xlsx} if args.xlsx else {})})
        return
    output.say(report_heading(report))
    for table in report_tables(report):
        output.say("")
        for line in _report_text(table):
            output.say(line)
    if args.xlsx:
        output.say(f"\nĐã ghi tệp Excel: {args.xlsx}")


HANDLERS: dict[str, Callable[[Registry, argparse.Namespace], None]] = {
    "init": cmd_init, "settings": cmd_settings, "incoming": cmd_documents, "outgoing": cmd_documents,
    "copy": cmd_documents,
    "link": cmd_link, "book": cmd_book, "department": cmd_department, "issuers": cmd_issuers, "audit": cmd_audit,
    "search": cmd_search, "demo-data": cmd_demo_data, "print": cmd_print, "route": cmd_route,
    "handover": cmd_handover, "status": cmd_status, "overdue": cmd_overdue, "holiday": cmd_holiday,
    "deadline-rule": cmd_deadline_rule,
    "export": cmd_export, "import": cmd_import,
    "report": cmd_report, "user": cmd_user,
}


def run(argv: list[str]) -> int:
    """Run one command; returns the exit code. A command never leaves half-written data behind."""
    for stream in (sys.stdout, sys.stderr):  # Windows consoles default to a code page without Vietnamese
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    args = build_parser().parse_args(argv)
    if args.command == "extract":
        return cmd_extract(args)
    if args.command in ("backup", "restore"):  # no Registry: a restore replaces the database file itself
        from app.cli.backup_commands import run as run_backup

        return run_backup(args)
    if args.command in (None, "gui"):
        from app.ui.launcher import launch, screenshot  # Qt is only imported when a window is wanted

        if getattr(args, "screenshot", None):
            return screenshot(getattr(args, "db", None), args.screenshot, args.select, args.dialog, args.detail)
        return launch(getattr(args, "db", None), getattr(args, "select", None))
    try:
        registry = Registry(getattr(args, "db", None))
        if note := registry.upgrade_note():
            output.warn(note)
        try:
            sign_in(registry, args)
            HANDLERS[args.command](registry, args)
        finally:
            registry.close()
    except DuplicateError as exc:
        output.warn(f"Trùng văn bản: {exc}\nNếu đúng là văn bản khác, vào sổ lại với --allow-duplicate.")
        return EXIT_DUPLICATE
    except (ValidationError, NotFoundError) as exc:
        output.warn(f"Lỗi: {exc}")
        return EXIT_BAD_INPUT
    except VanThuError as exc:
        output.warn(f"Lỗi: {exc}")
        return EXIT_BAD_INPUT
    except DBAPIError as exc:  # a read on a damaged file or a failing disk: say so, exit 2 (writes map in Registry)
        clear = storage_error(exc, getattr(args, "db", None) or "cơ sở dữ liệu")
        if clear is None:
            output.warn(f"Lỗi không mong đợi: {exc}")
            traceback.print_exc(file=sys.stderr)
            return EXIT_UNEXPECTED
        output.warn(f"Lỗi: {clear}")
        return EXIT_BAD_INPUT
    except (EOFError, KeyboardInterrupt):  # Ctrl+D / Ctrl+C at a password prompt
        output.warn("\nĐã hủy: chưa có gì thay đổi.")
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # `vanthu overdue | head`: the reader has had enough; that is not an error
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - Python flushes stdout at exit; keep it quiet
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the last line of defence: say what happened, exit 1
        output.warn(f"Lỗi không mong đợi: {exc}")
        traceback.print_exc(file=sys.stderr)
        return EXIT_UNEXPECTED
    return EXIT_OK
