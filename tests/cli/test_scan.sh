#!/bin/sh
# Command-line tests for vulnerability scan reports: the Trivy, Grype and
# Docker Scout examples, links to the Compose services given with them
# (in any order), standard input and --kind scan, exceptions in
# .policy.yaml (with reason and expiry), the report's age against
# data.scan_max_age_days, and bad reports. Usage: test_scan.sh PATH/TO/policy
set -u
POLICY=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=${POLICY_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { d=$1; shift; if "$@"; then ok "$d"; else fail "$d"; fi; }
run() { (cd "$SRC" && NO_COLOR='' timeout 60 "$POLICY" "$@") >"$T/out" 2>"$T/err"; rc=$?; }
run_in() { d=$1; shift; (cd "$d" && NO_COLOR='' timeout 60 "$POLICY" "$@") >"$T/out" 2>"$T/err"; rc=$?; }
valid_json() { python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$1"; }
no_nil() { ! grep -q 'nil' "$T/out"; }

# ---- the examples, told by their content ---------------------------------
run check --no-config examples/scan-trivy.json
check "a Trivy report with findings exits 1" [ $rc -eq 1 ]
check "a fixable critical is reported at its vulnerability" \
  grep -q '^examples/scan-trivy.json:203:9: high \[vulnerability-fixable\] CVE-2023-38545 (critical, CVSS 9.8) in libcurl4 7.88.1-10+deb12u3: upgrade to 7.88.1-10+deb12u4; it was added by the image' "$T/out"
check "a won't-fix critical is the unfixed rule's" grep -q ':155:9: medium \[vulnerability-unfixed-critical\] CVE-2023-45853 .*the vendor will not fix it' "$T/out"
check "the base image's fixable ones are summed up" grep -q ':1:1: medium \[vulnerable-base-image\] the base image of registry.example.com/shop/web:1.4.2 (its first layer) carries 2 ' "$T/out"
check "no message says nil" no_nil
run check --no-config --fail-on critical examples/scan-trivy.json
check "--fail-on critical: the vulnerability rules are at most high" [ $rc -eq 0 ]
run check --no-config examples/scan-grype.json
check "a Grype report" grep -q '^examples/scan-grype.json:461:3: high \[vulnerability-fixable\] GHSA-w3h3-4rj7-4ph4 (high, CVSS 7.5) in gunicorn 21.2.0' "$T/out"
run check --no-config examples/scan-scout.sarif.json
check "a Docker Scout report" grep -q '^examples/scan-scout.sarif.json:114:9: high \[vulnerability-fixable\] CVE-2024-21538' "$T/out"
check "an UNSPECIFIED severity is no finding" sh -c "! grep -q 'CVE-2024-21892' '$T/out'"
run parse examples/scan-grype.json
check "parse prints the model" valid_json "$T/out"
check "of kind scan" grep -q '"kind": "scan"' "$T/out"
check "with its vulnerabilities" grep -q '"fix_state": "wont_fix"' "$T/out"
run parse --no-positions examples/scan-scout.sarif.json
check "the SARIF report's purl is decoded into its version" grep -q '"version": "1:1.2.13.dfsg-1"' "$T/out"

# ---- links ------------------------------------------------------------------
run check --no-config examples/scan-stack.yaml examples/scan-trivy.json examples/scan-grype.json
check "linked reports: still exit 1" [ $rc -eq 1 ]
check "a finding names the service that ships the package" \
  grep -q 'scan-trivy.json:203:9: .*; shipped by service web (examples/scan-stack.yaml:8)$' "$T/out"
check "and the Dockerfile a built service comes from" \
  grep -q 'scan-grype.json:461:3: .*; shipped by service api (examples/scan-stack.yaml:26, built from examples/secure.Dockerfile)$' "$T/out"
check "every input is counted once" grep -q '^3 files checked' "$T/out"
cp "$T/out" "$T/first"
run check --no-config examples/scan-grype.json examples/scan-trivy.json examples/scan-stack.yaml
check "the order of the paths does not matter" cmp -s "$T/first" "$T/out"
run check --no-config examples/scan-trivy.json examples/insecure-compose.yaml
check "a service running another image is not linked" sh -c "! grep -q 'shipped by' '$T/out'"

# ---- standard input and --kind -----------------------------------------------
(cd "$SRC" && timeout 60 "$POLICY" check --no-config - <examples/scan-trivy.json) >"$T/out" 2>&1
check "a report on standard input is told by its content" grep -q '^-:203:9: high \[vulnerability-fixable\]' "$T/out"
(cd "$SRC" && timeout 60 "$POLICY" check --no-config --kind scan - <examples/insecure-inspect.json) >"$T/out" 2>&1; rc=$?
check "--kind scan for inspect output is an input error" [ $rc -eq 2 ]
check "that says so at 1:1" grep -q '^-:1:1: error not a vulnerability scan report' "$T/out"
run check --no-config --kind bogus examples/scan-trivy.json
check "--kind lists scan" grep -q 'request, scan;' "$T/err"

# ---- exceptions ---------------------------------------------------------------
mkdir -p "$T/x"
cp "$SRC/examples/scan-trivy.json" "$T/x/web.json"
cat >"$T/x/.policy.yaml" <<'EOF'
exceptions:
  - id: CVE-2023-38545
    package: libcurl4
    reason: the SOCKS5 proxy code is never used by this service
    expires: 2099-12-31
  - id: CVE-2024-21538
    reason: cross-spawn only runs at build time
    expires: 2020-01-31
EOF
run_in "$T/x" check --format json web.json
check "an exception moves the finding to suppressed" \
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); s=[x for x in d["suppressed"] if x["rule"]=="vulnerability-fixable"]; assert len(s)==1 and s[0]["reason"]=="the SOCKS5 proxy code is never used by this service" and s[0]["line"]==203, s' "$T/out"
check "an expired exception suppresses nothing" \
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert any(x["line"]==261 for x in d["findings"])' "$T/out"
check "and is a warning with its place" grep -q '\.policy\.yaml:6:5: the exception for CVE-2024-21538 expired on 2020-01-31' "$T/err"
printf 'exceptions:\n  - id: CVE-2023-38545\n    expires: 2099-12-31\n' >"$T/x/.policy.yaml"
run_in "$T/x" check web.json
check "an exception without a reason is a configuration error" [ $rc -eq 2 ]
check "at its place" grep -q '\.policy\.yaml:2:5: an exception needs reason' "$T/err"
printf 'exceptions:\n  - id: CVE-2023-38545\n    reason: why\n' >"$T/x/.policy.yaml"
run_in "$T/x" check web.json
check "an exception without expires is an error too" grep -q 'an exception needs expires' "$T/err"
rm "$T/x/.policy.yaml"

# ---- the report's age ------------------------------------------------------------
today=$(date -u +%Y-%m-%dT%H:%M:%SZ)
sed "s/\"CreatedAt\": \"[^\"]*\"/\"CreatedAt\": \"$today\"/" "$SRC/examples/scan-trivy.json" >"$T/x/fresh.json"
sed "s/\"CreatedAt\": \"[^\"]*\"/\"CreatedAt\": \"2025-01-15T08:00:00Z\"/" "$SRC/examples/scan-trivy.json" >"$T/x/old.json"
run_in "$T/x" check --no-config fresh.json
check "a report made today is not out of date" sh -c "! grep -q 'scan-report-outdated' '$T/out'"
run_in "$T/x" check --no-config old.json
check "a report from January 2025 is" grep -q '^old.json:3:3: medium \[scan-report-outdated\] the trivy report on registry.example.com/shop/web:1.4.2 was made [0-9]* days ago (2025-01-15T08:00:00Z), more than the 7 days allowed' "$T/out"
printf 'scan_max_age_days: 100000\n' >"$T/x/age.yaml"
run_in "$T/x" check --no-config --data age.yaml old.json
check "data.scan_max_age_days raises the limit" sh -c "! grep -q 'scan-report-outdated' '$T/out'"
printf 'scan_fixable_severities: [critical]\n' >"$T/x/sev.yaml"
run_in "$T/x" check --no-config --data sev.yaml fresh.json
check "data.scan_fixable_severities narrows the fixable rule" \
  sh -c "[ \$(grep -c 'vulnerability-fixable' '$T/out') -eq 1 ] && grep -q 'CVE-2023-38545' '$T/out'"

# ---- bad reports ----------------------------------------------------------------
head -c 700 "$SRC/examples/scan-trivy.json" >"$T/x/cut.json"
run_in "$T/x" check --no-config cut.json
check "a truncated report is an input error" [ $rc -eq 2 ]
check "with its line and column" grep -Eq '^cut.json:[0-9]+:[0-9]+: error ' "$T/out"
printf '{"SchemaVersion": 2, "Results": [{"Target": "x", "Vulnerabilities": [{"VulnerabilityID": 7}]}]}\n' >"$T/x/types.json"
run_in "$T/x" check --no-config types.json
check "a value of the wrong type is an error at it" grep -q '^types.json:1:71: error VulnerabilityID must be a string, not a number' "$T/out"
printf '{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "hadolint"}}, "results": []}]}\n' >"$T/x/lint.sarif"
run_in "$T/x" check --no-config lint.sarif
check "SARIF from another tool is an error that says what to give" grep -q 'a SARIF report from hadolint: libpolicy reads Docker Scout' "$T/out"

# ---- the rules ---------------------------------------------------------------------
run rules --no-config
check "policy rules lists the vulnerability rules" sh -c "grep -q vulnerability-fixable '$T/out' && grep -q scan-report-outdated '$T/out'"
run explain vulnerability-unfixed-critical
check "explain names the strict profile" grep -q 'strict profile' "$T/out"

echo "1..$n"
echo "cli-scan: $((n - failed)) passed, $failed failed"
[ $failed -eq 0 ]
