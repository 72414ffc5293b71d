#!/usr/bin/env bash
# Install the .deb into a bare Debian 12 root (no venv, no build tools) and run it there.
#   bash packaging/check-deb.sh                    # checks dist/agent-console_<version>_amd64.deb
#   bash packaging/check-deb.sh path/to/some.deb   # checks that file
#   bash packaging/check-deb.sh --prepare          # only makes (and caches) the bare root
#
# The root is `debootstrap --variant=minbase bookworm` from deb.debian.org, made once and
# cached as build/check-deb/bookworm-minbase.tar (a second run unpacks it: seconds, not
# minutes). Every run starts from a fresh copy, installs the package with
# `apt-get install --no-install-recommends ./agent-console_*.deb` (Depends come from the Debian
# archive, nothing else), then, as an unprivileged user:
#   - every ELF file of /opt/agent-console finds its libraries (ldd: no "not found");
#   - agent-console --version, agent-console-backend --help;
#   - agent-console-backend _sync-child with nothing on stdin exits 0 (the frozen sync child);
#   - agent-console --smoke-test, offscreen: must print "smoke test: passed" and exit 0;
#   - the same on an Xvfb display of this machine (its socket bound into the root), with
#     QT_QPA_PLATFORM=xcb: Qt's xcb platform plugin and the libraries it needs.
# Needs root (chroot, mount). /proc and /dev are mounted into the root and unmounted on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

SUITE=bookworm
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
WORK=build/check-deb
CACHE=$WORK/$SUITE-minbase.tar
ROOT=$WORK/root

prepare_only=0
deb=""
case "${1:-}" in
  --prepare) prepare_only=1 ;;
  "") version=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' console/__init__.py)
      deb="dist/agent-console_${version}_$(dpkg --print-architecture).deb" ;;
  *) deb=$1 ;;
esac

if [ "$(id -u)" -ne 0 ]; then
  echo "check-deb.sh needs root (chroot and mount); try: sudo bash $0 $*" >&2
  exit 1
fi
if [ "$prepare_only" = 0 ] && [ ! -f "$deb" ]; then
  echo "no package at $deb: run bash packaging/build-deb.sh first" >&2
  exit 1
fi

mounted=()
xvfb_pid=""
cleanup() {
  local i
  [ -z "$xvfb_pid" ] || kill "$xvfb_pid" 2>/dev/null || true
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount -R "${mounted[$i]}" 2>/dev/null || umount -lR "${mounted[$i]}" 2>/dev/null || true
  done
}
trap cleanup EXIT

# -- the bare root, cached ---------------------------------------------------------------------
mkdir -p "$WORK"
if [ ! -f "$CACHE" ]; then
  if ! command -v debootstrap >/dev/null; then
    echo "Installing debootstrap"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap
  fi
  tmp=$WORK/bootstrap.tmp
  rm -rf "$tmp"
  echo "debootstrap --variant=minbase $SUITE from $MIRROR (once; cached as $CACHE)"
  debootstrap --variant=minbase "$SUITE" "$tmp" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 || {
    tail -20 "$WORK/debootstrap.log" >&2
    exit 1
  }
  tar -C "$tmp" --numeric-owner -cf "$CACHE.part" .
  mv "$CACHE.part" "$CACHE"
  rm -rf "$tmp"
fi
echo "bare root: $CACHE ($(du -h "$CACHE" | cut -f1))"
[ "$prepare_only" = 1 ] && exit 0

rm -rf "$ROOT"
mkdir -p "$ROOT"
tar -C "$ROOT" --numeric-owner -xf "$CACHE"
for tool in python3 pip3 gcc cc; do
  if chroot "$ROOT" sh -c "command -v $tool" >/dev/null 2>&1; then
    echo "the bare root has $tool: not bare" >&2
    exit 1
  fi
done

mount -t proc proc "$ROOT/proc" && mounted+=("$ROOT/proc")
mount --rbind /dev "$ROOT/dev" && mount --make-rslave "$ROOT/dev" && mounted+=("$ROOT/dev")
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"

in_root() { chroot "$ROOT" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }

# -- install -------------------------------------------------------------------------------
cp "$deb" "$ROOT/tmp/"
debname=$(basename "$deb")
echo "== apt-get install ./$debname (in the bare $SUITE root)"
in_root apt-get update -q >"$WORK/apt.log" 2>&1 || { tail -20 "$WORK/apt.log" >&2; exit 1; }
if ! in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "/tmp/$debname" >>"$WORK/apt.log" 2>&1; then
  tail -30 "$WORK/apt.log" >&2
  exit 1
