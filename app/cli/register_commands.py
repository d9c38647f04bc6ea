"""The register itself: init, settings, books, departments, the issuer directory and the audit log."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from app.cli import output
from app.cli.shared import date_option, wants_json
from app.core.enums import BookCategory, Direction, NumberingScope
from app.core.errors import ValidationError, VanThuError

if TYPE_CHECKING:
    from app.services import Registry


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
        output.emit_json({args.key: values[args.key]}) if wants_json(args) else output.say(values[args.key])
    elif wants_json(args):
        output.emit_json(values)
    else:
        for key, value in values.items():
            output.say(f"{key} = {value}")


def cmd_book(reg: Registry, args: argparse.Namespace) -> None:
    if args.action == "add":
        book = reg.books.add(
            Direction(args.direction), BookCategory.SECRET if args.secret else BookCategory.ORDINARY,
            NumberingScope(args.scope) if args.scope else None, args.name,
            date_option(args.term_start, "term_start", "Ngày bắt đầu nhiệm kỳ"),
            date_option(args.term_end, "term_end", "Ngày kết thúc nhiệm kỳ"), args.book_number)
        output.emit_json(book) if wants_json(args) else output.say(f"Đã mở sổ: {book.name} (mã {book.id})")
        return
    found = reg.books.list()
    if wants_json(args):
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
    output.emit_json(found) if wants_json(args) else output.say("\n".join(f"{o.id:>5}  {o.name}" for o in found))


def _verify(reg: Registry, args: argparse.Namespace) -> None:
    check = reg.audit.verify()
    against = reg.anchors.check(args.against) if getattr(args, "against", None) else None
    if wants_json(args):
        output.emit_json({**check.to_dict(), "against": against.to_dict()} if against else check)
    else:
        if check.ok:
            output.say(check.message + (f" (mục cuối #{check.last_id}, mã băm {check.last_hash})" if check.last_id
                                        else ""))
        if against is not None and against.ok:
            output.say(against.message)
        for note in against.notes if against else ():
            output.warn(note)
    if not check.ok:
        raise VanThuError(check.message)  # exit 2
    if against is not None and not against.ok:
        raise VanThuError(against.message)


def cmd_audit(reg: Registry, args: argparse.Namespace) -> None:
    action = getattr(args, "audit_action", None)
    if action == "verify":
        _verify(reg, args)
        return
    if action == "anchor":
        with_folder = reg.settings.all().get("audit.anchor_dir")
        if not with_folder:
            raise ValidationError.single("audit.anchor_dir", "Thư mục lưu neo nhật ký",
                                         "chưa chọn; đặt bằng: settings set audit.anchor_dir THƯ_MỤC")
        note = reg.anchors.write()
        if note is not None and note.warning:
            raise VanThuError(note.message)
        output.say(note.message if note else f"Tệp neo đã có đầu chuỗi hiện tại ({reg.anchors.head().code}).")
        return
    found = reg.audit.events(limit=args.limit, actor=args.actor, action=args.action, document_id=args.document,
                             date_from=date_option(args.date_from, "date_from", "Từ ngày"),
                             date_to=date_option(args.date_to, "date_to", "Đến ngày"))
    if wants_json(args):
        output.emit_json(found)
        return
    for e in found:
        # A creation's full record is in --json; the text view shows what a change changed.
        detail = "" if e.action == "create" else f"  {e.before or ''} → {e.after or ''}"
        output.say(f"{e.at:%d/%m/%Y %H:%M:%S} UTC  {e.actor:12} {e.action:12} {e.entity} {e.entity_id or ''}{detail}")
