#!/bin/sh
# `policy authz serve` end to end over its unix socket, with curl
# --unix-socket and tests/cli/authz_client.py: activation, allow, deny, a
# missing body (CVE-2024-41110 and the >1 MB case), a truncated body, a
# Content-Length that disagrees with the body, malformed JSON, an oversized
# body, what is not an AuthZ request, a slow policy hitting the deadline,
# 200 requests at once with no answer lost or mixed up, SIGHUP reloads
# (a broken pack keeps the old one), a policy set that cannot load, the
# decision log, and a load run whose RSS must stay flat and which must
# stop cleanly (under tests/sanitize.sh, LeakSanitizer checks the exit).
# Usage: test_authz.sh PATH/TO/policy
set -u
POLICY=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=${POLICY_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
CLIENT="$SRC/tests/cli/authz_client.py"
if ! command -v curl >/dev/null 2>&1; then
  echo "SKIP: curl is not installed (tests/setup.sh installs it)"
  exit 77
fi
# Wall-time bounds scale with POLICY_TEST_SLOW (5 under the sanitizers).
SLOW=${POLICY_TEST_SLOW:-1}
WAIT=$((300 * SLOW))   # tenths of a second to wait for the server
T=$(mktemp -d)
PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; rm -rf "$T"' EXIT
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { d=$1; shift; if "$@"; then ok "$d"; else fail "$d"; fi; }

SOCK="$T/plugin.sock"
# start ARGS...: a server on $SOCK, logging to $T/log.jsonl, stderr in $T/srv.err
start() {
  rm -f "$SOCK" "$T/log.jsonl"
  (cd "$T" && exec "$POLICY" authz serve --socket "$SOCK" --decision-log "$T/log.jsonl" "$@") \
    2>"$T/srv.err" &
  PID=$!
  i=0
  while [ ! -S "$SOCK" ] && [ $i -lt $WAIT ]; do sleep 0.1; i=$((i + 1)); done
  [ -S "$SOCK" ] || { cat "$T/srv.err"; fail "the server listens"; }
}
# stop: SIGTERM; the server must exit 0 (and, sanitized, without leaks)
stop() {
  kill -TERM $PID
  wait $PID
  code=$?
  PID=
  [ $code -eq 0 ] || { echo "# exit status $code"; sed 's/^/# /' "$T/srv.err" | tail -20; }
  return $code
}
# waitfor TEXT: until the server's stderr says it (SIGHUP is handled
# asynchronously)
waitfor() {
  i=0
  while ! grep -q "$1" "$T/srv.err" && [ $i -lt $WAIT ]; do sleep 0.1; i=$((i + 1)); done
  grep -q "$1" "$T/srv.err"
}
post() { # post ENDPOINT BODY-FILE: the answer in $T/ans
  curl -s --max-time $((30 * SLOW)) --unix-socket "$SOCK" -X POST -H 'Content-Type: application/json' \
    --data-binary @"$2" "http://plugin$1" >"$T/ans"
}
b64() { printf '%s' "$1" | base64 | tr -d '\n'; }
# req FILE METHOD URI [BODY-JSON]: an AuthZ request
req() {
  if [ $# -ge 4 ]; then
    printf '{"User":"","RequestMethod":"%s","RequestUri":"%s","RequestHeaders":{"Content-Type":"application/json"},"RequestBody":"%s"}' \
      "$2" "$3" "$(b64 "$4")" >"$T/$1"
  else
    printf '{"User":"","RequestMethod":"%s","RequestUri":"%s","RequestHeaders":{"Content-Type":"application/json"}}' \
      "$2" "$3" >"$T/$1"
  fi
}
allowed() { grep -q '"Allow":true' "$T/ans"; }
denied() { grep -q '"Allow":false' "$T/ans" && ! grep -q '"Allow":true' "$T/ans"; }
says() { grep -q "$1" "$T/ans"; }

req list.json GET /v1.47/containers/json
req priv.json POST '/v1.47/containers/create?name=web' '{"Image":"nginx:1.27","HostConfig":{"Privileged":true}}'
req hostnet.json POST '/v1.47/containers/create?name=net' '{"Image":"nginx:1.27","HostConfig":{"NetworkMode":"host"}}'
req nobody.json POST /v1.47/containers/create
printf '{"RequestMethod":"POST","RequestUri":"/v1.24/containers/create","RequestHeaders":{"Content-Type":"application/json","Content-Length":"0"}}' >"$T/cve41110.json"
printf '{"RequestMethod":"POST","RequestUri":"/v1.47/containers/create","RequestHeaders":{"Content-Type":"application/json","Content-Length":"1500000"}}' >"$T/big-dropped.json"
req cut.json POST /v1.47/containers/create '{"Image":"nginx","HostConfig":{"Privile'
printf '{"RequestMethod":"POST","RequestUri":"/v1.47/containers/create","RequestHeaders":{"Content-Type":"application/json","Transfer-Encoding":"chunked"}}' >"$T/chunked-dropped.json"
printf '{"RequestMethod":"GET","RequestUri":"/v1.47/containers/json",' >"$T/malformed.json"
printf '{"Image":"nginx:1.27","HostConfig":{"Privileged":false}}' >"$T/plain-body.json"
req exec.json POST /v1.47/containers/web/exec '{"User":"root","Privileged":true,"Cmd":["sh"]}'

# ---- the built-in pack ----------------------------------------------------------
start --no-config
: >"$T/empty"
post /Plugin.Activate "$T/empty"
check "activate: Implements authz" grep -q '{"Implements":\["authz"\]}' "$T/ans"
post /AuthZPlugin.AuthZReq "$T/list.json"
check "a container list is allowed" allowed
post /AuthZPlugin.AuthZReq "$T/priv.json"
check "a privileged create is denied" denied
check "and the message names the rule and the container" says '\[container-privileged\] container web runs privileged'
post /AuthZPlugin.AuthZRes "$T/priv.json"
check "AuthZRes is judged too" denied
post /AuthZPlugin.AuthZReq "$T/exec.json"
check "a privileged exec as root is denied" sh -c "grep -q exec-privileged '$T/ans' && grep -q '\"Allow\":false' '$T/ans'"
post /AuthZPlugin.AuthZReq "$T/nobody.json"
check "a create without its body is denied" sh -c "grep -q '\"Allow\":false' '$T/ans' && grep -q 'without a body' '$T/ans'"
post /AuthZPlugin.AuthZReq "$T/cve41110.json"
check "CVE-2024-41110: Content-Length 0, no body: denied" denied
post /AuthZPlugin.AuthZReq "$T/big-dropped.json"
check "a body over 1 MB the daemon dropped: denied" denied
post /AuthZPlugin.AuthZReq "$T/chunked-dropped.json"
check "a chunked create the daemon forwarded without its body: denied" denied
# the plugin's own transport in chunks (curl sends Transfer-Encoding: chunked)
curl -s --max-time $((30 * SLOW)) --unix-socket "$SOCK" -X POST -H 'Transfer-Encoding: chunked' \
  --data-binary @"$T/priv.json" http://plugin/AuthZPlugin.AuthZReq >"$T/ans"
check "a chunked upload to the plugin is read whole and judged" sh -c "grep -q '\"Allow\":false' '$T/ans' && grep -q container-privileged '$T/ans'"
curl -s --max-time $((30 * SLOW)) --unix-socket "$SOCK" -X POST -H 'Transfer-Encoding: chunked' \
  --data-binary @"$T/list.json" http://plugin/AuthZPlugin.AuthZReq >"$T/ans"
check "a chunked benign request is allowed" allowed
post /AuthZPlugin.AuthZReq "$T/cut.json"
check "a truncated request body is denied" sh -c "grep -q '\"Allow\":false' '$T/ans' && grep -q 'input error' '$T/ans'"
post /AuthZPlugin.AuthZReq "$T/malformed.json"
check "malformed JSON is denied" denied
post /AuthZPlugin.AuthZReq "$T/plain-body.json"
check "a create body that is not an AuthZ request is denied" sh -c "grep -q '\"Allow\":false' '$T/ans' && grep -q 'not one Docker AuthZ' '$T/ans'"
post /AuthZPlugin.AuthZReq "$T/empty"
check "an empty request is denied" denied
python3 "$CLIENT" truncated "$SOCK" >"$T/ans"
check "an HTTP body cut short (client stops writing): no allow" sh -c "! grep -q 'Allow\":true' '$T/ans'"
python3 "$CLIENT" short-length "$SOCK" >"$T/ans"
check "a Content-Length shorter than the body: denied" denied
curl -s --unix-socket "$SOCK" -o /dev/null -w '%{http_code}' -X POST http://plugin/VolumeDriver.Create >"$T/ans"
check "an unknown endpoint: 404" [ "$(cat "$T/ans")" = 404 ]
curl -s --unix-socket "$SOCK" -o /dev/null -w '%{http_code}' http://plugin/Plugin.Activate >"$T/ans"
check "GET: 405" [ "$(cat "$T/ans")" = 405 ]
python3 "$CLIENT" concurrent "$SOCK" 200 >"$T/conc" 2>&1
check "200 requests at once: every answer arrives and is its own" grep -q '^concurrent: 200 answered, 0 wrong' "$T/conc"
sed 's/^/# /' "$T/conc" | head -6
check "the server stops cleanly" stop
check "the decision log has a line per decision" [ "$(wc -l <"$T/log.jsonl")" -ge 200 ]
check "every line is a JSON object with time, user, method, uri, decision and rule ids" python3 -c '
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    assert {"time", "user", "method", "uri", "decision", "rules", "warn", "audit"} <= set(d), d
    assert d["decision"] in ("allow", "deny")
' "$T/log.jsonl"
check "the log names the rule that denied" grep -q '"uri":"/v1.47/containers/create?name=web","decision":"deny","mode":"enforce","rules":\["container-privileged"\]' "$T/log.jsonl"

# ---- an oversized body ------------------------------------------------------------
start --no-config --max-request-bytes 64K
python3 -c 'import sys; sys.stdout.write("{\"RequestMethod\":\"GET\",\"RequestUri\":\"/x\",\"Pad\":\"" + "a" * 100000 + "\"}")' >"$T/huge.json"
post /AuthZPlugin.AuthZReq "$T/huge.json"
check "a body over --max-request-bytes is denied before it is read" sh -c "grep -q '\"Allow\":false' '$T/ans' && grep -q 'larger than' '$T/ans'"
curl -s --max-time $((30 * SLOW)) --unix-socket "$SOCK" -X POST -H 'Transfer-Encoding: chunked' \
  --data-binary @"$T/huge.json" http://plugin/AuthZPlugin.AuthZReq >"$T/ans"
check "a chunked body over --max-request-bytes is denied" sh -c "grep -q '\"Allow\":false' '$T/ans' && grep -q 'larger than' '$T/ans'"
post /AuthZPlugin.AuthZReq "$T/list.json"
check "and the next request is served" allowed
check "stops cleanly" stop

# ---- modes ---------------------------------------------------------------------------
start --no-config --mode warn
post /AuthZPlugin.AuthZReq "$T/priv.json"
check "--mode warn: a privileged create is allowed" allowed
post /AuthZPlugin.AuthZReq "$T/nobody.json"
check "--mode warn: a missing body is still denied" denied
check "stops cleanly" stop
check "the log says warn" grep -q '"mode":"warn"' "$T/log.jsonl"

# ---- no policy, a broken policy --------------------------------------------------------
start --no-config --no-builtin
post /AuthZPlugin.AuthZReq "$T/list.json"
check "no policy loaded: everything is denied" sh -c "grep -q '\"Allow\":false' '$T/ans' && grep -q 'no policy is loaded' '$T/ans'"
check "stops cleanly" stop
printf 'return { id = "broken", title = ' >"$T/broken.lua"
start --no-config --policy "$T/broken.lua"
post /AuthZPlugin.AuthZReq "$T/list.json"
check "a policy set that does not load denies everything, saying so" sh -c "grep -q '\"Allow\":false' '$T/ans' && grep -q 'could not be loaded' '$T/ans'"
check "stops cleanly" stop

# ---- a slow policy hits the deadline ---------------------------------------------------------
cat >"$T/slow.lua" <<'EOF'
return {
  id = "slow", title = "Slow", severity = "low", applies_to = "container",
  description = "Spins for a container named slow.", remediation = "None.",
  check = function(c) if c.name == "slow" then while true do end end end,
}
EOF
req slowreq.json POST '/v1.47/containers/create?name=slow' '{"Image":"nginx:1.27"}'
start --no-config --no-builtin --policy "$T/slow.lua" --deadline 500 --workers 2 --max-instructions 1000G
t0=$(date +%s%N)
post /AuthZPlugin.AuthZReq "$T/slowreq.json"
t1=$(date +%s%N)
check "a stuck policy: the request is denied at the deadline" sh -c "grep -q '\"Allow\":false' '$T/ans' && grep -q 'deadline' '$T/ans'"
check "within the deadline and a margin (< 2 s, x POLICY_TEST_SLOW)" [ $(((t1 - t0) / 1000000)) -lt $((2000 * SLOW)) ]
post /AuthZPlugin.AuthZReq "$T/list.json"
check "the next request is still answered" allowed
check "stops cleanly" stop

# ---- SIGHUP reloads atomically ------------------------------------------------------------------
mkdir -p "$T/pack"
cat >"$T/pack/no-privileged.lua" <<'EOF'
return {
  id = "no-privileged", title = "No privileged", severity = "high", applies_to = "container",
  description = "Privileged containers are refused.", remediation = "Drop --privileged.",
  check = function(c) if c.privileged then report(c, "privileged", "privileged") end end,
}
EOF
start --no-config --no-builtin --policy "$T/pack"
post /AuthZPlugin.AuthZReq "$T/priv.json"
check "pack 1 denies privileged" sh -c "grep -q '\"Allow\":false' '$T/ans' && grep -q no-privileged '$T/ans'"
printf 'return { id = "half", ' >"$T/pack/half.lua"
kill -HUP $PID
check "a broken pack: the reload fails and says why" waitfor 'reload failed'
post /AuthZPlugin.AuthZReq "$T/priv.json"
check "and the old pack stays in force" sh -c "grep -q '\"Allow\":false' '$T/ans' && grep -q no-privileged '$T/ans'"
rm "$T/pack/half.lua" "$T/pack/no-privileged.lua"
cat >"$T/pack/no-host-network.lua" <<'EOF'
return {
  id = "no-host-network", title = "No host network", severity = "high", applies_to = "container",
  description = "Host networking is refused.", remediation = "Use a network.",
  check = function(c)
    if c.namespaces.network == "host" then report(c.namespaces, "network", "host network") end
  end,
}
EOF
kill -HUP $PID
check "a good pack: reloaded (a failed reload made no set)" waitfor 'policy set #2 in force'
post /AuthZPlugin.AuthZReq "$T/priv.json"
check "the new pack allows privileged" allowed
post /AuthZPlugin.AuthZReq "$T/hostnet.json"
check "and denies the host network" sh -c "grep -q '\"Allow\":false' '$T/ans' && grep -q no-host-network '$T/ans'"
check "stops cleanly" stop
check "the log tells the policy sets apart" sh -c "grep -q '\"policy_set\":1' '$T/log.jsonl' && grep -q '\"policy_set\":2' '$T/log.jsonl'"

# ---- TCP on loopback (for tests), nothing else ------------------------------------------------------
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(cd "$T" && exec "$POLICY" authz serve --no-config --listen "127.0.0.1:$PORT") 2>"$T/srv.err" &
PID=$!
i=0
until curl -s -o /dev/null "http://127.0.0.1:$PORT/" || [ $i -ge $WAIT ]; do sleep 0.1; i=$((i + 1)); done
curl -s --max-time $((30 * SLOW)) -X POST --data-binary @"$T/priv.json" "http://127.0.0.1:$PORT/AuthZPlugin.AuthZReq" >"$T/ans"
check "--listen 127.0.0.1:PORT serves the protocol" denied
check "stops cleanly" stop
"$POLICY" authz serve --no-config --listen 0.0.0.0:9 >"$T/out" 2>&1
check "--listen refuses an address that is not loopback" sh -c "[ $? -eq 2 ] && grep -q 'loopback' '$T/out'"

# ---- a load run: memory stays flat, the server stops without leaks ----------------------------------
# Under ASan, freed memory sits in a quarantine (256 MiB by default) that
# would read as growth: keep it small for this server.
ASAN_OPTIONS="${ASAN_OPTIONS:-}:quarantine_size_mb=1" start --no-config
python3 "$CLIENT" load "$SOCK" 2000 $PID >"$T/load" 2>&1
sed 's/^/# /' "$T/load"
check "2000 requests answered" grep -q '^load: 2000 requests' "$T/load"
check "RSS grows by less than 8 MiB (x POLICY_TEST_SLOW) between 500 and 2000 requests" python3 -c '
import re, sys
m = re.search(r"after \d+: (\d+) KiB, after \d+: (\d+) KiB", open(sys.argv[1]).read())
a, b = int(m.group(1)), int(m.group(2))
sys.exit(0 if a > 0 and b - a < 8192 * int(sys.argv[2]) else 1)
' "$T/load" "$SLOW"
check "stops cleanly (no leak under the sanitizers)" stop

echo "1..$n"
echo "cli-authz: $((n - failed)) passed, $failed failed"
[ $failed -eq 0 ]
