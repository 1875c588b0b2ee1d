#!/usr/bin/env python3
"""hadolint_fragments.py: the hadolint pack lints rewritten fixtures as
hadolint would.

hadolint's own tests lint fragments (no FROM) and, for the command rules,
the same text with every top-level RUN turned into ONBUILD RUN, expecting
the same finding. This test takes the pack's own fail fixtures
(policies/hadolint/tests/DLxxxx/fail-*.Dockerfile) and rewrites them:

  onbuild         every RUN instruction becomes ONBUILD RUN
  nofrom          the FROM line is removed (single-stage fixtures only)
  onbuild-nofrom  both

and checks that the fixture's rule reports as many findings on the
rewritten text as on the original (and at least one). Last, a fragment
(a file without FROM, named so that its content decides its kind) must
be an input error, exit status 2, and still be linted. It runs only the
rules that hadolint also applies to ONBUILD triggers and that judge RUN
commands (COMMAND_RULES); fixtures whose RUNs use heredocs are left out
(an ONBUILD trigger cannot have one), and fixtures with ONBUILD triggers
of their own only lose their FROM.

Usage: hadolint_fragments.py PATH/TO/policy [SOURCE_DIR]
Prints one TAP line per rewritten fixture and a summary line.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

# The rules that judge RUN commands and that hadolint applies to
# ONBUILD RUN triggers too.
COMMAND_RULES = [
    "DL3003", "DL3004", "DL3008", "DL3009", "DL3013", "DL3014", "DL3015",
    "DL3016", "DL3018", "DL3019", "DL3027", "DL3028", "DL3030", "DL3032",
    "DL3033", "DL3034", "DL3035", "DL3036", "DL3037", "DL3038", "DL3040",
    "DL3041", "DL3042", "DL3046", "DL3047", "DL3060", "DL3062", "DL4001",
    "DL4005", "DL4006",
]


def parse(policy, path):
    """The instructions of a Dockerfile: [(keyword, line, end_line)]."""
    out = subprocess.run([policy, "parse", "--no-positions", "--kind", "dockerfile", path],
                         capture_output=True, text=True, check=False)
    doc = json.loads(out.stdout)["documents"][0]
    seen = []
    for image in doc["images"]:
        for ins in image["instructions"]:
            seen.append((ins["keyword"], ins["line"], ins["end_line"], "heredocs" in ins))
    return seen


def findings(policy, path, rule):
    out = subprocess.run([policy, "check", "--no-config", "--pack", "hadolint", "--kind",
                          "dockerfile", "--format", "json", "--no-progress", "--jobs", "1",
                          path], capture_output=True, text=True, check=False)
    try:
        report = json.loads(out.stdout)
    except json.JSONDecodeError:
        return None
    return sum(1 for f in report["findings"] if f["rule"] == rule)


RUN_WORD = re.compile(r"^(\s*)(run)(\s)", re.IGNORECASE)


def rewrite(lines, instructions, onbuild, nofrom):
    """The fixture's lines rewritten; None when the rewrite does not apply."""
    lines = list(lines)
    froms = [i for i in instructions if i[0] == "FROM"]
    if nofrom:
        if len(froms) != 1 or instructions[0][0] != "FROM":
            return None
        _, line, end, _ = froms[0]
        for n in range(line, end + 1):
            lines[n - 1] = "\n"
    if onbuild:
        runs = [i for i in instructions if i[0] == "RUN"]
        if not runs or any(i[3] for i in runs):
            return None
        for _, line, _, _ in runs:
            m = RUN_WORD.match(lines[line - 1])
            assert m, lines[line - 1]
            lines[line - 1] = m.group(1) + "ONBUILD RUN" + lines[line - 1][m.end(2):]
    return lines


def main():
    policy = os.path.abspath(sys.argv[1])
    src = sys.argv[2] if len(sys.argv) > 2 else os.environ.get(
        "POLICY_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
    tests = os.path.join(src, "policies", "hadolint", "tests")
    passed = failed = 0
    n = 0
    with tempfile.TemporaryDirectory() as tmp:
        for rule in COMMAND_RULES:
            folder = os.path.join(tests, rule)
            fixtures = sorted(f for f in os.listdir(folder)
                              if f.startswith("fail-") and f.endswith(".Dockerfile"))
            if not fixtures:
                n += 1
                failed += 1
                print(f"not ok {n} - {rule}: no fail fixture to rewrite")
                continue
            for name in fixtures:
                path = os.path.join(folder, name)
                with open(path, encoding="utf-8") as f:
                    lines = f.readlines()
                instructions = parse(policy, path)
                want = findings(policy, path, rule)
                # A fixture that has ONBUILD triggers already tells a
                # trigger from a RUN on purpose (DL3009 judges triggers in
                # every stage, RUNs only where the image ships): turning
                # its RUNs into triggers changes what it asks.
                has_onbuild = any(k == "ONBUILD" for k, *_ in instructions)
                for mode in ("nofrom",) if has_onbuild else ("onbuild", "nofrom", "onbuild-nofrom"):
                    text = rewrite(lines, instructions, "onbuild" in mode, "nofrom" in mode)
                    if text is None:
                        continue
                    out = os.path.join(tmp, f"{rule}-{mode}-{name}")
                    with open(out, "w", encoding="utf-8") as f:
                        f.writelines(text)
                    got = findings(policy, out, rule)
                    n += 1
                    if want and got == want:
                        passed += 1
                        print(f"ok {n} - {rule} {name} {mode}: {got}")
                    else:
                        failed += 1
                        print(f"not ok {n} - {rule} {name} {mode}: {got} findings, "
                              f"{want} on the original")
                        for line in text:
                            print("#   " + line.rstrip("\n"))
        # A fragment: BuildKit's error is an input error (exit 2, with its
        # position) and the findings are still reported.
        frag = os.path.join(tmp, "fragment")
        with open(frag, "w", encoding="utf-8") as f:
            f.write("# no FROM\nRUN apt-get install python\n")
        out = subprocess.run([policy, "check", "--no-config", "--pack", "hadolint", "--format",
                              "json", "--no-progress", frag], capture_output=True, text=True,
                             check=False)
        report = json.loads(out.stdout)
        errors = [(e["line"], e["column"], e["message"]) for e in report["errors"]]
        rules = sorted(f["rule"] for f in report["findings"])
        n += 1
        if (out.returncode == 2 and errors == [(2, 1, "no build stage in current context")]
                and rules == ["DL3008", "DL3014", "DL3015", "DL3061"]):
            passed += 1
            print(f"ok {n} - a fragment is an input error and is linted")
        else:
            failed += 1
            print(f"not ok {n} - a fragment: exit {out.returncode}, errors {errors}, findings {rules}")
    print(f"1..{n}")
    print(f"hadolint-fragments: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
