#!/bin/sh
# `policy check` in CI: the output formats (SARIF validated against the
# official 2.1.0 schema, JUnit and Checkstyle parsed by libxml2's xmllint,
# GitHub workflow commands against their grammar, GitLab Code Quality),
# baselines, excludes, shards, --jobs, the default --fail-on, strictness,
# warnings, walks that reach a file twice, and hostile text (control
# characters, escape sequences, bidi controls) from a rule.
# Usage: test_ci.sh PATH/TO/policy. Prints TAP lines and a closing
# "cli-ci: N passed, M failed, K skipped" line; exits 1 when anything
# failed. Parts that need ../shared skip when it is absent.
set -u
POLICY=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=${POLICY_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
SHARED=${POLICY_SHARED_DIR:-$SRC/../shared}
FORMATS="$SRC/tests/cli/ci_formats.py"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
failed=0
skipped=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); skipped=$((skipped + 1)); echo "ok $n - $1 # SKIP $2"; }
check() { d=$1; shift; if "$@"; then ok "$d"; else fail "$d"; fi; }
has() { grep -q -- "$1" "$T/out"; }
# run ARGS...: policy in $T/w with a time bound; stdout in out, stderr in err.
run() { (cd "$T/w" && NO_COLOR=1 timeout 120 "$POLICY" "$@" >"$T/out" 2>"$T/err"); rc=$?; }

# A Python that has jsonschema (Debian's python3-jsonschema).
PY=python3
python3 -c 'import jsonschema' 2>/dev/null || PY=/usr/bin/python3
HAVE_SCHEMA=1
$PY -c 'import jsonschema' 2>/dev/null || HAVE_SCHEMA=0
HAVE_XMLLINT=1
command -v xmllint >/dev/null || HAVE_XMLLINT=0

