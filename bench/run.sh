#!/bin/sh
# bench/run.sh: the benchmarks. Builds the project, runs bench_parse over
# the whole corpus in ../shared, runs the peer (the Dockerfile parser of
# openshift/imagebuilder, Go, from Debian's packages) on the same files,
# then runs the engine benchmark (bench_check: the rules over the same
# files, the built-in pack alone and with copies of its rules as a user's
# files), measures loading a pack into a new engine (bench_load), prints
# a summary and writes bench/results/latest.json (JSON
# lines), then runs bench/peers.sh (the whole CLI beside dockerfilelint and
# dclint; bench/results/peers.json). See bench/README.md.
#
#   sh bench/run.sh
#
# Environment:
#   BENCH_MIN_SECONDS  seconds of parsing per run, in whole rounds (2)
#   BENCH_RUNS         runs of each program, alternating; the fastest of
#                      each is kept, as noise only slows a run down (3)
#   BENCH_BUILD_DIR    the configured build directory (build)
#   BENCH_PEER         "none" skips the peer
#   BENCH_NO_INSTALL   1: never run apt-get; without the peer's packages
#                      the peer is skipped
#   BENCH_OUT          where the JSON lines go (bench/results/latest.json)
#   BENCH_ENGINE_RULES rule counts of the engine benchmark ("1 144": the
#                      built-in pack alone, then with a copy of each of its
#                      rules loaded as a user's file, run in workers);
#                      "none" skips it
#   BENCH_PEERS        "none" skips bench/peers.sh (the side-by-side with
#                      dockerfilelint and dclint, run last)
set -eu

shared="$(dirname "$0")/../../shared"
cd "$(dirname "$0")/.."

corpus="$shared/corpus/dockerfiles"
if [ ! -d "$corpus" ]; then
  echo "SKIP: $corpus not found (the bench needs ../shared beside the repo)"
  exit 0
fi
corpus=$(cd "$corpus" && pwd)

min_seconds=${BENCH_MIN_SECONDS:-2}
runs=${BENCH_RUNS:-3}
build=${BENCH_BUILD_DIR:-build}
out=${BENCH_OUT:-bench/results/latest.json}

engine_rules=${BENCH_ENGINE_RULES:-1 144}
[ "$engine_rules" != none ] || engine_rules=""
for n in $engine_rules; do
  case $n in
    *[!0-9]* | 0) echo "error: BENCH_ENGINE_RULES must list positive integers or be none" >&2; exit 2 ;;
  esac
done

case $runs in
  '' | *[!0-9]* | 0) echo "error: BENCH_RUNS must be a positive integer" >&2; exit 2 ;;
esac

if [ ! -f "$build/build.ninja" ]; then
  echo "error: $build is not configured: run sh tests/setup.sh first" >&2
  exit 1
fi
# Only what the bench runs: a test that does not build must not stop it.
ninja -C "$build" bench/bench_parse bench/bench_check bench/bench_load >/dev/null
ours_bin="$build/bench/bench_parse"
check_bin="$build/bench/bench_check"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The same list of files, in the same order, for both programs.
find "$corpus" -type f | LC_ALL=C sort >"$tmp/files"
nfiles=$(wc -l <"$tmp/files" | tr -d ' ')
if [ "$nfiles" -eq 0 ]; then
  echo "SKIP: $corpus holds no files"
  exit 0
fi

# json_num KEY LINE: the number KEY holds in the one-line JSON object LINE.
json_num() {
  printf '%s\n' "$2" | sed -n "s/.*\"$1\": *\\([-0-9.]*\\).*/\\1/p"
}
# json_str TEXT: TEXT as a JSON string body (escapes \ and ").
json_str() {
  printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g'
}

# --- the machine ---------------------------------------------------------
cpus=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)
cpu_model=$(sed -n 's/^model name[[:space:]]*: *//p' /proc/cpuinfo 2>/dev/null | head -n 1)
[ -n "$cpu_model" ] || cpu_model=$(uname -m)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo none)
date_utc=$(date -u +%Y-%m-%dT%H:%M:%SZ)

# well_formed LINE: LINE is one JSON object holding the figures we read.
well_formed() {
  case $1 in
    '{'*'}') ;;
    *) return 1 ;;
  esac
  for k in files rounds parsed bytes seconds cpu_seconds files_per_second \
           mb_per_second peak_rss_kb; do
    [ -n "$(json_num "$k" "$1")" ] || return 1
  done
}

