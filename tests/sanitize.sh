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
status=0
meson test -C build-asan --setup asan --print-errorlogs --num-processes 2 || status=1
python3 tests/summary.py build-asan/meson-logs/testlog-asan.json sanitizers || status=1
exit $status
