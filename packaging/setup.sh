#!/usr/bin/env bash
# Set up Agent Console on Debian/Ubuntu: system libraries Qt needs, a venv in .venv, the package.
#   bash packaging/setup.sh          # to run the app
#   bash packaging/setup.sh --test   # also what the test suite needs (Xvfb, PostgreSQL, test tools)
set -euo pipefail
cd "$(dirname "$0")/.."

with_tests=0
[ "${1:-}" = "--test" ] && with_tests=1

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"

# Qt 6 (PySide6 wheels) on a bare Debian: xcb platform plugin, GL, fonts, D-Bus.
packages=(
  libglib2.0-0 libegl1 libgl1 libdbus-1-3 libfontconfig1 libxkbcommon0 libxkbcommon-x11-0
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
  libxcb-shape0 libxcb-xkb1 fonts-dejavu-core
)
if [ "$with_tests" = 1 ]; then
  packages+=(xvfb xauth postgresql)
  # A real Secret Service for the keyring test: gnome-keyring under dbus-run-session.
  packages+=(dbus gnome-keyring)
fi
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  packages+=(python3-venv)
fi

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing system packages: ${missing[*]}"
  $sudo apt-get update -q
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
if [ "$with_tests" = 1 ]; then
  .venv/bin/python -m pip install -q -e ".[test]"
else
  .venv/bin/python -m pip install -q -e .
fi
echo "Agent Console is set up in $(pwd)/.venv"
