"""The CLI entry point and dispatch table: exit 0 done, 2 bad input, 3 duplicate refused, 1 unexpected."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING

from app.cli import output
from app.cli.parser import build_parser
from app.cli.shared import EXIT_BAD_INPUT, EXIT_DUPLICATE, EXIT_OK, EXIT_UNEXPECTED
from app.cli.signature_commands import EXIT_SIGNATURE
from app.cli.user_commands import sign_in
from app.core.errors import DuplicateError, NotFoundError, ValidationError, VanThuError

if TYPE_CHECKING:
    from app.services import Registry

# The exit codes live in shared (`extract` returns them too) and stay importable from here.
__all__ = ["EXIT_BAD_INPUT", "EXIT_DUPLICATE", "EXIT_OK", "EXIT_UNEXPECTED", "handler_for", "run"]

Handler = Callable[["Registry", argparse.Namespace], None]
# The handler of each command is cmd_<command> (dashes as underscores), except these.
_FUNCTIONS = {"incoming": "cmd_documents", "outgoing": "cmd_documents", "copy": "cmd_documents"}


def handler_for(command: str, action: str | None = None) -> Handler:
    """The function that runs `command`, its module imported only now: start-up is paid for what the command
    uses (`incoming list` does not load the print, Excel or signature code; --version and --help load none)."""
    if (command, action) == ("copy", "make"):
        from app.cli.signature_commands import cmd_copy_make

        return cmd_copy_make
    if command in ("incoming", "outgoing", "copy", "link", "search", "demo-data"):
        from app.cli import document_commands as module
    elif command in ("print", "export", "import", "attach", "report"):
        from app.cli import file_commands as module
    elif command in ("init", "settings", "book", "department", "issuers", "audit"):
        from app.cli import register_commands as module
    elif command in ("route", "route-correct", "handover", "status", "overdue", "holiday", "deadline-rule"):
        from app.cli import routing_commands as module
    elif command in ("verify", "trust", "sign"):
        from app.cli import signature_commands as module
    elif command == "user":
        from app.cli import user_commands as module
    elif command == "edxml":
        from app.cli import edxml_commands as module
    else:
        raise KeyError(command)
    handler: Handler = getattr(module, _FUNCTIONS.get(command, "cmd_" + command.replace("-", "_")))
    return handler


def _anchor(registry: Registry, args: argparse.Namespace) -> None:
    """A command is a working session: its end anchors the audit chain (when an anchor folder is set)."""
    if args.command == "audit" and getattr(args, "audit_action", None) == "anchor":
        return  # it has just done so, and said how it went
    note = registry.anchors.write()
    if note is not None and note.warning:
        output.warn(note.message)


def run(argv: list[str]) -> int:
    """Run one command; returns the exit code. A command never leaves half-written data behind."""
    for stream in (sys.stdout, sys.stderr):  # Windows consoles default to a code page without Vietnamese
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    args = build_parser().parse_args(argv)
    if args.command == "extract":
        from app.cli.document_commands import cmd_extract

        return cmd_extract(args)
    if args.command in ("backup", "restore"):  # no Registry: a restore replaces the database file itself
        from app.cli.backup_commands import run as run_backup

        return run_backup(args)
    if args.command in (None, "gui"):
        from app.ui.launcher import launch, screenshot  # Qt is only imported when a window is wanted

        clerk = getattr(args, "clerk", None)
        if getattr(args, "screenshot", None):
            return screenshot(getattr(args, "db", None), args.screenshot, args.select, args.dialog, args.detail, clerk)
        return launch(getattr(args, "db", None), getattr(args, "select", None), clerk)
    # What a command on the register needs, imported once the arguments are read (--version, --help and a
    # refused command end before this, without loading SQLAlchemy).
    from sqlalchemy.exc import DBAPIError

    from app.db.safety import storage_error
    from app.services import Registry
    from app.services.signature_checks import SignatureNeedsConfirmation

    try:
        registry = Registry(getattr(args, "db", None))
        if note := registry.upgrade_note():
            output.warn(note)
        try:
            sign_in(registry, args)
            handler_for(args.command, getattr(args, "action", None))(registry, args)
            _anchor(registry, args)
        finally:
            registry.close()
    except SignatureNeedsConfirmation as exc:
        output.warn(f"Lỗi: {exc}\nNếu vẫn nhận văn bản, chạy lại với --accept-signature \"LÝ DO\" (ghi vào nhật ký).")
        return EXIT_SIGNATURE
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
    return getattr(args, "exit_code", EXIT_OK)
