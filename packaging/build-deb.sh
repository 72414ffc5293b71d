#!/usr/bin/env bash
# Build dist/agent-console_<version>_<arch>.deb on Debian 12: a PyInstaller one-dir bundle of
# the app in /opt/agent-console, agent-console and agent-console-backend in /usr/bin, the
# .desktop file and the hicolor icons.
#   bash packaging/build-deb.sh
# Installs what it needs (apt packages, with sudo when not root; a build venv in build/venv
# with the app's dependencies and PyInstaller from PyPI: never the dev .venv), renders the
# icons, runs packaging/agent-console.spec, lays out the package root in build/deb-root and
# builds it with dpkg-deb. Check the result with packaging/check-deb.sh. Notes:
# packaging/BUILDING.md.
set -euo pipefail
cd "$(dirname "$0")/.."

PYINSTALLER_VERSION=6.22.3
HOOKS_CONTRIB_VERSION=2026.10
PYTHON=/usr/bin/python3  # Debian's own: the bundle carries its libpython3.11
# The control file's Maintainer (a placeholder until the project names one).
MAINTAINER=${DEB_MAINTAINER:-Agent Console developers <agent-console@localhost>}

version=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' console/__init__.py)
[ -n "$version" ] || { echo "no __version__ in console/__init__.py" >&2; exit 1; }
arch=$(dpkg --print-architecture)
deb=dist/agent-console_${version}_${arch}.deb
echo "== agent-console $version ($arch)"

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"

# -- system packages ---------------------------------------------------------------------------
# python3-venv and libpython3.11 (PyInstaller bundles the shared libpython), binutils
# (PyInstaller reads the libraries with objdump), the Qt runtime libraries (PyInstaller
# imports PySide6 to find its plugins; render_icons.py draws with Qt), desktop-file-utils
# (validates the .desktop file).
packages=(python3 python3-venv libpython3.11 binutils file desktop-file-utils)
while read -r pkg; do
  case "$pkg" in ''|'#'*) ;; *) packages+=("$pkg") ;; esac
done < packaging/deb/depends
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing system packages: ${missing[*]}"
  $sudo apt-get update -q
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# -- the build venv: the app's runtime dependencies (pyproject.toml) and PyInstaller ---------
mkdir -p build dist
"$PYTHON" - > build/requirements.txt <<PY
import tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
print("\n".join(project["dependencies"]))
print("pyinstaller==$PYINSTALLER_VERSION")
print("pyinstaller-hooks-contrib==$HOOKS_CONTRIB_VERSION")
PY
if [ ! -x build/venv/bin/python ] || ! cmp -s build/requirements.txt build/venv/requirements.txt; then
  echo "== build venv (build/venv)"
  rm -rf build/venv
  "$PYTHON" -m venv build/venv
  # (a machine's pip.conf may name local wheel folders that do not exist: not worth a line each)
  quiet_pip() { build/venv/bin/python -m pip "$@" 2>&1 | { grep -v "it is neither a file nor a directory" || true; }; }
  quiet_pip install -q --upgrade pip
  quiet_pip install -q -r build/requirements.txt
  cp build/requirements.txt build/venv/requirements.txt
fi
build/venv/bin/python -m pip freeze --all > build/pip-freeze.txt

# -- icons -------------------------------------------------------------------------------------
echo "== icons"
rm -rf build/icons
QT_QPA_PLATFORM=offscreen build/venv/bin/python packaging/render_icons.py \
  resources/icons/agent-console.svg build/icons >/dev/null
desktop-file-validate resources/agent-console.desktop

# -- PyInstaller -------------------------------------------------------------------------------
echo "== pyinstaller (log: build/pyinstaller.log)"
began=$SECONDS
rm -rf build/pyinstaller/dist
if ! PYTHONPATH="$PWD" nice -n 10 build/venv/bin/pyinstaller --noconfirm --clean --log-level WARN \
    --distpath build/pyinstaller/dist --workpath build/pyinstaller/work \
    packaging/agent-console.spec >build/pyinstaller.log 2>&1; then
  tail -40 build/pyinstaller.log >&2
  exit 1
