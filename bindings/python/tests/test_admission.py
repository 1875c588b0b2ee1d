"""Admission decisions (Engine.decide), their settings, and docker run lines."""

import json

import pytest

import libpolicy
from libpolicy import Action, Kind, Severity

PRIVILEGED = {"Image": "alpine:3.20", "HostConfig": {"Privileged": True}}
HARDENED = {
    "Image": "registry.example.com/app@sha256:" + "0123456789abcdef" * 4,
    "User": "1000:1000",
    "Healthcheck": {"Test": ["CMD", "/healthz"]},
    "HostConfig": {
        "ReadonlyRootfs": True, "CapDrop": ["ALL"], "SecurityOpt": ["no-new-privileges"],
        "Memory": 268435456, "NanoCpus": 500000000, "PidsLimit": 128, "NetworkMode": "backend",
        "PortBindings": {"8080/tcp": [{"HostIp": "127.0.0.1", "HostPort": "8080"}]},
    },
}


@pytest.fixture
def gate():
    with libpolicy.Engine() as e:  # the built-in pack
        yield e


def body(engine, value):
    return engine.parse(json.dumps(value), kind=Kind.REQUEST, path="create.json")


@pytest.fixture
def bare():
    with libpolicy.Engine(builtin=False) as e:
        yield e


def rules_of(entries):
    return {e.rule for e in entries}


def test_decide_denies_a_privileged_container(gate):
    with body(gate, PRIVILEGED) as doc:
        decision = gate.decide(doc)
    assert not decision.allow and not decision
    assert "container-privileged" in rules_of(decision.deny)
    assert "container-privileged" in decision.reason
    entry = next(e for e in decision.deny if e.rule == "container-privileged")
    assert entry.kind == "finding" and entry.severity is not None
    assert entry.severity >= Severity.HIGH and entry.file == "create.json"
    assert decision.as_dict()["allow"] is False
    assert "container-privileged" in {f.rule for f in decision.report.findings}


def test_decide_allows_a_hardened_container(gate):
    with body(gate, HARDENED) as doc:
        decision = gate.decide(doc)
    assert decision.allow, decision.reason
    assert decision.reason == "" and decision.deny == ()
    assert json.loads(decision.to_json())["deny"] == []


def test_decide_fails_closed(bare):
    with body(bare, HARDENED) as doc:
        decision = bare.decide(doc)  # no rule loaded
    assert not decision.allow
    assert [e.kind for e in decision.deny] == ["no-policy"]
    bare.load_builtin_pack("builtin")
    with bare.parse(b"{not json", kind=Kind.REQUEST, path="bad.json") as doc:
        decision = bare.decide(doc)
    assert not decision.allow and "input error" in decision.reason
    assert decision.deny[0].kind == "input" and decision.deny[0].severity is None


def test_actions_threshold_and_modes(gate):
    assert gate.deny_on == Severity.HIGH and gate.admission_mode == Action.ENFORCE
    root = {"Image": "alpine:3.20", "User": "root"}
    gate.deny_on = "critical"
    assert gate.deny_on == Severity.CRITICAL
    with body(gate, root) as doc:
        d = gate.decide(doc)
        assert d.allow and "image-runs-as-root" in rules_of(d.warn)
        gate.set_rule_action("DL3002", "enforce")
        assert not gate.decide(doc).allow
        gate.set_rule_action("image-runs-as-root", Action.AUDIT)
        gate.set_rule_action("container-image-latest", Action.AUDIT)
        d = gate.decide(doc)
        assert d.allow and "image-runs-as-root" in rules_of(d.audit)
    gate.deny_on = Severity.HIGH
    gate.admission_mode = "warn"
    assert gate.admission_mode == Action.WARN
    with body(gate, PRIVILEGED) as doc:
        d = gate.decide(doc)
    assert d.allow and d.deny == () and "container-privileged" in rules_of(d.warn)
    assert str(Action.AUDIT) == "audit" and Action.of("enforce") is Action.ENFORCE
    with pytest.raises(ValueError):
        Action.of("block")
    with pytest.raises(libpolicy.InvalidArgumentError):
        gate.set_rule_action("", Action.WARN)


def test_parse_argv_models_a_docker_run_line(gate):
    with gate.parse_argv(["docker", "run", "--privileged", "alpine"]) as doc:
        assert doc.kind == Kind.RUN and doc.errors == []
        assert doc.count("containers") == 1 and doc.count("images") == 0
        container = doc.model()["containers"][0]
        assert container["privileged"] is True
        decision = gate.decide(doc)
    assert not decision.allow
    entry = next(e for e in decision.deny if e.rule == "container-privileged")
    assert (entry.file, entry.line, entry.column) == ("command-line", 1, 2)


def test_parse_argv_reports_what_docker_refuses(engine):
    with engine.parse_argv(["docker", "run", "--no-such-flag", "alpine"], path="run.sh") as doc:
        assert doc.path == "run.sh"
        assert len(doc.errors) == 1 and doc.errors[0].column == 2
    with pytest.raises(libpolicy.InvalidArgumentError):
        engine.parse_argv(["docker", "run", "a\0b"])


def test_document_request_fields(engine):
    authz = {"RequestMethod": "POST", "RequestUri": "/v1.44/containers/create",
             "User": "alice",
             "RequestBody": "eyJJbWFnZSI6ImFscGluZSJ9"}
    with engine.parse(json.dumps(authz), kind=Kind.REQUEST, path="authz.json") as doc:
        assert doc.count("requests") == 1 and doc.count("nonsense") == 0
        assert doc.request_field(0, "method") == "POST"
        assert doc.request_field(0, "user") == "alice"
        assert doc.request_field(1, "method") is None
