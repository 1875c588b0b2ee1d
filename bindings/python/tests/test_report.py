"""Reports: findings, errors, suppressions, formats, merging, baselines."""

import io
import json

import pytest

import libpolicy
from libpolicy import Severity


def test_findings_point_at_the_line(engine, examples):
    with engine.parse_file(examples / "insecure.Dockerfile") as doc:
        report = engine.check(doc)
    sudo = [f for f in report.findings if f.rule == "sudo-in-run"]
    assert len(sudo) == 1
    f = sudo[0]
    assert f.severity == Severity.HIGH
    assert f.title and f.message and f.file.endswith("insecure.Dockerfile")
    assert f.line >= 1 and f.column >= 1 and f.end_line >= f.line
    assert "DL3004" in f.refs["hadolint"]
    assert len(f.fingerprint) == 16
    assert report.file_count == 1
    assert report.count_at_least("high") == sum(1 for x in report.findings if x.severity >= 4)
    order = [(x.file, x.line, x.column, x.rule) for x in report.findings]
    assert order == sorted(order)


def test_json_agrees_with_the_lists(engine, examples):
    with engine.parse_file(examples / "insecure-compose.yaml") as doc:
        report = engine.check(doc)
    data = json.loads(report.to_json())
    assert len(data["findings"]) == len(report.findings)
    assert [f["rule"] for f in data["findings"]] == [f.rule for f in report.findings]
    assert report.to_json(pretty=True).count("\n") > 10
    assert "[privileged-container]" in report.to_text() or "privileged" in report.to_text()


@pytest.mark.parametrize("name", ["text", "json", "sarif", "junit", "github", "gitlab",
                                  "checkstyle", "baseline"])
def test_every_format(engine, examples, name):
    with engine.parse_file(examples / "insecure.Dockerfile") as doc:
        report = engine.check(doc)
    out = report.write(name, engine=engine)
    assert out
    if name in ("json", "sarif", "gitlab", "baseline"):
        json.loads(out)
    assert report.write(name)


@pytest.mark.parametrize("name", ["text", "json", "sarif", "junit", "github", "gitlab",
                                  "checkstyle", "baseline"])
def test_write_to_streams_the_same_bytes(engine, examples, name):
    with engine.parse_file(examples / "insecure.Dockerfile") as doc:
        report = engine.check(doc)
    binary = io.BytesIO()
    assert report.write_to(binary, name, engine=engine) == len(binary.getvalue())
    assert binary.getvalue().decode() == report.write(name, engine=engine)
    text = io.StringIO()
    report.write_to(text, name)
    assert text.getvalue() == report.write(name)


def test_write_to_raises_what_the_stream_raised(engine, examples):
    class Full(io.RawIOBase):
        def write(self, data):
            raise OSError(28, "No space left on device")

    with engine.parse_file(examples / "insecure.Dockerfile") as doc:
        report = engine.check(doc)
    with pytest.raises(OSError, match="No space left"):
        report.write_to(Full(), "json")
    with pytest.raises(libpolicy.InvalidArgumentError, match="'pdf'"):
        report.write_to(io.BytesIO(), "pdf")


def test_unknown_format(engine):
    with libpolicy.Report() as r:
        with pytest.raises(libpolicy.InvalidArgumentError, match="'pdf'"):
            r.write("pdf")


def test_suppressed_findings_carry_the_reason(engine):
    text = b"FROM alpine:3.20\n# policy ignore=image-runs-as-root reason: drops privileges\nUSER root\n"
    with engine.parse(text, kind="dockerfile", path="Dockerfile") as doc:
        report = engine.check(doc)
    assert not [f for f in report.findings if f.rule == "image-runs-as-root"]
    sup = [s for s in report.suppressed if s.rule == "image-runs-as-root"]
    assert sup and sup[0].reason


def test_merge_reads_as_one_report(engine, examples):
    files = [examples / "insecure.Dockerfile", examples / "insecure-compose.yaml"]
    one = libpolicy.Report()
    parts = []
    for path in files:
        with engine.parse_file(path) as doc:
            engine.check(doc, report=one)
            parts.append(engine.check(doc))
    merged = libpolicy.Report()
    for part in parts:
        merged.merge(part)
    assert merged.to_json() == one.to_json()
    assert merged.findings == one.findings
    with pytest.raises(libpolicy.InvalidArgumentError):
        merged.merge(merged)


def test_baseline_suppresses_known_findings(engine, examples, tmp_path):
    with engine.parse_file(examples / "insecure.Dockerfile") as doc:
        first = engine.check(doc)
        (tmp_path / "base.json").write_text(first.write("baseline"))
        with engine.load_baseline(tmp_path / "base.json") as baseline:
            assert len(baseline) == len(first.findings)
            again = engine.check(doc)
            again.apply_baseline(baseline)
    assert again.findings == []
    assert {s.kind for s in again.suppressed} == {"baseline"}


def test_add_error_and_the_convenience_check(examples, tmp_path):
    report = libpolicy.check(examples / "insecure.Dockerfile", tmp_path / "missing.Dockerfile")
    assert report.file_count == 2, "checked or attempted"
    assert [e.file for e in report.errors] == [str(tmp_path / "missing.Dockerfile")]
    assert "No such file" in report.errors[0].message
    assert report.findings
    assert libpolicy.check(examples / "insecure.Dockerfile", ignore=["sudo-in-run"]) \
        .count_at_least("critical") >= 0


def test_rule_errors_name_the_limit():
    rule = """return {id = 't-loop', title = 't', severity = 'low', applies_to = 'document',
      description = 'd', remediation = 'r', check = function(d) while true do end end}"""
    with libpolicy.Engine(builtin=False, isolation=libpolicy.Isolation.NONE,
                          limits={"instructions": 100000}) as e:
        e.load_rule(rule, name="loop.lua")
        with e.parse(b"FROM alpine\n", kind="dockerfile") as doc:
            report = e.check(doc)
    assert report.errors[0].rule == "t-loop"
    assert report.errors[0].limit == "instructions"
    assert "POLICY_LIMIT_INSTRUCTIONS" in report.errors[0].message


def test_closed_report_keeps_what_was_read(engine, examples):
    with engine.parse_file(examples / "insecure.Dockerfile") as doc:
        report = engine.check(doc)
    findings = report.findings
    report.close()
    assert report.findings == findings
    with pytest.raises(libpolicy.InvalidArgumentError, match="closed"):
        report.to_json()


def test_escape_text():
    assert libpolicy.escape_text("a\x1b[31mb\n") == "a\\x1B[31mb\\x0A"
    assert libpolicy.escape_text("a\nb", keep_newlines=True) == "a\nb"
