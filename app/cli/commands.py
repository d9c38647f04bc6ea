"""The CLI entry point and dispatch table: exit 0 done, 2 bad input, 3 duplicate refused, 1 unexpected."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable

from sqlalchemy.exc import DBAPIError

from app.cli import output
from app.cli.document_commands import cmd_demo_data, cmd_documents, cmd_extract, cmd_link, cmd_search
from app.cli.edxml_commands import cmd_edxml
from app.cli.file_commands import cmd_attach, cmd_export, cmd_import, cmd_print, cmd_report
from app.cli.parser import build_parser
from app.cli.register_commands import cmd_audit, cmd_book, cmd_department, cmd_init, cmd_issuers, cmd_settings
from app.cli.routing_commands import (
    cmd_deadline_rule,
    cmd_handover,
    cmd_holiday,
    cmd_overdue,
    cmd_route,
    cmd_route_correct,
    cmd_status,
)
from app.cli.shared import EXIT_BAD_INPUT, EXIT_DUPLICATE, EXIT_OK, EXIT_UNEXPECTED
from app.cli.signature_commands import EXIT_SIGNATURE, cmd_copy_make, cmd_sign, cmd_trust, cmd_verify
from app.cli.user_commands import cmd_user, sign_in
from app.core.errors import DuplicateError, NotFoundError, ValidationError, VanThuError
from app.db.safety import storage_error
from app.services import Registry
from app.services.signature_checks import SignatureNeedsConfirmation

# The exit codes live in shared (`extract` returns them too) and stay importable from here.
__all__ = ["EXIT_BAD_INPUT", "EXIT_DUPLICATE", "EXIT_OK", "EXIT_UNEXPECTED", "HANDLERS", "run"]


HANDLERS: dict[str, Callable[[Registry, argparse.Namespace], None]] = {
    "init": cmd_init, "settings": cmd_settings, "incoming": cmd_documents, "outgoing": cmd_documents,
    "copy": cmd_documents,
    "link": cmd_link, "book": cmd_book, "department": cmd_department, "issuers": cmd_issuers, "audit": cmd_audit,
    "search": cmd_search, "demo-data": cmd_demo_data, "print": cmd_print, "route": cmd_route,
    "route-correct": cmd_route_correct, "handover": cmd_handover, "status": cmd_status, "overdue": cmd_overdue,
    "holiday": cmd_holiday,
    "deadline-rule": cmd_deadline_rule,
    "export": cmd_export, "import": cmd_import, "attach": cmd_attach,
    "report": cmd_report, "user": cmd_user, "verify": cmd_verify, "trust": cmd_trust, "sign": cmd_sign,
    "edxml": cmd_edxml,
}


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
    try:
        registry = Registry(getattr(args, "db", None))
        if note := registry.upgrade_note():
            output.warn(note)
        try:
            sign_in(registry, args)
            handler = cmd_copy_make if (args.command, getattr(args, "action", None)) == ("copy", "make") \
                else HANDLERS[args.command]
            handler(registry, args)
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
