#!/bin/sh
# Command-line tests of the hadolint pack's ShellCheck rule (docs/hadolint.md,
# "ShellCheck"): SC codes in every output format, ignored by pragma,
# --ignore and .hadolint.yaml `ignored:`; one warning per run when the
# program is missing; a warning naming the RUN when a (fake) shellcheck
# hangs, floods, crashes or prints garbage, and never a hang.
# Usage: test_shellcheck.sh PATH/TO/policy
set -u
POLICY=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
T=${KEEP_T:-$(mktemp -d)}
[ -n "${KEEP_T:-}" ] || trap 'rm -rf "$T"' EXIT
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { d=$1; shift; if "$@"; then ok "$d"; else fail "$d"; fi; }
# run ARGS...: the command in $T, output in $T/out and $T/err, status in rc.
run() { (cd "$T" && NO_COLOR= timeout 60 "$POLICY" "$@") >"$T/out" 2>"$T/err"; rc=$?; }
has() { grep -q -- "$1" "$T/${2:-out}"; }
count() { grep -c -- "$1" "$T/${2:-out}"; }

printf 'FROM debian:12\nRUN echo $x\n' >"$T/a.Dockerfile"
printf 'FROM debian:12\n# hadolint ignore=SC2154\nRUN echo $y\n' >"$T/b.Dockerfile"
mkdir "$T/bin" "$T/none"
SYSPATH=/usr/local/bin:/usr/bin:/bin

# ---- the program missing --------------------------------------------------
(cd "$T" && PATH="$T/none" "$POLICY" check --no-config --jobs 2 --pack hadolint a.Dockerfile b.Dockerfile) \
  >"$T/out" 2>"$T/err"
check "without shellcheck: no SC finding" [ "$(count SC2 out)" -eq 0 ]
check "without shellcheck: one warning for the run, not one per file or thread" \
  [ "$(count 'shellcheck program is not installed' err)" -eq 1 ]
check "without shellcheck: the warning is the tool's, not a file's" has '^policy: warning: the shellcheck' err

if command -v shellcheck >/dev/null 2>&1; then
  # ---- the real program ------------------------------------------------------
  run check --no-config --pack hadolint a.Dockerfile b.Dockerfile
  check "text: the SC code where the rule id goes, at the variable" has 'a.Dockerfile:2:10: low \[SC2086\]'
  check "the level maps to a severity (warning: medium)" has 'a.Dockerfile:2:10: medium \[SC2154\]'
  check "a hadolint ignore= pragma naming the code suppresses it" [ "$(count 'b.Dockerfile.*SC2154' out)" -eq 0 ]
  check "and only that code" has 'b.Dockerfile:3:10: low \[SC2086\]'
  check "no unknown-id warning for an SC code" [ "$(count 'neither the id nor a ref' err)" -eq 0 ]
  for f in json sarif junit github gitlab checkstyle; do
    run check --no-config --pack hadolint --format "$f" a.Dockerfile
    check "format $f shows SC2086" has 'SC2086'
  done
  run check --no-config --pack hadolint --ignore SC2086 a.Dockerfile
  check "--ignore SC2086 drops that code only" [ "$(count SC2086 out)" -eq 0 ]
  check "--ignore SC2086 keeps SC2154" has 'SC2154'
  printf 'ignored: [SC2154]\n' >"$T/.hadolint.yaml"
  run check --pack hadolint a.Dockerfile
  check ".hadolint.yaml ignored: drops the code" [ "$(count SC2154 out)" -eq 0 ]
  check ".hadolint.yaml ignored: keeps the others" has 'SC2086'
  rm "$T/.hadolint.yaml"
fi

# ---- fake programs ----------------------------------------------------------
fake() { printf '#!/bin/sh\n%s\n' "$1" >"$T/bin/shellcheck"; chmod +x "$T/bin/shellcheck"; }
fakerun() {
  (cd "$T" && PATH="$T/bin:$SYSPATH" timeout 60 "$POLICY" check --no-config --jobs 1 --pack hadolint a.Dockerfile) \
    >"$T/out" 2>"$T/err"
  rc=$?
}
fake 'sleep 1000'
start=$(date +%s)
fakerun
took=$(($(date +%s) - start))
check "a hanging shellcheck is stopped at the 2 s limit (took ${took}s)" [ "$took" -lt 10 ]
check "and the warning names the RUN" has 'a.Dockerfile:2:1: warning: shellcheck could not check this script: shellcheck did not finish within 2000 ms' err
check "the run still reports the DL findings" [ "$rc" -ne 124 ]
printf 'FROM debian:12\nRUN echo $a\nRUN echo $b\nRUN echo $c\nRUN echo $d\n' >"$T/many.Dockerfile"
start=$(date +%s)
(cd "$T" && PATH="$T/bin:$SYSPATH" timeout 60 "$POLICY" check --no-config --pack hadolint --max-rule-time 2500 many.Dockerfile) \
  >"$T/out" 2>"$T/err"
took=$(($(date +%s) - start))
check "hanging runs stay within the rule's time limit (took ${took}s)" [ "$took" -lt 6 ]
check "and the rule ends with the time limit's error" has 'ran longer than 2500 ms' out
fake 'echo garbage; exit 1'
fakerun
check "garbage output: a warning, no finding" has 'is not the json1 format' err
fake 'yes "{}" | head -c 10000000'
fakerun
check "huge output: cut and stopped" has 'printed more than 4194304 bytes' err
fake 'echo "fatal: broken" >&2; exit 7'
fakerun
check "non-zero exit: the status and the first line of stderr" has 'exited with status 7: fatal: broken' err
fake 'echo "{\"comments\":[{\"file\":\"-\",\"line\":2,\"endLine\":2,\"column\":6,\"endColumn\":8,\"level\":\"error\",\"code\":1234,\"message\":\"fake\"}]}"; exit 1'
fakerun
check "json1 from the program maps back (line 2 of the script is the RUN's)" has 'a.Dockerfile:2:10: high \[SC1234\] fake'

echo "cli_shellcheck: $((n - failed)) passed, $failed failed"
[ $failed -eq 0 ]
