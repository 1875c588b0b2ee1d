#!/bin/sh
# bench/peers.sh: `policy check` with the full built-in pack side by side
# with the Node.js linters people run today, on the same files, each in
# one process, plus the engine's scaling table. See bench/README.md.
#
#   sh bench/peers.sh
#
# - Dockerfiles: dockerfilelint (npm) over ../shared/corpus/dockerfiles.
#   Files it throws on are left out for both sides and listed.
# - Compose files: dclint (npm, docker-compose-linter) over
#   ../shared/corpus/compose.
# - Every command line is timed by bench/peer/run_once.py: from just before
#   its process is made to just after it is reaped, nothing else; its
#   peak RSS comes from one more run, under /usr/bin/time.
# - Ours: the CLI over BENCH_COPIES copies of the same files (one process,
#   wall clock from start to exit: process start, pack load, reading the
#   files and writing the JSON report included), with --jobs 1 and
#   --jobs 2; the two outputs must be byte-identical. The peers lint the
#   files (read into memory beforehand) round after round for at least
#   BENCH_MIN_SECONDS.
# - Command line against command line: each peer's own CLI once over the
#   same files (`dockerfilelint -o json FILE...`, `dclint -f json FILE...`)
#   against one `policy check` run over them with --jobs 1 and with the
#   default --jobs (the number of CPUs): what a user or a CI job waits for.
#   The three take turns, BENCH_RUNS rounds, and the fastest of each counts.
# - Scaling: a Dockerfile of 1, 10, 100 and 1000 copies of a block of
#   real-world instructions, each checked by the CLI: wall time, rule
#   errors, and the 1000x/100x ratio.
#
# Environment:
#   BENCH_MIN_SECONDS  seconds each peer lints, in whole rounds (2)
#   BENCH_RUNS         runs of each of our measurements; the fastest is
#                      kept, as noise only slows a run down (3)
#   BENCH_COPIES       copies of the corpus our side checks in one run (16)
#   BENCH_BUILD_DIR    the configured build directory (build)
#   BENCH_PEERS_DIR    where npm installs the peers (bench/.peers)
#   BENCH_NO_INSTALL   1: never run apt-get or npm; missing peers are skipped
#   BENCH_OUT          where the JSON lines go (bench/results/peers.json)
set -eu

shared="$(dirname "$0")/../../shared"
cd "$(dirname "$0")/.."
root=$(pwd)

min_seconds=${BENCH_MIN_SECONDS:-2}
runs=${BENCH_RUNS:-3}
want_rss=1 # our_run and peer_cli: one more run, for the peak RSS
copies=${BENCH_COPIES:-16}
build=${BENCH_BUILD_DIR:-build}
peers=${BENCH_PEERS_DIR:-bench/.peers}
out=${BENCH_OUT:-bench/results/peers.json}
for v in "$runs" "$copies"; do
  case $v in
    '' | *[!0-9]* | 0) echo "error: BENCH_RUNS and BENCH_COPIES must be positive integers" >&2; exit 2 ;;
  esac
done

if [ ! -d "$shared/corpus/dockerfiles" ] || [ ! -d "$shared/corpus/compose" ]; then
  echo "SKIP: $shared/corpus not found (the bench needs ../shared beside the repo)"
  exit 0
fi
shared=$(cd "$shared" && pwd)
if [ ! -f "$build/build.ninja" ]; then
  echo "error: $build is not configured: run sh tests/setup.sh first" >&2
  exit 1
