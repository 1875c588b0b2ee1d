"""Reports: what checks found, read into dataclasses; JSON, text and CI formats."""

from __future__ import annotations

import codecs
import ctypes
import io
import os
import threading
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, TypeVar, Union

from . import _capi
from .errors import InvalidArgumentError, error_for
from .values import (
    REF_TOOLS,
    Finding,
    FixedEntry,
    Log,
    Refs,
    ReportError,
    ReportWarning,
    Severity,
    SuppressedFinding,
)

if TYPE_CHECKING:
    from .engine import Baseline, Engine

# policy_list and policy_field of policy.h
LIST_FINDINGS, LIST_SUPPRESSED, LIST_ERRORS, LIST_LOGS, LIST_WARNINGS, LIST_FIXED = 1, 2, 3, 4, 5, 6
(F_RULE, F_SEVERITY, F_TITLE, F_MESSAGE, F_FILE, F_SUBJECT, F_REASON, F_LIMIT, F_LINE,
 F_COLUMN, F_END_LINE, F_END_COLUMN, F_FINGERPRINT, F_KIND) = range(1, 15)
JSON_PRETTY = 1
TEXT_COLOR = 1

T = TypeVar("T")


def text(raw: Optional[bytes]) -> Optional[str]:
    """Library text: UTF-8 (any invalid byte shown as U+FFFD)."""
    return None if raw is None else raw.decode("utf-8", "replace")


def path_text(raw: Optional[bytes]) -> Optional[str]:
    """A file name, as os.fsdecode gives it (bytes that are not UTF-8 survive)."""
    return None if raw is None else os.fsdecode(raw)


