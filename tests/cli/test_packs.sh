#!/bin/sh
# Command-line tests for packs (docs/packs.md): one pack loaded alike by
# policy check (folder and archive), policy test and the C API (the unit
# tests); policy test's expectations, coverage, formats and verbose output;
# policy eval; policy check --trace and the applied-to-nothing warning;
# policy pack build and --pack-sha256. Usage: test_packs.sh PATH/TO/policy
set -u
POLICY=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=${POLICY_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
PACK="$SRC/examples/org-pack"
T=${KEEP_T:-$(mktemp -d)}
[ -n "${KEEP_T:-}" ] || trap 'rm -rf "$T"' EXIT
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { d=$1; shift; if "$@"; then ok "$d"; else fail "$d"; fi; }
# run ARGS...: the command in $T, output in $T/out and $T/err, status in rc.
run() { (cd "$T" && NO_COLOR= timeout 60 "$POLICY" "$@") >"$T/out" 2>"$T/err"; rc=$?; }
valid_json() { python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$1"; }
has() { grep -q -- "$1" "$T/${2:-out}"; }

# ---- one pack, loaded alike ------------------------------------------------
cp -r "$PACK" "$T/org-pack"
FIX="$T/org-pack/tests/org-memory-ceiling/fail-limits.yaml"
FIXTURES="org-pack/tests/org-memory-ceiling/fail-limits.yaml org-pack/tests/org-owner-label/fail-missing.yaml"
# shellcheck disable=SC2086
run check --no-config --no-builtin --fail-on low --policy org-pack $FIXTURES
check "check --policy PACK runs its rules (exit 1)" [ $rc -eq 1 ]
check "with the pack's data: the ceiling from data/org.yaml" \
  has 'fail-limits.yaml:13:11: medium \[org-memory-ceiling\] search may use 4 GiB of memory, over the ceiling of 2 GiB'
check "with the manifest's severity (the rule says medium)" \
  has 'fail-missing.yaml:4:5: low \[org-owner-label\] api has no owner label'
grep -v 'files checked' "$T/out" | sort >"$T/folder.txt"
run test org-pack
check "policy test PACK passes the example's fixtures" [ $rc -eq 0 ]
check "and counts them" has '^policy-test: 10 passed, 0 failed$'

# ---- building and pinning --------------------------------------------------
run pack build org-pack -o org.tar.gz
check "pack build exits 0" [ $rc -eq 0 ]
sha=$(cut -d' ' -f1 "$T/out")
check "it prints the archive's SHA-256 as sha256sum does" sh -c "cd '$T' && sha256sum -c out >/dev/null"
run pack build org-pack
check "the default name is NAME-VERSION.tar.gz" [ -f "$T/org-pack-1.0.0.tar.gz" ]
check "the same files give the same bytes" grep -q "^$sha  org-pack-1.0.0.tar.gz" "$T/out"
# shellcheck disable=SC2086
run check --no-config --no-builtin --fail-on low --policy org.tar.gz --pack-sha256 "$sha" $FIXTURES
check "the archive with its SHA-256 loads (exit 1: findings)" [ $rc -eq 1 ]
grep -v 'files checked' "$T/out" | sort >"$T/archive.txt"
check "and gives the folder's findings" cmp -s "$T/folder.txt" "$T/archive.txt"
run check --no-config --no-builtin --policy org.tar.gz \
  --pack-sha256 0000000000000000000000000000000000000000000000000000000000000000 \
  org-pack/tests/org-memory-ceiling/fail-limits.yaml
check "a wrong SHA-256 exits 2" [ $rc -eq 2 ]
check "naming the archive and the hash it has" has "org.tar.gz: its SHA-256 is $sha, not the 0000" err
check "and none of its rules runs" sh -c "! grep -q 'org-memory-ceiling' '$T/out'"
run check --no-config --policy org-pack --pack-sha256 "$sha" org-pack/tests/org-memory-ceiling/fail-limits.yaml
check "--pack-sha256 without an archive is a usage error" [ $rc -eq 2 ]
check "which says so" has 'for 0 pack archives' err
printf 'not a pack\n' >"$T/plain.tar.gz"
run check --no-config --no-builtin --policy plain.tar.gz org-pack/tests/org-memory-ceiling/fail-limits.yaml
check "a file that is not an archive is refused" [ $rc -eq 2 ]
mkdir -p "$T/bad/rules"
printf 'name: bad\nversion: 1.0.0\ndescription: d\n' >"$T/bad/pack.yaml"
printf 'return {\n' >"$T/bad/rules/broken.lua"
run pack build bad -o bad.tar.gz
check "a pack that does not load is not built" [ $rc -eq 2 ] && [ ! -f "$T/bad.tar.gz" ]
check "the refused file is named" has 'bad/rules/broken.lua' err
run help pack
check "policy help pack" has 'Usage: policy pack build'

# ---- policy test: expectations, triggers, coverage, formats ----------------
mkdir -p "$T/p/rules" "$T/p/lib" "$T/p/tests/t-user" "$T/p/tests/t-silent"
printf 'name: p\nversion: 0.1.0\ndescription: test pack\n' >"$T/p/pack.yaml"
printf 'return { root = function(u) return u == "root" or u == "0" end }\n' >"$T/p/lib/users.lua"
cat >"$T/p/rules/user.lua" <<'LUA'
local users = require "users"
return {
  id = "t-user", title = "t", severity = "high", applies_to = "image",
  description = "d", remediation = "r",
  check = function(image)
    print("user is", image.user)
    if users.root(image.user) then
      report(image, "user", "runs as " .. image.user)
    elseif image.user == nil then
      report(image, "no USER at all")
    end
  end,
}
LUA
cat >"$T/p/rules/silent.lua" <<'LUA'
return {
  id = "t-silent", title = "t", severity = "low", applies_to = "image",
  description = "d", remediation = "r",
  check = function(image) if image.user == "nobody-ever" then report(image, "x") end end,
}
LUA
printf 'FROM alpine\nUSER root\n' >"$T/p/tests/t-user/fail-root.Dockerfile"
printf '2:6 high "runs as root"\n' >"$T/p/tests/t-user/fail-root.Dockerfile.expect"
printf 'FROM alpine\nUSER 1000\n' >"$T/p/tests/t-user/pass-user.Dockerfile"
printf 'FROM alpine\n' >"$T/p/tests/t-silent/fail-none.Dockerfile"
printf '* low "x"\n' >"$T/p/tests/t-silent/fail-none.Dockerfile.expect"
printf 'FROM alpine\n' >"$T/p/tests/t-silent/pass-none.Dockerfile"
run test --coverage p
check "a rule no fixture triggers fails the run" [ $rc -eq 1 ]
check "and says why" has 'no fixture triggers this rule'
# check's lines that hold code: 6, 7, 8, 9 and 10; no fixture reaches 10.
check "coverage is printed per rule, with the lines not run" \
  has '^coverage t-user: 80% of 5 lines (not run: 10)$'
run test --rule t-user --min-coverage 90 p
check "--min-coverage fails a rule under it" [ $rc -eq 1 ]
check "naming the share and the minimum" has 'under --min-coverage 90'
printf 'FROM alpine\n' >"$T/p/tests/t-user/fail-none.Dockerfile"
printf '1:1 high /^no USER/\n' >"$T/p/tests/t-user/fail-none.Dockerfile.expect"
run test --rule t-user --min-coverage 100 p
check "with every line run, it passes" [ $rc -eq 0 ]
check "at 100%" has '^coverage t-user: 100% of 5 lines$'
printf '2:6 medium "runs as root"\n' >"$T/p/tests/t-user/fail-root.Dockerfile.expect"
run test --rule t-user p
check "a severity that differs fails the fixture" [ $rc -eq 1 ]
check "and shows what was expected and what came" \
  sh -c "grep -q 'missing: a finding matching .2:6 medium \"runs as root\".' '$T/out' && grep -q 'unexpected: 2:6: runs as root (high)' '$T/out'"
printf '* high /as (root|0)$/\ncount 2\n' >"$T/p/tests/t-user/fail-root.Dockerfile.expect"
run test --rule t-user p
check "count says how many findings there are" [ $rc -eq 1 ]
check "and a different number fails" has "1 finding, but its .expect says count 2"
printf '* high /as (root|0)$/\ncount 1\n' >"$T/p/tests/t-user/fail-root.Dockerfile.expect"
run test --rule t-user -v p
check "a regex and a count pass" [ $rc -eq 0 ]
check "-v shows what the rule printed" has 'printed: user is\\x09root'
printf '2:6 high "runs as root" trailing\n' >"$T/p/tests/t-user/fail-root.Dockerfile.expect"
run test --rule t-user p
check "a malformed .expect line fails with its place" has 'fail-root.Dockerfile.expect:1: unexpected text'
printf '2:6 high "runs as root"\n' >"$T/p/tests/t-user/fail-root.Dockerfile.expect"
run test --format json p
check "--format json exits as text does" [ $rc -eq 1 ]
check "--format json is valid JSON" valid_json "$T/out"
check "with every result" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["failed"] == 2 and d["passed"] == 4, d
assert any(r["rule"] == "t-silent" and r["fixture"] is None for r in d["results"])' "$T/out"
run test --format junit --coverage p
check "--format junit is well-formed XML" xmllint --noout "$T/out"
check "a testsuite per rule" sh -c "[ \$(grep -c '<testsuite ' '$T/out') -eq 2 ]"
run test --format yaml p
check "an unknown format is a usage error" [ $rc -eq 2 ]

# ---- a global defined nowhere ------------------------------------------------
cp -r "$PACK" "$T/typo-pack"
sed -i 's/^name: org-pack$/name: typo-pack/' "$T/typo-pack/pack.yaml"
printf 'return { id = "typo-global", title = "t", severity = "low", applies_to = "image",\n  description = "d", remediation = "r",\n  check = function(image)\n    if image.user == nil then report(image, dat.org.message) end\n  end }\n' \
  >"$T/typo-pack/rules/typo-global.lua"
printf 'FROM alpine\n' >"$T/Dockerfile"
run check --no-config --no-builtin --policy typo-pack Dockerfile
check "a pack rule reading a global defined nowhere is refused (exit 2)" [ $rc -eq 2 ]
check "naming its line and the name meant" \
  has "typo-global.lua:4: the global 'dat' is defined nowhere (it would read nil); did you mean 'data'?" err
run test --rule typo-global typo-pack
check "policy test refuses it alike" sh -c "[ $rc -ne 0 ] && grep -q \"the global 'dat'\" '$T/out' '$T/err'"

# ---- policy eval -----------------------------------------------------------
printf 'services:\n  web:\n    image: nginx:1.25\n    labels:\n      owner: team-web\n' >"$T/compose.yaml"
run eval --no-config -e 'container.labels' compose.yaml
check "eval prints a value as JSON" [ "$(tr -d ' \n' <"$T/out")" = '{"owner":"team-web"}' ]
run eval --no-config --compact -e '#document.containers, container.name' compose.yaml
check "several results are an array" [ "$(cat "$T/out")" = '[1,"web"]' ]
run eval --no-config -e 'container.lables' compose.yaml
check "a misspelt field is an error (exit 2)" [ $rc -eq 2 ]
check "with a suggestion" has "container has no field 'lables'; did you mean 'labels'?" err
run eval --no-config --policy org-pack --compact -e 'require("units").human(require("org").memory_ceiling())' compose.yaml
check "with --policy PACK, require reaches its modules and data" [ "$(cat "$T/out")" = '"2 GiB"' ]
printf 'container.name\nnope(\n#document.containers\n' >"$T/lines"
(cd "$T" && "$POLICY" eval --no-config --compact -i compose.yaml <lines) >"$T/out" 2>"$T/err"; rc=$?
check "-i answers one line after another, errors included" \
  sh -c "[ $rc -eq 0 ] && [ \"\$(cat '$T/out')\" = '\"web\"
1' ] && grep -q 'expression:1:' '$T/err'"
run eval --no-config compose.yaml
check "eval without an expression is a usage error" [ $rc -eq 2 ]
run help eval
check "policy help eval" has 'Usage: policy eval'

# ---- trace and rules that applied to nothing ---------------------------------
run check --no-config --no-builtin --policy org-pack --trace org-owner-label compose.yaml
check "--trace names the rule, the file and the subjects" \
  has 'trace \[org-owner-label\] compose.yaml: ran on 1 subject (applies to container)' err
check "--trace shows the nodes it reported" sh -c "! grep -q 'reported' '$T/err'"
printf 'services:\n  web:\n    image: nginx:1.25\n' >"$T/compose-nolabel.yaml"
run check --no-config --no-builtin --policy org-pack --trace org-owner-label compose-nolabel.yaml
check "--trace shows a reported node with its place and subject" \
  has '  reported compose-nolabel.yaml:2:3 (container web): web has no owner label' err
run check --no-config --no-builtin --policy p --trace t-user org-pack/tests/org-approved-registry/fail-docker-hub.Dockerfile
check "--trace shows what the rule printed" has '  printed: user is\\x09nil' err
run check --no-config --no-builtin --policy p --trace no-such-rule compose.yaml
check "--trace of an unknown rule is a usage error" [ $rc -eq 2 ]
run check --no-config --no-builtin --policy org-pack org-pack/tests/org-approved-registry/fail-docker-hub.Dockerfile
check "a container rule over a Dockerfile applied to nothing: a warning" \
  has 'warning: rule org-memory-ceiling (pack org-pack) applied to nothing: no input had a subject it applies to (container)' err
check "the image rule, which ran, is not named" sh -c "! grep -q 'rule org-approved-registry' '$T/err'"
run check --no-config --policy org-pack --ignore org-memory-ceiling,org-owner-label \
  org-pack/tests/org-approved-registry/fail-docker-hub.Dockerfile
check "ignored rules are not named" sh -c "! grep -q 'applied to nothing' '$T/err'"

# ---- walking skips packs -------------------------------------------------------
run check --no-config "$SRC/examples"
check "a folder walk skips the packs in it (the examples stay 3 files)" has '^3 files checked'

echo "cli_packs: $((n - failed)) passed, $failed failed"
[ $failed -eq 0 ]
