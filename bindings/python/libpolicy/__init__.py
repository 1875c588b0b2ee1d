"""libpolicy: container-security policies over Dockerfiles, Compose files,
`docker inspect` output, Engine API requests and scan reports.

A binding of the C library libpolicy.so.1 (policy/policy.h) through ctypes,
with no other dependency::

    import libpolicy

    report = libpolicy.check("Dockerfile", "compose.yaml")
    for f in report.findings:
        print(f"{f.file}:{f.line}: {f.severity} [{f.rule}] {f.message}")

    with libpolicy.Engine(limits={"time_ms": 2000}) as engine:
        doc = engine.parse(b"FROM alpine\\nUSER root\\n", kind="dockerfile", path="Dockerfile")
        print(engine.check(doc).to_json())

Threads: one Engine per thread runs in parallel (the C calls release the
GIL); Documents may be checked by several threads at once; a Report or an
Engine shared between threads is safe but serialised. The library is
found through $LIBPOLICY_LIBRARY (a path) or the system's loader.
"""

from ._capi import LibraryError
from .engine import (
    Baseline,
    Document,
    Engine,
    abi_version,
    builtin_packs,
    check,
    escape_text,
    version,
    version_number,
)
from .errors import (
    CancelledError,
    InvalidArgumentError,
    LimitError,
    NoMemoryError,
    ParseError,
    PolicyError,
    ReadError,
    UnsupportedError,
)
from .decision import Decision, DecisionEntry
from .report import Report
from .values import (
    FAIL_ON_NONE,
    Action,
    Coverage,
    Diagnostic,
    Finding,
    FixedEntry,
    HostAccess,
    Isolation,
    Kind,
    Limit,
    Log,
    Pack,
    ReportError,
    ReportWarning,
    Rule,
    Severity,
    SuppressedFinding,
)

__version__ = "0.1.0"

__all__ = [
    "FAIL_ON_NONE",
    "Action",
    "Coverage",
    "Decision",
    "DecisionEntry",
    "Pack",
    "builtin_packs",
    "Baseline",
    "CancelledError",
    "Diagnostic",
    "Document",
    "Engine",
    "Finding",
    "FixedEntry",
    "HostAccess",
    "InvalidArgumentError",
    "Isolation",
    "Kind",
    "LibraryError",
    "Limit",
    "LimitError",
    "Log",
    "NoMemoryError",
    "ParseError",
    "PolicyError",
    "ReadError",
    "Report",
    "ReportError",
    "ReportWarning",
    "Rule",
    "Severity",
    "SuppressedFinding",
    "UnsupportedError",
    "abi_version",
    "check",
    "escape_text",
    "version",
    "version_number",
]