fi
grep -E '^(Need to get|After this operation)' "$WORK/apt.log" || true
in_root dpkg-query -W -f='installed ${Package} ${Version}, ${Installed-Size} KiB\n' agent-console
for path in /usr/bin/agent-console /usr/bin/agent-console-backend \
    /usr/share/applications/agent-console.desktop \
    /usr/share/icons/hicolor/scalable/apps/agent-console.svg \
    /usr/share/icons/hicolor/48x48/apps/agent-console.png; do
  in_root test -e "$path" || { echo "missing after install: $path" >&2; exit 1; }
done

if in_root sh -c 'command -v python3' >/dev/null 2>&1; then
  echo "installing the package brought python3 in: it must run on its own Python" >&2
  exit 1
fi
in_root useradd --create-home --shell /bin/sh tester

# -- every library found -----------------------------------------------------------------------
echo "== ldd over /opt/agent-console"
missing=$(in_root sh -c '
  find /opt/agent-console -type f \( -name "*.so*" -o -perm -u+x \) | while read -r f; do
    head -c 4 "$f" | grep -q "ELF" || continue
    LD_LIBRARY_PATH=/opt/agent-console/_internal ldd "$f" 2>/dev/null | grep "not found" |
      sed "s|^|$f: |"
  done' | sort -u)
if [ -n "$missing" ]; then
  echo "$missing" >&2
  echo "libraries not found (a Depends is missing)" >&2
  exit 1
fi
echo "every ELF file finds its libraries"

# -- run it --------------------------------------------------------------------------------
as_tester() {
  chroot --userspec=tester:tester "$ROOT" env -i PATH=/usr/bin:/bin LANG=C.UTF-8 \
    HOME=/home/tester "$@"
}
echo "== agent-console --version"
as_tester agent-console --version
echo "== agent-console-backend --help"
as_tester agent-console-backend --help | head -4
echo "== agent-console-backend _sync-child </dev/null"
as_tester agent-console-backend _sync-child </dev/null
echo "exit 0"
echo "== agent-console --smoke-test (offscreen)"
set +e
out=$(as_tester sh -c 'HOME=$(mktemp -d) && export HOME &&
  timeout 300 agent-console --smoke-test' 2>&1)
code=$?
set -e
printf '%s\n' "$out" | tail -15
if [ "$code" -ne 0 ] || ! printf '%s\n' "$out" | grep -q "smoke test: passed"; then
  echo "FAILED: agent-console --smoke-test exited $code" >&2
  exit 1
fi
# -- the same under a real X server: Qt's xcb platform plugin with only the Depends installed --
if ! command -v Xvfb >/dev/null; then
  echo "Installing xvfb (on this machine, not in the root)"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends xvfb xauth
fi
display=50
while [ -e "/tmp/.X11-unix/X$display" ] || [ -e "/tmp/.X$display-lock" ]; do
  display=$((display + 1))
done
Xvfb ":$display" -nolisten tcp -screen 0 1280x800x24 >"$WORK/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 100); do [ -S "/tmp/.X11-unix/X$display" ] && break; sleep 0.1; done
mkdir -p "$ROOT/tmp/.X11-unix"
mount --bind /tmp/.X11-unix "$ROOT/tmp/.X11-unix" && mounted+=("$ROOT/tmp/.X11-unix")
echo "== agent-console --smoke-test on Xvfb :$display (QT_QPA_PLATFORM=xcb)"
set +e
out=$(as_tester sh -c 'HOME=$(mktemp -d) && export HOME &&
  QT_QPA_PLATFORM=xcb DISPLAY=:'"$display"' timeout 300 agent-console --smoke-test' 2>&1)
code=$?
set -e
kill "$xvfb_pid" 2>/dev/null || true
wait "$xvfb_pid" 2>/dev/null || true
xvfb_pid=""
printf '%s\n' "$out" | grep -vE " (INFO|DEBUG) " | tail -8
if [ "$code" -ne 0 ] || ! printf '%s\n' "$out" | grep -q "smoke test: passed"; then
  echo "FAILED on xcb: agent-console --smoke-test exited $code" >&2
  exit 1
fi

echo "check-deb: $debname installs into a bare Debian $SUITE root and passes its smoke test"
