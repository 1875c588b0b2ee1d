"""Threads: an engine per thread, documents shared, cancelling from outside."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import libpolicy
from libpolicy import Isolation

from conftest import LOOP_RULE, ROOT_DOCKERFILE


def inputs(examples, corpus=None):
    files = sorted(p for p in examples.iterdir() if p.name.endswith(("Dockerfile", ".yaml")))
    if corpus:
        files += sorted((corpus / "dockerfiles").iterdir())[:120]
        files += sorted((corpus / "compose").iterdir())[:40]
    return files


def kind_of(path):
    return "dockerfile" if "dockerfile" in str(path).lower() else "compose"


def check_all(files):
    with libpolicy.Engine() as engine:
        out = {}
        for path in files:
            with engine.parse_file(path, kind=kind_of(path)) as doc:
                out[str(path)] = engine.check(doc).to_json()
        return out


def test_an_engine_per_thread_gives_one_engines_answers(examples, corpus):
    files = inputs(examples, corpus)
    expected = check_all(files)
    quarters = [files[i::4] for i in range(4)]
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(check_all, quarters))
    got = {}
    for r in results:
        got.update(r)
    assert got == expected


def test_a_document_checked_by_four_threads_at_once(examples):
    with libpolicy.Engine() as e:
        doc = e.parse_file(examples / "insecure-compose.yaml")
        expected = e.check(doc).to_json()
    barrier = threading.Barrier(4)

    def work(_):
        with libpolicy.Engine() as engine:
            barrier.wait()
            return [engine.check(doc).to_json() for _ in range(5)]

    with ThreadPoolExecutor(4) as pool:
        results = [j for r in pool.map(work, range(4)) for j in r]
    doc.close()
    assert results == [expected] * 20


def test_a_shared_engine_is_serialised_not_broken(examples):
    with libpolicy.Engine() as engine:
        doc = engine.parse_file(examples / "insecure.Dockerfile")
        expected = engine.check(doc).to_json()
        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(lambda _: engine.check(doc).to_json(), range(12)))
        doc.close()
    assert results == [expected] * 12


def test_close_waits_for_the_threads_using_a_document(examples):
    with libpolicy.Engine() as e:
        doc = e.parse_file(examples / "insecure-compose.yaml")
    started = threading.Event()

    def work():
        with libpolicy.Engine() as engine:
            started.set()
            for _ in range(20):
                try:
                    engine.check(doc)
                except libpolicy.InvalidArgumentError:
                    return "closed"
        return "done"

    with ThreadPoolExecutor(2) as pool:
        futures = [pool.submit(work) for _ in range(2)]
        started.wait()
        doc.close()
        assert {f.result() for f in futures} <= {"closed", "done"}


@pytest.mark.parametrize("isolation", [Isolation.NONE, Isolation.ALL])
def test_cancel_from_another_thread(isolation):
    with libpolicy.Engine(builtin=False, isolation=isolation,
                          limits={"time_ms": 60000, "instructions": 1 << 50}) as e:
        e.load_rule(LOOP_RULE, name="loop.lua")
        with e.parse(ROOT_DOCKERFILE, kind="dockerfile") as doc:
            threading.Timer(0.1, e.cancel).start()
            start = time.monotonic()
            with pytest.raises(libpolicy.CancelledError) as err:
                e.check(doc)
            assert time.monotonic() - start < 10
            assert err.value.status == -7
            assert "cancelled" in err.value.report.errors[0].message
            e.ignore("test-loop")
            assert e.check(doc).errors == [], "the next check starts afresh"


def test_timeout():
    with libpolicy.Engine(isolation=Isolation.NONE,
                          limits={"time_ms": 60000, "instructions": 1 << 50}) as e:
        e.load_rule(LOOP_RULE, name="loop.lua")
        with e.parse(ROOT_DOCKERFILE, kind="dockerfile") as doc:
            with pytest.raises(libpolicy.CancelledError) as err:
                e.check(doc, timeout=0.2)
            partial = err.value.report
            assert any(f.rule == "image-runs-as-root" for f in partial.findings), \
                "rules that ran before the loop keep their findings"
            e.ignore("test-loop")
            assert e.check(doc, timeout=5).errors == []
