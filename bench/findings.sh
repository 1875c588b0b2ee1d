#!/bin/sh
# bench/findings.sh: what the pack reports over ../shared/corpus, the
# figures issue 12 compares before and after: findings per Dockerfile and
# per Compose file, by severity, the critical+high share, and the share of
# files a high gate (--fail-on high, the default) fails, the most
# frequent rules. A measurement, not
# a test: it passes or fails nothing.
#
#   sh bench/findings.sh [POLICY] [OPTION...]
#
# POLICY is the CLI to measure (build/cli/policy by default; give an older
# build's to compare); the OPTIONs go to `policy check` (--profile strict,
# --profile all). Each corpus folder is checked in one run with
# --no-config --format json; the files are named one by one (the corpus's
# flattened names are not the names a folder walk picks up).
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
policy=${1:-$here/build/cli/policy}
[ $# -gt 0 ] && shift
corpus="$here/../shared/corpus"
if [ ! -d "$corpus/dockerfiles" ] || [ ! -d "$corpus/compose" ]; then
  echo "SKIP: $corpus not found (the bench needs ../shared beside the repo)"
  exit 0
fi
[ -x "$policy" ] || { echo "bench/findings.sh: $policy is not an executable" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

for kind in dockerfiles compose; do
  find "$corpus/$kind" -type f | LC_ALL=C sort > "$tmp/$kind.list"
  # Exit 1 (findings at the gate) and 2 (input errors, which the JSON
  # lists) are expected; only the JSON matters here.
  xargs "$policy" check --no-config --no-progress --format json "$@" \
    < "$tmp/$kind.list" > "$tmp/$kind.json" 2> "$tmp/$kind.err" || true
done

python3 - "$tmp" <<'EOF'
import json, os, sys
tmp = sys.argv[1]
levels = ["critical", "high", "medium", "low", "info"]
for kind, label in (("dockerfiles", "Dockerfiles"), ("compose", "Compose files")):
    files = [l.rstrip("\n") for l in open(os.path.join(tmp, kind + ".list"))]
    report = json.load(open(os.path.join(tmp, kind + ".json")))
    inputs = {os.path.realpath(f) for f in files}
    by_sev = {s: 0 for s in levels}
    by_rule = {}
    gated = set()
    total = 0
    for f in report.get("findings", []):
        total += 1
        by_sev[f["severity"]] = by_sev.get(f["severity"], 0) + 1
        by_rule[f["rule"]] = by_rule.get(f["rule"], 0) + 1
        if f["severity"] in ("critical", "high"):
            gated.add(os.path.realpath(f.get("file", "")))
    n = len(files)
    ch = by_sev["critical"] + by_sev["high"]
    print(f"{label}: {n} files, {total} findings, {total / n:.2f} per file")
    print("  by severity: " + ", ".join(f"{s} {by_sev[s]}" for s in levels))
    print(f"  critical+high: {ch} ({100.0 * ch / total if total else 0:.1f}% of findings)")
    print(f"  failing a high gate: {len(gated & inputs)} of {n} files "
          f"({100.0 * len(gated & inputs) / n:.1f}%)")
    top = sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    print("  most frequent: " + ", ".join(f"{r} {c}" for r, c in top))
EOF
