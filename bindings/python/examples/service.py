"""What a service does with inputs it is sent: parses them from memory
without reading the host's files or environment, checks them on a few
threads (an engine per thread) with a deadline per check, and answers
with JSON. Here the inputs are the files named on the command line.

    python3 service.py Dockerfile compose.yaml
"""

import json
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import libpolicy

local = threading.local()


def engine() -> libpolicy.Engine:
    """This thread's engine: engines share nothing, so threads run in parallel."""
    if not hasattr(local, "engine"):
        local.engine = libpolicy.Engine(
            host_access=libpolicy.HostAccess.NONE,  # no .env, no Dockerfile of a build, no env
            data=[{"allowed_registries": ["docker.io", "ghcr.io"]}],  # for your own rules
            limits={"time_ms": 2000, "input_bytes": 1 << 20},
        )
    return local.engine


def answer(name: str, body: bytes) -> dict:
    e = engine()
    try:
        with e.parse(body, path=name) as doc:
            report = e.check(doc, timeout=5.0)
    except libpolicy.CancelledError as err:
        return {"file": name, "error": "took too long", "partial": json.loads(err.report.to_json())}
    except libpolicy.PolicyError as err:
        return {"file": name, "error": err.message}
    return {"file": name, "allowed": report.count_at_least("high") == 0,
            "report": json.loads(report.to_json())}


def main(paths):
    bodies = []
    for path in paths:
        with open(path, "rb") as f:
            bodies.append((path, f.read()))
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda item: answer(*item), bodies))
    for a in answers:
        summary = {k: v for k, v in a.items() if k not in ("report", "partial")}
        if "report" in a:
            summary["findings"] = len(a["report"]["findings"])
        print(json.dumps(summary))
    return 0 if all(a.get("allowed") for a in answers) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
