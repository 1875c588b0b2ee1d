"""Engines: settings, rules, data, configuration, errors, lifetime."""

import json
import os
from pathlib import Path

import pytest

import libpolicy
from libpolicy import HostAccess, Isolation, Kind, Limit, Severity

from conftest import ROOT_DOCKERFILE

DATA_RULE = """
return {
  id = 'test-data', title = 'data', severity = 'medium', applies_to = 'document',
  description = 'd', remediation = 'r', refs = {hadolint = 'DL9999'},
  check = function(doc)
    if data.registry then report(doc, 'registry ' .. data.registry) end
  end,
}
"""


def messages(engine, text=ROOT_DOCKERFILE):
    with engine.parse(text, kind="dockerfile", path="Dockerfile") as doc:
        return [f.message for f in engine.check(doc).findings]


def test_the_package_under_test_is_typed():
    where = Path(libpolicy.__file__).parent
    assert (where / "py.typed").exists()
    if os.environ.get("LIBPOLICY_TEST_INSTALLED") == "1":
        assert "site-packages" in str(where), f"not the installed package: {where}"
    else:
        assert where == Path(__file__).resolve().parent.parent / "libpolicy"


def test_versions():
    assert libpolicy.abi_version() == 1
    assert libpolicy.version().count(".") == 2
    assert libpolicy.version_number() > 0


def test_builtin_rules_have_metadata(engine):
    rules = engine.rules()
    assert len(rules) > 50
    root = engine.rule("image-runs-as-root")
    assert root.severity == Severity.HIGH and str(root.severity) == "high"
    assert "DL3002" in root.refs["hadolint"]
    assert "image" in root.applies_to
    assert root.origin.startswith("builtin:")
    assert engine.rule("DL3002") == root, "a ref finds the rule too"
    assert [r["id"] for r in engine.rules_json()] == [r.id for r in rules]


def test_unknown_rule_is_an_invalid_argument(engine):
    with pytest.raises(libpolicy.InvalidArgumentError):
        engine.rule("no-such-rule")


def test_without_builtin_there_are_no_rules():
    with libpolicy.Engine(builtin=False) as e:
        assert e.rules() == []


def test_rule_and_data_from_memory():
    with libpolicy.Engine(builtin=False, isolation=Isolation.NONE,
                          data=[{"registry": "ghcr.io"}]) as e:
        e.load_rule(DATA_RULE, name="data.lua")
        assert e.rule("DL9999").id == "test-data"
        assert messages(e) == ["registry ghcr.io"]
        e.load_data_buffer("registry: quay.io\n", "more.yaml")
        assert messages(e) == ["registry quay.io"]


def test_policies_and_data_from_files(tmp_path):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "data.lua").write_text(DATA_RULE)
    (tmp_path / "data.yaml").write_text("registry: docker.io\n")
    with libpolicy.Engine(builtin=False, policies=[tmp_path / "rules"],
                          data=[tmp_path / "data.yaml"]) as e:
        assert messages(e) == ["registry docker.io"]


def test_limits_by_enum_or_name(engine):
    engine.set_limit(Limit.INSTRUCTIONS, 1234567)
    assert engine.limit("instructions") == 1234567
    with libpolicy.Engine(limits={"time_ms": 1500, Limit.INPUT_BYTES: 4096}) as e:
        assert e.limit(Limit.TIME_MS) == 1500
        assert e.limit("input_bytes") == 4096
    with pytest.raises(ValueError, match="unknown limit 'instructionz'"):
        libpolicy.Engine(limits={"instructionz": 1})
    with pytest.raises(libpolicy.InvalidArgumentError, match="must be between 1"):
        engine.set_limit("time_ms", 0)


def test_isolation_and_host_access(engine):
    assert engine.host_access == HostAccess.ALL
    engine.host_access = HostAccess.NONE
    assert engine.host_access == HostAccess.NONE
    engine.isolation = Isolation.NONE
    assert engine.isolation == Isolation.NONE
    with pytest.raises(libpolicy.InvalidArgumentError):
        engine.isolation = 7


def rule_ids(engine, text=ROOT_DOCKERFILE):
    with engine.parse(text, kind="dockerfile", path="Dockerfile") as doc:
        return {f.rule for f in engine.check(doc).findings}


def test_ignore_by_id_and_ref():
    with libpolicy.Engine(profile="strict") as e:
        assert {"image-runs-as-root", "healthcheck-missing"} <= rule_ids(e)
        e.ignore("healthcheck-missing")
        assert "healthcheck-missing" not in rule_ids(e)


