"""Prints the app's dependencies from pyproject.toml, plus the named extras, one per line (for pip -r).

The build scripts install these into a clean environment rather than the app itself, so the bundle holds what
the app imports and nothing the tests or the developer's tools brought in.
"""

import sys
import tomllib
from pathlib import Path

project = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text("utf-8"))["project"]
extras = project.get("optional-dependencies", {})
unknown = [name for name in sys.argv[1:] if name not in extras]
if unknown:
    sys.exit(f"unknown extra in pyproject.toml: {', '.join(unknown)}")
for requirement in project["dependencies"] + [r for name in sys.argv[1:] for r in extras[name]]:
    print(requirement)