fi
bundle=build/pyinstaller/dist/agent-console
echo "bundle: $bundle, $(du -sh "$bundle" | cut -f1), in $((SECONDS - began)) s"
"$bundle/agent-console" --version
"$bundle/agent-console-backend" --help >/dev/null

# -- the package root --------------------------------------------------------------------------
echo "== package root (build/deb-root)"
root=build/deb-root
rm -rf "$root"
mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
  "$root/usr/share/icons" "$root/usr/share/doc/agent-console"
cp -a "$bundle" "$root/opt/agent-console"
ln -s /opt/agent-console/agent-console "$root/usr/bin/agent-console"
ln -s /opt/agent-console/agent-console-backend "$root/usr/bin/agent-console-backend"
install -m 0644 resources/agent-console.desktop "$root/usr/share/applications/"
cp -a build/icons/hicolor "$root/usr/share/icons/"
cat > "$root/usr/share/doc/agent-console/copyright" <<TXT
Agent Console $version: MIT license (pyproject.toml). /opt/agent-console also holds Python,
Qt 6 (LGPLv3, PySide6) and the Python libraries listed in pip-freeze.txt, under their own
licenses.
TXT
cp build/pip-freeze.txt "$root/usr/share/doc/agent-console/pip-freeze.txt"
chmod -R u+rwX,go+rX,go-w "$root"

# Depends: packaging/deb/depends, plus the package of every system library the bundle links
# to (ldd, with the bundle's own libraries first as at run time) that PyInstaller left out.
depends=$(grep -vE '^\s*(#|$)' packaging/deb/depends)
bundle_root=$PWD/$root/opt/agent-console
links=$(find "$bundle_root" -type f \( -name '*.so*' -o -perm -u+x \) -print0 |
  xargs -0 file -N | awk -F: '/ELF/ {print $1}' |
  while read -r f; do
    LD_LIBRARY_PATH="$bundle_root/_internal" ldd "$f" 2>/dev/null | sed "s|^|$f: |" || true
  done)
notfound=$(echo "$links" | grep "not found" || true)
if [ -n "$notfound" ]; then
  echo "$notfound" >&2
  echo "libraries not found on this machine: install them (and add them to packaging/deb/depends)" >&2
  exit 1
fi
libs=$(echo "$links" | awk '$3 == "=>" && $4 ~ /^\// {print $4}' | grep -v "^$bundle_root/" | sort -u)
for lib in $libs; do
  owner=$(dpkg -S "$lib" 2>/dev/null || dpkg -S "$(readlink -f "$lib")" 2>/dev/null ||
    dpkg -S "/usr$lib" 2>/dev/null || true)
  owner=${owner%%:*}
  [ -n "$owner" ] || { echo "warning: no package owns $lib" >&2; continue; }
  depends+=$'\n'"$owner"
done
depends=$( (echo "libc6 (>= 2.36)"; echo "$depends" | grep -v '^libc6$' | sort -u) | paste -sd, - | sed 's/,/, /g')
installed_size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@INSTALLED_SIZE@/$installed_size/" \
  -e "s/@DEPENDS@/$depends/" -e "s|@MAINTAINER@|$MAINTAINER|" packaging/deb/control.in \
  > "$root/DEBIAN/control"
chmod 0644 "$root/DEBIAN/control"

# -- the .deb ----------------------------------------------------------------------------------
echo "== dpkg-deb"
rm -f "$deb"
nice -n 10 dpkg-deb --build --root-owner-group "$root" "$deb" >/dev/null
dpkg-deb --field "$deb" Package Version Architecture Installed-Size Depends
echo "built $deb ($(du -h "$deb" | cut -f1), $(stat -c %s "$deb") bytes)"
