"""Admission decisions (policy_decide): allow or deny, and the entries that decided."""

from __future__ import annotations

import ctypes
import json
import os
from dataclasses import dataclass
from typing import Any, List, Optional, Tuple

from . import _capi
from .errors import error_for
from .report import (
    F_COLUMN,
    F_END_COLUMN,
    F_END_LINE,
    F_FILE,
    F_FINGERPRINT,
    F_KIND,
    F_LIMIT,
    F_LINE,
    F_MESSAGE,
    F_RULE,
    F_SEVERITY,
    F_SUBJECT,
    F_TITLE,
    Report,
    text,
)
from .values import Action, Severity


@dataclass(frozen=True)
class DecisionEntry:
    """One entry of a decision's deny, warn or audit list."""

    kind: str  # "finding", "input" (the document's errors), "rule" (a rule failed), "no-policy"
    rule: Optional[str]
    severity: Optional[Severity]  # None for errors
    title: Optional[str]
    message: Optional[str]
    file: Optional[str]
    subject: Optional[str]
    limit: Optional[str]  # the limit a failed rule hit
    fingerprint: Optional[str]
    line: int
    column: int
    end_line: int
    end_column: int


class Decision:
    """What Engine.decide() decided about a document. Immutable: every field
    is read from the C decision at once, which is then freed.

    ``allow`` is True when the deny list is empty; ``reason`` says why not in
    one line; ``deny``, ``warn`` and ``audit`` are the entries sorted by
    action; ``report`` everything the rules reported (a Report of its own).
    A gate fails closed: input errors, failed rules and an engine with no
    rule are deny entries."""

    def __init__(self, handle: int) -> None:
        lib = _capi.lib()
        self.allow: bool = bool(lib.policy_decision_allowed(handle))
        self.reason: str = text(lib.policy_decision_reason(handle)) or ""
        self.deny = self._entries(handle, Action.ENFORCE)
        self.warn = self._entries(handle, Action.WARN)
        self.audit = self._entries(handle, Action.AUDIT)
        status, raw = _capi.owned_text(lib.policy_decision_to_json, handle, 0)
        if status != 0:
            raise error_for(status)
        self._json = raw.decode("utf-8", "replace")
        self.report = Report()
        source = lib.policy_decision_report(handle)
        status = self.report._use(lambda h: int(lib.policy_report_merge(h, source)),
                                  changes=True)
        if status != 0:
            raise error_for(status)

    @staticmethod
    def _entries(handle: int, action: Action) -> Tuple[DecisionEntry, ...]:
        lib = _capi.lib()

        def s(i: int, f: int) -> Optional[str]:
            return text(lib.policy_decision_get_string(handle, int(action), i, f))

        def n(i: int, f: int) -> int:
            return int(lib.policy_decision_get_number(handle, int(action), i, f))

        result: List[DecisionEntry] = []
        for i in range(lib.policy_decision_count(handle, int(action))):
            severity = n(i, F_SEVERITY)
            raw_file = lib.policy_decision_get_string(handle, int(action), i, F_FILE)
            result.append(DecisionEntry(
                kind=s(i, F_KIND) or "", rule=s(i, F_RULE),
                severity=Severity(severity) if severity > 0 else None,
                title=s(i, F_TITLE), message=s(i, F_MESSAGE),
                file=None if raw_file is None else os.fsdecode(raw_file),
                subject=s(i, F_SUBJECT), limit=s(i, F_LIMIT), fingerprint=s(i, F_FINGERPRINT),
                line=n(i, F_LINE), column=n(i, F_COLUMN), end_line=n(i, F_END_LINE),
                end_column=n(i, F_END_COLUMN)))
        return tuple(result)

    def to_json(self) -> str:
        """The decision as policy_decision_to_json writes it (docs/admission.md)."""
        return self._json

    def as_dict(self) -> Any:
        """json.loads of to_json()."""
        return json.loads(self._json)

    def __bool__(self) -> bool:
        return self.allow

    def __repr__(self) -> str:
        verdict = "allow" if self.allow else f"deny: {self.reason}"
        return (f"<libpolicy.Decision {verdict} ({len(self.deny)} deny, {len(self.warn)} warn, "
                f"{len(self.audit)} audit)>")


def decide(engine_handle: int, document_handle: int) -> Tuple[int, Optional[Decision]]:
    """policy_decide, with the C decision read into a Decision and freed."""
    lib = _capi.lib()
    out = ctypes.c_void_p()
    status = int(lib.policy_decide(ctypes.byref(out), engine_handle, document_handle))
    if status != 0:
        return status, None
    assert out.value is not None  # written on success
    try:
        return 0, Decision(out.value)
    finally:
        lib.policy_decision_free(out.value)