fi
ninja -C "$build" cli/policy >/dev/null
policy="$root/$build/cli/policy"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# json_num KEY LINE: the number KEY holds in the one-line JSON object LINE.
json_num() {
  printf '%s\n' "$2" | sed -n "s/.*\"$1\": *\\([-0-9.]*\\).*/\\1/p"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# --- tools ----------------------------------------------------------------
install_debs() {
  [ "${BENCH_NO_INSTALL:-}" != 1 ] || return 1
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq >/dev/null && $sudo apt-get install -y -qq "$@" >/dev/null
}
# /usr/bin/time: the peak RSS of each measured command (bench/peer/run_once.py --rss)
command -v /usr/bin/time >/dev/null 2>&1 || install_debs time ||
  { echo "error: /usr/bin/time is missing (Debian package time)" >&2; exit 1; }

peer_reason=""
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  install_debs nodejs npm || peer_reason="node and npm are missing (Debian packages nodejs npm)"
fi
if [ -z "$peer_reason" ] && { [ ! -d "$peers/node_modules/dockerfilelint" ] ||
                              [ ! -d "$peers/node_modules/dclint" ]; }; then
  if [ "${BENCH_NO_INSTALL:-}" = 1 ]; then
    peer_reason="the peers are not installed in $peers and BENCH_NO_INSTALL=1"
  else
    mkdir -p "$peers"
    echo "bench: installing dockerfilelint@1.8.0 and dclint@3.1.0 into $peers (npm)"
    (cd "$peers" && npm install --no-audit --no-fund --silent \
        dockerfilelint@1.8.0 dclint@3.1.0 >"$tmp/npm.log" 2>&1) ||
      peer_reason="npm install failed: $(tail -n 1 "$tmp/npm.log")"
  fi
fi
[ -z "$peer_reason" ] || echo "bench: peers skipped: $peer_reason"

# timed [--rss] OUT ERR LIST PROGRAM [ARG...]: one run of PROGRAM ARG...
# over the files of LIST (bench/peer/run_once.py, which times the
# command's own life only); sets w (wall seconds), c (CPU seconds) and,
# with --rss, m (peak RSS, kB: a run of its own, under /usr/bin/time).
timed() {
  read -r w c m _ <<EOF
$(python3 "$root/bench/peer/run_once.py" "$@")
EOF
}

# our_run NAME JOBS LIST [OPTION...]: the fastest of $runs runs of policy check over
# the files of LIST; sets ours_wall ours_cpu ours_rss (kB); the JSON report
# of the last run is left in $tmp/NAME.json.
our_run() {
  ours_wall=""
  name=$1 jobs=$2 list=$3
  shift 3
  i=0
  while [ $i -lt "$runs" ]; do
    timed "$tmp/$name.json" /dev/null "$list" "$policy" check --no-config "$@" \
      --jobs "$jobs" --format json --fail-on critical
    if [ -z "$ours_wall" ] || awk -v a="$w" -v b="$ours_wall" 'BEGIN { exit !(a < b) }'; then
      ours_wall=$w
      ours_cpu=$c
    fi
    i=$((i + 1))
  done
  if [ "$want_rss" = 1 ]; then
    timed --rss "$tmp/$name.json" /dev/null "$list" "$policy" check --no-config "$@" \
      --jobs "$jobs" --format json --fail-on critical
    ours_rss=$m
  fi
}

# peer_cli NAME LIST ARG...: the fastest of $runs runs of a peer's own
# command-line tool (ARG...: the program and its options) over the files of
# LIST, in one process, as a user runs it: Node's start, reading the files
# and printing the report included, the same measure as our one pass. Sets
# cli_wall cli_cpu cli_rss (kB); cli_wall stays empty when the tool failed
# to run (exit status 0 and 1 mean "ran", as for a linter that found
# problems; dockerfilelint exits with its finding count).
peer_cli() {
  cli_wall=""
  name=$1 list=$2
  shift 2
  i=0
  while [ $i -lt "$runs" ]; do
    timed "$tmp/$name.out" "$tmp/$name.err" "$list" "$@"
    if [ ! -s "$tmp/$name.out" ]; then
      return 0
    fi
    if [ -z "$cli_wall" ] || awk -v a="$w" -v b="$cli_wall" 'BEGIN { exit !(a < b) }'; then
      cli_wall=$w
      cli_cpu=$c
    fi
    i=$((i + 1))
  done
  if [ "$want_rss" = 1 ]; then
    timed --rss "$tmp/$name.out" "$tmp/$name.err" "$list" "$@"
    cli_rss=$m
  fi
}

# faster A B: true when the time A is below B (or B is empty).
faster() {
  [ -z "$2" ] || awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'
}

# copies LIST OUT: the files of LIST copied $copies times under $tmp, as a
# list in OUT (the CLI checks a path once, however often it is named).
copies() {
  : >"$2"
  c=1
  while [ $c -le "$copies" ]; do
    mkdir -p "$tmp/copy/$c"
    while IFS= read -r f; do
      cp "$f" "$tmp/copy/$c/"
      printf '%s\n' "$tmp/copy/$c/${f##*/}" >>"$2"
    done <"$1"
    c=$((c + 1))
  done
}

summary_of() { # summary_of JSON: "findings errors" of a report
  python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["summary"]; print(s["findings"], s["errors"])' "$1"
}

: >"$out.tmp"
commit=$(git rev-parse --short HEAD 2>/dev/null || echo none)
printf '{"bench": "machine", "date": "%s", "commit": "%s", "nproc": %s, "copies": %s}\n' \
  "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$commit" "$(nproc)" "$copies" >>"$out.tmp"
"$policy" rules --no-config --format json >"$tmp/rules.json"
rules_for() { # rules_for SUBJECT: how many built-in rules apply to SUBJECT (or to the document)
  python3 -c 'import json,sys; print(sum(1 for r in json.load(open(sys.argv[1]))
    if sys.argv[2] in r["applies_to"] or "document" in r["applies_to"]))' "$tmp/rules.json" "$1"
}

