#!/bin/sh
# Builds the library and tests with AddressSanitizer and UndefinedBehavior-
# Sanitizer into ./build-asan and runs the whole suite there. Run after
# tests/setup.sh (which installs the compilers and libraries).
set -eu
cd "$(dirname "$0")/.."
[ -f build-asan/build.ninja ] ||
  meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false \
    -Dbuildtype=debug
ninja -C build-asan
meson test -C build-asan --setup asan --print-errorlogs --num-processes 2