def test_profiles_choose_the_rules_that_run(tmp_path):
    with libpolicy.Engine() as e:
        assert e.profile == "default"
        assert "healthcheck-missing" not in rule_ids(e), "a strict rule"
        assert e.rule("healthcheck-missing").profile == "strict"
        assert e.rule("image-runs-as-root").profile == "default"
        e.profile = "strict"
        assert e.profile == "strict"
        assert "healthcheck-missing" in rule_ids(e)
        with pytest.raises(libpolicy.InvalidArgumentError, match="paranoid"):
            e.profile = "paranoid"
        assert e.profile == "strict", "an unknown name keeps the profile"
    with libpolicy.Engine(profile="all") as e:
        assert e.profile == "all" and "healthcheck-missing" in rule_ids(e)
    (tmp_path / "Dockerfile").write_bytes(ROOT_DOCKERFILE)
    strict = libpolicy.check(tmp_path / "Dockerfile", profile="strict")
    assert "healthcheck-missing" in {f.rule for f in strict.findings}
    with libpolicy.Engine(ignore=["DL3002"]) as e:
        assert "image-runs-as-root" not in rule_ids(e)


def test_configuration_from_a_file_and_from_memory(tmp_path):
    (tmp_path / "data.yaml").write_text("registry: example.org\n")
    (tmp_path / "data.lua").write_text(DATA_RULE)
    config = tmp_path / ".policy.yaml"
    config.write_text("builtin: false\nfail_on: medium\npolicies: [data.lua]\n"
                      "data: [data.yaml]\nexclude: [vendor]\n")
    with libpolicy.Engine(config=config, isolation=Isolation.NONE) as e:
        assert e.config_builtin is False
        assert e.config_fail_on == Severity.MEDIUM
        assert e.config_excludes == ["vendor"]
        assert [r.id for r in e.rules()] == ["test-data"], "builtin: false in the file"
        assert messages(e) == ["registry example.org"]
    config.write_text("packs: [hadolint]\n")
    with libpolicy.Engine(config=config) as e:
        assert e.config_packs == ["hadolint"]
        assert [p.name for p in e.packs()] == ["hadolint"], "in place of the default pack"
        assert "image-runs-as-root" not in rule_ids(e)
    with libpolicy.Engine(builtin=False) as e:
        e.load_config_buffer("fail_on: low\nignore: [{id: nothing-here, reason: test}]\n",
                             name="service.yaml")
        assert e.config_fail_on == Severity.LOW
        e.load_config_buffer("fail_on: none\n", name="never.yaml")
        assert e.config_fail_on == libpolicy.FAIL_ON_NONE
        assert e.check_config() == 1
        assert any("nothing-here" in w for w in e.warnings)


def test_configuration_errors_carry_the_engine_message():
    with libpolicy.Engine(builtin=False) as e:
        with pytest.raises(libpolicy.ParseError) as err:
            e.load_config_buffer("limits:\n  instructionz: 3\n", name="svc.yaml")
        assert "svc.yaml:2:" in str(err.value)
        assert err.value.status == -6
        assert err.value.reason == "input could not be parsed"
        e.host_access = HostAccess.NONE
        with pytest.raises(libpolicy.InvalidArgumentError, match="POLICY_HOST_FILES"):
            e.load_config_buffer("policies: [x.lua]\n", name="svc.yaml")


def test_a_bad_rule_is_a_parse_error_with_its_line():
    with libpolicy.Engine(builtin=False) as e:
        with pytest.raises(libpolicy.ParseError, match="broken.lua:1"):
            e.load_rule("return {", name="broken.lua")
        with pytest.raises(libpolicy.ReadError, match="no/such/rules"):
            e.load_rules("no/such/rules")
        assert e.rules() == []


def test_strings_with_nul_are_refused(engine):
    with pytest.raises(libpolicy.InvalidArgumentError, match="NUL"):
        engine.ignore("a\0b")
    with pytest.raises(libpolicy.InvalidArgumentError, match="NUL"):
        engine.parse_file("Docker\0file")


def test_build_args_and_target(engine):
    text = b"ARG BASE=alpine\nFROM ${BASE} AS one\nFROM debian AS two\nFROM ubuntu\n"
    engine.set_build_arg("BASE", "busybox")
    engine.set_target("one")
    with engine.parse(text, kind=Kind.DOCKERFILE, path="Dockerfile") as doc:
        images = doc.model()["images"]
    final = [i for i in images if i["final"]]
    assert final[0]["name"] == "one"
    assert "busybox" in json.dumps(final[0])
    engine.set_build_arg("BASE", None)
    engine.set_target(None)


def test_closed_engine_refuses_calls():
    e = libpolicy.Engine(builtin=False)
    e.close()
    e.close()
    with pytest.raises(libpolicy.InvalidArgumentError, match="closed"):
        e.rules()
    assert repr(e) == "<libpolicy.Engine closed>"


def test_failed_construction_frees_the_engine():
    with pytest.raises(libpolicy.ReadError):
        libpolicy.Engine(policies=["/nonexistent/rules"])