mkdir -p "$T/w"
cp "$SRC"/examples/* "$T/w/"

# ---- the default threshold
run check --no-config secure.Dockerfile
check "the secure example passes the default --fail-on" [ $rc -eq 0 ]
run check --no-config --profile strict secure.Dockerfile
check "and the summary names what is below the threshold" has '^1 file checked: 2 findings (2 below --fail-on high), 0 suppressed, 0 errors$'
run check --no-config insecure.Dockerfile
check "the insecure example fails it" [ $rc -eq 1 ]
run check --no-config --profile strict --fail-on info secure.Dockerfile
check "--fail-on info stays available" [ $rc -eq 1 ]
printf 'fail_on: info\nprofile: strict\n' >"$T/w/strict.yaml"
run check --config strict.yaml secure.Dockerfile
check "fail_on in .policy.yaml sets the default" [ $rc -eq 1 ]

# ---- every format of one run agrees with the JSON report
mkdir -p "$T/w/web"
printf 'FROM ubuntu:latest\nRUN curl -s https://x.example | sh\n' >"$T/w/web/Dockerfile"
printf 'services:\n  web:\n    build: ./web\n    image: app:${TAG}\n    privileged: true\n' >"$T/w/compose.yaml"
printf 'FROM alpine:3.20\nFOO bar\n' >"$T/w/broken.Dockerfile"
run check --no-config --format json=r.json --format sarif=r.sarif --format junit=r.xml \
  --format checkstyle=r.cs.xml --format gitlab=r.gl.json --format github=r.gh --format text .
check "several formats at once, text on stdout" has 'web/Dockerfile:2:.* \[curl-pipe-shell\]'
check "with input errors the run exits 2" [ $rc -eq 2 ]
for f in r.json r.sarif r.xml r.cs.xml r.gl.json r.gh; do
  check "--format ...=$f is written" [ -s "$T/w/$f" ]
done
if [ $HAVE_XMLLINT -eq 1 ]; then
  check "JUnit is well-formed XML (xmllint)" xmllint --noout "$T/w/r.xml"
  check "Checkstyle is well-formed XML (xmllint)" xmllint --noout "$T/w/r.cs.xml"
  suites=$(xmllint --xpath 'count(//testsuite)' "$T/w/r.xml")
  files=$($PY -c 'import json,sys; r=json.load(open(sys.argv[1])); print(len({x["file"] for x in r["findings"]+r["errors"]}))' "$T/w/r.json")
  check "a testsuite per file ($suites)" [ "$suites" -ge "$files" ]
  fails=$(xmllint --xpath 'sum(//testsuite/@failures)' "$T/w/r.xml")
  cases=$($PY -c 'import json,sys; r=json.load(open(sys.argv[1])); print(len({(x["file"],x["rule"]) for x in r["findings"]}))' "$T/w/r.json")
  check "a failing testcase per rule and file with findings ($fails)" [ "$fails" = "$cases" ]
else
  skip "JUnit is well-formed XML (xmllint)" "xmllint is not installed (libxml2-utils)"
fi
check "JUnit, Checkstyle, GitLab, GitHub and SARIF counts match the JSON report" \
  $PY "$FORMATS" counts "$T/w/r.json" "$T/w/r.sarif" "$T/w/r.xml" "$T/w/r.cs.xml" "$T/w/r.gl.json" "$T/w/r.gh"
check "GitHub annotations follow the workflow command grammar" $PY "$FORMATS" github "$T/w/r.gh"
check "the warning about an unset variable is an annotation" grep -q '^::warning file=compose.yaml,line=4,.*TAG' "$T/w/r.gh"
if [ $HAVE_SCHEMA -eq 1 ] && [ -f "$SHARED/reference/sarif/sarif-schema-2.1.0.json" ]; then
  SCHEMA="$SHARED/reference/sarif/sarif-schema-2.1.0.json"
  check "this run's SARIF validates against the 2.1.0 schema" $PY "$FORMATS" sarif "$SCHEMA" "$T/w/r.sarif"
  for ex in insecure.Dockerfile secure.Dockerfile insecure-compose.yaml insecure-inspect.json; do
    run check --no-config --format sarif "$ex"
    cp "$T/out" "$T/ex-$ex.sarif"
  done
  check "SARIF of every example validates" $PY "$FORMATS" sarif "$SCHEMA" "$T"/ex-*.sarif
else
  skip "SARIF validates against the 2.1.0 schema" "python3-jsonschema or ../shared is missing"
  skip "SARIF of every example validates" "python3-jsonschema or ../shared is missing"
fi

# ---- GitHub escaping: %, CR, LF, and : , in properties
cat >"$T/w/odd.lua" <<'LUA'
return {
  id = "odd-message", title = "Title: with, commas", severity = "high",
  applies_to = "image", description = "d", remediation = "r",
  check = function(image) report(image, "100% sure,\r\nsecond: line") end,
}
LUA
mkdir -p "$T/w/odd"
printf 'FROM alpine:3.20\n' >"$T/w/odd/a,b:c.Dockerfile"
run check --no-config --no-builtin --policy odd.lua --format github "odd/a,b:c.Dockerfile"
check "github: % and line breaks escaped in the message" has '::100%25 sure,\\x0D\\x0Asecond: line$'
check "github: : and , escaped in properties" has '^::error file=odd/a%2Cb%3Ac.Dockerfile,.*title=high \[odd-message\] Title%3A with%2C commas::'
printf '%s\n' "$(cat "$T/out")" >"$T/gh"
check "github: still the grammar" $PY "$FORMATS" github "$T/gh"

# ---- hostile text from a rule: one finding is one line, whatever it says
cat >"$T/w/hostile.lua" <<'LUA'
return {
  id = "hostile", title = "Evil\n\27[2Jtitle\u{202E}", severity = "high",
  applies_to = "image", description = "d\27[31m", remediation = "r",
  check = function(image)
    report(image, "line one\nx.Dockerfile:1:1: critical [fake] forged\n1 file checked: 0 findings")
    report(image, "\27]0;title\7\27[2J\27[1;1Hcursor \u{202E}reversed\u{2066} \u{85}nel \194\155csi \127del \255bad")
    report(image, "tab\there\rreturn")
  end,
}
LUA
printf 'FROM alpine:3.20\n' >"$T/w/one.Dockerfile"
run check --no-config --no-builtin --policy hostile.lua one.Dockerfile
check "three findings give three lines and one summary line" [ "$(wc -l <"$T/out")" -eq 4 ]
check "no escape byte reaches the terminal" sh -c "! grep -q \"\$(printf '\\033')\" '$T/out'"
check "no raw carriage return, BEL or C1 control" sh -c "! LC_ALL=C grep -q \"\$(printf '[\\r\\007\\177]')\" '$T/out'"
check "bidi controls are shown as escapes" has '\\u202Ereversed\\u2066'
check "C1 controls and invalid bytes are shown as escapes" has '\\u0085nel \\u009Bcsi \\x7Fdel \\xFFbad'
check "the forged lines stay inside the finding" has '^one.Dockerfile:1:1: high \[hostile\] line one\\x0Ax.Dockerfile'
run check --no-config --no-builtin --policy hostile.lua --format json one.Dockerfile
check "JSON stays one valid object" $PY -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/out"
check "and keeps the text (escaped the JSON way)" has 'line one\\nx.Dockerfile'
run check --no-config --no-builtin --policy hostile.lua --format junit one.Dockerfile
if [ $HAVE_XMLLINT -eq 1 ]; then
  check "JUnit with hostile text is still well-formed" xmllint --noout "$T/out"
fi
run rules --no-config --no-builtin --policy hostile.lua
check "policy rules: one line per rule and the count" [ "$(wc -l <"$T/out")" -eq 2 ]
check "policy rules: the title escaped" has 'Evil\\x0A\\x1B\[2Jtitle\\u202E'
run explain --no-config --no-builtin --policy hostile.lua hostile
check "policy explain: no escape byte" sh -c "! grep -q \"\$(printf '\\033')\" '$T/out'"
mkdir -p "$T/w/hrules/tests/hostile"
cp "$T/w/hostile.lua" "$T/w/hrules/"
printf 'FROM alpine:3.20\n' >"$T/w/hrules/tests/hostile/pass-x.Dockerfile"
run test hrules
check "policy test: no escape byte in what it shows" sh -c "! grep -q \"\$(printf '\\033')\" '$T/out'"
check "policy test: each unexpected finding on one line" [ "$(grep -c 'unexpected:' "$T/out")" -eq 3 ]
printf 'FROM alpine:3.20\n' >"$T/w/$(printf 'e\033[31mvil').Dockerfile"
run check --no-config --no-builtin --policy hostile.lua .
check "a file name with an escape sequence is escaped" has 'e\\x1B\[31mvil.Dockerfile:1:1: high'

# ---- limits are named by their option
cat >"$T/w/spin.lua" <<'LUA'
return {
  id = "spin", title = "Spins", severity = "low", applies_to = "image",
  description = "d", remediation = "r",
  check = function(image) while true do end end,
}
LUA
run check --no-config --no-builtin --policy spin.lua --max-instructions 100000 secure.Dockerfile
check "a rule over its budget is an error naming the option" has 'POLICY_LIMIT_INSTRUCTIONS.*; option --max-instructions$'
check "and exits 2" [ $rc -eq 2 ]

# ---- baselines
mkdir -p "$T/w/b"
cp "$T/w/insecure.Dockerfile" "$T/w/b/Dockerfile"
run baseline write base.json --no-config b
check "policy baseline write exits 0" [ $rc -eq 0 ]
check "and writes every finding" [ "$(grep -c '"fingerprint"' "$T/w/base.json")" -eq 14 ]
run check --no-config --baseline base.json b
check "re-run with the baseline: no finding" has '^1 file checked: 0 findings, 14 suppressed, 0 errors, 0 fixed since the baseline$'
check "and exit 0" [ $rc -eq 0 ]
{ printf '# a comment that moves every line\n\n'; cat "$T/w/insecure.Dockerfile"; printf 'RUN curl -fsSL https://x.example/i.sh | sh\n'; } >"$T/w/b/Dockerfile"
run check --no-config --baseline base.json b
check "lines moved and one added: only the new findings" [ "$(grep -c '^b/Dockerfile:' "$T/out")" -eq 2 ]
check "the new ones are those of the new line" [ "$(grep -c '^b/Dockerfile:23:' "$T/out")" -eq 2 ]
sed -i '/EXPOSE 22/d' "$T/w/b/Dockerfile"
run check --no-config --baseline base.json --format json b
check "a finding gone is listed as fixed" $PY -c 'import json,sys; r=json.load(open(sys.argv[1])); assert [f["rule"] for f in r["fixed"]] == ["ssh-port-exposed"], r["fixed"]' "$T/out"
run check --no-config --baseline base.json --format sarif b
check "SARIF marks baseline states" $PY -c 'import json,sys; r=json.load(open(sys.argv[1]))["runs"][0]["results"]; s={x.get("baselineState") for x in r}; assert s == {"new","unchanged"}, s' "$T/out"
printf '{"version": 1, "findings": [{"rule": "x"}]}' >"$T/w/bad.json"
run check --no-config --baseline bad.json b
check "a malformed baseline is an error with line:col" grep -q 'bad.json:1:.*a baseline entry needs fingerprint' "$T/err"

# ---- excludes and shards
mkdir -p "$T/w/ex/vendor/lib" "$T/w/ex/app" "$T/w/ex/tmpl"
for d in vendor/lib app tmpl; do printf 'FROM ubuntu:latest\n' >"$T/w/ex/$d/Dockerfile"; done
printf 'FROM ubuntu:latest\n' >"$T/w/ex/app/x.Dockerfile"
run check --no-config --exclude vendor --exclude 'ex/tmpl/*' ex
check "--exclude a name and a path glob" sh -c "grep -q '^ex/app/Dockerfile' '$T/out' && ! grep -q '^ex/vendor' '$T/out' && ! grep -q '^ex/tmpl' '$T/out'"
check "excluded files are not counted" has '^2 files checked'
printf 'exclude:\n  - "*.Dockerfile"\n  - vendor\n' >"$T/w/ex.yaml"
run check --config ex.yaml ex
check "exclude: in .policy.yaml" sh -c "grep -q '^2 files checked' '$T/out' && ! grep -q 'x.Dockerfile' '$T/out'"
run check --no-config --format json .
$PY -c 'import json,sys; r=json.load(open(sys.argv[1])); print("\n".join(sorted(json.dumps(f, sort_keys=True) for f in r["findings"])))' "$T/out" >"$T/full"
: >"$T/union"
for s in 1 2 3; do
  run check --no-config --format json --shard $s/3 .
  $PY -c 'import json,sys; r=json.load(open(sys.argv[1])); print("\n".join(json.dumps(f, sort_keys=True) for f in r["findings"]))' "$T/out" >>"$T/union"
done
sort -o "$T/union" "$T/union"
check "the union of --shard 1/3, 2/3, 3/3 is the full run" cmp -s "$T/full" "$T/union"
run check --no-config --shard 4/3 .
check "--shard I/N needs I <= N" [ $rc -eq 2 ]

# ---- a file reached twice is checked once
mkdir -p "$T/w/dup/web"
printf 'FROM ubuntu:latest\n' >"$T/w/dup/web/Dockerfile"
printf 'services:\n  web:\n    build: ./web\n' >"$T/w/dup/compose.yaml"
run check --no-config ./dup
check "walk: the Compose-built Dockerfile once, with one path" [ "$(grep -c 'Dockerfile:1:6: medium \[base-image-latest\]' "$T/out")" -eq 1 ]
check "walk: no ./ in paths" sh -c "! grep -q '^\\./' '$T/out'"
run check --no-config dup/web/Dockerfile ./dup/web/Dockerfile "$T/w/dup/web//Dockerfile"
check "one file named three ways is checked once" has '^1 file checked'

# ---- strictness
run check --no-config --ignore DL3015,base-image-latest insecure.Dockerfile
check "--ignore a,b ignores both" sh -c "! grep -Eq 'apt-no-install-recommends|base-image-latest' '$T/out'"
run check --no-config --ignore nope-rule insecure.Dockerfile
check "an unknown --ignore is a warning naming it" grep -q 'warning: --ignore nope-rule: no loaded rule' "$T/err"
check "and does not change the exit status" [ $rc -eq 1 ]
run check --no-config --strict --ignore nope-rule secure.Dockerfile
check "--strict: an unknown --ignore is an error" sh -c "[ $rc -eq 2 ] && grep -q 'error: --ignore nope-rule' '$T/err'"
printf 'FROM alpine:3.20\n# policy ignore=no-such-id -- why\nUSER root\n' >"$T/w/comment.Dockerfile"
run check --no-config comment.Dockerfile
check "an unknown id in a comment is a warning with its place" grep -q '^comment.Dockerfile:3:1: warning: .*no-such-id' "$T/err"
run check --no-config --strict comment.Dockerfile
check "--strict: an error" sh -c "[ $rc -eq 2 ] && grep -q '^comment.Dockerfile:3:1: error: .*no-such-id' '$T/err'"
printf 'ignore:\n  - id: nope-rule\n    reason: old\n' >"$T/w/cfg-unknown.yaml"
run check --config cfg-unknown.yaml secure.Dockerfile
check "an unknown id in .policy.yaml is a warning with line:col" grep -q 'cfg-unknown.yaml:2:9: the ignore of .nope-rule. names no loaded rule' "$T/err"
run check --strict --config cfg-unknown.yaml secure.Dockerfile
check "--strict: an error" [ $rc -eq 2 ]
printf 'ignore:\n  - DL3008\n' >"$T/w/cfg-noreason.yaml"
run check --config cfg-noreason.yaml secure.Dockerfile
check "an ignore without a reason is an error with line:col" grep -q 'cfg-noreason.yaml:2:5: an ignore needs a reason' "$T/err"
printf 'ignore:\n  - id: DL3015\n    reason: old\n    expires: 2001-01-01\n' >"$T/w/cfg-expired.yaml"
run check --config cfg-expired.yaml insecure.Dockerfile
check "an expired ignore stops working" has '\[apt-no-install-recommends\]'
check "and a warning says so" grep -q 'expired on 2001-01-01' "$T/err"
printf 'ignore:\n  - id: DL3002\n    reason: r\n    expires: 2030-02-30\n' >"$T/w/cfg-date.yaml"
run check --config cfg-date.yaml secure.Dockerfile
check "a date that does not exist is an error" grep -q 'cfg-date.yaml:4:14: expires must be a date' "$T/err"
printf 'limits:\n  instructions: 5\n  bogus: 1\n' >"$T/w/cfg-nested.yaml"
run check --config cfg-nested.yaml secure.Dockerfile
check "unknown nested keys are errors with line:col" grep -q "cfg-nested.yaml:3:10: unknown limit 'bogus'" "$T/err"
printf 'ignore:\n  - id: DL3002\n    reason: r\n    until: 2030-01-01\n' >"$T/w/cfg-entry.yaml"
run check --config cfg-entry.yaml secure.Dockerfile
check "unknown keys in an ignore entry are errors" grep -q "cfg-entry.yaml:4:12: unknown key 'until'" "$T/err"
printf 'exlude: [vendor]\n' >"$T/w/cfg-top.yaml"
run check --config cfg-top.yaml secure.Dockerfile
check "unknown top-level keys are errors" sh -c "[ $rc -eq 2 ] && grep -q \"cfg-top.yaml:1:9: unknown key 'exlude'\" '$T/err'"

# ---- warnings reach check
printf 'services:\n  app:\n    image: nginx:${NOT_SET_ANYWHERE}\n' >"$T/w/warn-compose.yaml"
run check --no-config warn-compose.yaml
check "text: an unset variable is a warning on stderr" grep -q '^warn-compose.yaml:3:5: warning: The "NOT_SET_ANYWHERE" variable is not set' "$T/err"
run check --no-config --format json warn-compose.yaml
check "json: in the warnings array" $PY -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["warnings"][0]["kind"] == "input" and r["summary"]["warnings"] == 1' "$T/out"
printf 'services:\n  app:\n    build: ./no-such-folder\n' | (cd "$T/w" && timeout 20 "$POLICY" check --no-config --kind compose - >"$T/out" 2>"$T/err")
check "stdin Compose: the Dockerfile it cannot read is a warning" grep -q 'warning: .*could not be read' "$T/err"

# ---- --jobs: the other threads' engines are made while the first is, and
# say nothing: a bad configuration or a refused rule file is printed once
mkdir -p "$T/jobs"
printf 'FROM alpine:3.19\n' >"$T/jobs/a.Dockerfile"
printf 'FROM alpine:3.19\nUSER 1000\n' >"$T/jobs/b.Dockerfile"
printf 'bad = [\n' >"$T/jobs/bad.toml"
(cd "$T/jobs" && timeout 60 "$POLICY" check --config bad.toml --jobs 3 a.Dockerfile b.Dockerfile >"$T/out" 2>"$T/err"); rc=$?
check "--jobs 3, a bad configuration: exit 2, its error printed once" \
  sh -c "[ $rc -eq 2 ] && [ \$(grep -c 'bad.toml' '$T/err') -eq 1 ]"
printf 'return {' >"$T/jobs/broken.lua"
(cd "$T/jobs" && timeout 60 "$POLICY" check --no-config --policy broken.lua --jobs 3 a.Dockerfile b.Dockerfile >"$T/out" 2>"$T/err"); rc=$?
check "--jobs 3, a refused rule file: printed once, the files still checked" \
  sh -c "[ \$(grep -c 'broken.lua' '$T/err') -eq 1 ] && grep -q '^2 files checked' '$T/out'"
(cd "$T/jobs" && timeout 60 "$POLICY" check --no-config --pack no-such-pack --jobs 3 . >"$T/out" 2>"$T/err"); rc=$?
check "--jobs 3, an unknown --pack: exit 2, printed once" \
  sh -c "[ $rc -eq 2 ] && [ \$(grep -c 'no-such-pack' '$T/err') -eq 1 ]"

# ---- --jobs: the same output for any number of threads
if [ -d "$SHARED/corpus/dockerfiles" ]; then
  C="$T/corpus"
  mkdir -p "$C"
  cp -r "$SHARED/corpus/dockerfiles" "$SHARED/corpus/compose" "$C/"
  for f in "$C"/dockerfiles/*; do mv "$f" "$f.Dockerfile"; done
  (cd "$C" && timeout 300 "$POLICY" check --no-config --jobs 1 --format json . >"$T/j1.json" 2>"$T/j1.err")
  (cd "$C" && timeout 300 "$POLICY" check --no-config --jobs 4 --format json . >"$T/j4.json" 2>"$T/j4.err")
  check "corpus: --jobs 4 JSON is byte-identical to --jobs 1" cmp -s "$T/j1.json" "$T/j4.json"
  (cd "$C" && timeout 300 "$POLICY" check --no-config --jobs 1 . >"$T/t1" 2>&1)
  (cd "$C" && timeout 300 "$POLICY" check --no-config --jobs 3 . >"$T/t3" 2>&1)
  check "corpus: --jobs 3 text is byte-identical to --jobs 1" cmp -s "$T/t1" "$T/t3"
  if [ $HAVE_SCHEMA -eq 1 ] && [ -f "$SHARED/reference/sarif/sarif-schema-2.1.0.json" ]; then
    (cd "$C" && timeout 300 "$POLICY" check --no-config --format sarif . >"$T/corpus.sarif" 2>/dev/null)
    for d in "$SHARED/samples/compose" "$SHARED/samples/inspect"; do
      (cd "$T" && timeout 300 "$POLICY" check --no-config --format sarif "$d"/* >"$T/$(basename "$d").sarif" 2>/dev/null)
    done
    check "SARIF of the corpus and the samples validates" $PY "$FORMATS" sarif \
      "$SHARED/reference/sarif/sarif-schema-2.1.0.json" "$T/corpus.sarif" "$T/compose.sarif" "$T/inspect.sarif"
  else
    skip "SARIF of the corpus and the samples validates" "python3-jsonschema is missing"
  fi
else
  skip "corpus: --jobs 4 JSON is byte-identical to --jobs 1" "../shared is absent"
  skip "corpus: --jobs 3 text is byte-identical to --jobs 1" "../shared is absent"
  skip "SARIF of the corpus and the samples validates" "../shared is absent"
fi

echo "1..$n"
echo "cli-ci: $((n - failed - skipped)) passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
