#!/bin/sh
# The AuthZ plugin's throughput and latency: `policy authz serve` with the
# full built-in pack on a unix socket, CLIENTS keep-alive clients posting a
# create request (AuthZReq with a create body) for SECONDS; prints
# requests/s and the latency percentiles (p50, p90, p99, max).
# Usage: sh bench/authz.sh [BUILD-DIR] [SECONDS] [CLIENTS]
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$SRC/build}
SECONDS_=${2:-10}
CLIENTS=${3:-4}
POLICY=$(cd "$BUILD" && pwd)/cli/policy
T=$(mktemp -d)
PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; rm -rf "$T"' EXIT
(cd "$T" && exec "$POLICY" authz serve --no-config --socket "$T/plugin.sock") 2>"$T/srv.err" &
PID=$!
i=0
while [ ! -S "$T/plugin.sock" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
[ -S "$T/plugin.sock" ] || { cat "$T/srv.err"; exit 1; }
python3 "$SRC/tests/cli/authz_client.py" bench "$T/plugin.sock" "$SECONDS_" "$CLIENTS"
kill -TERM $PID
wait $PID
PID=
