"""Start-up stays light: `--version` and `--help` load no register code, `incoming list` only what it uses (no
Excel, PDF, signature, XML, image or Qt library); checked on sys.modules of a real run, not on timing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli

HEAVY = ("openpyxl", "reportlab", "pyhanko", "lxml", "PySide6", "shiboken6", "PIL", "pytesseract", "numpy")
# Beside the libraries: the register code a listing has no use for (export, printing, backups, migrations).
NOT_FOR_A_LISTING = ("app.services.parts.transfer", "app.services.parts.printouts", "app.services.backup",
                     "app.spreadsheets", "app.printing", "app.signatures", "app.edxml", "app.ocr", "alembic")
# Runs `python -m app ARGS` in this interpreter (argparse's --version and --help end in SystemExit), then says
# which modules were loaded, on a line of its own after the command's output.
PROBE = """
import json, runpy, sys
sys.argv = ["app", *json.loads(sys.argv[1])]
code = 0
try:
    runpy.run_module("app", run_name="__main__", alter_sys=True)
except SystemExit as exc:
    code = exc.code or 0
print("\\nLOADED=" + json.dumps(sorted(sys.modules)))
sys.exit(code)
"""


def loaded_by(*args: str) -> set[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args)], capture_output=True, text=True,
                            encoding="utf-8", env=env, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return set(json.loads(result.stdout.rpartition("LOADED=")[2]))


def under(modules: set[str], names: tuple[str, ...]) -> list[str]:
    """The names (packages or modules) of which anything was loaded."""
    return [name for name in names if any(m == name or m.startswith(name + ".") for m in modules)]


@pytest.mark.parametrize("option", ["--version", "--help"])
def test_version_and_help_load_no_register_code(option: str) -> None:
    modules = loaded_by(option)
    assert under(modules, HEAVY) == []
    # Not even the database layer: these answer from the parser alone.
    assert under(modules, ("sqlalchemy", "app.services", "app.models", "app.db")) == []


def test_incoming_list_loads_only_what_it_uses(tmp_path: Path) -> None:
    db = tmp_path / "small.sqlite3"
    assert run_cli("demo-data", "--count", "30", "--year", "2026", db=db).returncode == 0
    modules = loaded_by("--db", str(db), "incoming", "list", "--year", "2026")
    assert under(modules, HEAVY) == []
    assert under(modules, NOT_FOR_A_LISTING) == []
    assert {"sqlalchemy", "app.models", "app.services.parts.documents"} <= modules  # it did run the listing


def test_every_part_is_still_there_when_asked_for(registry) -> None:  # type: ignore[no-untyped-def]
    """The parts are built on first use; each name still gives the same part every time."""
    from app.services import Registry

    for name in Registry.PARTS:
        assert getattr(registry, name) is getattr(registry, name)
    assert registry.printouts._reads is registry.transfer._reads


def test_every_command_of_the_parser_has_its_handler() -> None:
    """The handlers are found by name when their command runs: a command added to the parser without one (or a
    renamed function) fails here, not in the clerk's hands."""
    import argparse

    from app.cli.commands import handler_for
    from app.cli.parser import build_parser

    commands = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    own_way = {"extract", "backup", "restore", "gui"}  # run without a Registry (see commands.run)
    for name in sorted(set(commands.choices) - own_way):
        assert callable(handler_for(name)), name
    assert handler_for("copy", "make").__name__ == "cmd_copy_make"
