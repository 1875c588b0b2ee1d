#!/bin/sh
# Hostile policy files (tests/attacks, issue 10): each attack runs beside
# two benign rules with --max-rule-time 1000 over the insecure example,
# and must cost at most 2 s of wall time and 768 MiB of peak memory for
# the whole `policy check`, leave both benign rules their findings, keep
# the JSON report one valid object and the text report one line per
# finding plus one summary line, and do what its first line expects.
# Under the sanitizers (POLICY_TEST_SLOW=K, set by `meson test --setup
# asan`) every program runs K times slower: the wall-clock bound is K
# times larger and the memory bound is not checked (AddressSanitizer
# reserves terabytes of address space). The rule time limit stays 1000 ms:
# the attacks cost the same Lua work there, and scaling the limit would let
# some of them finish inside it.
# Usage: test_attacks.sh PATH/TO/policy
set -u
SLOW=${POLICY_TEST_SLOW:-1}
POLICY=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=${POLICY_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
A="$SRC/tests/attacks"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { d=$1; shift; if "$@"; then ok "$d"; else fail "$d"; fi; }
if [ ! -x /usr/bin/time ]; then
  echo "SKIP: /usr/bin/time is missing (Debian package time)"
  exit 77
fi

# A 1 MiB rule of integer constants that all collide in Lua's constant
# table: seconds to compile in-process.
python3 - "$T/compile-bomb.lua" <<'PY'
import sys
step = (1 << 32) - 1
parts = ["-- expect: refused\nreturn { id = 'attack-compile-bomb', title = 'a', severity = 'low', "
         "applies_to = 'image', description = 'd', remediation = 'r', check = function() end, k = {"]
size, k = len(parts[0]), 1
while size < (1 << 20) - 100:
    s = "%d," % (k * step)
    parts.append(s); size += len(s); k += 1
parts.append("} }\n")
open(sys.argv[1], "w").write("".join(parts))
PY

# run NAME DIR FORMAT: check the insecure example with the rules of DIR.
run() {
  /usr/bin/time -o "$T/time" -f "%e %M" "$POLICY" check --no-config --no-builtin \
    --max-rule-time 1000 --jobs 1 --fail-on critical --format "$3" --policy "$2" \
    "$SRC/examples/insecure.Dockerfile" >"$T/out" 2>"$T/err"
  rc=$?
  wall=$(awk 'END {print $1}' "$T/time")
  rss=$(awk 'END {print $2}' "$T/time")
}

attack() { # attack NAME FILE...
  name=$1
  shift
  rm -rf "$T/rules"
  mkdir -p "$T/rules"
  cp "$A/benign/"*.lua "$T/rules/"
  for f in "$@"; do cp "$f" "$T/rules/"; done
  expect=$(head -n 1 "$1" | sed -n 's/^-- expect: //p')
  run "$name" "$T/rules" json
  check "$name: at most 2 s of wall time (took ${wall}s)" \
    awk -v w="$wall" -v k="$SLOW" 'BEGIN { exit !(w <= 2.0 * k) }'
  [ "$SLOW" = 1 ] &&
    check "$name: at most 768 MiB of peak memory (took ${rss} kB)" [ "$rss" -le 786432 ]
  check "$name: the JSON report is one valid object" \
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert isinstance(d, dict)' "$T/out"
  for benign in benign-final benign-alloc; do
    check "$name: $benign still reports" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if any(f["rule"] == sys.argv[2] for f in d["findings"]) else 1)' "$T/out" "$benign"
  done
  check "$name: no benign rule is blamed for anything" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(1 if any((e.get("rule") or "").startswith("benign") for e in d["errors"]) else 0)' "$T/out"
  case "$expect" in
    refused*)
      check "$name: the file is refused, naming it" grep -q "$(basename "$1")" "$T/err" ;;
    error=none*)
      check "$name: no rule error" python3 -c '
import json, sys
d = json.load(open(sys.argv[1])); sys.exit(1 if d["errors"] else 0)' "$T/out" ;;
    error=*)
      want=${expect#error=}
      want=${want%% *}
      check "$name: the attack gets a rule error ($want)" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
errs = [e for e in d["errors"] if (e.get("rule") or "").startswith("attack")]
want = sys.argv[2]
ok = errs and (want == "any" or any((e.get("limit") or "none") in want.split("|") for e in errs))
sys.exit(0 if ok else 1)' "$T/out" "$want" ;;
  esac
  case "$expect" in
    *once*)
      check "$name: one error, not two" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if len([e for e in d["errors"] if (e.get("rule") or "").startswith("attack")]) == 1 else 1)' "$T/out" ;;
  esac
  case "$expect" in
    *noaddress*)
      check "$name: no address in any message" sh -c "! grep -Eq '0x[0-9a-f]{6,}' '$T/out'" ;;
  esac
  # Text: one line per finding, one summary line, nothing else on stdout.
  run "$name" "$T/rules" text
  lines=$(wc -l <"$T/out" | tr -d ' ')
  findings=$(sed -n 's/^[0-9]* files\{0,1\} checked: \([0-9]*\) finding.*/\1/p' "$T/out" | tail -n 1)
  check "$name: text has one line per finding and one summary ($lines lines, ${findings:-?} findings)" \
    [ -n "$findings" ] && [ "$lines" -eq $((findings + 1)) ]
  check "$name: no escape byte reaches the terminal" sh -c "! grep -q \"\$(printf '\\033')\" '$T/out' '$T/err'"
}

for f in "$A"/*.lua "$T/compile-bomb.lua"; do
  attack "$(basename "$f" .lua)" "$f"
done
attack duplicate-id "$A/duplicate/a-impostor.lua"
check "duplicate-id: the message names both files" \
  grep -q "a-impostor.lua and in .*benign-final.lua" "$T/err"

echo "attacks: $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
