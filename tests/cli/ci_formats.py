"""Checks the CI output formats of `policy check` against what reads them.

  ci_formats.py sarif SCHEMA FILE...   each FILE validates against the
      SARIF 2.1.0 JSON schema (Debian's python3-jsonschema, draft 4) and
      has what GitHub code scanning needs: per result a ruleId, a relative
      artifactLocation.uri with region.startLine, partialFingerprints;
      per rule a help text.
  ci_formats.py counts JSON SARIF JUNIT CHECKSTYLE GITLAB GITHUB
      the counts of every format match the JSON report of the same run.
  ci_formats.py github FILE    every line is a workflow command of the
      documented grammar (::error|warning|notice props::message).

Exits 77 (skip) when jsonschema is not installed; 1 on any mismatch.
"""
import json
import re
import sys
import xml.etree.ElementTree as ET


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def check_sarif(schema_path, files):
    try:
        import jsonschema
    except ImportError:
        print("SKIP: python3-jsonschema is not installed")
        sys.exit(77)
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    validator = jsonschema.Draft4Validator(schema)
    for path in files:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        if errors:
            fail("%s: %s at %s" % (path, errors[0].message, list(errors[0].path)))
        run = doc["runs"][0]
        rules = run["tool"]["driver"]["rules"]
        for r in rules:
            if not r.get("help", {}).get("text"):
                fail("%s: rule %s has no help text" % (path, r["id"]))
        for res in run["results"]:
            loc = res["locations"][0]["physicalLocation"]
            uri = loc["artifactLocation"]["uri"]
            if not res.get("ruleId") or not res.get("partialFingerprints"):
                fail("%s: a result without ruleId or partialFingerprints" % path)
            if uri.startswith("/") or uri.startswith("./"):
                fail("%s: uri %r is not a clean relative reference" % (path, uri))
            if "region" in loc and loc["region"]["startLine"] < 1:
                fail("%s: a region without a startLine" % path)
            if "ruleIndex" in res and rules[res["ruleIndex"]]["id"] != res["ruleId"]:
                fail("%s: ruleIndex does not point at ruleId" % path)
    print("sarif: %d files valid" % len(files))


GITHUB = re.compile(
    r"^::(error|warning|notice) "
    r"(file|line|endLine|col|endColumn|title)=[^,:\r\n]*"
    r"(,(file|line|endLine|col|endColumn|title)=[^,:\r\n]*)*"
    r"::[^\r\n]*$")


def github_lines(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for line in lines:
        if not GITHUB.match(line):
            fail("github: not a workflow command: %r" % line)
        props = line.split("::")[1].split(" ", 1)[1]
        for p in props.split(","):
            k, v = p.split("=", 1)
            if k in ("line", "endLine", "col", "endColumn") and not v.isdigit():
                fail("github: %s is not a number in %r" % (k, line))
    return lines


def check_counts(json_path, sarif, junit, checkstyle, gitlab, github):
    with open(json_path, encoding="utf-8") as f:
        rep = json.load(f)
    nfind, nerr = len(rep["findings"]), len(rep["errors"])
    nwarn, nsup = len(rep["warnings"]), len(rep["suppressed"])
    with open(sarif, encoding="utf-8") as f:
        s = json.load(f)["runs"][0]
    results = s["results"]
    if len([r for r in results if "suppressions" not in r]) != nfind:
        fail("sarif: results without suppressions != findings")
    if len([r for r in results if "suppressions" in r]) != nsup:
        fail("sarif: suppressed results != suppressed")
    notes = s["invocations"][0]["toolExecutionNotifications"]
    if len(notes) != nerr + nwarn:
        fail("sarif: notifications != errors + warnings")
    fps = [r["partialFingerprints"]["policy/v1"] for r in results if "suppressions" not in r]
    if sorted(fps) != sorted(x["fingerprint"] for x in rep["findings"]):
        fail("sarif: fingerprints differ from the JSON report's")

    root = ET.parse(junit).getroot()
    lines = 0
    for failure in root.iter("failure"):
        lines += len([l for l in (failure.text or "").split("\n") if l.strip()])
    if lines != nfind:
        fail("junit: %d finding lines in failures, JSON has %d findings" % (lines, nfind))
    if len(list(root.iter("error"))) != nerr:
        fail("junit: <error> elements != JSON errors")
    files = {x["file"] for x in rep["findings"]} | {x["file"] for x in rep["errors"]}
    suites = {t.get("name") for t in root.iter("testsuite")}
    if not files <= suites:
        fail("junit: files with entries but no testsuite: %s" % sorted(files - suites))
    for suite in root.iter("testsuite"):
        cases = list(suite.iter("testcase"))
        if int(suite.get("tests")) != len(cases):
            fail("junit: tests attribute of %s" % suite.get("name"))
        if int(suite.get("failures")) != len([c for c in cases if c.find("failure") is not None]):
            fail("junit: failures attribute of %s" % suite.get("name"))

    root = ET.parse(checkstyle).getroot()
    if len(list(root.iter("error"))) != nfind + nerr:
        fail("checkstyle: <error> elements != findings + errors")

    with open(gitlab, encoding="utf-8") as f:
        issues = json.load(f)
    if len(issues) != nfind:
        fail("gitlab: issues != findings")
    if len({i["fingerprint"] for i in issues}) != len(issues):
        fail("gitlab: fingerprints are not unique")
    for i in issues:
        for k in ("description", "check_name", "fingerprint", "severity"):
            if not isinstance(i.get(k), str):
                fail("gitlab: an issue without %s" % k)
        if i["severity"] not in ("info", "minor", "major", "critical", "blocker"):
            fail("gitlab: severity %r" % i["severity"])
        if not isinstance(i["location"]["lines"]["begin"], int):
            fail("gitlab: location.lines.begin")

    if len(github_lines(github)) != nfind + nerr + nwarn:
        fail("github: lines != findings + errors + warnings")
    print("counts: %d findings, %d errors, %d warnings agree in every format"
          % (nfind, nerr, nwarn))


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        sys.exit(2)
    mode = sys.argv[1]
    if mode == "sarif":
        check_sarif(sys.argv[2], sys.argv[3:])
    elif mode == "counts":
        check_counts(*sys.argv[2:8])
    elif mode == "github":
        print("github: %d lines" % len(github_lines(sys.argv[2])))
    else:
        fail("unknown mode " + mode)


main()
