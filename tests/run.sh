#!/bin/sh
# Runs the whole test suite in ./build (after tests/setup.sh) and ends with
# one line: "tests: N passed, M failed, K skipped", counting each Criterion
# test and each other test program. Exits non-zero when anything failed.
# Extra arguments go to `meson test` (e.g. --suite conformance).
set -u
cd "$(dirname "$0")/.."
meson test -C build --print-errorlogs --num-processes 2 "$@"
status=$?
python3 tests/summary.py build/meson-logs/testlog.json || status=1
exit $status
