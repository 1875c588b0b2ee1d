#!/bin/sh
# Builds the libFuzzer targets of tests/fuzz with clang into ./build-fuzz
# and runs each for a bounded time, two at a time. Prints one line per
# target and a closing "fuzz: N passed, M failed"; exits non-zero when any
# target found a crash, a leak, a timeout or an out-of-memory input.
# Inputs that fail are saved in build-fuzz/fuzz/artifacts/ and the log
# says how to replay them. See tests/fuzz/README.md.
#
# Usage: sh tests/fuzz.sh [--time SECONDS | --long SECONDS] [TARGET...]
#   --time S   seconds per target (default 20: the CI run)
#   --long S   the same, for long runs by hand (e.g. --long 3600)
# Environment: FUZZ_BUILD_DIR (default build-fuzz), POLICY_SHARED_DIR
# (default ../shared, for seed inputs), FUZZ_JOBS (targets run at once,
# default 2).
set -u
cd "$(dirname "$0")/.."
SRC=$(pwd)
BUILD=${FUZZ_BUILD_DIR:-build-fuzz}
SHARED=${POLICY_SHARED_DIR:-$SRC/../shared}
JOBS=${FUZZ_JOBS:-2}
SECONDS_EACH=20
TARGETS=""
while [ $# -gt 0 ]; do
  case $1 in
    --time|--long) SECONDS_EACH=${2:?"$1 needs a number of seconds"}; shift 2 ;;
    --time=*|--long=*) SECONDS_EACH=${1#*=}; shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fuzz: unknown option $1" >&2; exit 2 ;;
    *) TARGETS="$TARGETS $1"; shift ;;
  esac
done
ALL="df_parse df_build shlex shsplit load_yaml load_json suppression rules compose inspect scan"
[ -n "$TARGETS" ] || TARGETS=$ALL

if ! command -v clang >/dev/null 2>&1; then
  echo "fuzz: clang is not installed (sh tests/setup.sh installs clang and libclang-rt-14-dev)"
  echo "fuzz: 0 passed, 1 failed"
  exit 1
fi

if [ ! -f "$BUILD/build.ninja" ]; then
  CC=clang meson setup "$BUILD" -Dfuzzing=true -Dtests=disabled \
    -Dbuildtype=debugoptimized >"$BUILD.setup.log" 2>&1 ||
    { cat "$BUILD.setup.log"; echo "fuzz: 0 passed, 1 failed"; exit 1; }
  rm -f "$BUILD.setup.log"
fi
exes=""
for t in $TARGETS; do exes="$exes tests/fuzz/fuzz_$t"; done
# shellcheck disable=SC2086
ninja -C "$BUILD" $exes >"$BUILD/fuzz-build.log" 2>&1 ||
  { tail -n 40 "$BUILD/fuzz-build.log"; echo "fuzz: 0 passed, 1 failed"; exit 1; }

W="$BUILD/fuzz"
mkdir -p "$W/corpus" "$W/artifacts" "$W/logs"
python3 tests/fuzz/seeds.py "$W/seeds" "$SRC" "$SHARED" >"$W/logs/seeds.log" ||
  { cat "$W/logs/seeds.log"; exit 1; }

dict_of() {
  case $1 in
    df_*) echo tests/fuzz/dockerfile.dict ;;
    shlex|shsplit) echo tests/fuzz/shell.dict ;;
    load_yaml|compose) echo tests/fuzz/yaml.dict ;;
    load_json|inspect|scan) echo tests/fuzz/json.dict ;;
    suppression) echo tests/fuzz/dockerfile.dict ;;
    rules) echo tests/fuzz/lua.dict ;;
  esac
}

# run_one TARGET: one bounded run; its exit status is libFuzzer's.
run_one() {
  t=$1
  mkdir -p "$W/corpus/$t"
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1} \
  UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    "$BUILD/tests/fuzz/fuzz_$t" -max_total_time="$SECONDS_EACH" \
    -rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout=5 -max_len=65536 \
    -dict="$(dict_of "$t")" -artifact_prefix="$W/artifacts/$t-" \
    -print_final_stats=1 "$W/corpus/$t" "$W/seeds/$t" >"$W/logs/$t.log" 2>&1
}

report() { # report TARGET STATUS
  t=$1
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$W/logs/$t.log" | tail -n 1)
  cov=$(grep -o 'cov: [0-9]*' "$W/logs/$t.log" | tail -n 1 | sed 's/cov: //')
  if [ "$2" -eq 0 ]; then
    passed=$((passed + 1))
    echo "fuzz: $t ok (${SECONDS_EACH} s, ${runs:-?} runs, coverage ${cov:-?})"
  else
    failed=$((failed + 1))
    echo "fuzz: $t FAILED (exit $2); the end of $W/logs/$t.log:"
    grep -E 'ERROR|SUMMARY|fuzz_assert|Test unit written|==[0-9]+==' "$W/logs/$t.log" | head -n 20 | sed 's/^/  /'
    tail -n 5 "$W/logs/$t.log" | sed 's/^/  /'
    for a in "$W/artifacts/$t-"*; do
      [ -f "$a" ] && echo "  saved $a; replay it with $BUILD/tests/fuzz/fuzz_$t $a," \
        "fix the cause, then copy it to tests/fuzz/regressions/$t/"
    done
  fi
}

passed=0
failed=0
set -- $TARGETS
while [ $# -gt 0 ]; do
  pids=""
  names=""
  i=0
  while [ $# -gt 0 ] && [ $i -lt "$JOBS" ]; do
    run_one "$1" &
    pids="$pids $!"
    names="$names $1"
    shift
    i=$((i + 1))
  done
  set -- "$@" # keep the remaining targets
  for p in $pids; do
    wait "$p"
    st=$?
    n=${names# }
    report "${n%% *}" $st
    names=${n#* }
    [ "$names" = "$n" ] && names=""
  done
done
echo "fuzz: $passed passed, $failed failed"
[ $failed -eq 0 ]
