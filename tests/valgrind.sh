#!/bin/sh
# Runs the `policy` command under valgrind's memcheck: parse, check, rules
# and explain over the examples, BuildKit's parser test files, a slice of
# the corpus and the samples (../shared, when present), standard input,
# and hostile inputs. Any memory error or definite/indirect leak fails the
# run (the Lua state is closed with lua_close, so every leak is ours), as
# does a crash. Prints one line per failing run and a closing
# "valgrind: N passed, M failed"; exits non-zero when any run failed.
#
# Usage: sh tests/valgrind.sh   (after tests/setup.sh; uses ./build)
# Environment: BUILD_DIR (default build), POLICY_SHARED_DIR (default
# ../shared), VALGRIND_SLICE (every Nth corpus file, default 6).
set -u
cd "$(dirname "$0")/.."
SRC=$(pwd)
BUILD=${BUILD_DIR:-build}
SHARED=${POLICY_SHARED_DIR:-$SRC/../shared}
SLICE=${VALGRIND_SLICE:-6}
POLICY=$BUILD/cli/policy
if ! command -v valgrind >/dev/null 2>&1; then
  echo "valgrind: valgrind is not installed (sh tests/setup.sh installs it)"
  echo "valgrind: 0 passed, 1 failed"
  exit 1
fi
[ -x "$POLICY" ] || { echo "valgrind: $POLICY is missing (run sh tests/setup.sh)"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# policy itself exits 0, 1 (findings) or 2 (input or usage errors), so
# valgrind reports its errors with an exit status of its own
# (--error-exitcode=99), and the log's error summary is checked too.
VG_STATUS=99
passed=0
failed=0
n=0

# vg NAME [--stdin FILE] ARGS...: runs policy ARGS under memcheck.
vg() {
  name=$1; shift
  input=/dev/null
  if [ "$1" = "--stdin" ]; then input=$2; shift 2; fi
  n=$((n + 1))
  log="$T/vg.$n.log"
  valgrind --error-exitcode=$VG_STATUS --leak-check=full \
    --errors-for-leak-kinds=definite,indirect \
    --show-leak-kinds=definite,indirect --num-callers=30 \
    --log-file="$log" "$POLICY" "$@" <"$input" >"$T/out" 2>"$T/err"
  rc=$?
  if [ $rc -le 2 ] && grep -q 'ERROR SUMMARY: 0 errors' "$log"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "valgrind: FAILED $name (exit $rc): policy $*"
    sed -n '/== [A-Z]/,$p' "$log" | grep -v '^==[0-9]*== *$' | head -n 60 | sed 's/^/  /'
    tail -n 3 "$T/err" | sed 's/^/  stderr: /'
  fi
}

# The examples and the built-in pack.
vg "parse the examples" parse examples/insecure.Dockerfile examples/secure.Dockerfile
vg "check a folder" check examples
vg "check, JSON report" check --format json examples/insecure.Dockerfile
vg "check, colour" check --color --verbose examples
vg "rules" rules
vg "rules, JSON" rules --format json
vg "explain" explain DL3002
vg "explain an unknown rule" explain no-such-rule
if "$POLICY" help test >/dev/null 2>&1; then
  vg "test the built-in pack's fixtures" test policies
fi
vg "standard input" --stdin examples/insecure.Dockerfile check -
vg "no arguments" check
vg "unknown option" parse --frob

# Hostile and broken inputs: each is an error in the report, never a crash.
mkfifo "$T/fifo"
ln -s /dev/zero "$T/zero.Dockerfile"
ln -s "$T/nowhere" "$T/dangling.Dockerfile"
printf 'FROM alpine\nRUN <<EOF\nnever ends\n' >"$T/heredoc.Dockerfile"
printf 'FROM alpine\nRUN echo \000\377 bad\nENV A=\303\050\nFOO\n' >"$T/bytes.Dockerfile"
printf 'FROM alpine\nENV A=xxxxxxxx\n' >"$T/bomb.Dockerfile"
i=0
while [ $i -lt 10 ]; do printf 'ENV A=$A$A$A$A$A$A$A$A\n' >>"$T/bomb.Dockerfile"; i=$((i + 1)); done
printf 'return {' >"$T/broken.lua"
printf 'return { id = "loop", title = "t", severity = "low", applies_to = "image",
  description = "d", remediation = "r",
  check = function(i) local t = {} while true do t[#t + 1] = i.from end end }\n' >"$T/loop.lua"
printf 'a: [1, 2\n' >"$T/bad.yaml"
vg "special files" check "$T/fifo" "$T/zero.Dockerfile" "$T/dangling.Dockerfile" "$T" \
  /dev/null examples/secure.Dockerfile
vg "broken Dockerfiles" parse "$T/heredoc.Dockerfile" "$T/bytes.Dockerfile" "$T/bomb.Dockerfile"
vg "a broken rule file" check --policy "$T/broken.lua" examples/secure.Dockerfile
vg "a rule over its budgets" check --max-instructions 200000 --max-lua-memory 8M \
  --policy "$T/loop.lua" examples
vg "a broken data file" check --data "$T/bad.yaml" examples/secure.Dockerfile
vg "the input limit" --stdin examples/insecure.Dockerfile check --max-input-bytes 64 -

# BuildKit's parser test files, the corpus (every SLICE-th file) and the
# samples, in a few invocations each so memcheck's start-up is paid once.
if [ -d "$SHARED/conformance/buildkit-parser" ]; then
  find "$SHARED/conformance/buildkit-parser" -name 'Dockerfile*' -type f | sort >"$T/conf"
  # shellcheck disable=SC2046
  vg "parse BuildKit's test files" parse --kind dockerfile $(cat "$T/conf")
  # shellcheck disable=SC2046
  vg "check BuildKit's test files" check --kind dockerfile $(cat "$T/conf")
  ls "$SHARED/corpus/dockerfiles" | awk -v s="$SLICE" 'NR % s == 1' |
    sed "s|^|$SHARED/corpus/dockerfiles/|" >"$T/corpus"
  # shellcheck disable=SC2046
  vg "parse a slice of the corpus" parse --kind dockerfile $(cat "$T/corpus")
  # shellcheck disable=SC2046
  vg "check a slice of the corpus" check --kind dockerfile --format json $(cat "$T/corpus")
  find "$SHARED/samples" "$SHARED/corpus/compose" -type f \
    \( -name '*.json' -o -name '*.y*ml' \) | sort | awk -v s="$SLICE" 'NR % s == 1 || /samples/' >"$T/samples"
  # shellcheck disable=SC2046
  vg "parse the samples" parse $(cat "$T/samples")
  # shellcheck disable=SC2046
  vg "check the samples" check $(cat "$T/samples")
  vg "check the samples folder" check "$SHARED/samples"
else
  echo "valgrind: $SHARED not found; BuildKit's test files, the corpus and the samples are skipped"
fi

echo "valgrind: $passed passed, $failed failed"
[ $failed -eq 0 ]
