"""Each heavy library is imported by the one package that owns it (read with ast; nothing is imported)."""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
OWNERS = {"PySide6": "app/ui", "reportlab": "app/printing", "pyhanko": "app/signatures", "defusedxml": "app/edxml",
          "lxml": "app/edxml", "pytesseract": "app/ocr", "openpyxl": "app/spreadsheets"}


def _top_imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_every_heavy_library_stays_in_its_package() -> None:
    wrong = []
    for path in sorted(APP.rglob("*.py")):
        where = path.relative_to(APP.parent).as_posix()
        for library in _top_imports(path) & set(OWNERS):
            if not where.startswith(OWNERS[library] + "/"):
                wrong.append(f"{where} imports {library} (owned by {OWNERS[library]})")
    assert wrong == []


def test_the_owners_do_import_them() -> None:
    seen = {library for path in APP.rglob("*.py") for library in _top_imports(path)}
    assert set(OWNERS) - {"lxml"} <= seen
