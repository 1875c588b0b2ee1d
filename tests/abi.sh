#!/bin/sh
# Checks the ABI of the built libpolicy.so.1 against the baseline stored in
# libpolicy/libpolicy.abi (made by abidw from Debian's abigail-tools). Any
# difference fails, additions included: a change to the ABI must be
# deliberate, by running this script with --update and committing the new
# baseline together with the new node in libpolicy/libpolicy.map.
# Usage: tests/abi.sh BUILD_DIR SOURCE_DIR [--update]
set -u
BUILD=$1
SRC=$2
LIB="$BUILD/libpolicy/libpolicy.so.1"
BASE="$SRC/libpolicy/libpolicy.abi"
HEADERS="$SRC/libpolicy/include/policy"
if ! command -v abidiff >/dev/null; then
  echo "abi: SKIP (abidiff not installed: apt-get install abigail-tools)"
  exit 77
fi
if [ "${3:-}" = "--update" ]; then
  abidw --headers-dir "$HEADERS" --drop-private-types --no-corpus-path \
    --out-file "$BASE" "$LIB" && echo "abi: baseline written to $BASE"
  exit $?
fi
abidiff --headers-dir2 "$HEADERS" --drop-private-types "$BASE" "$LIB"
status=$?
if [ $status -eq 0 ]; then
  echo "abi: 1 passed, 0 failed"
else
  echo "abi: the ABI differs from libpolicy/libpolicy.abi (abidiff exit $status)."
  echo "abi: if the change is deliberate (additions only), run"
  echo "abi:   sh tests/abi.sh build . --update"
  echo "abi: and commit the baseline with a new version node in libpolicy.map."
  echo "abi: 0 passed, 1 failed"
fi
exit $status
