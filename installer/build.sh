#!/usr/bin/env bash
# Builds the Linux bundle dist/vanthu/ (run it as dist/vanthu/vanthu) and dist/SoVanThu-<version>-linux-<arch>.tar.gz.
# Uses its own clean virtual environment (build/venv) with only what the app needs plus PyInstaller, so no test
# tool ends up in the bundle. Options: --no-archive (skip the .tar.gz).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
VENV="${VANTHU_BUILD_VENV:-build/venv}"
ARCHIVE=1
for arg in "$@"; do
  case "$arg" in
    --no-archive) ARCHIVE=0 ;;
    *) echo "Tham số không hợp lệ: $arg (chỉ có --no-archive)" >&2; exit 2 ;;
  esac
done

# The bundle needs Qt's system libraries at build time too (PyInstaller inspects the Qt plugins).
bash scripts/setup.sh >/dev/null

mkdir -p build
if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
stamp="$VENV/.build-stamp"
wanted="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  # The app's dependencies (with PostgreSQL support) and PyInstaller, read from pyproject.toml; not the app
  # itself: PyInstaller takes app/ from this checkout.
  "$VENV/bin/python" installer/requirements.py postgres installer > build/requirements.txt
  "$VENV/bin/python" -m pip install --quiet -r build/requirements.txt
  echo "$wanted" > "$stamp"
fi

version="$("$VENV/bin/python" -c 'import app; print(app.__version__)')"
echo "Đóng gói Sổ Văn Thư $version ..."
rm -rf dist/vanthu
"$VENV/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller installer/vanthu.spec

# A quick look that the bundle starts at all (the full check is tests/installer/test_bundle.py).
dist/vanthu/vanthu --version

if [ "$ARCHIVE" -eq 1 ]; then
  archive="dist/SoVanThu-$version-linux-$(uname -m).tar.gz"
  tar -C dist -czf "$archive" vanthu
  echo "Đã tạo: $archive ($(du -h "$archive" | cut -f1))"
fi
echo "Đã tạo: dist/vanthu/ ($(du -sh dist/vanthu | cut -f1)); chạy: dist/vanthu/vanthu"
