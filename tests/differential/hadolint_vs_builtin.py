#!/usr/bin/env python3
"""The hadolint pack against the built-in pack over ../shared/corpus/dockerfiles.

Usage: hadolint_vs_builtin.py POLICY_CLI [INTENDED_LIST]

Runs `policy check --pack hadolint` and `policy check --pack builtin` (both
with --profile all and --no-config, JSON) over every file of the corpus,
maps each built-in finding to the hadolint codes its rule names
(refs.hadolint in `policy rules --format json`), and compares, per file,
whether each code was reported. Only codes some built-in rule names are
compared. A built-in rule naming several codes (DL3006 and DL3007, say)
cannot say which of them a finding stands for: its codes form one unit
("DL3006+DL3007") that agrees when both sides report any of them.

A difference is a (unit, file) pair that one side reports and the other
does not: "pack-only" or "builtin-only". The intended differences are
listed in INTENDED_LIST (tests/differential/hadolint-intended.txt), one
line each: UNIT DIRECTION MAX REASON. The test fails when a unit and
direction has more differences than its line allows (or has none listed),
and prints the units whose line allows more than they now have, so the
list can be tightened. Prints the number of files and per-unit agreement.

Exit 77 (skip) when ../shared/corpus/dockerfiles is absent.
"""
import collections
import json
import os
import subprocess
import sys


def run_json(cli, args):
    p = subprocess.run([cli] + args, capture_output=True, text=True)
    # policy check exits 1 on findings and 2 when a file has errors (the
    # corpus holds BuildKit's negative test files); rule errors are looked
    # for in the report itself.
    if p.returncode not in (0, 1, 2):
        sys.exit("FAIL: %s %s exited %d: %s" % (cli, " ".join(args[:4]), p.returncode, p.stderr[:2000]))
    try:
        return json.loads(p.stdout)
    except ValueError as e:
        sys.exit("FAIL: %s %s printed no JSON (%s)" % (cli, " ".join(args[:4]), e))


def hadolint_refs(rule):
    h = (rule.get("refs") or {}).get("hadolint")
    if h is None:
        return []
    if isinstance(h, str):
        h = h.split(",")
    return [c.strip() for c in h if c.strip()]


def units_of(rules):
    """Maps each built-in rule id to its unit name, and each code to its unit.

    Codes named together by one rule are merged into one unit (transitively).
    """
    parent = {}

    def find(c):
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for r in rules:
        codes = hadolint_refs(r)
        for c in codes:
            parent.setdefault(c, c)
        for c in codes[1:]:
            parent[find(c)] = find(codes[0])
    groups = collections.defaultdict(list)
    for c in parent:
        groups[find(c)].append(c)
    code_unit = {}
    for members in groups.values():
        name = "+".join(sorted(members))
        for c in members:
            code_unit[c] = name
    rule_unit = {r["id"]: code_unit[hadolint_refs(r)[0]] for r in rules if hadolint_refs(r)}
    return rule_unit, code_unit


def read_intended(path):
    allowed, reasons = {}, {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split(None, 3)
            if len(parts) < 4 or parts[1] not in ("pack-only", "builtin-only") or not parts[2].isdigit():
                sys.exit("FAIL: %s:%d: expected `UNIT pack-only|builtin-only MAX REASON`" % (path, n))
            key = (parts[0], parts[1])
            if key in allowed:
                sys.exit("FAIL: %s:%d: %s %s is listed twice" % (path, n, parts[0], parts[1]))
            allowed[key], reasons[key] = int(parts[2]), parts[3]
    return allowed, reasons


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: hadolint_vs_builtin.py POLICY_CLI [INTENDED_LIST]")
    cli = sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    intended = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "hadolint-intended.txt")
    shared = os.environ.get("POLICY_SHARED_DIR") or os.path.join(here, "..", "..", "..", "shared")
    corpus = os.path.join(shared, "corpus", "dockerfiles")
    if not os.path.isdir(corpus):
        print("SKIP: %s not found (the differential test needs ../shared/corpus)" % corpus)
        return 77
    files = sorted(os.path.join(corpus, f) for f in os.listdir(corpus)
                   if os.path.isfile(os.path.join(corpus, f)))

    rules = run_json(cli, ["rules", "--no-config", "--pack", "builtin", "--format", "json"])
    rule_unit, code_unit = units_of(rules)
    common = ["check", "--no-config", "--profile", "all", "--format", "json"]
    pack = run_json(cli, common + ["--pack", "hadolint"] + files)
    builtin = run_json(cli, common + ["--pack", "builtin"] + files)
    for name, report in (("hadolint", pack), ("builtin", builtin)):
        if report["summary"]["files"] != len(files):
            sys.exit("FAIL: --pack %s checked %d files of %d" % (name, report["summary"]["files"], len(files)))
        rule_errors = [e for e in report["errors"] if e.get("rule")]
        if rule_errors:
            sys.exit("FAIL: --pack %s: rule errors: %s" % (name, json.dumps(rule_errors[:3])))

    seen_pack, seen_builtin = set(), set()
    for f in pack["findings"]:
        if f["rule"] in code_unit:
            seen_pack.add((code_unit[f["rule"]], f["file"]))
    for f in builtin["findings"]:
        if f["rule"] in rule_unit:
            seen_builtin.add((rule_unit[f["rule"]], f["file"]))

    units = sorted(set(code_unit.values()))
    agree = collections.Counter()
    diffs = collections.defaultdict(list)
    for unit in units:
        for path in files:
            p, b = (unit, path) in seen_pack, (unit, path) in seen_builtin
            if p == b:
                agree[unit] += 1
            else:
                diffs[(unit, "pack-only" if p else "builtin-only")].append(os.path.basename(path))

    allowed, reasons = read_intended(intended)
    print("hadolint pack vs built-in pack: %d files, %d units (DL codes the built-in rules name)"
          % (len(files), len(units)))
    print("%-24s %8s %9s %12s  %s" % ("unit", "agree", "pack-only", "builtin-only", "both report"))
    total_agree = 0
    for unit in units:
        both = len({p for (u, p) in seen_pack if u == unit} & {p for (u, p) in seen_builtin if u == unit})
        total_agree += agree[unit]
        print("%-24s %7.1f%% %9d %12d  %d" % (unit, 100.0 * agree[unit] / len(files),
                                             len(diffs.get((unit, "pack-only"), [])),
                                             len(diffs.get((unit, "builtin-only"), [])), both))
    print("overall: %d of %d (unit, file) pairs agree (%.2f%%)"
          % (total_agree, len(units) * len(files), 100.0 * total_agree / (len(units) * len(files))))

    failed = False
    for key in sorted(diffs):
        n, limit = len(diffs[key]), allowed.get(key)
        if limit is None or n > limit:
            failed = True
            print("FAIL: %s %s: %d differences, %s listed in %s; first files: %s"
                  % (key[0], key[1], n, "none" if limit is None else "at most %d" % limit,
                     os.path.basename(intended), ", ".join(diffs[key][:5])))
    for key in sorted(allowed):
        n = len(diffs.get(key, []))
        if n < allowed[key]:
            print("note: %s %s allows %d differences and has %d: tighten %s"
                  % (key[0], key[1], allowed[key], n, os.path.basename(intended)))
    if failed:
        return 1
    print("ok: every difference is an intended one (%d listed causes)" % len(allowed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
