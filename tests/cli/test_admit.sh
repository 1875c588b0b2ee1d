#!/bin/sh
# Command-line tests for admission: `policy admit` (text and JSON, exit
# codes, run lines, standard input, unreadable and malformed input, modes,
# --deny-on, .policy.yaml's admission:, refused rule files), `policy check
# -- docker run ...`, `policy parse -- docker run ...`, and every container
# rule judging create bodies (create_bodies.py).
# Usage: test_admit.sh PATH/TO/policy
set -u
# Wall-time bounds scale with POLICY_TEST_SLOW (5 under the sanitizers).
SLOW=${POLICY_TEST_SLOW:-1}
POLICY=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=${POLICY_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { d=$1; shift; if "$@"; then ok "$d"; else fail "$d"; fi; }
run() { (cd "$T" && NO_COLOR= timeout $((60 * SLOW)) "$POLICY" "$@") >"$T/out" 2>"$T/err"; rc=$?; }
json() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$T/out" "$1"; }

# ---- run lines ------------------------------------------------------------------
# The strict profile: privileged-host-port (low) is a hardening rule.
run admit --no-config --profile strict -- docker run --privileged -p 80:80 -v /:/host alpine
check "a privileged run line is denied (exit 1)" [ $rc -eq 1 ]
check "the finding points at --privileged (column 2)" grep -q '^command-line:1:2: deny critical \[container-privileged\]' "$T/out"
check "and at -v's value (column 6)" grep -q '^command-line:1:6: deny critical \[docker-socket-mounted\]' "$T/out"
check "low findings only warn" grep -q '^command-line:1:4: warn low \[privileged-host-port\]' "$T/out"
check "the decision closes the output" grep -q '^command-line: denied (2 deny, ' "$T/out"

run admit --no-config --format json -- docker run --read-only --cap-drop ALL --security-opt \
  no-new-privileges -u 1000 -m 256m --cpus 1 --pids-limit 64 --network backend --health-cmd true \
  registry.example.com/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
check "a hardened run line is allowed (exit 0)" [ $rc -eq 0 ]
check "json: allow true" [ "$(json 'd["allow"]')" = True ]
check "json: deny, warn and audit lists" [ "$(json 'sorted(k for k in d if k in ("deny","warn","audit"))')" = "['audit', 'deny', 'warn']" ]
check "json: nothing denies" [ "$(json 'len(d["deny"])')" = 0 ]

run admit --no-config -- docker run --bogus alpine
check "an unknown flag is an input error (exit 2)" [ $rc -eq 2 ]
check "and a deny with the reason" grep -q 'deny error unknown flag: --bogus' "$T/out"
run admit --no-config -- docker ps
check "not a run line: a deny, exit 2" sh -c "[ $rc -eq 2 ] && grep -q 'not a docker run or docker create' '$T/out'"

run admit --no-config --mode warn -- docker run --privileged alpine
check "--mode warn allows" [ $rc -eq 0 ]
check "and reports the finding as a warning" grep -q 'warn critical \[container-privileged\]' "$T/out"
run admit --no-config --mode audit -- docker run --privileged alpine
check "--mode audit allows and hides the audited findings" sh -c "[ $rc -eq 0 ] && ! grep -q container-privileged '$T/out'"
run admit --no-config --mode audit --verbose -- docker run --privileged alpine
check "--verbose shows them" grep -q 'audit critical \[container-privileged\]' "$T/out"
run admit --no-config --deny-on critical -- docker run -u root alpine
check "--deny-on critical: a high finding warns" [ $rc -eq 0 ]
run admit --no-config -- docker run -u root alpine
check "a root user is denied by default (high)" sh -c "[ $rc -eq 1 ] && grep -q 'deny high \[image-runs-as-root\]' '$T/out'"
run admit --no-config --mode block -- docker run alpine
check "a bad --mode is a usage error" [ $rc -eq 2 ]

# ---- files and standard input ----------------------------------------------------
run admit --no-config "$SRC/tests/fixtures/inspect/authz_create.json"
check "an AuthZ create request with a privileged body is denied" grep -q 'deny critical \[container-privileged\] container probe' "$T/out"
check "its type error (Memory as text) denies too: exit 2" sh -c "[ $rc -eq 2 ] && grep -q 'deny error RequestBody (decoded) 1:182: HostConfig.Memory' '$T/out'"
run admit --no-config --format json "$SRC/tests/fixtures/inspect/authz_nobody.json"
check "a create request without its body is denied, exit 2" [ $rc -eq 2 ]
check "with the reason" [ "$(json '"without a body" in d["reason"]')" = True ]
check "as an input entry" [ "$(json 'd["deny"][0]["kind"]')" = input ]
printf '{"Image":"alpine","HostConfig":{"NetworkMode":"host"}}' >"$T/body.json"
(cd "$T" && timeout $((60 * SLOW)) "$POLICY" admit --no-config - <body.json >out 2>err); rc=$?
check "standard input: a create body with host networking is denied" sh -c "[ $rc -eq 1 ] && grep -q container-host-network '$T/out'"
check "an unnamed container is named by its image, never nil" sh -c "grep -q 'container alpine ' '$T/out' && ! grep -q 'nil' '$T/out'"
run admit --no-config -- docker run --privileged alpine:3.20
check "a run line without --name: the container is named by its image" sh -c "grep -q 'container alpine:3.20 runs privileged' '$T/out' && ! grep -q 'nil' '$T/out'"
printf '{"Image": "alpine", "HostConfig": ' >"$T/cut.json"
run admit --no-config --format json cut.json
check "a truncated body is a deny, exit 2" sh -c "[ $rc -eq 2 ] && grep -q '\"allow\": false' '$T/out'"
run admit --no-config --format json missing.json
check "an unreadable file is a deny, exit 2" sh -c "[ $rc -eq 2 ] && [ \"\$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[\"allow\"])' '$T/out')\" = False ]"
printf 'just some text\n' >"$T/notes.txt"
run admit --no-config notes.txt
check "input of an unknown kind is a deny, exit 2" sh -c "[ $rc -eq 2 ] && grep -q '^notes.txt: deny error' '$T/out'"
run admit --no-config "$SRC/examples/insecure-compose.yaml"
check "a Compose file is decided too" sh -c "[ $rc -eq 1 ] && grep -q 'denied' '$T/out'"
run admit --no-config a.json b.json
check "one input at a time" [ $rc -eq 2 ]

# ---- policies ----------------------------------------------------------------------
run admit --no-config --no-builtin -- docker run alpine
check "no policy loaded: a deny, exit 2" sh -c "[ $rc -eq 2 ] && grep -q 'no policy is loaded' '$T/out'"
printf 'return { id = "x", title = "X" ' >"$T/broken.lua"
run admit --no-config --policy broken.lua -- docker run alpine
check "a refused rule file: a deny, exit 2" sh -c "[ $rc -eq 2 ] && grep -q 'could not be loaded' '$T/out'"
mkdir -p "$T/proj"
printf 'admission:\n  deny_on: medium\n  rules:\n    container-privileged: warn\n' >"$T/proj/.policy.yaml"
(cd "$T/proj" && timeout $((60 * SLOW)) "$POLICY" admit -- docker run --privileged --read-only alpine:3.20 >"$T/out" 2>"$T/err"); rc=$?
check ".policy.yaml: a rule's action" grep -q 'warn critical \[container-privileged\]' "$T/out"
check ".policy.yaml: deny_on medium" grep -q '^command-line:[0-9:]* deny medium \[' "$T/out"
printf 'admission:\n  mode: dry-run\n' >"$T/proj/.policy.yaml"
(cd "$T/proj" && timeout $((60 * SLOW)) "$POLICY" admit -- docker run alpine >"$T/out" 2>"$T/err"); rc=$?
check "a bad admission: key is an error with its place" sh -c "[ $rc -eq 2 ] && grep -q '.policy.yaml:2:9: admission.mode must be' '$T/err'"

# ---- check and parse take run lines -------------------------------------------------
run check --no-config -- docker run --privileged alpine
check "check -- docker run: findings, exit 1" sh -c "[ $rc -eq 1 ] && grep -q '^command-line:1:2: critical \[container-privileged\]' '$T/out'"
check "check -- docker run: one input" grep -q '^1 file checked' "$T/out"
run check --no-config --format sarif -- docker run --privileged alpine
check "check -- docker run writes other formats" grep -q '"ruleId":"container-privileged"' "$T/out"
run parse --no-positions -- docker run -p 127.0.0.1:80:80 --name web nginx:1.27
check "parse -- docker run prints the model" [ "$(json 'd["documents"][0]["containers"][0]["name"]')" = web ]
check "of kind run" [ "$(json 'd["documents"][0]["kind"]')" = run ]
run check --no-config -- a.Dockerfile b.Dockerfile
check "after --, files are still files" grep -q '^a.Dockerfile: error' "$T/out"

# ---- every container rule judges create bodies ------------------------------------------
mkdir -p "$T/bodies"
python3 "$SRC/tests/cli/create_bodies.py" "$POLICY" "$SRC/policies" "$T/bodies" >"$T/bodies.out" 2>&1
check "container rules find in create bodies what they find in inspect output" grep -q ' 0 failed' "$T/bodies.out"
sed 's/^/# /' "$T/bodies.out"

echo "1..$n"
echo "cli-admit: $((n - failed)) passed, $failed failed"
[ $failed -eq 0 ]
