"""Summarises a meson testlog.json and ends with one closing line,
"tests: N passed, M failed, K skipped" (the label is the optional
second argument), counting every Criterion test
(TAP subtest), every case of a conformance or corpus program (its own
"name: N passed, M failed" line), and any other test program as one."""
import json
import re
import sys

COUNTS = re.compile(r"^([a-z-]+): (\d+) passed, (\d+) failed(?:, (\d+) skipped)?$")
SKIPPED = re.compile(r"^[a-z-]+: SKIP")

passed = failed = skipped = 0
lines = []
with open(sys.argv[1], encoding="utf-8") as log:
    for raw in log:
        entry = json.loads(raw)
        out = (entry.get("stdout") or "").splitlines()
        result = entry["result"]
        counts = [m for m in map(COUNTS.match, out) if m]
        tap = [l for l in out if re.match(r"^(not )?ok\b", l)]
        lines += [l for l in out if COUNTS.match(l) or SKIPPED.match(l)]
        if counts:
            m = counts[-1]
            passed += int(m.group(2))
            failed += int(m.group(3))
            skipped += int(m.group(4) or 0)
            if result not in ("OK", "SKIP") and int(m.group(3)) == 0:
                failed += 1  # crashed after printing its counts
        elif tap:
            for l in tap:
                if "# SKIP" in l:
                    skipped += 1
                elif l.startswith("ok"):
                    passed += 1
                else:
                    failed += 1
            if result not in ("OK", "SKIP") and not any(l.startswith("not ok") for l in tap):
                failed += 1  # crashed or timed out after its last report
        elif result == "OK":
            passed += 1
        elif result == "SKIP":
            skipped += 1
        else:
            failed += 1
for line in lines:
    print(line)
label = sys.argv[2] if len(sys.argv) > 2 else "tests"
print(f"{label}: {passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed else 0)