# side KIND DIR PEER DRIVER SUBJECT: one side-by-side over the files of DIR.
side() {
  kind=$1 dir=$2 peer=$3 driver=$4 subject=$5
  find "$dir" -type f | LC_ALL=C sort >"$tmp/$kind.all"
  cp "$tmp/$kind.all" "$tmp/$kind.files"
  peer_line=""
  if [ -z "$peer_reason" ]; then
    : >"$tmp/$kind.crashed"
    peer_line=$(node "bench/peer/$driver" "$root/$peers" "$tmp/$kind.all" "$min_seconds" \
                  "$tmp/$kind.crashed" 2>"$tmp/$kind.peer.err" | tail -n 1) || peer_line=""
    if [ -z "$(json_num files_per_second "$peer_line")" ]; then
      echo "bench: $peer failed: $(tail -n 1 "$tmp/$kind.peer.err")"
      peer_line=""
    elif [ -s "$tmp/$kind.crashed" ]; then
      grep -vxF -f "$tmp/$kind.crashed" "$tmp/$kind.all" >"$tmp/$kind.files" || true
    fi
  fi
  nfiles=$(wc -l <"$tmp/$kind.files" | tr -d ' ')
  copies "$tmp/$kind.files" "$tmp/$kind.copies"
  our_run "$kind-once" 1 "$tmp/$kind.files"
  fps0=$(awk -v n="$nfiles" -v w="$ours_wall" 'BEGIN { printf "%.1f", n / w }')
  w0=$ours_wall
  our_run "$kind-once-all" "$(nproc)" "$tmp/$kind.files"
  fps0n=$(awk -v n="$nfiles" -v w="$ours_wall" 'BEGIN { printf "%.1f", n / w }')
  w0n=$ours_wall
  our_run "$kind-1" 1 "$tmp/$kind.copies"
  w1=$ours_wall c1=$ours_cpu m1=$ours_rss
  our_run "$kind-2" 2 "$tmp/$kind.copies"
  w2=$ours_wall c2=$ours_cpu m2=$ours_rss
  same=false
  cmp -s "$tmp/$kind-1.json" "$tmp/$kind-2.json" && same=true
  set -- $(summary_of "$tmp/$kind-1.json")
  n=$((nfiles * copies))
  fps1=$(awk -v n="$n" -v w="$w1" 'BEGIN { printf "%.1f", n / w }')
  fps2=$(awk -v n="$n" -v w="$w2" 'BEGIN { printf "%.1f", n / w }')
  rules=$(rules_for "$subject")
  printf '{"bench": "%s", "tool": "policy", "files": %s, "copies": %s, "rules": %s, "findings_per_copy": %s, "errors_per_copy": %s, "jobs1_seconds": %s, "jobs1_cpu_seconds": %s, "jobs1_files_per_second": %s, "jobs1_peak_rss_kb": %s, "jobs2_seconds": %s, "jobs2_cpu_seconds": %s, "jobs2_files_per_second": %s, "jobs2_peak_rss_kb": %s, "jobs2_over_jobs1": %s, "jobs_outputs_identical": %s, "one_pass_files_per_second": %s}\n' \
    "$kind" "$nfiles" "$copies" "$rules" $(($1 / copies)) $(($2 / copies)) "$w1" "$c1" "$fps1" "$m1" \
    "$w2" "$c2" "$fps2" "$m2" "$(ratio "$fps2" "$fps1")" "$same" "$fps0" >>"$out.tmp"
  echo "$kind: $nfiles files x $copies copies, one process each"
  printf '  %-16s %6s rules %9s files/s  %8s kB peak RSS  (--jobs 1; %s findings, %s errors per copy)\n' \
    policy "$rules" "$fps1" "$m1" $(($1 / copies)) $(($2 / copies))
  printf '  %-16s %6s rules %9s files/s  %8s kB peak RSS  (--jobs 2: %sx --jobs 1, output identical: %s)\n' \
    policy "$rules" "$fps2" "$m2" "$(ratio "$fps2" "$fps1")" "$same"
  if [ -n "$peer_line" ]; then
    pfps=$(json_num files_per_second "$peer_line")
    printf '{"bench": "%s-peer", %s\n' "$kind" "${peer_line#\{}" >>"$out.tmp"
    pfps0=$(json_num first_round_files_per_second "$peer_line")
    printf '{"bench": "%s-ratio", "peer": "%s", "jobs1_over_peer": %s, "jobs2_over_peer": %s, "one_pass_over_peer_first_round": %s}\n' \
      "$kind" "$peer" "$(ratio "$fps1" "$pfps")" "$(ratio "$fps2" "$pfps")" "$(ratio "$fps0" "$pfps0")" >>"$out.tmp"
    printf '  %-16s %6s rules %9s files/s  %8s kB peak RSS  (in-process rounds over files in memory)\n' \
      "$peer" "$(json_num rules "$peer_line")" "$pfps" "$(json_num peak_rss_kb "$peer_line")"
    echo "  ratio: policy / $peer = $(ratio "$fps1" "$pfps")x (--jobs 1), $(ratio "$fps2" "$pfps")x (--jobs 2)"
    echo "  one pass over the files (ours: the whole CLI run; $peer: its first, cold round):" \
      "$fps0 / $pfps0 files/s = $(ratio "$fps0" "$pfps0")x"
    # Command line against command line: our two runs and the peer's in
    # turn, round after round (the machine's speed drifts over the minutes
    # this script takes; runs far apart would compare two machines), the
    # fastest of each kept.
    all_runs=$runs
    runs=1
    best_cli="" w0="" w0n="" r=0
    while [ $r -lt "$all_runs" ]; do
      want_rss=0
      our_run "$kind-once" 1 "$tmp/$kind.files"
      faster "$ours_wall" "$w0" && w0=$ours_wall
      our_run "$kind-once-all" "$(nproc)" "$tmp/$kind.files"
      faster "$ours_wall" "$w0n" && w0n=$ours_wall
      [ $r -gt 0 ] || want_rss=1 # the peer's peak RSS, from the first round
      peer_cli "$kind-cli" "$tmp/$kind.files" "$root/$peers/node_modules/.bin/$peer" $peer_cli_args
      [ -z "$cli_wall" ] && break
      [ $r -gt 0 ] || best_rss=$cli_rss
      if faster "$cli_wall" "$best_cli"; then
        best_cli=$cli_wall best_cpu=$cli_cpu
      fi
      r=$((r + 1))
    done
    runs=$all_runs want_rss=1
    cli_wall=$best_cli cli_cpu=${best_cpu:-} cli_rss=${best_rss:-}
    fps0=$(awk -v n="$nfiles" -v w="$w0" 'BEGIN { printf "%.1f", n / w }')
    fps0n=$(awk -v n="$nfiles" -v w="$w0n" 'BEGIN { printf "%.1f", n / w }')
    if [ -n "$cli_wall" ]; then
      cfps=$(awk -v n="$nfiles" -v w="$cli_wall" 'BEGIN { printf "%.1f", n / w }')
      printf '{"bench": "%s-cli", "tool": "%s", "files": %s, "seconds": %s, "cpu_seconds": %s, "files_per_second": %s, "peak_rss_kb": %s, "policy_jobs1_seconds": %s, "policy_jobs1_files_per_second": %s, "policy_jobs_nproc_seconds": %s, "policy_jobs_nproc_files_per_second": %s, "jobs1_over_peer": %s, "jobs_nproc_over_peer": %s}\n' \
        "$kind" "$peer" "$nfiles" "$cli_wall" "$cli_cpu" "$cfps" "$cli_rss" "$w0" "$fps0" "$w0n" "$fps0n" \
        "$(ratio "$fps0" "$cfps")" "$(ratio "$fps0n" "$cfps")" >>"$out.tmp"
      echo "  command line against command line, one run over the $nfiles files (process start included):"
      echo "    policy check: $fps0 files/s (--jobs 1), $fps0n files/s (--jobs $(nproc), the default);" \
        "$peer: $cfps files/s, $cli_rss kB"
      echo "    ratio: $(ratio "$fps0" "$cfps")x (--jobs 1), $(ratio "$fps0n" "$cfps")x (default --jobs)"
    else
      echo "  $peer's command line did not run: $(tail -n 1 "$tmp/$kind-cli.err")"
    fi
    if [ -s "$tmp/$kind.crashed" ]; then
      echo "  left out for both sides ($peer throws on them):"
      sed 's|.*/|    |' "$tmp/$kind.crashed"
    fi
  fi
}

