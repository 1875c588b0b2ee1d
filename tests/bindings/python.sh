#!/bin/sh
# The Python binding against the library of BUILD_DIR: its pytest suite
# from the source tree (python3 -m pytest bindings/python), then the
# package installed with pip into a fresh venv and the same suite against
# the installed copy, then its examples. pip runs offline (--no-index
# --no-build-isolation, with Debian's setuptools and wheel seen through
# --system-site-packages); with PyPI at hand, `pip install ./bindings/python`
# needs no flag. Uses a python3 that has pytest and venv (Debian's
# python3-pytest and python3-venv, which tests/setup.sh installs).
# Prints "python: N passed, M failed, K skipped".
# Usage: python.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=$(cd "$1" && pwd)
SRC=$(cd "$2" && pwd)
PY=""
for p in /usr/bin/python3 python3; do
  if command -v "$p" >/dev/null && "$p" -c 'import pytest, venv, setuptools, wheel' 2>/dev/null; then
    PY=$p
    break
  fi
done
if [ -z "$PY" ]; then
  echo "SKIP: no python3 with pytest, venv, setuptools and wheel (sh tests/setup.sh installs them)"
  exit 77
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export LIBPOLICY_LIBRARY="$BUILD/libpolicy/libpolicy.so.1" PYTHONDONTWRITEBYTECODE=1
passed=0
failed=0
skipped=0

# Adds the counts of pytest's closing line ("3 failed, 60 passed, 1 skipped in 2.1s").
count() { # LOG
  line=$(tail -n 1 "$1")
  for word in passed failed skipped error errors; do
    n=$(echo "$line" | grep -o "[0-9]* $word" | head -n 1 | cut -d' ' -f1)
    [ -n "$n" ] || continue
    case $word in
      passed) passed=$((passed + n)) ;;
      skipped) skipped=$((skipped + n)) ;;
      *) failed=$((failed + n)) ;;
    esac
  done
}

run_pytest() { # LABEL PYTHON [ENV...]
  label=$1
  python=$2
  shift 2
  if env "$@" "$python" -m pytest -q -p no:cacheprovider "$SRC/bindings/python" >"$T/$label.log" 2>&1; then
    echo "ok - pytest ($label): $(tail -n 1 "$T/$label.log")"
  else
    cat "$T/$label.log"
    echo "not ok - pytest ($label)"
    grep -q ' passed\| failed' "$T/$label.log" || failed=$((failed + 1))
  fi
  count "$T/$label.log"
}

run_pytest source "$PY"

cp -r "$SRC/bindings/python" "$T/package"
if "$PY" -m venv --system-site-packages "$T/venv" >"$T/venv.log" 2>&1 &&
   "$T/venv/bin/python" -m pip install --quiet --no-index --no-build-isolation --no-deps \
     "$T/package" >>"$T/venv.log" 2>&1; then
  echo "ok - pip install ./bindings/python into a venv"
  passed=$((passed + 1))
  run_pytest installed "$T/venv/bin/python" LIBPOLICY_TEST_INSTALLED=1
else
  cat "$T/venv.log"
  echo "not ok - pip install ./bindings/python into a venv"
  failed=$((failed + 1))
fi

example() { # DESCRIPTION EXPECTED-STATUS PATTERN SCRIPT ARGS...
  what=$1
  want=$2
  pattern=$3
  shift 3
  (cd "$SRC" && PYTHONPATH="$SRC/bindings/python" "$PY" "$@") >"$T/example.log" 2>&1
  rc=$?
  if [ $rc -eq "$want" ] && grep -q "$pattern" "$T/example.log"; then
    echo "ok - $what"
    passed=$((passed + 1))
  else
    cat "$T/example.log"
    echo "not ok - $what (exit $rc)"
    failed=$((failed + 1))
  fi
}
example "examples/check_files.py reports the insecure example" 1 \
  'insecure.Dockerfile:[0-9]*:[0-9]*: high \[sudo-in-run\]' \
  bindings/python/examples/check_files.py examples/insecure.Dockerfile
example "examples/service.py allows the secure example" 0 '"allowed": true' \
  bindings/python/examples/service.py examples/secure.Dockerfile

echo "python: $passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
