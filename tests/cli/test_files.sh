#!/bin/sh
# What `policy` does with files that are not plain readable files: FIFOs,
# devices, symbolic links to /dev/zero, dangling links, link loops in
# folder walks, unreadable files, files that vanish or change kind while
# a run is under way, folders where files are expected, and sparse files
# larger than the input limit. Each must be a clear error naming the
# path, without blocking or reading without bound, and the other inputs
# must still be checked.
# Usage: test_files.sh PATH/TO/policy. Prints TAP lines and a closing
# "cli-files: N passed, M failed, K skipped" line; exits 1 when anything
# failed.
set -u
POLICY=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
T=$(mktemp -d)
trap 'chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
cd "$T" || exit 1
n=0
failed=0
skipped=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); skipped=$((skipped + 1)); echo "ok $n - $1 # SKIP $2"; }
check() { d=$1; shift; if "$@"; then ok "$d"; else fail "$d"; fi; }
has() { grep -q -- "$1" "$T/out"; }
# run ARGS...: policy check with a time bound; output (both streams) in $T/out.
run() { timeout 20 "$POLICY" "$@" >"$T/out" 2>&1; rc=$?; }

printf 'FROM ubuntu:latest\n' >good.Dockerfile
GOOD='good.Dockerfile:1:6: medium \[base-image-latest\]'

# ---- special files given as paths
mkfifo fifo.Dockerfile
run check --no-config fifo.Dockerfile good.Dockerfile
check "a FIFO is refused without blocking" has 'fifo.Dockerfile: error is a FIFO, not a regular file'
check "and the next input is still checked" has "$GOOD"
check "input errors exit 2" [ $rc -eq 2 ]
run check --no-config /dev/null good.Dockerfile
check "a character device is refused" has '/dev/null: error is a device, not a regular file'
check "and the next input is still checked (device)" has "$GOOD"
ln -s /dev/zero zero.Dockerfile
run check --no-config zero.Dockerfile good.Dockerfile
check "a symlink to /dev/zero is refused, not read" has 'zero.Dockerfile: error is a device'
ln -s nowhere dangling.Dockerfile
run check --no-config dangling.Dockerfile good.Dockerfile
check "a dangling symlink is an error naming it" has 'dangling.Dockerfile: error No such file or directory'
ln -s self.Dockerfile self.Dockerfile
run check --no-config self.Dockerfile good.Dockerfile
check "a symlink to itself is an error" has 'self.Dockerfile: error Too many levels of symbolic links'
check "and the next input is still checked (loop)" has "$GOOD"
truncate -s 300G huge.Dockerfile 2>/dev/null || dd if=/dev/zero of=huge.Dockerfile bs=1 count=0 seek=300G 2>/dev/null
run check --no-config huge.Dockerfile good.Dockerfile
check "a 300 GB sparse file is refused by its size, unread" has 'huge.Dockerfile: error input is larger than the limit POLICY_LIMIT_INPUT_BYTES (134217728 bytes)'
timeout 20 "$POLICY" parse /dev/stdin </dev/zero >"$T/out" 2>&1
check "/dev/stdin that is /dev/zero is refused" has 'is a device'

# ---- folders where files are expected, and files where folders are
mkdir adir
run parse adir
check "parse of a folder is an error" has 'adir: error: is a directory'
run check --no-config --data adir good.Dockerfile
check "--data with a folder names it" has 'adir: is a directory'
run check --config adir good.Dockerfile
check "--config with a folder names it" has 'adir: is a directory'
run check --no-config --policy good.Dockerfile/x.lua good.Dockerfile
check "--policy below a file is an error" has 'good.Dockerfile/x.lua: Not a directory'
mkdir -p rules/sub.lua
run check --no-config --policy rules good.Dockerfile
check "a folder named *.lua in a rule folder is an error" has 'rules/sub.lua: is a directory'
for opt in --data --policy --config; do
  nc=--no-config
  [ "$opt" = --config ] && nc=--no-color
  run check "$nc" "$opt" fifo.Dockerfile good.Dockerfile
  check "$opt FIFO fails without blocking" has 'fifo.Dockerfile: is a FIFO, not a regular file'
  run check "$nc" "$opt" /dev/zero good.Dockerfile
  check "$opt /dev/zero is refused, not read" has '/dev/zero: is a device, not a regular file'
done
mkdir cfgdir && mkfifo cfgdir/.policy.yaml && cp good.Dockerfile cfgdir/
(cd cfgdir && timeout 20 "$POLICY" check good.Dockerfile >"$T/out" 2>&1); rc=$?
check "a FIFO named .policy.yaml does not hang the run" [ $rc -eq 2 ]
check "and is named" has '.policy.yaml: is a FIFO, not a regular file'

