#!/usr/bin/env bash
# Prepares a Debian/Ubuntu machine for Sổ Văn Thư: Qt's system libraries, a virtual environment in .venv,
# and the app with its test tools. Safe to run again: it only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Qt offscreen (tests) needs the first line; a real window on X11 needs the second.
SYSTEM_PACKAGES="libglib2.0-0 libgl1 libxkbcommon0 libegl1 libfontconfig1 libdbus-1-3
  libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-randr0
  libxcb-render-util0 libxcb-image0 libxcb-xinerama0 libxcb-xkb1
  postgresql
  tesseract-ocr tesseract-ocr-vie tesseract-ocr-osd
  softhsm2"
# postgresql: the tests start their own throwaway server from its binaries (tests/pg_server.py); the
# package's own cluster is not used. tesseract-ocr*: text recognition of scans, with the Vietnamese model and
# the orientation model (app/ocr); nothing is downloaded when the app runs. softhsm2: a PKCS#11 token
# in a folder, for the signing tests (a USB token speaks the same PKCS#11).
PYTHON="${PYTHON:-python3}"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else echo "Cần quyền root để cài: $*" >&2; return 1
  fi
}

apt_install() {
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "Không có apt-get: hãy tự cài các gói tương đương với: $*" >&2
    return 0
  fi
  # Wait for the dpkg lock instead of failing: unattended upgrades often hold it right after boot.
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "$@"
}

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for pkg in $SYSTEM_PACKAGES; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
  done
fi
if ! "$PYTHON" -c "import venv, ensurepip" >/dev/null 2>&1; then
  missing+=("python3-venv")
fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Cài gói hệ thống: ${missing[*]}"
  apt_install "${missing[@]}"
fi

"$PYTHON" - <<'PY'
import sys
if sys.version_info < (3, 11):
    sys.exit(f"Cần Python 3.11 trở lên (đang có {sys.version.split()[0]}).")
PY

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
# Reinstall only when the dependencies changed.
stamp=".venv/.setup-stamp"
wanted="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".[test]"
  echo "$wanted" > "$stamp"
fi
