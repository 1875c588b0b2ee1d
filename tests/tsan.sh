#!/bin/sh
# Builds the library and the policy command with ThreadSanitizer into
# ./build-tsan and runs `policy check --jobs 4` (four engines on four
# threads, one shared baseline) over the examples and, when ../shared is
# there, the corpus: no race may be reported, and the output must be the
# one of --jobs 1. Then the C test of the public API on threads
# (tests/threads/threads_corpus.c: four engines over the corpus, documents
# shared by four threads, a cancel flag set from another thread) under
# ThreadSanitizer: no race, every case passing. Run after tests/setup.sh.
# Prints "tsan: N passed, M failed".
set -u
cd "$(dirname "$0")/.."
SRC=$(pwd)
[ -f build-tsan/build.ninja ] ||
  meson setup build-tsan -Db_sanitize=thread -Db_lundef=false -Dbuildtype=debug \
    -Dtests=disabled >/dev/null || exit 1
ninja -C build-tsan cli/policy tests/threads/threads_corpus >/dev/null || exit 1
POLICY="$SRC/build-tsan/cli/policy"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
passed=0
failed=0
run_case() { # NAME DIR
  name=$1
  dir=$2
  (cd "$dir" && "$POLICY" baseline write "$T/base.json" --no-config --jobs 1 . >/dev/null 2>&1)
  (cd "$dir" && "$POLICY" check --no-config --jobs 1 --format json . >"$T/one.json" 2>/dev/null)
  (cd "$dir" && TSAN_OPTIONS="halt_on_error=0 exitcode=66" "$POLICY" check --no-config --jobs 4 \
     --format json . >"$T/four.json" 2>"$T/tsan.err")
  (cd "$dir" && TSAN_OPTIONS="halt_on_error=0 exitcode=66" "$POLICY" check --no-config --jobs 4 \
     --baseline "$T/base.json" . >/dev/null 2>>"$T/tsan.err")
  if grep -q 'WARNING: ThreadSanitizer' "$T/tsan.err"; then
    sed -n '/WARNING: ThreadSanitizer/,/^SUMMARY/p' "$T/tsan.err" | head -60
    echo "not ok - $name: ThreadSanitizer reports"
    failed=$((failed + 1))
  elif ! cmp -s "$T/one.json" "$T/four.json"; then
    echo "not ok - $name: --jobs 4 differs from --jobs 1"
    failed=$((failed + 1))
  else
    echo "ok - $name: no race, same output"
    passed=$((passed + 1))
  fi
}
run_case examples "$SRC/examples"
if [ -d "$SRC/../shared/corpus" ]; then
  mkdir -p "$T/corpus"
  cp -r "$SRC/../shared/corpus/dockerfiles" "$SRC/../shared/corpus/compose" "$T/corpus/"
  for f in "$T"/corpus/dockerfiles/*; do mv "$f" "$f.Dockerfile"; done
  run_case corpus "$T/corpus"
else
  echo "tsan: SKIP the corpus (../shared is absent)"
fi
if [ -d "$SRC/../shared/corpus" ]; then
  if TSAN_OPTIONS="halt_on_error=0 exitcode=66" POLICY_SHARED_DIR="$SRC/../shared" \
       "$SRC/build-tsan/tests/threads/threads_corpus" >"$T/threads.out" 2>"$T/tsan.err" &&
     ! grep -q 'WARNING: ThreadSanitizer' "$T/tsan.err"; then
    echo "ok - threads_corpus: no race, $(tail -n 1 "$T/threads.out")"
    passed=$((passed + 1))
  else
    sed -n '/WARNING: ThreadSanitizer/,/^SUMMARY/p' "$T/tsan.err" | head -60
    grep 'not ok' "$T/threads.out"
    echo "not ok - threads_corpus: ThreadSanitizer reports or a case failed"
    failed=$((failed + 1))
  fi
else
  echo "tsan: SKIP threads_corpus (../shared is absent)"
fi
echo "tsan: $passed passed, $failed failed"
[ $failed -eq 0 ]
