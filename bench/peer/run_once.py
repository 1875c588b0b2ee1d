#!/usr/bin/env python3
"""run_once.py [--rss] OUT ERR LIST PROGRAM [ARG...]: runs PROGRAM ARG...
FILE... once (FILE...: the lines of LIST), its standard output to OUT and
its standard error to ERR, and prints "WALL CPU RSS STATUS": the seconds
from just before the process is made to just after it is reaped, its user
plus system CPU seconds, its peak resident set in kB ("-" without --rss)
and its exit status (128 + N when signal N ended it).

bench/peers.sh times every command line with it. A shell reading `date`
around `/usr/bin/time` adds the starts of date, of a subshell and of
/usr/bin/time to every run (16 ms on the machine of bench/README.md, for
/bin/true, against 2 ms for starting /bin/true itself), the same for each
tool, which shrinks the ratio of a fast tool to a slow one. Here only the
command's own life is timed.

--rss runs the command under /usr/bin/time instead and reads the peak
resident set from it (the wall time then includes /usr/bin/time's start:
not one to compare). A process that Python starts counts, in its own
peak, the pages of Python's it saw before its exec (13 MB here);
/usr/bin/time starts the command from a process of its own size."""
import os
import sys
import tempfile
import time


def spawn(argv, out, err):
    with open(out, "wb") as o, open(err, "wb") as e:
        t0 = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv, os.environ,
                             file_actions=[(os.POSIX_SPAWN_DUP2, o.fileno(), 1),
                                           (os.POSIX_SPAWN_DUP2, e.fileno(), 2)])
        _, status, usage = os.wait4(pid, 0)
        return time.perf_counter() - t0, status, usage


def main():
    args = sys.argv[1:]
    rss = bool(args) and args[0] == "--rss"
    if rss:
        args = args[1:]
    if len(args) < 4:
        sys.exit(__doc__)
    out, err, listed, argv = args[0], args[1], args[2], args[3:]
    with open(listed) as f:
        argv += f.read().split()
    if not rss:
        if os.sep not in argv[0]:
            sys.exit("run_once.py: give PROGRAM's path")
        wall, status, usage = spawn(argv, out, err)
        code = os.waitstatus_to_exitcode(status)
        print("%.4f %.3f - %d" % (wall, usage.ru_utime + usage.ru_stime,
                                  code if code >= 0 else 128 - code))
        return
    with tempfile.NamedTemporaryFile("r", prefix="run_once.") as said:
        wall, _, _ = spawn(["/usr/bin/time", "-o", said.name, "-f", "%U %S %M %x", "--"] + argv,
                           out, err)
        # The last line: before it, "Command exited with non-zero status N".
        user, system, peak, status = said.read().split("\n")[-2].split()
    print("%.4f %.3f %s %s" % (wall, float(user) + float(system), peak, status))


if __name__ == "__main__":
    main()
