"""What every command module uses: exit codes, given options, --json or text, an entry by --id or number."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import TYPE_CHECKING, Any

from app.cli import output
from app.core.dates import parse_date, parse_moment, today
from app.core.enums import Direction
from app.core.errors import NotFoundError, ValidationError
from app.core.records import DocumentRecord

if TYPE_CHECKING:
    from app.services import Registry

EXIT_OK, EXIT_UNEXPECTED, EXIT_BAD_INPUT, EXIT_DUPLICATE = 0, 1, 2, 3


def given(args: argparse.Namespace, keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: getattr(args, k) for k in keys if getattr(args, k, None) is not None}


def wants_json(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "json", False))


def show_document(args: argparse.Namespace, doc: DocumentRecord, done: str) -> None:
    if wants_json(args):
        output.emit_json(doc)
    else:
        output.say(f"{done}: {output.summary(doc)}")


def book_direction(args: argparse.Namespace) -> Direction:
    """The book a command works in: the command itself (incoming, outgoing, copy), its --book, else incoming."""
    if args.command in ("incoming", "outgoing", "copy"):
        return Direction(args.command)
    return Direction(getattr(args, "book", None) or "incoming")


def find_document(reg: Registry, args: argparse.Namespace, direction: Direction | None = None) -> DocumentRecord:
    """The entry named by --id, or by its number and year (this year when --year is left out), in `direction`'s
    book (by default the command's, see book_direction)."""
    book = direction or book_direction(args)
    if args.id is not None:
        doc = reg.documents.get(args.id)
        if doc.direction is not book:
            raise NotFoundError(f"Văn bản mã {args.id} không thuộc sổ {book.label.lower()}.")
        return doc
    if args.number is None:
        raise ValidationError.single("number", "Số", "cần số (kèm --year) hoặc --id.")
    return reg.documents.find(book, args.number, args.year or today().year, args.secret)


# Deadlines and overdue counts step day by day past the date given: the last days of 9999 have no next day.
LAST_YEAR = 9998


def date_option(value: str | None, field: str, label: str) -> Any:
    if not value:
        return None
    try:
        parsed = parse_date(value)
    except ValueError as exc:
        raise ValidationError.single(field, label, str(exc)) from None
    if parsed.year > LAST_YEAR:
        raise ValidationError.single(field, label, f"năm {parsed.year} ngoài khoảng tính được (đến năm {LAST_YEAR}).")
    return parsed


def moment_option(value: str | None, label: str = "Thời điểm nhận") -> datetime | None:
    if not value:
        return None
    try:
        parsed = parse_moment(value)
    except ValueError as exc:
        raise ValidationError.single("at", label, str(exc)) from None
    if parsed.year > LAST_YEAR:
        raise ValidationError.single("at", label, f"năm {parsed.year} ngoài khoảng tính được (đến năm {LAST_YEAR}).")
    return parsed
