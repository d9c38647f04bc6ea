#!/usr/bin/env bash
# Sets up (if needed) and starts Sổ Văn Thư on its default database; extra arguments go to the app.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m app "$@"