peer_cli_args="-o json"
side dockerfiles "$shared/corpus/dockerfiles" dockerfilelint dockerfilelint_bench.js image
peer_cli_args="-f json"
side compose "$shared/corpus/compose" dclint dclint_bench.cjs container

# --- isolation ------------------------------------------------------------
# The same pack over the same Dockerfiles once, in-process and with every
# rule in worker processes (--isolation all, as a user's rules run).
our_run iso-none 1 "$tmp/dockerfiles.files" --isolation none
wn=$ours_wall
our_run iso-all 1 "$tmp/dockerfiles.files" --isolation all
wa=$ours_wall
same=false
cmp -s "$tmp/iso-none.json" "$tmp/iso-all.json" && same=true
printf '{"bench": "isolation", "files": %s, "in_process_seconds": %s, "workers_seconds": %s, "workers_over_in_process": %s, "outputs_identical": %s}\n' \
  "$(wc -l <"$tmp/dockerfiles.files" | tr -d ' ')" "$wn" "$wa" "$(ratio "$wa" "$wn")" "$same" >>"$out.tmp"
echo "isolation: the pack over the Dockerfiles once: in-process $wn s, every rule in" \
  "worker processes $wa s ($(ratio "$wa" "$wn")x; output identical: $same)"

# --- scaling ----------------------------------------------------------------
python3 bench/peer/blocks.py "$tmp/scale" 1 10 100 1000
echo "scaling: one Dockerfile of N blocks of 13 instructions (fastest of $runs runs, wall)"
prev=""
for nb in 1 10 100 1000; do
  printf '%s\n' "$tmp/scale/$nb.Dockerfile" >"$tmp/scale.list"
  our_run "scale-$nb" 1 "$tmp/scale.list"
  set -- $(summary_of "$tmp/scale-$nb.json")
  eval "wall_$nb=$ours_wall"
  step=""
  [ -z "$prev" ] || step=$(ratio "$ours_wall" "$prev")
  printf '{"bench": "scaling", "blocks": %s, "seconds": %s, "peak_rss_kb": %s, "findings": %s, "errors": %s}\n' \
    "$nb" "$ours_wall" "$ours_rss" "$1" "$2" >>"$out.tmp"
  printf '  %5sx: %6s s  %8s kB  %6s findings  %s errors%s\n' "$nb" "$ours_wall" "$ours_rss" \
    "$1" "$2" "${step:+  (${step}x the previous)}"
  prev=$ours_wall
done
# shellcheck disable=SC2154 # set by eval above
echo "  1000x / 100x = $(ratio "$wall_1000" "$wall_100")x (linear: 10x; the issue's bound: 12x)"
mv "$out.tmp" "$out"
echo "results: $out"
