"""Packs (load_pack, build_pack, built-in packs), coverage, subjects and eval."""

import hashlib

import pytest

import libpolicy
from libpolicy import Isolation, Kind

ORG_RULES = {"org-approved-registry", "org-memory-ceiling", "org-owner-label"}
UNOWNED = b'{"Image": "registry.example.com/shop/api:1.8", "HostConfig": {"Memory": 536870912}}'


@pytest.fixture
def bare():
    with libpolicy.Engine(builtin=False) as e:
        yield e


def test_builtin_packs_are_listed():
    names = libpolicy.builtin_packs()
    assert names[0] == "builtin" and "hadolint" in names


def test_org_pack_loads_and_its_rules_report(bare, examples):
    bare.load_pack(examples / "org-pack")
    (pack,) = bare.packs()
    assert pack.name == "org-pack" and pack.version == "1.0.0"
    assert pack.sha256 is None and pack.origin and pack.origin.endswith("org-pack")
    rules = {r.id: r for r in bare.rules()}
    assert set(rules) == ORG_RULES
    assert all(r.pack == "org-pack" and not r.ignored for r in rules.values())
    with bare.parse(UNOWNED, kind=Kind.REQUEST, path="create.json") as doc:
        report = bare.check(doc)
    assert "org-owner-label" in {f.rule for f in report.findings}
    assert bare.rule_subjects("org-owner-label") == 1
    bare.ignore("org-owner-label")
    assert bare.rule("org-owner-label").ignored


def test_pack_archive_round_trip(tmp_path, examples):
    archive = tmp_path / "org-pack.tar.gz"
    with libpolicy.Engine(builtin=False) as builder:
        digest = builder.build_pack(examples / "org-pack", archive)
    assert digest == hashlib.sha256(archive.read_bytes()).hexdigest()
    with libpolicy.Engine(builtin=False) as e:
        e.load_pack(archive, sha256=digest.upper())
        assert e.packs()[0].sha256 == digest
    with libpolicy.Engine(builtin=False) as e:
        with pytest.raises(libpolicy.ParseError):
            e.load_pack(archive, sha256="0" * 64)
        assert e.packs() == []
    with libpolicy.Engine(builtin=False) as e:
        with pytest.raises(libpolicy.InvalidArgumentError):
            e.load_pack(examples / "org-pack", sha256=digest)


def test_hadolint_pack_adds_dl_rules(bare):
    bare.load_builtin_pack("hadolint")
    ids = {r.id for r in bare.rules()}
    # DL rules, and `shellcheck`, which reports under ShellCheck's SC codes
    assert "DL3008" in ids and all(i.startswith("DL") for i in ids - {"shellcheck"})
    assert bare.packs()[0].name == "hadolint"
    with bare.parse(b"FROM debian\nRUN apt-get install -y curl\n", kind="dockerfile",
                      path="Dockerfile") as doc:
        found = {f.rule for f in bare.check(doc).findings}
    assert "DL3008" in found
    with pytest.raises(libpolicy.InvalidArgumentError):
        bare.load_builtin_pack("no-such-pack")
    with pytest.raises(libpolicy.PolicyError):
        bare.load_builtin_pack("hadolint")  # each pack once


def test_coverage_counts_lines(examples):
    with libpolicy.Engine(builtin=False, isolation=Isolation.NONE) as e:
        e.load_pack(examples / "org-pack")
        e.coverage = True
        assert e.coverage
        with e.parse(UNOWNED, kind=Kind.REQUEST, path="create.json") as doc:
            e.check(doc)
        cov = e.rule_coverage("org-owner-label")
        assert 0 < cov.run <= cov.total and isinstance(cov.missed, str)
        e.coverage = False
        with pytest.raises(libpolicy.InvalidArgumentError):
            e.rule_coverage("org-owner-label")


def test_coverage_needs_in_process_rules(bare):
    bare.isolation = Isolation.UNTRUSTED
    with pytest.raises(libpolicy.UnsupportedError):
        bare.coverage = True
    assert not bare.coverage


def test_eval_explores_the_model(bare, examples):
    bare.load_pack(examples / "org-pack")
    with bare.parse(UNOWNED, kind=Kind.REQUEST, path="create.json") as doc:
        assert bare.eval(doc, "container.image.raw", positions=False) == "registry.example.com/shop/api:1.8"
        assert bare.eval(doc, "1 + 1") == 2
        assert bare.eval(doc, "return 1, 'a'") == [1, "a"]
        with pytest.raises(libpolicy.ParseError):
            bare.eval(doc, "error('boom')")
        with pytest.raises(libpolicy.InvalidArgumentError):
            bare.eval(doc, "1", pack="no-such-pack")
