#!/bin/sh
# Command-line tests for `policy`: help, version, exit codes, diagnostics,
# standard input, and hostile inputs (FIFO, /dev/zero, directories, huge
# lines, millions of continuation lines, NUL bytes, invalid UTF-8).
# Usage: test_cli.sh PATH/TO/policy. Prints TAP lines and a closing
# "cli: N passed, M failed" line; exits 1 when anything failed.
set -u
POLICY=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=${POLICY_SOURCE_DIR:-$(dirname "$0")/../..}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
failed=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { # check DESCRIPTION COMMAND...: passes when COMMAND succeeds
  d=$1; shift
  if "$@"; then ok "$d"; else fail "$d"; fi
}
# run [timeout] ARGS...: runs policy with a time bound; sets rc, out, err
run() {
  timeout 60 "$POLICY" "$@" >"$T/out" 2>"$T/err"
  rc=$?
}
valid_json() { python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$1"; }

run --help
check "--help exits 0 and explains usage" [ $rc -eq 0 ]
check "--help lists parse" grep -q 'parse' "$T/out"
run
check "no arguments is a usage error" [ $rc -eq 2 ]
run version
check "version prints the version" grep -Eq '^policy [0-9]+\.[0-9]+\.[0-9]+ \(libpolicy' "$T/out"
run help parse
check "help parse shows the parse usage" grep -q 'Usage: policy parse' "$T/out"
run frobnicate
check "unknown command exits 2" [ $rc -eq 2 ]
check "unknown command says so" grep -q "unknown command 'frobnicate'" "$T/err"
run parse --frob x
check "unknown option exits 2" [ $rc -eq 2 ]

run parse "$SRC/examples/insecure.Dockerfile" "$SRC/examples/secure.Dockerfile"
check "examples parse cleanly" [ $rc -eq 0 ]
check "examples give valid JSON" valid_json "$T/out"
check "no diagnostics for the examples" [ ! -s "$T/err" ]
check "both documents are printed" [ "$(grep -c '"kind": "dockerfile"' "$T/out")" -eq 2 ]

printf 'FROM alpine\nUSER app\nFOO bar\n' >"$T/bad.Dockerfile"
printf 'FROM alpine:3.20\n' >"$T/good.Dockerfile"
run parse "$T/bad.Dockerfile" "$T/missing.Dockerfile" "$T/good.Dockerfile"
check "an input error exits 2" [ $rc -eq 2 ]
check "errors are file:line:col: error: message" \
  grep -qx "$T/bad.Dockerfile:3:1: error: unknown instruction: FOO (did you mean FROM?)" "$T/err"
check "a missing file is reported" grep -q "missing.Dockerfile: error: No such file or directory" "$T/err"
check "the other files are still parsed" grep -q '"tag": "3.20"' "$T/out"
check "output stays valid JSON" valid_json "$T/out"

printf 'from busybox\nrun echo hi\n' | timeout 20 "$POLICY" parse - >"$T/out" 2>"$T/err"
check "standard input is read and recognised by content" grep -q '"repository": "library/busybox"' "$T/out"
printf 'hello\n' | timeout 20 "$POLICY" parse - >"$T/out" 2>"$T/err"
check "unrecognisable input asks for --kind" grep -q -- 'kind' "$T/err"
printf 'hello\n' | timeout 20 "$POLICY" parse --kind dockerfile - >"$T/out" 2>"$T/err"
check "--kind dockerfile forces the parser" grep -q 'unknown instruction: hello' "$T/err"

mkfifo "$T/fifo"
run parse "$T/fifo" "$T/good.Dockerfile"
check "a FIFO is refused without blocking" grep -q 'is a FIFO' "$T/err"
check "and the next file is parsed" grep -q '"tag": "3.20"' "$T/out"
run parse /dev/zero
check "/dev/zero is refused" grep -q 'is a device' "$T/err"
ln -s /dev/zero "$T/zero.Dockerfile"
run parse "$T/zero.Dockerfile"
check "a symlink to /dev/zero is refused" [ $rc -eq 2 ]
run parse "$T"
check "a directory is refused" grep -q 'is a directory' "$T/err"
timeout 20 "$POLICY" parse --max-input-bytes 1M - </dev/zero >"$T/out" 2>"$T/err"
check "standard input stops at the input limit" grep -q 'larger than the limit POLICY_LIMIT_INPUT_BYTES (1048576 bytes)' "$T/err"
run parse --max-input-bytes 8 "$T/good.Dockerfile"
check "--max-input-bytes is enforced" grep -q -- 'POLICY_LIMIT_INPUT_BYTES' "$T/err"
run parse --max-input-bytes nonsense "$T/good.Dockerfile"
check "a bad size is a usage error" [ $rc -eq 2 ]

: >"$T/empty.Dockerfile"
run parse "$T/empty.Dockerfile"
check "an empty file is reported as BuildKit does" grep -q 'error: file with no instructions' "$T/err"
printf '# just a comment\n\n' >"$T/comments.Dockerfile"
run parse "$T/comments.Dockerfile"
check "comments only: no instructions" grep -q 'file with no instructions' "$T/err"

python3 - "$T" <<'PY'
import sys
t = sys.argv[1]
with open(t + "/longline.Dockerfile", "wb") as f:
    f.write(b"FROM alpine\nRUN echo " + b"x" * (64 << 20) + b"\n")
with open(t + "/continuations.Dockerfile", "wb") as f:
    f.write(b"FROM alpine\nRUN echo \\\n" + b"  a \\\n" * 2000000 + b"  end\n")
with open(t + "/nul.Dockerfile", "wb") as f:
    f.write(b"FROM alpine\nRUN echo \x00\xff\xfe bad\nENV A=\xc3\x28\n")
with open(t + "/crlf.Dockerfile", "wb") as f:
    f.write(b"\xef\xbb\xbfFROM alpine\r\nUSER app\r\n")
with open(t + "/heredoc.Dockerfile", "wb") as f:
    f.write(b"FROM alpine\nRUN <<EOF\necho never ends\n")
with open(t + "/json.Dockerfile", "wb") as f:
    f.write(b'FROM alpine\nCMD ["a", 1]\nENTRYPOINT ["unterminated\n')
PY
run parse "$T/longline.Dockerfile"
check "a 64 MiB line is rejected with BuildKit's message" \
  grep -q 'dockerfile line greater than max allowed size of 65535' "$T/err"
run parse --compact "$T/continuations.Dockerfile"
check "2 million continuation lines parse" [ $rc -eq 0 ]
check "into one RUN" grep -q '"end_line":2000003' "$T/out"
run parse "$T/nul.Dockerfile"
check "NUL bytes and invalid UTF-8 do not crash" [ $rc -eq 0 ]
check "and still give valid JSON" valid_json "$T/out"
run parse "$T/crlf.Dockerfile"
check "BOM and CRLF are handled" grep -q '"user": "app"' "$T/out"
run parse "$T/heredoc.Dockerfile"
check "an unterminated heredoc is an error" grep -q 'heredoc.Dockerfile:.*: error: unterminated heredoc' "$T/err"
run parse "$T/json.Dockerfile"
check "a non-string JSON array is BuildKit's error" \
  grep -q 'when using JSON array syntax, arrays must be comprised of strings only' "$T/err"

echo "1..$n"
echo "cli: $((n - failed)) passed, $failed failed"
[ $failed -eq 0 ]
