"""`backup` and `restore`: run without opening a Registry on the database (a restore replaces its file)."""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli import output
from app.core.errors import ValidationError, VanThuError

if TYPE_CHECKING:
    from app.services.backup import BackupInfo

EXIT_OK, EXIT_UNEXPECTED, EXIT_BAD_INPUT = 0, 1, 2
_YES = {"c", "co", "có", "y", "yes"}


def add_parsers(commands: argparse._SubParsersAction,
                sub: Callable[[argparse._SubParsersAction, str, str], argparse.ArgumentParser]) -> None:
    p = sub(commands, "backup", "sao lưu cả sổ (cơ sở dữ liệu, mọi tệp đính kèm) vào MỘT tệp .vanthu để chép ra "
                                "USB; hoặc xem các bản sao lưu tự động (--list)")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("-o", "--output", metavar="TỆP.vanthu", help="tệp sao lưu cần ghi")
    what.add_argument("--list", action="store_true", help="liệt kê các bản sao lưu trong thư mục backups/ "
                                                          "cạnh cơ sở dữ liệu (mới nhất trước)")
    p = sub(commands, "restore", "phục hồi sổ từ tệp sao lưu: sổ hiện tại được sao lưu vào backups/ trước khi bị "
                                 "thay thế; hãy đóng cửa sổ chương trình trước")
    p.add_argument("file", metavar="TỆP.vanthu", help="tệp sao lưu (do lệnh backup hoặc sao lưu tự động tạo ra)")
    p.add_argument("--yes", action="store_true", help="không hỏi lại (bắt buộc khi chạy không có bàn phím)")


def _emit(args: argparse.Namespace, data: Any, text: str) -> None:
    if getattr(args, "json", False):
        output.emit_json(data)
    else:
        output.say(text)


def _backup(db: str, args: argparse.Namespace) -> int:
    from app.services import backup as backup_service

    if args.list:
        found = backup_service.list_backups(db)
        lines = [f"{b.created_at}  {b.documents:>6} văn bản  {b.attachments:>5} tệp  lược đồ {b.schema_revision}  "
                 f"{b.path}" for b in found] or [f"(Chưa có bản sao lưu nào trong {backup_service.backup_folder(db)}.)"]
        _emit(args, [b.to_dict() for b in found], "\n".join(lines))
        return EXIT_OK
    info = backup_service.backup(db, args.output)
    _emit(args, info.to_dict(), f"Đã sao lưu {info.documents} văn bản, {info.attachments} tệp đính kèm → "
                                f"{info.path}")
    return EXIT_OK


def _confirmed(args: argparse.Namespace, info: BackupInfo, db: str) -> bool:
    from app.services import backup as backup_service

    if args.yes:
        return True
    if not sys.stdin.isatty():
        raise ValidationError.single("yes", "Xác nhận", "phục hồi sẽ thay thế sổ hiện tại; chạy lại với --yes để "
                                                        "xác nhận (không hỏi được vì không có bàn phím).")
    lost = "".join(f"\n{line}" for line in backup_service.losses(db, info.audit_head))
    answer = input(f"Phục hồi bản sao lưu ngày {info.created_at} ({info.documents} văn bản, {info.attachments} tệp "
                   f"đính kèm) vào {db}?{lost}\nSổ hiện tại sẽ được sao lưu vào backups/ rồi bị thay thế. [c/K] ")
    return answer.strip().lower() in _YES


def _restore(db: str, args: argparse.Namespace) -> int:
    from app.services import backup as backup_service

    info = backup_service.inspect_backup(args.file)  # refused before anything is asked or written
    if not _confirmed(args, info, db):
        output.warn("Đã hủy: sổ không thay đổi.")
        return EXIT_BAD_INPUT
    result = backup_service.restore(db, args.file)
    previous = (f"; sổ cũ đã được sao lưu vào {result.previous_backup}" if result.previous_backup
                else "")
    migrated = f"; đã nâng cấp lược đồ từ {result.migrated_from}" if result.migrated_from else ""
    _emit(args, result.to_dict(), f"Đã phục hồi {info.documents} văn bản, {info.attachments} tệp đính kèm từ "
                                  f"{info.path}{previous}{migrated}.")
    if not getattr(args, "json", False):
        for note in result.notes:
            output.warn(note)
    return EXIT_OK


def _authorize(db: str | None, args: argparse.Namespace) -> None:
    """Once the register has accounts, backup and restore need a quản trị's sign-in. A register that cannot be
    opened at all (damaged: the reason to restore) has no accounts to check; it is saved before being replaced."""
    from sqlalchemy.engine import make_url

    from app.cli.user_commands import sign_in
    from app.core.access import Permission
    from app.db.engine import resolve_url
    from app.services import Registry

    url = make_url(resolve_url(db))
    if url.get_backend_name() == "sqlite" and not (url.database and Path(url.database).is_file()):
        return  # nothing there yet: opening it would create a register (backup then says there is none)
    try:
        registry = Registry(db)
    except VanThuError:
        return
    try:
        sign_in(registry, args)
        registry.check(Permission.BACKUP)
    finally:
        registry.close()


def run(args: argparse.Namespace) -> int:
    """Exit 0 done, 2 refused (nothing written), 1 unexpected."""
    # Imported here, not at the top: the parser reads this module (add_parsers) for every command and for --help.
    from app.db.engine import resolve_url

    try:
        db = resolve_url(getattr(args, "db", None))
        _authorize(getattr(args, "db", None), args)
        return (_backup if args.command == "backup" else _restore)(db, args)
    except VanThuError as exc:
        output.warn(f"Lỗi: {exc}")
        return EXIT_BAD_INPUT
    except (EOFError, KeyboardInterrupt):
        output.warn("\nĐã hủy: sổ không thay đổi.")
        return EXIT_BAD_INPUT
    except Exception as exc:  # noqa: BLE001 - the last line of defence: say what happened, exit 1
        output.warn(f"Lỗi không mong đợi: {exc}")
        traceback.print_exc(file=sys.stderr)
        return EXIT_UNEXPECTED
