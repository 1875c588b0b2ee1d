"""The enums of policy.h, and the values reports and engines hand out."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Mapping, Optional, Tuple, Union

from . import _capi


class Kind(enum.IntEnum):
    """What an input is (policy_kind)."""

    AUTO = 0
    DOCKERFILE = 1
    COMPOSE = 2
    INSPECT = 3
    REQUEST = 4
    SCAN = 5
    RUN = 6  # a `docker run` / `docker create` command line (Engine.parse_argv)

    @classmethod
    def of(cls, value: Union["Kind", int, str]) -> "Kind":
        """A Kind from itself, its number or its name ("compose")."""
        if isinstance(value, str):
            try:
                return cls[value.upper()]
            except KeyError:
                names = ", ".join(k.name.lower() for k in cls)
                raise ValueError(f"unknown kind {value!r} ({names})") from None
        return cls(value)


class Severity(enum.IntEnum):
    """How bad a finding is; ordered, so ``f.severity >= Severity.HIGH`` works.
    str() gives the name the reports use ("high")."""

    INFO = 1
    LOW = 2
    MEDIUM = 3
    HIGH = 4
    CRITICAL = 5

    def __str__(self) -> str:
        return self.name.lower()


    @classmethod
    def of(cls, value: Union["Severity", int, str]) -> "Severity":
        """A Severity from itself, its number or its name ("high")."""
        if isinstance(value, str):
            number = _capi.lib().policy_severity_from_name(value.lower().encode())
            if number == 0:
                raise ValueError(f"unknown severity {value!r} (info, low, medium, high, critical)")
            return cls(number)
        return cls(value)


#: What Engine.config_fail_on gives for a configuration under which no
#: finding fails (``fail_on: none``; hadolint's ``no-fail``,
#: ``failure-threshold: none``): POLICY_FAIL_ON_NONE, above every severity.
FAIL_ON_NONE = 6


class Limit(enum.IntEnum):
    """The limits of an engine (policy_limit); Engine(limits={...}) takes
    these or their names in lower case ("instructions", "time_ms")."""

    INPUT_BYTES = 1
    LINE_BYTES = 2
    MODEL_BYTES = 3
    LUA_MEMORY_BYTES = 4
    INSTRUCTIONS = 5
    FINDINGS_PER_RULE = 6
    LOG_BYTES = 7
    TIME_MS = 8
    TOOL_MS = 9

    @classmethod
    def of(cls, value: Union["Limit", int, str]) -> "Limit":
        if isinstance(value, str):
            try:
                return cls[value.upper()]
            except KeyError:
                names = ", ".join(k.name.lower() for k in cls)
                raise ValueError(f"unknown limit {value!r} ({names})") from None
        return cls(value)


class Isolation(enum.IntEnum):
    """Where rules run (policy_isolation)."""

    NONE = 0
    UNTRUSTED = 1
    ALL = 2


class HostAccess(enum.IntFlag):
    """What parsing may read from the host besides its input
    (policy_engine_set_host_access): NONE for a service parsing what it
    was sent."""

    NONE = 0
    FILES = 1
    ENV = 2
    ALL = 3


# The tools rules name equivalents in (policy_engine_rule_ref, policy_report_get_ref).
REF_TOOLS = ("cis", "hadolint", "trivy", "kics", "checkov")

Refs = Mapping[str, Tuple[str, ...]]


@dataclass(frozen=True)
class Diagnostic:
    """A problem of an input document: 1-based line and column, 0 when unknown."""

    message: str
    line: int = 0
    column: int = 0


@dataclass(frozen=True)
class Finding:
    """What a rule found: where (1-based; 0 when unknown) and what."""

    rule: str
    severity: Severity
    title: str
    message: str
    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    refs: Refs = field(default_factory=dict)
    subject: Optional[str] = None
    fingerprint: Optional[str] = None


@dataclass(frozen=True)
class SuppressedFinding(Finding):
    """A finding that a suppression comment, a configuration exception or a
    baseline (kind "baseline") set aside, with the reason."""

    reason: Optional[str] = None
    kind: Optional[str] = None


@dataclass(frozen=True)
class ReportError:
    """An input that could not be read or parsed (rule None), or a rule that
    failed or hit a limit (limit names it: "instructions", "memory", "time",
    "findings"), or a cancelled check."""

    message: str
    file: Optional[str]
    line: int = 0
    column: int = 0
    rule: Optional[str] = None
    limit: Optional[str] = None


@dataclass(frozen=True)
class ReportWarning:
    """A problem that did not stop a check: kind "input" (the document's own
    warnings) or "unknown-id" (a suppression comment naming no rule)."""

    message: str
    file: Optional[str]
    line: int = 0
    column: int = 0
    kind: Optional[str] = None


@dataclass(frozen=True)
class Log:
    """What a rule printed while checking a file."""

    rule: Optional[str]
    file: Optional[str]
    message: str


@dataclass(frozen=True)
class FixedEntry:
    """An entry of an applied baseline that no finding matches any more."""

    rule: Optional[str]
    file: Optional[str]
    line: int
    message: str
    fingerprint: Optional[str]


@dataclass(frozen=True)
class Rule:
    """A loaded rule's metadata."""

    id: str
    title: str
    severity: Severity
    applies_to: Tuple[str, ...]
    description: str
    remediation: str
    origin: str
    refs: Refs = field(default_factory=dict)
    profile: str = "default"  # "default", "strict" or "all"
    pack: Optional[str] = None  # the pack it came from; None for a rule of no pack
    ignored: bool = False  # an ignore names it: it does not run


class Action(enum.IntEnum):
    """What a finding does in an admission decision (policy_action).
    str() gives its name ("enforce")."""

    ENFORCE = 1
    WARN = 2
    AUDIT = 3

    def __str__(self) -> str:
        return (_capi.lib().policy_action_name(int(self)) or b"").decode()

    @classmethod
    def of(cls, value: Union["Action", int, str]) -> "Action":
        """An Action from itself, its number or its name ("warn")."""
        if isinstance(value, str):
            number = _capi.lib().policy_action_from_name(value.encode())
            if not number:
                raise ValueError(f"unknown action {value!r} (enforce, warn, audit)")
            return cls(number)
        return cls(value)


@dataclass(frozen=True)
class Pack:
    """A loaded pack (Engine.packs())."""

    name: str
    version: Optional[str]
    description: Optional[str]
    origin: Optional[str]  # the path it was loaded from
    sha256: Optional[str]  # an archive's SHA-256; None for a folder
    profile: Optional[str]


@dataclass(frozen=True)
class Coverage:
    """A rule's line coverage (Engine.rule_coverage): `run` of `total` lines
    ran; `missed` names the others ("12, 14-16", "" when none)."""

    run: int
    total: int
    missed: str
