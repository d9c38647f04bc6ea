"""The shape of app/: no import cycle, no import from a lower layer into a higher one, no module over 450 lines
(every import counts, TYPE_CHECKING and those inside functions included; read with ast, nothing is imported)."""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
MAX_LINES = 450

# core ← models ← db ← services ← cli | ui; printing, extraction and spreadsheets sit below services and know
# nothing of the database. A module may import its own layer or any layer below it, never one above.
LAYERS: dict[str, int] = {
    "app": 0, "app.resources": 0,
    "app.core": 1,
    "app.models": 2,
    "app.db": 3,
    "app.printing": 3, "app.extraction": 3, "app.spreadsheets": 3, "app.ocr": 3,
    "app.signatures": 3, "app.edxml": 3,
    "app.services": 4,
    "app.cli": 5, "app.ui": 5,
    "app.__main__": 6,
}
# Side by side on one layer, these packages stay apart.
APART = {("app.printing", "app.extraction"), ("app.printing", "app.spreadsheets"),
         ("app.extraction", "app.spreadsheets"), ("app.ui", "app.cli"), ("app.printing", "app.ocr"),
         ("app.spreadsheets", "app.ocr"), ("app.printing", "app.signatures"), ("app.ocr", "app.signatures"),
         ("app.extraction", "app.signatures"), ("app.spreadsheets", "app.signatures"),
         ("app.edxml", "app.printing"), ("app.edxml", "app.extraction"), ("app.edxml", "app.spreadsheets"),
         ("app.edxml", "app.ocr"), ("app.edxml", "app.signatures")}
# The one way across: the `vanthu gui` command opens the window (loaded only when that command runs).
CROSSINGS = {"app.cli.commands → app.ui.launcher"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(APP.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(APP.rglob("*.py")) if "migrations" not in p.parts}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The app modules this one imports (`from app.x import y` counts as app.x.y when that is a module)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in known}
    return {m for m in found if m in known and m != name}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, set(modules)) for name, path in modules.items()}


def _layer(module: str) -> tuple[str, int]:
    best = max((key for key in LAYERS if module == key or module.startswith(key + ".")), key=len)
    return best, LAYERS[best]


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan), each listed sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_no_import_cycle() -> None:
    # A package's __init__ re-exporting a submodule is not a cycle of responsibility: leave those edges out.
    graph = {name: {m for m in deps if not (name == m.rpartition(".")[0] and _modules()[name].name == "__init__.py")}
             for name, deps in _graph().items()}
    assert _cycles(graph) == []


def test_no_import_from_a_lower_layer_into_a_higher_one() -> None:
    upward = []
    for name, deps in _graph().items():
        package, rank = _layer(name)
        for dep in deps:
            dep_package, dep_rank = _layer(dep)
            if dep_rank > rank or {(package, dep_package), (dep_package, package)} & APART:
                upward.append(f"{name} → {dep}")
    assert sorted(set(upward) - CROSSINGS) == []


def test_no_module_over_450_lines() -> None:
    long = {name: n for name, path in _modules().items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_migrations_import_nothing_of_today_s_code_but_core() -> None:
    """Migrations are frozen history: what they compute lives in the migration itself or in app.core."""
    allowed = ("app.core",)
    wrong = []
    for path in sorted((APP / "db" / "migrations" / "versions").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("app"):
                if not node.module.startswith(allowed):
                    wrong.append(f"{path.name}: {node.module}")
            elif isinstance(node, ast.Import):
                wrong += [f"{path.name}: {a.name}" for a in node.names if a.name.startswith("app")
                          and not a.name.startswith(allowed)]
    assert wrong == []


def test_every_module_says_what_it_is() -> None:
    missing = [name for name, path in _modules().items()
               if not ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))]
    assert missing == []


def test_the_graph_is_read_at_all() -> None:
    """The checks above would pass on an empty graph: make sure they see the real one."""
    graph = _graph()
    assert "app.services.parts.documents" in graph["app.services.registry"]
    assert "app.core.records" in graph["app.services.parts.documents"]
    assert len(graph) > 100
