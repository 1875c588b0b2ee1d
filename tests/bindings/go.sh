#!/bin/sh
# The Go binding against the library of BUILD_DIR: gofmt, go vet, and
# `go test -race ./...` in bindings/go (every test, the runnable example,
# and the examples compiled), then its examples run. pkg-config finds the
# build tree's library through a libpolicy.pc written here (the header in
# the source tree, version.h and libpolicy.so in BUILD_DIR). No module is
# downloaded (GOPROXY=off): the binding needs none. Needs Debian's
# golang-go (tests/setup.sh installs it).
# Prints "go: N passed, M failed, K skipped".
# Usage: go.sh BUILD_DIR SOURCE_DIR
set -u
BUILD=$(cd "$1" && pwd)
SRC=$(cd "$2" && pwd)
if ! command -v go >/dev/null; then
  echo "SKIP: go is not installed (sh tests/setup.sh installs golang-go)"
  exit 77
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cat >"$T/libpolicy.pc" <<PC
Name: libpolicy
Description: libpolicy of the build tree $BUILD
Version: 0.1.0
Libs: -L$BUILD/libpolicy -lpolicy
Cflags: -I$SRC/libpolicy/include -I$BUILD/libpolicy/include
PC
export PKG_CONFIG_PATH="$T" LD_LIBRARY_PATH="$BUILD/libpolicy${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export GOPROXY=off GOFLAGS=-mod=readonly GOTOOLCHAIN=local CGO_ENABLED=1
export GOCACHE="$BUILD/go/cache" GOPATH="$BUILD/go/path" GOTMPDIR="$T"
passed=0
failed=0
skipped=0
cd "$SRC/bindings/go" || exit 1

step() { # DESCRIPTION COMMAND...
  what=$1
  shift
  if "$@" >"$T/step.log" 2>&1 && [ ! -s "$T/step.log" ]; then
    echo "ok - $what"
    passed=$((passed + 1))
  else
    cat "$T/step.log"
    echo "not ok - $what"
    failed=$((failed + 1))
  fi
}
step "gofmt has nothing to change" gofmt -l .
step "go vet ./..." go vet ./...

go test -race -count=1 -v ./... >"$T/test.log" 2>&1
status=$?
grep -E '^\s*--- (FAIL|SKIP)|^(FAIL|ok|panic|WARNING: DATA RACE)' "$T/test.log"
n=$(grep -cE '^\s*--- PASS' "$T/test.log")
passed=$((passed + n))
n=$(grep -cE '^\s*--- SKIP' "$T/test.log")
skipped=$((skipped + n))
n=$(grep -cE '^\s*--- FAIL' "$T/test.log")
failed=$((failed + n))
if [ $status -ne 0 ] && [ "$n" -eq 0 ]; then
  cat "$T/test.log"
  echo "not ok - go test -race ./... (exit $status)"
  failed=$((failed + 1))
fi

example() { # DESCRIPTION EXPECTED-STATUS PATTERN PACKAGE ARGS...
  what=$1
  want=$2
  pattern=$3
  pkg=$4
  shift 4
  go build -o "$T/example" "$pkg" && (cd "$SRC" && "$T/example" "$@") >"$T/example.log" 2>&1
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
example "examples/checkfiles reports the insecure example" 1 \
  'insecure.Dockerfile:[0-9]*:[0-9]*: high \[sudo-in-run\]' \
  ./examples/checkfiles examples/insecure.Dockerfile examples/secure.Dockerfile
example "examples/service allows the secure example" 0 '"allowed":true' \
  ./examples/service examples/secure.Dockerfile

echo "go: $passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
