"""Every command's --help and argparse's own refusals speak Vietnamese: no English word of argparse's is left."""

from __future__ import annotations

import argparse
import contextlib
import io

import pytest

from app.cli.parser import build_parser

# argparse's own English (Python 3.11), and what the app once said in English.
ENGLISH = ("usage:", "positional arguments", "options:", "optional arguments", "show this help", "show program's",
           "invalid choice", "expected one argument", "the following arguments", "unrecognized arguments",
           "choose from", "URL SQLAlchemy", "argument ")


def _parsers(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from _parsers(child, (*path, name))


def test_every_help_is_vietnamese() -> None:
    found = list(_parsers(build_parser()))
    assert len(found) > 60  # every command and subcommand, walked
    wrong = [f"{' '.join(path) or 'vanthu'}: {word!r}" for path, parser in found
             for word in ENGLISH if word in parser.format_help()]
    assert wrong == []
    assert "Cách dùng: vanthu edxml import" in dict(found)[("edxml", "import")].format_help()
    assert "địa chỉ máy chủ PostgreSQL" in dict(found)[()].format_help()


@pytest.mark.parametrize(("argv", "says"), [
    (["edxml", "import"], "thiếu tham số bắt buộc: TỆP.edxml"),
    (["edxml", "bogus"], "VIỆC: không có lựa chọn 'bogus' (chọn một trong: 'import',"),
    (["incoming", "add", "--issuer"], "--issuer: cần một giá trị"),
    (["--frob", "init"], "không hiểu tham số: --frob"),
    (["report", "--year", "x"], "--year: 'x' không phải là số nguyên"),
])
def test_argparse_refusals_are_vietnamese(argv: list[str], says: str) -> None:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), pytest.raises(SystemExit) as done:
        build_parser().parse_args(argv)
    assert done.value.code == 2
    text = err.getvalue()
    assert says in text and text.startswith("Cách dùng: vanthu")
    assert not [word for word in ENGLISH if word in text]