# best_of PREVIOUS NEW: the JSON line with the higher files_per_second.
best_of() {
  if [ -z "$1" ] || awk -v a="$(json_num files_per_second "$1")" \
       -v b="$(json_num files_per_second "$2")" 'BEGIN { exit !(b > a) }'; then
    printf '%s' "$2"
  else
    printf '%s' "$1"
  fi
}

# --- the peer ------------------------------------------------------------
peer_pkgs="golang-go golang-github-openshift-imagebuilder-dev"
peer_src=/usr/share/gocode/src/github.com/openshift/imagebuilder/dockerfile/parser
peer=""
peer_bin=""
peer_reason=""
peer_name="openshift/imagebuilder dockerfile/parser"

peer_missing() {
  missing=""
  for p in $peer_pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
      missing="$missing $p"
  done
  [ -n "$missing" ] || [ ! -d "$peer_src" ]
}

if [ "${BENCH_PEER:-}" = none ]; then
  peer_reason="skipped (BENCH_PEER=none)"
else
  if peer_missing && [ "${BENCH_NO_INSTALL:-0}" != 1 ] && command -v apt-get >/dev/null; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    echo "bench: installing the peer's packages:$missing"
    # shellcheck disable=SC2086
    if ! { $sudo apt-get update -qq &&
           DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
             --no-install-recommends $peer_pkgs >"$tmp/apt.log" 2>&1; }; then
      tail -n 5 "$tmp/apt.log" >&2 || true
    fi
  fi
  if peer_missing; then
    peer_reason="the Debian packages are missing and could not be installed:$missing"
  else
    # GOPATH mode against Debian's Go sources: no modules, no proxy. The
    # temporary GOPATH comes first so nothing is written under /usr/share.
    mkdir -p "$tmp/gopath"
    if [ -z "${GOCACHE:-}" ] && [ -z "${HOME:-}" ] && [ -z "${XDG_CACHE_HOME:-}" ]; then
      GOCACHE="$tmp/gocache"
      export GOCACHE
    fi
    echo "bench: building the peer ..."
    if GO111MODULE=off GOPATH="$tmp/gopath:/usr/share/gocode" GOPROXY=off \
       GOFLAGS='' GOWORK=off GOTOOLCHAIN=local \
       go build -o "$tmp/imagebuilder_parse" ./bench/peer/imagebuilder_parse.go \
       >"$tmp/go.log" 2>&1; then
      go_version=$(go env GOVERSION 2>/dev/null || echo go)
      pkg_version=$(dpkg-query -W -f='${Version}' golang-github-openshift-imagebuilder-dev)
      peer_name="$peer_name $pkg_version (Debian), $go_version"
      peer_bin="$tmp/imagebuilder_parse"
    else
      cat "$tmp/go.log" >&2
      peer_reason="the peer did not build (go build failed)"
    fi
  fi
fi

# --- the runs ------------------------------------------------------------
# Ours and the peer alternate, so that a busy spell on the machine is less
# likely to hit one of them only.
echo "bench: $runs runs each of at least $min_seconds s over $nfiles files:" \
  "libpolicy${peer_bin:+ and $peer_name}"
ours=""
i=0
while [ "$i" -lt "$runs" ]; do
  r=$("$ours_bin" --rounds 1 --min-seconds "$min_seconds" "@$tmp/files")
  if ! well_formed "$r"; then
    printf 'error: unexpected output from %s:\n%s\n' "$ours_bin" "$r" >&2
    exit 1
  fi
  ours=$(best_of "$ours" "$r")
  if [ -n "$peer_bin" ]; then
    if r=$("$peer_bin" --rounds 1 --min-seconds "$min_seconds" "@$tmp/files") &&
       well_formed "$r"; then
      peer=$(best_of "$peer" "$r")
    else
      peer_bin=""
      peer=""
      peer_reason="the peer failed while running"
    fi
  fi
  i=$((i + 1))
done
bytes=$(json_num bytes "$ours")

# --- results -------------------------------------------------------------
mkdir -p "$(dirname "$out")"
{
  printf '{"bench": "machine", "date": "%s", "commit": "%s", "nproc": %s, "cpu": "%s", "corpus_files": %s, "corpus_bytes": %s, "min_seconds": %s, "runs": %s}\n' \
    "$date_utc" "$commit" "$cpus" "$(json_str "$cpu_model")" "$nfiles" "$bytes" "$min_seconds" "$runs"
  # The programs print one JSON object each: prefix its fields with ours.
  printf '{"bench": "libpolicy", %s\n' "${ours#\{}"
  if [ -n "$peer" ]; then
    printf '{"bench": "peer", "name": "%s", %s\n' "$(json_str "$peer_name")" "${peer#\{}"
  else
    printf '{"bench": "peer", "name": "%s", "available": false, "reason": "%s"}\n' \
      "$(json_str "$peer_name")" "$(json_str "$peer_reason")"
  fi
} >"$out.tmp"

