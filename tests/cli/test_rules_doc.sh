#!/bin/sh
# docs/rules.md is generated from the rules themselves (`policy rules
# --format markdown`); this fails when it is out of date and prints the
# command that updates it. Usage: test_rules_doc.sh PATH/TO/policy
set -u
POLICY=$1
SRC=${POLICY_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
T=$(mktemp)
trap 'rm -f "$T"' EXIT
if ! "$POLICY" rules --no-config --format markdown >"$T"; then
  echo "not ok 1 - policy rules --format markdown failed"
  echo "rules-doc: 0 passed, 1 failed"
  exit 1
fi
if diff -u "$SRC/docs/rules.md" "$T"; then
  echo "ok 1 - docs/rules.md is current"
  echo "rules-doc: 1 passed, 0 failed"
else
  echo "not ok 1 - docs/rules.md is out of date; update it with:"
  echo "  $POLICY rules --no-config --format markdown > $SRC/docs/rules.md"
  echo "rules-doc: 0 passed, 1 failed"
  exit 1
fi
