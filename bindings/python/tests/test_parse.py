"""Parsing: kinds, documents, their problems, bad input, host access."""

import os

import pytest

import libpolicy
from libpolicy import HostAccess, Kind


def test_parse_file_detects_the_kind(engine, examples):
    with engine.parse_file(examples / "insecure.Dockerfile") as doc:
        assert doc.kind == Kind.DOCKERFILE
        assert doc.path.endswith("insecure.Dockerfile")
        assert doc.errors == []
    with engine.parse_file(examples / "insecure-compose.yaml") as doc:
        assert doc.kind == Kind.COMPOSE
        assert {c["name"] for c in doc.model()["containers"]} >= {"web", "db"}
    with engine.parse_file(examples / "insecure-inspect.json") as doc:
        assert doc.kind == Kind.INSPECT
    with engine.parse_file(examples / "scan-trivy.json", kind="scan") as doc:
        assert doc.kind == Kind.SCAN


def test_parse_buffer_with_a_kind_by_name_or_enum(engine):
    for kind in ("dockerfile", Kind.DOCKERFILE, 1):
        with engine.parse("FROM alpine\n", kind=kind) as doc:
            assert doc.kind == Kind.DOCKERFILE
            assert doc.path == "-"


def test_input_problems_are_in_the_document_not_exceptions(engine):
    with engine.parse(b"FROM alpine\nFROBNICATE x\nRUN echo ok\n", path="Dockerfile") as doc:
        assert len(doc.errors) == 1
        assert doc.errors[0].line == 2
        assert "frobnicate" in doc.errors[0].message.lower()
        report = engine.check(doc)
        assert report.errors[0].line == 2 and report.errors[0].rule is None


def test_bad_input_never_crashes(engine):
    garbage = [
        b"",
        b"\0\0\0\xff\xfe",
        bytes(range(256)) * 40,
        b"FROM " + b"a" * 100000,
        b"services: [1, 2",
        b"services:\n  x: &a [*a]\n",
        b"{" * 10000,
        "FROM alpine\nRUN echo \u202e\u0007\n".encode(),
    ]
    for data in garbage:
        for kind in ("dockerfile", "compose", "inspect", "request", "scan"):
            with engine.parse(data, kind=kind, path="x") as doc:
                engine.check(doc).to_json()


def test_unknown_kind(engine):
    with pytest.raises(libpolicy.UnsupportedError, match="POLICY_KIND_AUTO"):
        engine.parse(b"hello", path="notes.txt")
    with pytest.raises(ValueError, match="unknown kind 'yaml'"):
        engine.parse(b"a: 1", kind="yaml")


def test_missing_file_and_directory(engine, tmp_path):
    with pytest.raises(libpolicy.ReadError) as err:
        engine.parse_file(tmp_path / "nope" / "Dockerfile")
    assert "No such file" in err.value.message
    with pytest.raises(libpolicy.ReadError, match="directory"):
        engine.parse_file(tmp_path, kind="dockerfile")


def test_input_limit(engine):
    engine.set_limit("input_bytes", 10)
    with pytest.raises(libpolicy.LimitError, match="POLICY_LIMIT_INPUT_BYTES"):
        engine.parse(b"FROM alpine:3.20\n", kind="dockerfile")


def test_parse_fd_reads_a_pipe(engine):
    read, write = os.pipe()
    os.write(write, b"FROM alpine\nUSER root\n")
    os.close(write)
    try:
        with engine.parse_fd(read, path="Dockerfile") as doc:
            assert doc.kind == Kind.DOCKERFILE
    finally:
        os.close(read)


def test_parse_compose_merges_files(engine, tmp_path):
    (tmp_path / "a.yaml").write_text("services:\n  web:\n    image: nginx\n")
    (tmp_path / "b.yaml").write_text("services:\n  web:\n    privileged: true\n")
    with engine.parse_compose(tmp_path / "a.yaml", tmp_path / "b.yaml") as doc:
        web = doc.model(positions=False)["containers"][0]
        assert "nginx" in str(web["image"])
        assert web["privileged"] is True
    with pytest.raises(libpolicy.InvalidArgumentError):
        engine.parse_compose()


def test_compose_without_host_access(tmp_path):
    (tmp_path / ".env").write_text("TAG=1.27\n")
    (tmp_path / "Dockerfile").write_text("FROM alpine\nUSER nobody\n")
    text = b"services:\n  web:\n    image: nginx:${TAG}\n    build: .\n"
    with libpolicy.Engine(host_access=HostAccess.NONE) as e:
        with e.parse(text, kind="compose", path=tmp_path / "compose.yaml") as doc:
            model = doc.to_json()
            assert "1.27" not in model and "nobody" not in model
            warnings = [w.message for w in doc.warnings]
            assert any(".env is not read" in w and "POLICY_HOST_FILES" in w for w in warnings)
            assert any("Dockerfile is not read" in w for w in warnings)
            assert doc.files == []
    with libpolicy.Engine() as e:
        with e.parse(text, kind="compose", path=tmp_path / "compose.yaml") as doc:
            assert "1.27" in doc.to_json()
            assert any(f.endswith("Dockerfile") for f in doc.files)


def test_link_scan(engine, examples):
    with engine.parse_file(examples / "scan-trivy.json") as scan, \
            engine.parse_file(examples / "scan-stack.yaml") as stack:
        assert scan.link_scan(stack) >= 1
        with pytest.raises(libpolicy.InvalidArgumentError):
            stack.link_scan(scan)


def test_closed_document(engine):
    doc = engine.parse(b"FROM alpine\n", kind="dockerfile")
    doc.close()
    with pytest.raises(libpolicy.InvalidArgumentError, match="closed"):
        engine.check(doc)
    assert doc.kind == Kind.DOCKERFILE, "what was read stays"


def test_documents_outlive_their_engine():
    e = libpolicy.Engine()
    doc = e.parse(b"FROM alpine\nUSER root\n", kind="dockerfile")
    e.close()
    with libpolicy.Engine() as other, doc:
        assert other.check(doc).findings