ours_fps=$(json_num files_per_second "$ours")
ours_mbs=$(json_num mb_per_second "$ours")
ours_rss=$(json_num peak_rss_kb "$ours")
echo
echo "machine: $cpus CPUs, $cpu_model"
echo "corpus:  $nfiles Dockerfiles, $bytes bytes ($corpus)"
line() { # NAME JSON
  printf '%-13s %8s files/s %7s MB/s  peak RSS %6s kB  (%s rounds: %s s wall, %s s CPU; %s files with errors)\n' \
    "$1" "$(json_num files_per_second "$2")" "$(json_num mb_per_second "$2")" \
    "$(json_num peak_rss_kb "$2")" "$(json_num rounds "$2")" "$(json_num seconds "$2")" \
    "$(json_num cpu_seconds "$2")" "$(json_num files_with_errors "$2")"
}
# ratio A B: A / B with two decimals, or null when B is 0.
ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "null" }'
}
# per_cpu JSON: files parsed per CPU second.
per_cpu() {
  awk -v n="$(json_num parsed "$1")" -v c="$(json_num cpu_seconds "$1")" \
    'BEGIN { printf "%.0f", (c > 0 ? n / c : 0) }'
}
line libpolicy "$ours"
if [ -n "$peer" ]; then
  line imagebuilder "$peer"
  peer_fps=$(json_num files_per_second "$peer")
  peer_mbs=$(json_num mb_per_second "$peer")
  peer_rss=$(json_num peak_rss_kb "$peer")
  ratio=$(ratio "$ours_fps" "$peer_fps")
  ratio_mb=$(ratio "$ours_mbs" "$peer_mbs")
  ratio_rss=$(ratio "$ours_rss" "$peer_rss")
  ratio_cpu=$(ratio "$(per_cpu "$ours")" "$(per_cpu "$peer")")
  printf '{"bench": "ratio", "ours_over_peer_files_per_second": %s, "ours_over_peer_mb_per_second": %s, "ours_over_peer_files_per_cpu_second": %s, "ours_peak_rss_kb": %s, "peer_peak_rss_kb": %s, "ours_over_peer_peak_rss": %s}\n' \
    "$ratio" "$ratio_mb" "$ratio_cpu" "$ours_rss" "$peer_rss" "$ratio_rss" >>"$out.tmp"
  echo "ratio (ours / peer): files/s ${ratio}x, MB/s ${ratio_mb}x," \
    "files per CPU second ${ratio_cpu}x;" \
    "peak RSS ours $ours_rss kB, peer $peer_rss kB (${ratio_rss}x)"
  echo "note: the peer only splits instructions; libpolicy also expands variables," \
    "splits RUN commands and builds the whole model, so the ratio is indicative."
else
  echo "peer: not run: $peer_reason"
fi
# --- the engine ----------------------------------------------------------
# bench_check with each rule count of BENCH_ENGINE_RULES: the built-in pack
# plus renamed copies of policies/*.lua. The counts alternate, as ours and
# the peer do above, and the fastest run of each (check only) is kept.

# engine_ok LINE: LINE is one JSON object holding the figures we read.
engine_ok() {
  case $1 in
    '{'*'}') ;;
    *) return 1 ;;
  esac
  for k in files rules rounds findings errors rule_errors seconds \
           files_per_second rule_evaluations_per_second \
           microseconds_per_rule_per_document parse_check_files_per_second \
           peak_rss_kb parse_check_peak_rss_kb; do
    [ -n "$(json_num "$k" "$1")" ] || return 1
  done
}

# run_check ARGS...: one run of bench_check over the corpus; its line.
run_check() {
  if ! r=$("$check_bin" --rules-dir policies --min-seconds "$min_seconds" "$@" "@$tmp/files"); then
    echo "error: $check_bin $* failed" >&2
    exit 1
  fi
  if ! engine_ok "$r"; then
    printf 'error: unexpected output from %s:\n%s\n' "$check_bin" "$r" >&2
    exit 1
  fi
  printf '%s' "$r"
}

