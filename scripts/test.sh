#!/usr/bin/env bash
# Sets up (if needed), lints and runs the whole test suite; extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
# setup.sh installed PostgreSQL, so its tests must run: fail rather than skip them (tests/pg_server.py).
export VANTHU_REQUIRE_PG="${VANTHU_REQUIRE_PG:-1}"
.venv/bin/python -m ruff check app tests bench installer
# One worker per CPU, each test file whole on one worker (its module fixtures and PostgreSQL server with it).
exec .venv/bin/python -m pytest -n auto --dist loadfile "$@"
