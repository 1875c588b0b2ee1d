#!/bin/sh
# Installs what libpolicy needs on Debian (bookworm or later) when it is
# missing, then configures and builds into ./build. Safe to run again.
set -eu
cd "$(dirname "$0")/.."

# shellcheck: the program the hadolint pack's ShellCheck rule runs (its
# tests skip, with a message, where it is missing).
PACKAGES="meson ninja-build pkg-config gcc libc6-dev binutils python3
liblua5.4-dev libjansson-dev libyaml-dev libcriterion-dev libseccomp-dev abigail-tools
clang libclang-rt-14-dev valgrind time python3-jsonschema libxml2-utils
python3-pytest python3-venv python3-setuptools python3-wheel golang-go libarchive-dev nettle-dev libmicrohttpd-dev curl
shellcheck"

missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing="$missing $p"
done
if [ -n "$missing" ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  echo "installing:$missing"
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
    --no-install-recommends $missing >/dev/null
fi

[ -f build/build.ninja ] || meson setup build
ninja -C build
