#!/bin/sh
# Installs the build into a staging folder (meson install --destdir), then
# builds tests/install/example.c against the installed header and
# pkg-config file only, runs it on a Dockerfile, and checks that every
# installed piece is where it should be (library with its SONAME, header,
# libpolicy.pc, the policy command, the built-in pack and its helper
# libraries, the man page, the documentation).
# Usage: test_install.sh BUILD_DIR SOURCE_DIR
set -eu
BUILD=$1
SRC=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
bad() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $1"; }
check() { d=$1; shift; if "$@"; then ok "$d"; else bad "$d"; fi; }

meson install -C "$BUILD" --no-rebuild --quiet --destdir "$T/stage" >"$T/install.log" 2>&1 ||
  { cat "$T/install.log"; echo "install: 0 passed, 1 failed"; exit 1; }
prefix=$(meson introspect "$BUILD" --buildoptions |
  python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"][0])')
root="$T/stage$prefix"
pcdir=$(dirname "$(find "$root" -name libpolicy.pc | head -n 1)")
libdir=$(dirname "$(find "$root" -name 'libpolicy.so.1' | head -n 1)")

check "libpolicy.so.1 is installed" [ -e "$libdir/libpolicy.so.1" ]
check "the SONAME is libpolicy.so.1" sh -c "objdump -p '$libdir/libpolicy.so.1' | grep -q 'SONAME.*libpolicy.so.1'"
check "only policy_ symbols are exported" sh -c \
  "! nm -D --defined-only '$libdir/libpolicy.so.1' | awk '{print \$3}' | grep -v '^policy_' | grep -v '^LIBPOLICY_' | grep -q ."
check "policy.h is installed" [ -f "$root/include/policy/policy.h" ]
check "version.h is installed" [ -f "$root/include/policy/version.h" ]
check "libpolicy.pc is installed" [ -f "$pcdir/libpolicy.pc" ]
check "the policy command is installed" [ -x "$root/bin/policy" ]
check "the built-in pack is installed" [ -f "$root/share/libpolicy/policies/image-runs-as-root.lua" ]
check "its helper libraries are installed" [ -f "$root/share/libpolicy/policies/lib/shell.lua" ]
check "the man page is installed" sh -c "ls '$root'/share/man/man1/policy.1* >/dev/null"
check "the documentation is installed" [ -f "$root/share/doc/libpolicy/ci.md" ]
check "policy --help names where" sh -c "'$BUILD/cli/policy' --help | grep -q '$prefix/share/doc/libpolicy/'"

flags=$(PKG_CONFIG_PATH="$pcdir" pkg-config --define-variable=prefix="$root" --cflags --libs libpolicy)
# shellcheck disable=SC2086
if cc -std=c99 -Wall -Wextra -Werror -pedantic "$SRC/tests/install/example.c" $flags -o "$T/example" 2>"$T/cc.log"; then
  ok "an embedder builds against the installed header and libpolicy.pc (C99, -pedantic)"
  printf 'FROM alpine:3.20\nUSER root\n' >"$T/Dockerfile"
  if LD_LIBRARY_PATH="$libdir" "$T/example" "$T/Dockerfile" >"$T/out" 2>&1; then
    ok "it evaluates a Dockerfile through the installed library"
  else
    cat "$T/out"; bad "it evaluates a Dockerfile through the installed library"
  fi
  check "and reports at the USER line" grep -q 'Dockerfile:2: high \[image-runs-as-root\]' "$T/out"
else
  cat "$T/cc.log"; bad "an embedder builds against the installed header and libpolicy.pc"
fi
if c++ -x c++ -std=c++11 -Wall -Wextra -Werror -pedantic -fsyntax-only \
     -I"$root/include" "$SRC/tests/install/example.c" 2>"$T/cxx.log"; then
  ok "policy.h compiles as C++ too"
elif ! command -v c++ >/dev/null; then
  ok "policy.h compiles as C++ too # SKIP no C++ compiler"
else
  cat "$T/cxx.log"; bad "policy.h compiles as C++ too"
fi
echo "1..$n"
echo "install: $((n - fail)) passed, $fail failed"
[ $fail -eq 0 ]