# ---- folder walks
mkdir -p repo/app repo/d1 repo/d2 repo/loops "repo/odd.Dockerfile"
cp good.Dockerfile repo/app/Dockerfile
mkfifo repo/app/Dockerfile.fifo
ln -s /dev/zero repo/app/zero.Dockerfile
ln -s ../nowhere repo/app/dangling.Dockerfile
ln -s self.Dockerfile repo/app/self.Dockerfile
ln -s ../d2 repo/d1/to-d2
ln -s ../d1 repo/d2/to-d1
ln -s .. repo/loops/up
ln -s ../loops repo/loops/again
run check --no-config repo
check "a walk finishes despite link loops" [ $rc -eq 2 ]
check "walk: the FIFO is an error" has 'repo/app/Dockerfile.fifo: error is a FIFO'
check "walk: the link to /dev/zero is an error" has 'repo/app/zero.Dockerfile: error is a device'
check "walk: the dangling link is an error" has 'repo/app/dangling.Dockerfile: error No such file or directory'
check "walk: the self link is an error" has 'repo/app/self.Dockerfile: error Too many levels of symbolic links'
check "walk: the real Dockerfile is checked" has 'repo/app/Dockerfile:1:6: medium'
check "walk: links to folders are not followed" [ "$(grep -c 'base-image-latest' "$T/out")" -eq 1 ]
check "walk: a folder named like a Dockerfile is entered, not read" sh -c "! grep -q 'odd.Dockerfile: error' '$T/out'"
ln -s repo/app linked
run check --no-config linked
check "a link to a folder given as a path is walked" has 'linked/Dockerfile:1:6: medium'
deep=deep
i=0
while [ $i -lt 70 ]; do deep="$deep/d"; i=$((i + 1)); done
mkdir -p "$deep"
cp good.Dockerfile "$deep/Dockerfile"
cp good.Dockerfile deep/Dockerfile
run check --no-config deep
check "folders nested past the walk limit are an error, not skipped silently" has 'folders nest more than 64 levels'
check "the shallow files are still checked" has 'deep/Dockerfile:1:6: medium'

# ---- unreadable files and folders (root reads them anyway)
mkdir locked
cp good.Dockerfile locked/Dockerfile
cp good.Dockerfile unreadable.Dockerfile
chmod 000 unreadable.Dockerfile
mkdir -p closed/inner && cp good.Dockerfile closed/inner/Dockerfile && chmod 000 closed
if [ "$(id -u)" -eq 0 ] || cat unreadable.Dockerfile >/dev/null 2>&1; then
  skip "an unreadable file is an error" "running as root, chmod 000 does not stop reads"
  skip "an unreadable folder is an error" "running as root, chmod 000 does not stop reads"
else
  run check --no-config unreadable.Dockerfile good.Dockerfile
  check "an unreadable file is an error" has 'unreadable.Dockerfile: error Permission denied'
  check "and the next input is still checked (unreadable)" has "$GOOD"
  run check --no-config closed good.Dockerfile
  check "an unreadable folder is an error" has 'closed: error: cannot open the directory: Permission denied'
fi
chmod 755 closed

# ---- files that vanish or change kind while a run is under way: the walk
# lists the folder first, then `-` (standard input) is read before the
# folder's files (one thread: in order); the writer changes the folder
# before it closes the pipe.
mkdir -p moving/a moving/b moving/c moving/d
for d in a b c d; do cp good.Dockerfile "moving/$d/Dockerfile"; done
(sleep 1
 rm moving/b/Dockerfile
 rm moving/c/Dockerfile && mkfifo moving/c/Dockerfile
 rm moving/d/Dockerfile && mkdir moving/d/Dockerfile
 printf 'FROM alpine:3.20\n') | timeout 20 "$POLICY" check --no-config --jobs 1 - moving >"$T/out" 2>&1
rc=$?
check "a file removed after the walk listed it is an error" has 'moving/b/Dockerfile: error No such file or directory'
check "a file replaced by a FIFO is refused without blocking" has 'moving/c/Dockerfile: error is a FIFO'
check "a file replaced by a folder is an error" has 'moving/d/Dockerfile: error is a directory'
check "the files still there are checked" has 'moving/a/Dockerfile:1:6: medium'
check "and so is standard input" has '^4 files checked\|^5 files checked'
check "the run ends with exit 2" [ $rc -eq 2 ]
# Many files removed while the walk reads the folder: never a crash.
mkdir -p churn
i=0
while [ $i -lt 300 ]; do cp good.Dockerfile "churn/$i.Dockerfile"; i=$((i + 1)); done
(sleep 0.05; rm -rf churn) &
timeout 20 "$POLICY" check --no-config churn >"$T/out" 2>&1
rc=$?
wait
check "a folder removed during the walk ends cleanly" [ $rc -le 2 ]

# ---- small inputs that ask for gigabytes or minutes
# peak ARGS...: runs policy ARGS (stderr to ./out) and prints the largest
# resident set it had, in KB.
peak() {
  python3 - "$POLICY" "$@" <<'PY'
import resource, subprocess, sys
with open("out", "w") as err:
    subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=err, timeout=120)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
}
python3 - <<'PY'
with open("doubling.Dockerfile", "w") as f:
    f.write("FROM alpine\nENV A=xxxxxxxxxxxxxxxx\n" + "ENV A=$A$A$A$A$A$A$A$A\n" * 12)
with open("square.Dockerfile", "w") as f:
    f.write("FROM alpine\nENV A=" + "a" * 30000 + "\nENV B=${A//a/$A}\n")
with open("patterns.Dockerfile", "w") as f:
    f.write("FROM alpine\nENV A=" + "a" * 65000 + "\n" + "ENV A=$A$A\n" * 6
            + "ENV B=${A//a/}\n" * 200)
PY
kb=$(peak parse doubling.Dockerfile)
check "ENV A=\$A\$A... stops at the expansion limit" grep -q 'the expansion is longer than 16777216 bytes (a fixed limit)' out
check "and stays small (peak ${kb} KB)" [ "${kb:-9999999}" -lt 600000 ]
kb=$(peak parse square.Dockerfile)
check "\${A//a/\$A} stops at the expansion limit" grep -q 'the expansion is longer than 16777216 bytes' out
check "and stays small (peak ${kb} KB)" [ "${kb:-9999999}" -lt 600000 ]
timeout 120 "$POLICY" parse patterns.Dockerfile >/dev/null 2>out
check "200 pattern substitutions over 4 MiB stop at the per-file budget" \
  grep -q 'pattern matching in this file needs more than 67108864 steps (a fixed limit per file)' out

echo "1..$n"
echo "cli-files: $((n - failed - skipped)) passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
