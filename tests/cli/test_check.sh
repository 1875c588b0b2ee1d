#!/bin/sh
# Command-line tests for `policy check`, `policy rules` and `policy
# explain`: golden text and JSON output for the examples, exit codes,
# --fail-on, --ignore, --policy, --data, --no-builtin, directories, stdin,
# colour. Usage: test_check.sh PATH/TO/policy. Regenerate the golden files
# after a deliberate change with: UPDATE_GOLDEN=1 test_check.sh PATH/TO/policy
set -u
POLICY=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=${POLICY_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
GOLDEN="$SRC/tests/cli/golden"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
# A failure shows the start of the last command's output, as TAP comments.
fail() {
  n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"
  for f in "$T/out" "$T/err"; do [ -f "$f" ] && head -n 20 "$f" | sed 's/^/# /'; done
}
check() { d=$1; shift; if "$@"; then ok "$d"; else fail "$d"; fi; }
run() { (cd "$SRC" && NO_COLOR= timeout 60 "$POLICY" "$@") >"$T/out" 2>"$T/err"; rc=$?; }
golden() { # golden NAME: compare $T/out with golden/NAME
  if [ -n "${UPDATE_GOLDEN:-}" ]; then cp "$T/out" "$GOLDEN/$1"; fi
  if diff -u "$GOLDEN/$1" "$T/out" >"$T/diff"; then ok "golden $1"; else cat "$T/diff"; fail "golden $1"; fi
}
valid_json() { python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$1"; }

run check examples/insecure.Dockerfile
check "findings exit 1" [ $rc -eq 1 ]
golden insecure.text
run check --format json examples/insecure.Dockerfile
check "json findings exit 1" [ $rc -eq 1 ]
check "json is valid" valid_json "$T/out"
golden insecure.json
run check examples/secure.Dockerfile
check "the secure example has no finding above info" sh -c "! grep -Eq ': (low|medium|high|critical) \[' '$T/out'"
golden secure.text
run check --fail-on high examples/secure.Dockerfile
check "the secure example passes --fail-on high" [ $rc -eq 0 ]
run check --fail-on high examples/insecure.Dockerfile
check "the insecure example fails --fail-on high" [ $rc -eq 1 ]
run check --fail-on critical examples/insecure.Dockerfile
check "--fail-on critical: high findings do not fail" [ $rc -eq 0 ]
run check --fail-on bogus examples/insecure.Dockerfile
check "--fail-on needs a severity" [ $rc -eq 2 ]
run check examples/insecure.Dockerfile
check "the default profile leaves out hardening rules" sh -c "! grep -q 'healthcheck-missing' '$T/out'"
run check --profile strict examples/insecure.Dockerfile
check "--profile strict adds them" grep -q '\[healthcheck-missing\]' "$T/out"
run check --profile all examples/insecure-compose.yaml
check "--profile all itemises the hardening baseline" grep -q '\[container-no-memory-limit\]' "$T/out"
run check --profile bogus examples/insecure.Dockerfile
check "--profile needs a profile's name" [ $rc -eq 2 ]
run check --ignore DL3015 --ignore base-image-latest examples/insecure.Dockerfile
check "--ignore by ref and by id" sh -c "! grep -Eq 'apt-no-install-recommends|base-image-latest' '$T/out'"
check "--ignore leaves the other rules" grep -q '\[secret-in-env\]' "$T/out"
run check --no-builtin examples/insecure.Dockerfile
check "--no-builtin runs nothing" [ $rc -eq 0 ]
run check examples
check "a directory is walked" grep -q 'examples/insecure.Dockerfile:2:6: medium \[base-image-latest\]' "$T/out"
check "the examples are counted (two Dockerfiles, a Compose file)" grep -q '^3 files checked' "$T/out"

mkdir -p "$T/repo/.git" "$T/repo/app" "$T/repo/node_modules/x"
printf 'FROM ubuntu\n' >"$T/repo/app/Dockerfile"
printf 'FROM ubuntu\n' >"$T/repo/.git/Dockerfile"
printf 'FROM ubuntu\n' >"$T/repo/node_modules/x/Dockerfile"
printf 'services: {}\n' >"$T/repo/compose.yaml"
ln -s .. "$T/repo/app/loop"
(cd "$T" && timeout 60 "$POLICY" check repo >"$T/out" 2>"$T/err"); rc=$?
check "walks skip .git and node_modules, and link loops" [ "$(grep -o '^[^:]*Dockerfile' "$T/out" | sort -u)" = "repo/app/Dockerfile" ]
check "Compose files found by walking are checked, not skipped" sh -c "! grep -q 'compose.yaml: skipped' '$T/err'"

printf 'FROM ubuntu:latest\n' | timeout 20 "$POLICY" check - >"$T/out" 2>&1
check "standard input" grep -q '^-:1:6: medium \[base-image-latest\]' "$T/out"
printf 'FROM ubuntu\nFOO\n' >"$T/bad.Dockerfile"
(timeout 20 "$POLICY" check "$T/bad.Dockerfile" "$T/missing" >"$T/out" 2>&1); rc=$?
check "input errors exit 2" [ $rc -eq 2 ]
check "input errors are reported with position" grep -q 'bad.Dockerfile:2:1: error unknown instruction: FOO' "$T/out"
check "unreadable files are reported" grep -q 'missing: error' "$T/out"
check "findings of the other files are still printed" grep -q 'bad.Dockerfile:1:6: medium' "$T/out"

cat >"$T/no-healthcheck.lua" <<'LUA'
return {
  id = "needs-healthcheck", title = "No HEALTHCHECK", severity = "low",
  applies_to = "image", description = "d", remediation = "r",
  refs = { hadolint = "DLX" },
  check = function(image)
    if image.final and image.healthcheck == nil and not data.exempt[image.from.repository] then
      report(image, "healthcheck", "no HEALTHCHECK in the final stage")
    end
  end,
}
LUA
printf 'exempt:\n  library/busybox: true\n' >"$T/data.yaml"
printf 'FROM alpine:3.20\nUSER 1000\nFROM busybox:1.36\nUSER 1000\n' >"$T/two.Dockerfile"
printf 'FROM alpine:3.20\nUSER 1000\n' >"$T/one.Dockerfile"
(timeout 20 "$POLICY" check --policy "$T/no-healthcheck.lua" --data "$T/data.yaml" "$T/one.Dockerfile" "$T/two.Dockerfile" >"$T/out" 2>&1); rc=$?
check "--policy adds rules and --data feeds them" grep -q 'one.Dockerfile:1:1: low \[needs-healthcheck\]' "$T/out"
check "data exempts the busybox image" [ "$(grep -c needs-healthcheck "$T/out")" -eq 1 ]
printf 'return {' >"$T/broken.lua"
(timeout 20 "$POLICY" check --policy "$T/broken.lua" "$T/one.Dockerfile" >"$T/out" 2>&1); rc=$?
check "a broken rule file is a usage error naming the file and line" grep -q 'broken.lua:1:' "$T/out"
check "and exits 2" [ $rc -eq 2 ]

run check --color examples/insecure.Dockerfile
check "--color colours severities" grep -q "$(printf '\033')\[31mhigh" "$T/out"
(cd "$SRC" && NO_COLOR=1 timeout 20 "$POLICY" check examples/insecure.Dockerfile >"$T/out" 2>&1)
check "NO_COLOR and no terminal: plain text" sh -c "! grep -q \"$(printf '\033')\" '$T/out'"

# The pack's data (end-of-life images) is built in, and --data replaces it.
printf 'FROM alpine:3.16\nUSER 1000\n' >"$T/eol.Dockerfile"
(timeout 20 "$POLICY" check --no-config "$T/eol.Dockerfile" >"$T/out" 2>&1)
check "the built-in data flags an end-of-life base image" grep -q '1:6: medium \[base-image-end-of-life\] alpine:3.16' "$T/out"
printf 'eol_images: []\neol_variants: []\n' >"$T/no-eol.yaml"
(timeout 20 "$POLICY" check --no-config --data "$T/no-eol.yaml" "$T/eol.Dockerfile" >"$T/out" 2>&1)
check "--data replaces the built-in data" sh -c "! grep -q base-image-end-of-life '$T/out'"

# policy test: fixtures of a folder of rules.
mkdir -p "$T/rules/tests/needs-healthcheck" "$T/rules/tests/ghost"
cp "$T/no-healthcheck.lua" "$T/rules/"
printf 'exempt: {}\n' >"$T/rules/tests/needs-healthcheck/data.yaml"
printf 'FROM alpine:3.20\nUSER 1000\n' >"$T/rules/tests/needs-healthcheck/fail-none.Dockerfile"
printf '# the stage, at FROM\n1:1\n' >"$T/rules/tests/needs-healthcheck/fail-none.Dockerfile.expect"
printf 'FROM alpine:3.20\nHEALTHCHECK CMD true\n' >"$T/rules/tests/needs-healthcheck/pass-healthcheck.Dockerfile"
(timeout 20 "$POLICY" test --rule needs-healthcheck "$T/rules" >"$T/out" 2>&1); rc=$?
check "policy test passes good fixtures" [ $rc -eq 0 ]
check "and counts them" grep -q '^policy-test: 2 passed, 0 failed$' "$T/out"
printf '2:1\n' >"$T/rules/tests/needs-healthcheck/fail-none.Dockerfile.expect"
printf 'FROM alpine:3.20\n' >"$T/rules/tests/needs-healthcheck/pass-bad.Dockerfile"
(timeout 20 "$POLICY" test "$T/rules" >"$T/out" 2>&1); rc=$?
check "policy test exits 1 on failures" [ $rc -eq 1 ]
check "a missing finding is shown" grep -q 'missing: a finding at 2:1' "$T/out"
check "an unexpected finding is shown" grep -q 'unexpected: 1:1: no HEALTHCHECK' "$T/out"
check "a pass fixture with a finding fails" grep -q '^FAIL needs-healthcheck/pass-bad.Dockerfile' "$T/out"
check "a fixture folder without a rule fails" grep -q '^FAIL ghost' "$T/out"
check "the count line" grep -q '^policy-test: 1 passed, 3 failed$' "$T/out"
mkdir -p "$T/lonely"
cp "$T/no-healthcheck.lua" "$T/lonely/"
(timeout 20 "$POLICY" test "$T/lonely" >"$T/out" 2>&1); rc=$?
check "a rule without fixtures fails" grep -q 'no pass and no fail fixture' "$T/out"
check "and exits 1" [ $rc -eq 1 ]
(timeout 20 "$POLICY" test >"$T/out" 2>&1); rc=$?
check "policy test without a folder exits 2" [ $rc -eq 2 ]
(timeout 20 "$POLICY" test --rule nope "$T/rules" >"$T/out" 2>&1); rc=$?
check "policy test --rule of an unknown id exits 2" [ $rc -eq 2 ]
run help test
check "policy help test" grep -q 'Usage: policy test' "$T/out"

run rules
check "policy rules lists the pack" grep -q '^image-runs-as-root' "$T/out"
run rules --format json
check "policy rules --format json is valid" valid_json "$T/out"
run explain DL3002
check "policy explain finds a rule by ref" grep -q '^image-runs-as-root: Image or container set to run as root' "$T/out"
check "and prints the fix" grep -q 'How to fix' "$T/out"
run explain DL3008
check "policy explain finds a rule of another built-in pack" grep -q '^DL3008: ' "$T/out"
check "and says which --pack runs it" grep -q "policy check --pack hadolint" "$T/out"
run explain --pack hadolint DL3002
check "with --pack hadolint, DL3002 is that pack's rule" grep -q '^DL3002: ' "$T/out"
run explain nope
check "explain of an unknown id exits 2" [ $rc -eq 2 ]

# .policy.yaml's packs: built-in packs in place of the default one.
mkdir -p "$T/pk"
printf 'FROM debian\nRUN apt-get install -y python\n' >"$T/pk/Dockerfile"
printf 'packs: [hadolint]\n' >"$T/pk/.policy.yaml"
(cd "$T/pk" && timeout 60 "$POLICY" check Dockerfile >"$T/out" 2>"$T/err"); rc=$?
check "packs: [hadolint] runs that pack alone" sh -c "grep -q '\[DL3008\]' '$T/out' && ! grep -q '\[apt-no-install-recommends\]' '$T/out'"
(cd "$T/pk" && timeout 60 "$POLICY" check --pack builtin Dockerfile >"$T/out" 2>"$T/err"); rc=$?
check "--pack replaces the configuration's packs" sh -c "! grep -q '\[DL3008\]' '$T/out' && grep -q '\[apt-no-install-recommends\]' '$T/out'"
printf 'packs: [hadolnt]\n' >"$T/pk/.policy.yaml"
(cd "$T/pk" && timeout 60 "$POLICY" check Dockerfile >"$T/out" 2>"$T/err"); rc=$?
check "an unknown pack name is an error with its place" sh -c "[ $rc -eq 2 ] && grep -q '.policy.yaml:1:9: packs:' '$T/err'"

mkdir -p "$T/proj"
printf 'services:\n  web:\n    image: nginx:${TAG}\n    privileged: ${PRIV}\n' >"$T/proj/compose.yaml"
printf 'TAG=1.27\nPRIV=true\n' >"$T/proj/.env"
printf 'TAG=latest\nPRIV=false\n' >"$T/other.env"
(cd "$T" && timeout 20 "$POLICY" check --format json proj >"$T/out" 2>&1)
check "compose variables come from the project's .env" grep -q '"rule":"container-privileged"' "$T/out"
(cd "$T" && timeout 20 "$POLICY" check --format json --env-file other.env proj >"$T/out" 2>&1)
check "--env-file replaces the .env" sh -c "! grep -q '\"rule\":\"container-privileged\"' '$T/out' && grep -q '\"rule\":\"container-image-latest\"' '$T/out'"
printf 'services:\n  web:\n    user: root\n' >"$T/proj/compose.override.yaml"
(cd "$T" && timeout 20 "$POLICY" check proj >"$T/out" 2>&1)
check "compose.override.yaml is merged, not checked alone" grep -q '1 file checked' "$T/out"
check "and findings from it point into it" grep -q 'proj/compose.override.yaml:3:5: high \[image-runs-as-root\]' "$T/out"

# A hadolint configuration (docs/hadolint.md): found in the working folder
# when there is no .policy.yaml, or named by --config; HADOLINT_* variables.
mkdir -p "$T/hl"
printf 'FROM docker.io/library/debian:12\nRUN apt-get update && apt-get install -y curl\nFROM quay.io/x/y:1\n' >"$T/hl/Dockerfile"
printf 'ignored:\n  - DL3008\ntrustedRegistries:\n  - docker.io\nfailure-threshold: warning\noverride:\n  error: [DL3015]\n' >"$T/hl/.hadolint.yaml"
(cd "$T/hl" && timeout 60 "$POLICY" check --pack hadolint Dockerfile >"$T/out" 2>"$T/err"); rc=$?
check ".hadolint.yaml: ignored" sh -c "! grep -q DL3008 '$T/out'"
check ".hadolint.yaml: trustedRegistries reach DL3026" sh -c "grep -q 'Dockerfile:3:6: high \[DL3026\]' '$T/out' && ! grep -q 'Dockerfile:1:6: high \[DL3026\]' '$T/out'"
check ".hadolint.yaml: failure-threshold warning fails on medium" [ $rc -eq 1 ]
check ".hadolint.yaml: override error gives DL3015 severity high" grep -q 'Dockerfile:2:.*high \[DL3015\]' "$T/out"
printf 'ignored: [DL3008]\nfrobnicate: 1\n' >"$T/hl/.hadolint.yaml"
(cd "$T/hl" && timeout 60 "$POLICY" check --pack hadolint Dockerfile >"$T/out" 2>"$T/err"); rc=$?
check ".hadolint.yaml: a key hadolint does not have is a warning with its place" grep -q '.hadolint.yaml:2:13: frobnicate: not a key' "$T/err"
printf 'ignored:\n  - DL3008\ntrustedRegistries:\n  - docker.io\nfailure-threshold: warning\noverride:\n  error: [DL3015]\n' >"$T/hl/.hadolint.yaml"
mkdir -p "$T/hl/conf"
printf 'ignored: DL3008\n' >"$T/hl/conf/hadolint.yaml"
(cd "$T/hl" && timeout 60 "$POLICY" check --pack hadolint --config conf/hadolint.yaml Dockerfile >"$T/out" 2>"$T/err"); rc=$?
check "--config takes a hadolint configuration; a wrong type is an error with its place" \
  sh -c "[ $rc -eq 2 ] && grep -q 'conf/hadolint.yaml:1:10: ignored must be a list' '$T/err'"
rm "$T/hl/.hadolint.yaml"
(cd "$T/hl" && HADOLINT_IGNORE=DL3008,DL3015 HADOLINT_TRUSTED_REGISTRIES=quay.io timeout 60 "$POLICY" check --pack hadolint Dockerfile >"$T/out" 2>"$T/err"); rc=$?
check "HADOLINT_IGNORE and HADOLINT_TRUSTED_REGISTRIES" \
  sh -c "! grep -Eq 'DL3008|DL3015' '$T/out' && grep -q 'Dockerfile:1:6: high \[DL3026\]' '$T/out' && ! grep -q ':3:6: high \[DL3026\]' '$T/out'"

# hadolint's settings (issue 17): override, no-fail, failure-threshold,
# disable-ignore-pragma, their HADOLINT_* variables and precedence (the
# variables < the file < the command line), where hadolint finds its
# configuration, its --format names.
mkdir -p "$T/h2" "$T/home/.hadolint" "$T/xdg"
printf 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\n# hadolint ignore=DL3003\nRUN cd /tmp\n# policy ignore=DL3066 -- named user on purpose\nUSER app\n' >"$T/h2/Dockerfile"
hl() { (cd "$T/h2" && env HOME="$T/home" XDG_CONFIG_HOME="$T/xdg" "$@" timeout 60 "$POLICY" check --pack hadolint --format json Dockerfile >"$T/out" 2>"$T/err"); rc=$?; }
sev() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(" ".join(sorted(f["rule"]+"="+f["severity"] for f in d["findings"])))' "$T/out"; }
has() { sev | grep -qw "$1"; }
printf 'override:\n  warning: [DL3015, DL3009]\n  error: [DL3015]\n  style: [DL3008]\n' >"$T/h2/.hadolint.yaml"
hl
check "override: error wins over warning; style gives info; the gate uses it" \
  sh -c "[ $rc -eq 1 ] && $(command -v python3) -c 'import json,sys; d=json.load(open(sys.argv[1])); s={f[\"rule\"]:f[\"severity\"] for f in d[\"findings\"]}; sys.exit(0 if s[\"DL3015\"]==\"high\" and s[\"DL3009\"]==\"medium\" and s[\"DL3008\"]==\"info\" else 1)' '$T/out'"
(cd "$T/h2" && HOME="$T/home" timeout 60 "$POLICY" check --pack hadolint --format sarif Dockerfile >"$T/out" 2>"$T/err")
check "override: SARIF's result and rule carry the new level" \
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["runs"][0]; lv=[x["level"] for x in r["results"] if x["ruleId"]=="DL3015"]; rl=[x for x in r["tool"]["driver"]["rules"] if x["id"]=="DL3015"]; sys.exit(0 if lv==["error"] and rl[0]["defaultConfiguration"]["level"]=="error" else 1)' "$T/out"
printf 'override:\n  info: [DL1001]\n' >"$T/h2/.hadolint.yaml"
hl
check "override turns on a rule that is off by default (DL1001, profile all)" has DL1001=low
printf 'no-fail: true\noverride:\n  error: [DL3008]\n' >"$T/h2/.hadolint.yaml"
hl
check "no-fail: exit 0 with a high finding" sh -c "[ $rc -eq 0 ] && grep -q DL3008 '$T/out'"
(cd "$T/h2" && HOME="$T/home" timeout 60 "$POLICY" check --pack hadolint --fail-on medium Dockerfile >"$T/out" 2>&1); rc=$?
check "the command line's --fail-on wins over no-fail" [ $rc -eq 1 ]
printf 'failure-threshold: none\noverride:\n  error: [DL3008]\n' >"$T/h2/.hadolint.yaml"
hl
check "failure-threshold: none exits 0" [ $rc -eq 0 ]
printf 'no-fail: false\nfailure-threshold: warning\n' >"$T/h2/.hadolint.yaml"
hl HADOLINT_NOFAIL=1 HADOLINT_OVERRIDE_ERROR=DL3009
check "the file's no-fail wins over HADOLINT_NOFAIL; lists add up (HADOLINT_OVERRIDE_ERROR)" \
  sh -c "[ $rc -eq 1 ] && $(command -v python3) -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if any(f[\"rule\"]==\"DL3009\" and f[\"severity\"]==\"high\" for f in d[\"findings\"]) else 1)' '$T/out'"
rm "$T/h2/.hadolint.yaml"
hl
pragmas_applied() { [ -s "$T/out" ] && ! has DL3003=medium && ! has DL3066=low; }
check "an ignore pragma applies; a policy comment too" pragmas_applied
hl HADOLINT_DISABLE_IGNORE_PRAGMA=true
check "HADOLINT_DISABLE_IGNORE_PRAGMA: hadolint's pragmas apply no more, libpolicy's comments still do" \
  eval 'has DL3003=medium && ! has DL3066=low'
printf 'disable-ignore-pragma: true\n' >"$T/h2/.hadolint.yaml"
hl
check "disable-ignore-pragma: true" has DL3003=medium
rm "$T/h2/.hadolint.yaml"
hl HADOLINT_IGNORE=DL3008,DL3009 HADOLINT_FAILURE_THRESHOLD=none
check "HADOLINT_IGNORE and HADOLINT_FAILURE_THRESHOLD=none" sh -c "[ $rc -eq 0 ] && ! grep -Eq 'DL3008|DL3009' '$T/out'"
hl HADOLINT_FAILURE_THRESHOLD=bogus
check "a bad HADOLINT_FAILURE_THRESHOLD is an error naming the variable" \
  sh -c "[ $rc -eq 2 ] && grep -q 'HADOLINT_FAILURE_THRESHOLD.*failure-threshold must be' '$T/err'"
cat >"$T/h2/labels.lua" <<'LUA'
return { id = "show-hadolint-data", title = "t", severity = "info", applies_to = "document",
  description = "d", remediation = "r",
  check = function(doc)
    local h = data.hadolint
    local keys = {}
    for k, v in pairs(h.label_schema) do keys[#keys + 1] = k .. "=" .. v end
    table.sort(keys)
    report(doc, table.concat(keys, ";") .. " strict=" .. tostring(h.strict_labels) .. " reg=" .. table.concat(h.trusted_registries, ";"))
  end }
LUA
printf 'label-schema:\n  owner: email\ntrustedRegistries: [quay.io]\n' >"$T/h2/.hadolint.yaml"
(cd "$T/h2" && HADOLINT_REQUIRE_LABELS="owner:text, version:semver,bad" HADOLINT_STRICT_LABELS=on HADOLINT_TRUSTED_REGISTRIES=docker.io \
  timeout 60 "$POLICY" check --pack hadolint --policy labels.lua Dockerfile >"$T/out" 2>"$T/err")
check "HADOLINT_REQUIRE_LABELS, _STRICT_LABELS, _TRUSTED_REGISTRIES merge with the file (its label type wins)" \
  sh -c "grep -q 'owner=email;version=semver strict=true reg=docker.io;quay.io' '$T/out' && grep -q \"'bad' is not name:type\" '$T/err'"
rm "$T/h2/.hadolint.yaml"
printf 'override:\n  error: [DL3009]\n' >"$T/xdg/hadolint.yaml"
printf 'override:\n  error: [DL3015]\n' >"$T/home/.hadolint.yaml"
hl
check "\$XDG_CONFIG_HOME/hadolint.yaml is found with --pack hadolint" has DL3009=high
rm "$T/xdg/hadolint.yaml"
printf 'override:\n  error: [DL3008]\n' >"$T/home/.hadolint/config.yml"
hl
check "then ~/.hadolint/config.yml" has DL3008=high
rm "$T/home/.hadolint/config.yml"
hl
check "then ~/.hadolint.yaml" has DL3015=high
(cd "$T/h2" && HOME="$T/home" XDG_CONFIG_HOME="$T/xdg" timeout 60 "$POLICY" check --format json Dockerfile >"$T/out" 2>"$T/err")
check "the user's hadolint configuration is not read without --pack hadolint" \
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); r=[f for f in d["findings"] if (f.get("refs") or {}).get("hadolint")=="DL3015"]; sys.exit(0 if r and all(f["severity"]!="high" for f in r) else 1)' "$T/out"
rm "$T/home/.hadolint.yaml"
hl HADOLINT_FORMAT=sarif
check "HADOLINT_FORMAT: below --format" grep -q '"findings"' "$T/out"
(cd "$T/h2" && HADOLINT_FORMAT=sarif timeout 60 "$POLICY" check --pack hadolint Dockerfile >"$T/out" 2>"$T/err")
check "HADOLINT_FORMAT=sarif without --format" grep -q '"version": *"2.1.0"' "$T/out"
(cd "$T/h2" && timeout 60 "$POLICY" check --pack hadolint --format gitlab_codeclimate Dockerfile >"$T/out" 2>"$T/err")
check "--format gitlab_codeclimate is GitLab's Code Quality" grep -q '"check_name"' "$T/out"
(cd "$T/h2" && timeout 60 "$POLICY" check --pack hadolint --format tty Dockerfile >"$T/out" 2>"$T/err")
check "--format tty is text" grep -q '^Dockerfile:2:23: medium \[DL3008\]' "$T/out"
(cd "$T/h2" && timeout 60 "$POLICY" check --pack hadolint --format codacy Dockerfile >"$T/out" 2>"$T/err"); rc=$?
check "--format codacy: an error that lists ours" sh -c "[ $rc -eq 2 ] && grep -q 'no equivalent here; formats: text, json' '$T/err'"

# A FIFO named on the command line is refused without waiting for a writer
# (no input is opened before its turn unless it is a regular file).
mkfifo "$T/fifo"
(timeout 20 "$POLICY" check --no-config "$T/fifo" "$SRC/examples/secure.Dockerfile" >"$T/out" 2>&1); rc=$?
check "a FIFO input: an error, no hang, the other file checked" \
  sh -c "[ $rc -eq 2 ] && grep -q 'is a FIFO' '$T/out' && grep -q '^2 files checked' '$T/out'"

echo "1..$n"
echo "cli-check: $((n - failed)) passed, $failed failed"
[ $failed -eq 0 ]