class Report:
    """What checks found. Engine.check() makes one; Report() is an empty one
    to gather several (check(..., report=r), merge()).

    The lists (findings, suppressed, errors, warnings, logs, fixed) are read
    from the C report when first asked for and kept until the report
    changes. One thread at a time: the methods take the report's lock, so
    a report shared between threads is safe, only serialised. Close it
    (or use ``with``) to free it at once; the garbage collector frees it
    otherwise.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._cache: Dict[int, List[Any]] = {}
        self._lib = _capi.lib()
        out = ctypes.c_void_p()
        status = self._lib.policy_report_new(ctypes.byref(out))
        if status != 0:
            raise error_for(status)
        self._handle: Optional[int] = out.value

    # ---- lifetime ------------------------------------------------------

    def close(self) -> None:
        """Frees the C report; the lists read so far stay readable."""
        with self._lock:
            if self._handle is not None:
                self._lib.policy_report_free(self._handle)
                self._handle = None

    def __enter__(self) -> "Report":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:  # a backstop: close() frees at once
        if getattr(self, "_handle", None) is not None:
            self._lib.policy_report_free(self._handle)

    def _use(self, fn: Callable[[int], T], changes: bool = False) -> T:
        """Runs fn(handle) under the lock; `changes` drops the cached lists."""
        with self._lock:
            if self._handle is None:
                raise InvalidArgumentError("the report is closed")
            if changes:
                self._cache.clear()
            return fn(self._handle)

    # ---- entries --------------------------------------------------------

    def _list(self, which: int, make: Callable[[int, int], T]) -> List[T]:
        def read(h: int) -> List[T]:
            if which not in self._cache:
                n = self._lib.policy_report_count(h, which)
                self._cache[which] = [make(h, i) for i in range(n)]
            return list(self._cache[which])

        if self._handle is None and which in self._cache:
            return list(self._cache[which])
        return self._use(read)

    def _s(self, h: int, which: int, i: int, f: int) -> Optional[str]:
        return text(self._lib.policy_report_get_string(h, which, i, f))

    def _file(self, h: int, which: int, i: int) -> Optional[str]:
        return path_text(self._lib.policy_report_get_string(h, which, i, F_FILE))

    def _n(self, h: int, which: int, i: int, f: int) -> int:
        return int(self._lib.policy_report_get_number(h, which, i, f))

    def _refs(self, h: int, which: int, i: int) -> Refs:
        refs = {}
        for tool in REF_TOOLS:
            raw = self._lib.policy_report_get_ref(h, which, i, tool.encode())
            if raw:
                refs[tool] = tuple(r.strip() for r in raw.decode().split(",") if r.strip())
        return refs

    def _finding_fields(self, h: int, which: int, i: int) -> Dict[str, Any]:
        return dict(
            rule=self._s(h, which, i, F_RULE) or "",
            severity=Severity(self._n(h, which, i, F_SEVERITY)),
            title=self._s(h, which, i, F_TITLE) or "",
            message=self._s(h, which, i, F_MESSAGE) or "",
            file=self._file(h, which, i) or "",
            line=self._n(h, which, i, F_LINE),
            column=self._n(h, which, i, F_COLUMN),
            end_line=self._n(h, which, i, F_END_LINE),
            end_column=self._n(h, which, i, F_END_COLUMN),
            refs=self._refs(h, which, i),
            subject=self._s(h, which, i, F_SUBJECT),
            fingerprint=self._s(h, which, i, F_FINGERPRINT),
        )

    @property
    def findings(self) -> List[Finding]:
        """Findings, sorted by file, line, column, rule."""
        return self._list(LIST_FINDINGS,
                          lambda h, i: Finding(**self._finding_fields(h, LIST_FINDINGS, i)))

    @property
    def suppressed(self) -> List[SuppressedFinding]:
        """Findings set aside, each with the reason."""

        def make(h: int, i: int) -> SuppressedFinding:
            return SuppressedFinding(
                **self._finding_fields(h, LIST_SUPPRESSED, i),
                reason=self._s(h, LIST_SUPPRESSED, i, F_REASON),
                kind=self._s(h, LIST_SUPPRESSED, i, F_KIND),
            )

        return self._list(LIST_SUPPRESSED, make)

    @property
    def errors(self) -> List[ReportError]:
        """Inputs that could not be read or parsed, rules that failed, cancelled checks."""

        def make(h: int, i: int) -> ReportError:
            return ReportError(
                message=self._s(h, LIST_ERRORS, i, F_MESSAGE) or "",
                file=self._file(h, LIST_ERRORS, i),
                line=self._n(h, LIST_ERRORS, i, F_LINE),
                column=self._n(h, LIST_ERRORS, i, F_COLUMN),
                rule=self._s(h, LIST_ERRORS, i, F_RULE),
                limit=self._s(h, LIST_ERRORS, i, F_LIMIT),
            )

        return self._list(LIST_ERRORS, make)

    @property
    def warnings(self) -> List[ReportWarning]:
        """Problems that did not stop a check."""

        def make(h: int, i: int) -> ReportWarning:
            return ReportWarning(
                message=self._s(h, LIST_WARNINGS, i, F_MESSAGE) or "",
                file=self._file(h, LIST_WARNINGS, i),
                line=self._n(h, LIST_WARNINGS, i, F_LINE),
                column=self._n(h, LIST_WARNINGS, i, F_COLUMN),
                kind=self._s(h, LIST_WARNINGS, i, F_KIND),
            )

        return self._list(LIST_WARNINGS, make)

    @property
    def logs(self) -> List[Log]:
        """What rules printed."""
        return self._list(
            LIST_LOGS,
            lambda h, i: Log(
                self._s(h, LIST_LOGS, i, F_RULE), self._file(h, LIST_LOGS, i),
                self._s(h, LIST_LOGS, i, F_MESSAGE) or "",
            ),
        )

    @property
    def fixed(self) -> List[FixedEntry]:
        """Entries of an applied baseline that no finding matches any more."""
        return self._list(
            LIST_FIXED,
            lambda h, i: FixedEntry(
                self._s(h, LIST_FIXED, i, F_RULE), self._file(h, LIST_FIXED, i),
                self._n(h, LIST_FIXED, i, F_LINE), self._s(h, LIST_FIXED, i, F_MESSAGE) or "",
                self._s(h, LIST_FIXED, i, F_FINGERPRINT),
            ),
        )

    @property
    def file_count(self) -> int:
        """Files checked or attempted."""
        return self._use(lambda h: int(self._lib.policy_report_file_count(h)))

    def count_at_least(self, severity: Union[Severity, int, str]) -> int:
        """Findings at or above a severity."""
        level = Severity.of(severity)
        return self._use(lambda h: int(self._lib.policy_report_count_at_least(h, level)))

    # ---- changes ----------------------------------------------------------

    def add_error(self, file: Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"],
                  message: str, line: int = 0, column: int = 0) -> None:
        """Records an input that could not be read."""
        status = self._use(
            lambda h: self._lib.policy_report_add_error(
                h, os.fsencode(file), line, column, message.encode()), changes=True)
        if status != 0:
            raise error_for(status)

    def merge(self, other: "Report") -> None:
        """Adds a copy of every entry of `other` (unchanged) to this report."""
        if other is self:
            raise InvalidArgumentError("a report cannot be merged into itself")

        # Both locks, always in the same order, so a.merge(b) and b.merge(a)
        # on two threads cannot deadlock.
        first, second = sorted((self, other), key=id)
        with first._lock, second._lock:
            status = self._use(
                lambda h: other._use(lambda oh: int(self._lib.policy_report_merge(h, oh))),
                changes=True)
        if status != 0:
            raise error_for(status)

    def apply_baseline(self, baseline: "Baseline") -> None:
        """Moves the findings the baseline holds to the suppressed list and
        lists its entries no finding matches (fixed). Once, after the checks."""
        status = self._use(
            lambda h: baseline._use(lambda b: self._lib.policy_report_apply_baseline(h, b)),
            changes=True)
        if status != 0:
            raise error_for(status)

    # ---- output -----------------------------------------------------------

    def _text(self, call: Any, *args: Any) -> str:
        status, raw = self._use(lambda h: _capi.owned_text(call, h, *args))
        if status != 0:
            raise error_for(status)
        return raw.decode("utf-8", "replace")

    def to_json(self, pretty: bool = False) -> str:
        """The report as JSON (docs/report.md)."""
        return self._text(self._lib.policy_report_to_json, JSON_PRETTY if pretty else 0)

    def to_text(self, color: bool = False) -> str:
        """`file:line:col: severity [rule] message` lines."""
        return self._text(self._lib.policy_report_to_text, TEXT_COLOR if color else 0)

    def write(self, format: str, engine: Optional["Engine"] = None, pretty: bool = False) -> str:
        """The report in a format: "text", "json", "sarif", "junit", "github",
        "gitlab", "checkstyle" or "baseline". `engine` gives the loaded rules
        SARIF and JUnit list (without it, the rules seen in the report)."""
        number = self._lib.policy_format_from_name(format.encode())
        if number == 0:
            raise InvalidArgumentError(f"unknown format {format!r}")
        flags = JSON_PRETTY if pretty else 0
        if engine is None:
            return self._text(self._lib.policy_report_write, None, number, flags)
        return engine._use(lambda e: self._text(self._lib.policy_report_write, e, number, flags))

    def write_to(self, stream: Any, format: str, engine: Optional["Engine"] = None,
                 pretty: bool = False) -> int:
        """Writes the report in a format (as write) to `stream`, a binary file
        (anything with write(bytes)) or a text one (io.TextIOBase), chunk by
        chunk: the whole text is never in memory. Returns the bytes written.
        An exception raised by stream.write stops the writing and is raised
        again here, after the chunks before it were written."""
        number = self._lib.policy_format_from_name(format.encode())
        if number == 0:
            raise InvalidArgumentError(f"unknown format {format!r}")
        flags = JSON_PRETTY if pretty else 0
        decoder = codecs.getincrementaldecoder("utf-8")("replace") \
            if isinstance(stream, io.TextIOBase) else None
        written = [0]
        failure: List[BaseException] = []

        def take(_ctx: Any, data: Any, size: int) -> int:
            try:
                chunk = ctypes.string_at(data, size)
                stream.write(decoder.decode(chunk) if decoder else chunk)
                written[0] += size
                return 0
            except BaseException as e:  # noqa: BLE001 - raised again below
                failure.append(e)
                return 1

        callback = _capi.WRITE_FN(take)

        def call(e: Any) -> int:
            return self._use(lambda h: self._lib.policy_report_write_cb(
                h, e, number, flags, callback, None))

        status = call(None) if engine is None else engine._use(call)
        if failure:
            raise failure[0]
        if status != 0:
            raise error_for(status)
        if decoder:
            stream.write(decoder.decode(b"", final=True))
        return written[0]

    def __repr__(self) -> str:
        if self._handle is None:
            return "<libpolicy.Report closed>"
        return (f"<libpolicy.Report {self.file_count} files, {len(self.findings)} findings, "
                f"{len(self.errors)} errors>")