if [ -n "$engine_rules" ]; then
  echo
  # shellcheck disable=SC2086
  echo "bench: engine: $runs runs each of 2 phases of at least $min_seconds s," \
    "with $(echo $engine_rules | sed 's/ /, /g') rules"
  for n in $engine_rules; do : >"$tmp/engine.$n"; done
  i=0
  while [ "$i" -lt "$runs" ]; do
    for n in $engine_rules; do
      r=$(run_check --rules "$n")
      best_of "$(cat "$tmp/engine.$n")" "$r" >"$tmp/engine.$n.new"
      mv "$tmp/engine.$n.new" "$tmp/engine.$n"
    done
    i=$((i + 1))
  done
  # One report for the whole corpus, as `policy check` keeps one for its
  # run (each policy_check then sorts every entry gathered so far); once,
  # with the second count.
  # shellcheck disable=SC2086
  set -- $engine_rules
  one_n=$1
  [ $# -lt 2 ] || one_n=$2
  one=$(run_check --rules "$one_n" --one-report)

  echo "engine (fastest of $runs runs; check only = documents parsed beforehand):"
  printf '%6s %10s %14s %12s %12s %12s %9s %10s %10s\n' rules "check f/s" "parse+check f/s" \
    "rule-eval/s" "us/rule/doc" "(CPU: us)" findings "rule errs" "peak RSS"
  eline() { # JSON
    printf '%6s %10s %14s %12s %12s %12s %9s %10s %7s kB\n' \
      "$(json_num rules "$1")" "$(json_num files_per_second "$1")" \
      "$(json_num parse_check_files_per_second "$1")" \
      "$(json_num rule_evaluations_per_second "$1")" \
      "$(json_num microseconds_per_rule_per_document "$1")" \
      "$(json_num cpu_microseconds_per_rule_per_document "$1")" \
      "$(json_num findings "$1")" "$(json_num rule_errors "$1")" \
      "$(json_num parse_check_peak_rss_kb "$1")"
  }
  lo=""
  hi=""
  for n in $engine_rules; do
    r=$(cat "$tmp/engine.$n")
    eline "$r"
    printf '{"bench": "engine", %s\n' "${r#\{}" >>"$out.tmp"
    [ -n "$lo" ] || lo=$r
    hi=$r
  done
  printf '{"bench": "engine-one-report", %s\n' "${one#\{}" >>"$out.tmp"
  printf 'one report for the corpus (as policy check): %s rules: %s files/s check only,' \
    "$(json_num rules "$one")" "$(json_num files_per_second "$one")"
  printf ' %s us/rule/doc, peak RSS %s kB parsing and checking\n' \
    "$(json_num microseconds_per_rule_per_document "$one")" \
    "$(json_num parse_check_peak_rss_kb "$one")"
  # What the rules beyond the built-in pack add per document: copies of
  # the pack's own rules loaded as a user's files, so they run in worker
  # processes (fork per document, metered): the cost of that isolation.
  lo_rules=$(json_num rules "$lo")
  hi_rules=$(json_num rules "$hi")
  if [ "$hi_rules" -gt "$lo_rules" ]; then
    # added KEY: microseconds per document added between the two counts.
    added() {
      awk -v f1="$(json_num "$1" "$lo")" -v f2="$(json_num "$1" "$hi")" \
        'BEGIN { printf "%.1f", 1e6 / f2 - 1e6 / f1 }'
    }
    wall=$(added files_per_second)
    cpu=$(added files_per_cpu_second)
    printf '{"bench": "engine-added", "from_rules": %s, "to_rules": %s, "microseconds_per_document": %s, "parent_cpu_microseconds_per_document": %s}\n' \
      "$lo_rules" "$hi_rules" "$wall" "$cpu" >>"$out.tmp"
    echo "rules $((lo_rules + 1)) to $hi_rules (copies of the pack's rules, as a user's files," \
      "in worker processes) add $wall us per document ($cpu us of the parent's CPU)"
  fi
fi
# Pack load: a new engine with the built-in pack, then the hadolint pack,
# round after round (bench_load.c); the first round is the process's first.
for pack in builtin hadolint; do
  line=$("$build/bench/bench_load" --pack "$pack")
  echo "$line" >>"$out.tmp"
  echo "pack load ($pack, $(json_num rules "$line") rules): $(json_num median_ms "$line") ms" \
    "median, $(json_num min_ms "$line") ms fastest, $(json_num first_ms "$line") ms the first in the process"
done
mv "$out.tmp" "$out"
echo "results: $out"
if [ "${BENCH_PEERS:-}" != none ]; then
  echo
  sh bench/peers.sh
fi
