#!/usr/bin/env bash
# Sets up (if needed), lints and runs the whole test suite; extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
.venv/bin/python -m ruff check app tests bench
exec .venv/bin/python -m pytest "$@"
