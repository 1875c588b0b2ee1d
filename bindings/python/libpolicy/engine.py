"""Engines, documents and baselines: the handles of policy.h as Python objects."""

from __future__ import annotations

import ctypes
import json
import os
import threading
from typing import (
    Any,
    Callable,
    Iterable,
    List,
    Mapping,
    Optional,
    TypeVar,
    Union,
)

from . import _capi
from .errors import CancelledError, InvalidArgumentError, PolicyError, error_for
from .decision import Decision, decide
from .report import JSON_PRETTY, Report, path_text, text
from .values import (
    FAIL_ON_NONE,
    REF_TOOLS,
    Action,
    Coverage,
    Diagnostic,
    HostAccess,
    Isolation,
    Kind,
    Limit,
    Pack,
    Rule,
    Severity,
)

PathLike = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]
T = TypeVar("T")

# policy_rule_field
RULE_ID, RULE_TITLE, RULE_SEVERITY, RULE_APPLIES_TO, RULE_DESCRIPTION, RULE_REMEDIATION, \
    RULE_ORIGIN, RULE_PROFILE = range(1, 9)
# policy_pack_field
PACK_NAME, PACK_VERSION, PACK_DESCRIPTION, PACK_ORIGIN, PACK_SHA256, PACK_PROFILE = range(1, 7)
JSON_NO_POSITIONS = 2
ESCAPE_KEEP_NEWLINES = 1
STATUS_CANCELLED = -7


def cstr(value: Union[str, bytes], what: str = "a string") -> bytes:
    """UTF-8 bytes for a C string; a NUL inside would cut it short silently."""
    raw = value.encode() if isinstance(value, str) else bytes(value)
    if b"\0" in raw:
        raise InvalidArgumentError(f"{what} holds a NUL character: {value!r}")
    return raw


def cpath(path: PathLike) -> bytes:
    """A file name as the C library takes it (os.fsencode)."""
    return cstr(os.fsencode(path), "a path")


class _Shared:
    """An immutable C object (a document, a baseline) that several threads may
    use at once; close() waits until none does."""

    _free: Callable[[int], None]

    def __init__(self, handle: int) -> None:
        self._handle: Optional[int] = handle
        self._users = 0
        self._idle = threading.Condition()

    def _use(self, fn: Callable[[int], T]) -> T:
        with self._idle:
            if self._handle is None:
                raise InvalidArgumentError(f"the {type(self).__name__.lower()} is closed")
            handle = self._handle
            self._users += 1
        try:
            return fn(handle)
        finally:
            with self._idle:
                self._users -= 1
                self._idle.notify_all()

    def _use_alone(self, fn: Callable[[int], T]) -> T:
        """Runs fn with no other user, for the calls that change the object."""
        with self._idle:
            self._idle.wait_for(lambda: self._users == 0)
            if self._handle is None:
                raise InvalidArgumentError(f"the {type(self).__name__.lower()} is closed")
            return fn(self._handle)

    def close(self) -> None:
        """Frees the C object once no thread uses it; later calls raise."""
        with self._idle:
            self._idle.wait_for(lambda: self._users == 0)
            if self._handle is not None:
                type(self)._free(self._handle)
                self._handle = None

    def __enter__(self: T) -> T:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:  # a backstop: close() frees at once
        handle = getattr(self, "_handle", None)
        if handle is not None:
            type(self)._free(handle)


class Document(_Shared):
    """One parsed input: its model and its own problems. Immutable: several
    threads may check it at once, each with its own engine."""

    @staticmethod
    def _free(handle: int) -> None:
        _capi.lib().policy_document_free(handle)

    def __init__(self, handle: int) -> None:
        super().__init__(handle)
        lib = _capi.lib()
        self.kind = Kind(lib.policy_document_kind(handle))
        self.path: str = path_text(lib.policy_document_path(handle)) or "-"
        self.errors = self._diagnostics(lib.policy_document_error_count, lib.policy_document_error)
        self.warnings = self._diagnostics(lib.policy_document_warning_count,
                                          lib.policy_document_warning)
        self.files: List[str] = [
            path_text(lib.policy_document_file(handle, i)) or ""
            for i in range(lib.policy_document_file_count(handle))
        ]

    def _diagnostics(self, count: Any, get: Any) -> List[Diagnostic]:
        handle = self._handle
        result = []
        for i in range(count(handle)):
            message = ctypes.c_char_p()
            line, column = ctypes.c_uint32(), ctypes.c_uint32()
            get(ctypes.byref(message), ctypes.byref(line), ctypes.byref(column), handle, i)
            result.append(Diagnostic(text(message.value) or "", line.value, column.value))
        return result

    def to_json(self, pretty: bool = False, positions: bool = True) -> str:
        """The model as JSON text (the names of docs/model.md)."""
        flags = (JSON_PRETTY if pretty else 0) | (0 if positions else JSON_NO_POSITIONS)
        status, raw = self._use(
            lambda h: _capi.owned_text(_capi.lib().policy_document_to_json, h, flags))
        if status != 0:
            raise error_for(status)
        return raw.decode("utf-8", "replace")

    def model(self, positions: bool = True) -> Any:
        """The model as Python values (json.loads of to_json)."""
        return json.loads(self.to_json(positions=positions))

    def link_scan(self, other: "Document") -> int:
        """For a scan report (Kind.SCAN): adds every service, container or image
        of `other` that ships the scanned image to scan.shipped_by; returns how
        many. Waits until no thread checks this document meanwhile."""
        linked = ctypes.c_size_t()
        status = self._use_alone(lambda h: other._use(
            lambda o: _capi.lib().policy_document_link_scan(ctypes.byref(linked), h, o)))
        if status != 0:
            raise error_for(status, "not a scan report" if status == -2 else "")
        return linked.value

    def count(self, name: str) -> int:
        """How many entries one of the model's lists has: "images", "containers",
        "requests", "vulnerabilities", "errors" or "warnings" (0 for another)."""
        raw = cstr(name, "a list name")
        return int(self._use(lambda h: _capi.lib().policy_document_count(h, raw)))

    def request_field(self, index: int, field: str) -> Optional[str]:
        """A text field of the index-th AuthZ request ("method", "path", "user", ...:
        docs/model.md), or None when it is null, not text, or out of range."""
        raw = cstr(field, "a field name")
        return text(self._use(
            lambda h: _capi.lib().policy_document_request_string(h, index, raw)))

    def __repr__(self) -> str:
        return (f"<libpolicy.Document {self.kind.name.lower()} {self.path!r}: "
                f"{len(self.errors)} errors, {len(self.warnings)} warnings>")


class Baseline(_Shared):
    """Known findings (Report.write("baseline")), loaded with Engine.load_baseline.
    Immutable: reports on several threads may apply it at once."""

    @staticmethod
    def _free(handle: int) -> None:
        _capi.lib().policy_baseline_free(handle)

    def __len__(self) -> int:
        return self._use(lambda h: int(_capi.lib().policy_baseline_count(h)))


class Engine:
    """Settings, loaded rules and data, and the sandbox the rules run in.

    One engine per thread for parallel work: engines share nothing, and the
    C calls release the GIL. An engine shared between threads is safe too,
    its calls serialised by its lock. Documents outlive the engine that
    parsed them.

    builtin       load the built-in pack (None: as a configuration says:
                  the built-in packs its `packs` name, else the default
                  pack unless it says builtin: false)
    policies      rule files or folders of *.lua files
    data          data documents: paths, or mappings loaded as JSON
    limits        {Limit or name: value}, e.g. {"instructions": 5_000_000}
    config        a configuration file (.policy.yaml) applied first
    ignore        rule ids or refs to skip
    profile       which rules run: "default", "strict" or "all" (over what a
                  configuration says)
    isolation     where rules run (Isolation)
    host_access   what parsing may read from the host (HostAccess.NONE
                  for a service parsing what it was sent)
    build_args, target, env_file: as `docker build` / `docker compose`
    """

    def __init__(
        self,
        builtin: Optional[bool] = None,
        policies: Iterable[PathLike] = (),
        data: Iterable[Union[PathLike, Mapping[str, Any]]] = (),
        limits: Optional[Mapping[Union[Limit, str], int]] = None,
        *,
        config: Optional[PathLike] = None,
        ignore: Iterable[str] = (),
        profile: Optional[str] = None,
        isolation: Optional[Union[Isolation, int]] = None,
        host_access: Optional[Union[HostAccess, int]] = None,
        build_args: Optional[Mapping[str, Optional[str]]] = None,
        target: Optional[str] = None,
        env_file: Optional[PathLike] = None,
    ) -> None:
        self._lib = _capi.lib()
        self._lock = threading.RLock()
        out = ctypes.c_void_p()
        status = self._lib.policy_engine_new(ctypes.byref(out))
        if status != 0:
            raise error_for(status)
        self._handle: Optional[int] = out.value
        # Read by the C library while a check runs; written by cancel().
        self._cancel_flag = ctypes.c_int(0)
        self._coverage = False
        try:
            self._call(lambda h: self._lib.policy_engine_set_cancel(
                h, ctypes.byref(self._cancel_flag)))
            for limit, amount in (limits or {}).items():
                self.set_limit(limit, amount)
            if isolation is not None:
                self.isolation = Isolation(isolation)
            if host_access is not None:
                self.host_access = HostAccess(host_access)
            if config is not None:
                self.load_config(config)
            if profile is not None:
                self.profile = profile
            packs = self.config_packs if builtin is None else []
            if builtin is None:
                builtin = not packs and self.config_builtin is not False
            if builtin:
                self._call(self._lib.policy_engine_load_builtin)
            for name in packs:
                self.load_builtin_pack(name)
            for path in policies:
                self.load_rules(path)
            for item in data:
                self.load_data(item)
            for rule in ignore:
                self.ignore(rule)
            for name, value in (build_args or {}).items():
                self.set_build_arg(name, value)
            if target is not None:
                self.set_target(target)
            if env_file is not None:
                self.set_env_file(env_file)
        except BaseException:
            self.close()
            raise

    # ---- lifetime and calls -------------------------------------------------

    def close(self) -> None:
        """Frees the engine (documents it parsed stay valid)."""
        with self._lock:
            if self._handle is not None:
                self._lib.policy_engine_free(self._handle)
                self._handle = None

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:  # a backstop: close() frees at once
        if getattr(self, "_handle", None) is not None:
            self._lib.policy_engine_free(self._handle)

    def _use(self, fn: Callable[[int], T]) -> T:
        with self._lock:
            if self._handle is None:
                raise InvalidArgumentError("the engine is closed")
            return fn(self._handle)

    def _error(self, handle: int, status: int) -> PolicyError:
        return error_for(status, text(self._lib.policy_engine_errmsg(handle)) or "")

    def _call(self, fn: Callable[[int], int]) -> None:
        """Runs a call returning a status; raises the engine's error."""

        def run(h: int) -> None:
            status = fn(h)
            if status != 0:
                raise self._error(h, status)

        self._use(run)

    # ---- settings -----------------------------------------------------------

    def set_limit(self, limit: Union[Limit, str, int], value: int) -> None:
        which = Limit.of(limit)
        self._call(lambda h: self._lib.policy_engine_set_limit(h, which, value))

    def limit(self, limit: Union[Limit, str, int]) -> int:
        which = Limit.of(limit)
        value = ctypes.c_uint64()
        self._call(lambda h: self._lib.policy_engine_get_limit(ctypes.byref(value), h, which))
        return value.value

    @property
    def isolation(self) -> Isolation:
        return Isolation(self._use(self._lib.policy_engine_isolation))

    @isolation.setter
    def isolation(self, mode: Union[Isolation, int]) -> None:
        self._call(lambda h: self._lib.policy_engine_set_isolation(h, int(mode)))

    @property
    def host_access(self) -> HostAccess:
        return HostAccess(self._use(self._lib.policy_engine_host_access))

    @host_access.setter
    def host_access(self, allowed: Union[HostAccess, int]) -> None:
        self._call(lambda h: self._lib.policy_engine_set_host_access(h, int(allowed)))

    @property
    def profile(self) -> str:
        """Which loaded rules run: "default", "strict" (adds hardening) or "all"."""
        return text(self._use(self._lib.policy_engine_profile)) or ""

    @profile.setter
    def profile(self, name: str) -> None:
        raw = cstr(name, "a profile")
        self._call(lambda h: self._lib.policy_engine_set_profile(h, raw))

    def set_build_arg(self, name: str, value: Optional[str]) -> None:
        """As `docker build --build-arg name=value`; None removes it."""
        raw = None if value is None else cstr(value, "a build argument")
        self._call(lambda h: self._lib.policy_engine_set_build_arg(h, cstr(name), raw))

    def set_target(self, stage: Optional[str]) -> None:
        """The stage that counts as final (`docker build --target`); None: the last."""
        raw = None if stage is None else cstr(stage, "a stage")
        self._call(lambda h: self._lib.policy_engine_set_target(h, raw))

    def set_env_file(self, path: Optional[PathLike]) -> None:
        """The file of Compose variables instead of the project's .env; None: .env."""
        raw = None if path is None else cpath(path)
        self._call(lambda h: self._lib.policy_engine_set_env_file(h, raw))

    # ---- rules, data, configuration ---------------------------------------

    def load_rules(self, path: PathLike) -> None:
        """A rule file, or every *.lua file of a folder."""
        self._call(lambda h: self._lib.policy_engine_load_rules(h, cpath(path)))

    def load_rule(self, source: Union[str, bytes], name: str = "<rule>") -> None:
        """One rule from its Lua source; `name` is used in messages."""
        raw = source.encode() if isinstance(source, str) else bytes(source)
        self._call(lambda h: self._lib.policy_engine_load_rule_buffer(
            h, cstr(name), raw, len(raw)))

    def load_data(self, source: Union[PathLike, Mapping[str, Any]],
                  name: Optional[str] = None) -> None:
        """A data document: a file (YAML, or JSON by its .json name) or a mapping,
        visible to every rule as `data`."""
        if isinstance(source, Mapping):
            self.load_data_buffer(json.dumps(source), name or "data.json")
            return
        path = cpath(source)
        self._call(lambda h: self._lib.policy_engine_load_data(h, path))

    def load_data_buffer(self, source: Union[str, bytes], name: str) -> None:
        """A data document's text; `name` names it and its ending picks JSON or YAML."""
        raw = source.encode() if isinstance(source, str) else bytes(source)
        self._call(lambda h: self._lib.policy_engine_load_data_buffer(
            h, cstr(name), raw, len(raw)))

    def load_config(self, path: PathLike) -> None:
        """A configuration file (docs/configuration.md)."""
        self._call(lambda h: self._lib.policy_engine_load_config(h, cpath(path)))

    def load_config_buffer(self, source: Union[str, bytes], name: str = ".policy.yaml") -> None:
        """A configuration's text; `name` stands for its path."""
        raw = source.encode() if isinstance(source, str) else bytes(source)
        self._call(lambda h: self._lib.policy_engine_load_config_buffer(
            h, cstr(name), raw, len(raw)))

    def ignore(self, *ids_or_refs: str) -> None:
        """Skips rules by id or by a ref (a hadolint code, a CIS number, ...)."""
        for rule in ids_or_refs:
            self._call(lambda h: self._lib.policy_engine_ignore(h, cstr(rule)))

    @property
    def config_fail_on(self) -> Optional[int]:
        """The configuration's fail_on: a Severity, FAIL_ON_NONE (no finding
        fails), or None when unset."""
        value = self._use(self._lib.policy_engine_config_fail_on)
        if value == FAIL_ON_NONE:
            return FAIL_ON_NONE
        return Severity(value) if value else None

    @property
    def config_builtin(self) -> Optional[bool]:
        """The configuration's builtin, or None when unset."""
        value = self._use(self._lib.policy_engine_config_builtin)
        return None if value < 0 else bool(value)

    @property
    def config_excludes(self) -> List[str]:
        """The globs of the configurations' exclude lists."""

        def read(h: int) -> List[str]:
            result: List[str] = []
            i = 0
            while True:
                raw = self._lib.policy_engine_config_exclude(h, i)
                if raw is None:
                    return result
                result.append(path_text(raw) or "")
                i += 1

        return self._use(read)

    @property
    def config_packs(self) -> List[str]:
        """The built-in packs the configurations name (their `packs`)."""

        def read(h: int) -> List[str]:
            result: List[str] = []
            i = 0
            while True:
                raw = self._lib.policy_engine_config_pack(h, i)
                if raw is None:
                    return result
                result.append(raw.decode("utf-8", "replace"))
                i += 1

        return self._use(read)

    def check_config(self) -> int:
        """Notes every ignore of the configurations that names no loaded rule
        (see warnings); returns how many. Call it after the last rule loads."""
        return int(self._use(self._lib.policy_engine_check_config))

    @property
    def warnings(self) -> List[str]:
        """Notes for the user (expired ignores, ...), one per line."""
        raw = self._use(self._lib.policy_engine_warnings)
        return [line for line in (text(raw) or "").splitlines() if line]

    def _rule(self, h: int, i: int) -> Rule:
        def field(f: int) -> str:
            return text(self._lib.policy_engine_rule_string(h, i, f)) or ""

        refs = {}
        for tool in REF_TOOLS:
            raw = self._lib.policy_engine_rule_ref(h, i, tool.encode())
            if raw:
                refs[tool] = tuple(r.strip() for r in raw.decode().split(",") if r.strip())
        applies = tuple(s for s in field(RULE_APPLIES_TO).split(",") if s)
        return Rule(field(RULE_ID), field(RULE_TITLE), Severity.of(field(RULE_SEVERITY)), applies,
                    field(RULE_DESCRIPTION), field(RULE_REMEDIATION), field(RULE_ORIGIN), refs,
                    field(RULE_PROFILE) or "default",
                    text(self._lib.policy_engine_rule_pack(h, i)),
                    self._lib.policy_engine_rule_ignored(h, i) == 1)

    def rules(self) -> List[Rule]:
        """The loaded rules, in load order."""
        return self._use(lambda h: [self._rule(h, i)
                                    for i in range(self._lib.policy_engine_rule_count(h))])

    def rule(self, id_or_ref: str) -> Rule:
        """The first loaded rule with that id or ref; InvalidArgumentError if none."""
        index = self._rule_index(id_or_ref)
        return self._use(lambda h: self._rule(h, index))

    def rules_json(self) -> Any:
        """Every rule's metadata, as the JSON array of policy_engine_rules_to_json."""
        status, raw = self._use(
            lambda h: _capi.owned_text(self._lib.policy_engine_rules_to_json, h, 0))
        if status != 0:
            raise error_for(status)
        return json.loads(raw)

    def _rule_index(self, id_or_ref: str) -> int:
        index = ctypes.c_size_t()
        self._call(lambda h: self._lib.policy_engine_rule_find(ctypes.byref(index), h,
                                                                cstr(id_or_ref)))
        return index.value

    # ---- packs ----------------------------------------------------------

    def load_pack(self, path: PathLike, sha256: Optional[str] = None) -> None:
        """A pack: a folder with pack.yaml, a .tar.gz archive (checked against
        `sha256` when given, before anything in it is read) or a rule folder."""
        digest = None if sha256 is None else cstr(sha256, "a SHA-256")
        self._call(lambda h: self._lib.policy_engine_load_pack_path(h, cpath(path), digest))

    def load_builtin_pack(self, name: str) -> None:
        """A pack compiled into the library: "builtin" or "hadolint" (builtin_packs())."""
        raw = cstr(name, "a pack name")
        self._call(lambda h: self._lib.policy_engine_load_builtin_pack(h, raw))

    def packs(self) -> List[Pack]:
        """The loaded packs, in load order."""

        def read(h: int) -> List[Pack]:
            def field(i: int, f: int) -> Optional[str]:
                return text(self._lib.policy_engine_pack_string(h, i, f))

            return [Pack(field(i, PACK_NAME) or "", field(i, PACK_VERSION),
                         field(i, PACK_DESCRIPTION),
                         path_text(self._lib.policy_engine_pack_string(h, i, PACK_ORIGIN)),
                         field(i, PACK_SHA256), field(i, PACK_PROFILE))
                    for i in range(self._lib.policy_engine_pack_count(h))]

        return self._use(read)

    def build_pack(self, folder: PathLike, out_path: PathLike) -> str:
        """Loads the pack folder into this engine, writes it as a reproducible
        .tar.gz archive to out_path and returns the archive's SHA-256."""
        out = ctypes.c_void_p()
        self._call(lambda h: self._lib.policy_pack_build(ctypes.byref(out), h, cpath(folder),
                                                         cpath(out_path)))
        assert out.value is not None  # written on success
        try:
            return ctypes.string_at(out.value).decode()
        finally:
            self._lib.policy_free(out)

    # ---- testing rules --------------------------------------------------

    @property
    def coverage(self) -> bool:
        """Whether line coverage is counted (set it; needs Isolation.NONE)."""
        return self._coverage

    @coverage.setter
    def coverage(self, on: bool) -> None:
        self._call(lambda h: self._lib.policy_engine_set_coverage(h, 1 if on else 0))
        self._coverage = bool(on)

    def rule_coverage(self, id_or_ref: str) -> Coverage:
        """A rule's lines that ran since coverage was turned on."""
        index = self._rule_index(id_or_ref)
        run, total = ctypes.c_size_t(), ctypes.c_size_t()
        missed = ctypes.c_char_p()

        def read(h: int) -> Coverage:
            status = self._lib.policy_engine_rule_coverage(
                ctypes.byref(run), ctypes.byref(total), ctypes.byref(missed), h, index)
            if status != 0:
                raise self._error(h, status)
            return Coverage(run.value, total.value, text(missed.value) or "")

        return self._use(read)

    def rule_subjects(self, id_or_ref: str) -> int:
        """How many subjects check() has run the rule on with this engine (0 after
        checks: it matched nothing, often a wrong applies_to)."""
        index = self._rule_index(id_or_ref)
        out = ctypes.c_uint64()
        self._call(lambda h: self._lib.policy_engine_rule_subjects(ctypes.byref(out), h, index))
        return int(out.value)

    def eval(self, document: "Document", expr: str, pack: Optional[str] = None,
             positions: bool = True) -> Any:
        """Evaluates a Lua expression in the rules' sandbox over the document
        (globals document, image, container, request, vulnerability; `pack`'s
        require) and returns its result as Python values."""
        raw_expr = cstr(expr, "an expression")
        raw_pack = None if pack is None else cstr(pack, "a pack name")
        flags = 0 if positions else JSON_NO_POSITIONS

        def run(h: int) -> bytes:
            status, raw = document._use(lambda d: _capi.owned_text(
                self._lib.policy_engine_eval, h, d, raw_pack, raw_expr, flags))
            if status != 0:
                raise self._error(h, status)
            return raw

        return json.loads(self._use(run))

    def load_baseline(self, path: PathLike) -> Baseline:
        """Reads a baseline file (Report.write("baseline"))."""
        out = ctypes.c_void_p()
        self._call(lambda h: self._lib.policy_baseline_load(ctypes.byref(out), h, cpath(path)))
        assert out.value is not None  # written on success
        return Baseline(out.value)

    # ---- parsing ----------------------------------------------------------

    def _document(self, call: Callable[[Any, int], int]) -> Document:
        out = ctypes.c_void_p()
        self._call(lambda h: call(ctypes.byref(out), h))
        assert out.value is not None  # written on success
        return Document(out.value)

    def parse(self, data: Union[bytes, str], kind: Union[Kind, str, int] = Kind.AUTO,
              path: Optional[PathLike] = None) -> Document:
        """Parses an input held in memory. `path` names it (and decides an AUTO
        kind by its name); a Compose file reads the files it names relative
        to path's folder, unless host_access forbids it."""
        raw = data.encode() if isinstance(data, str) else bytes(data)
        name = None if path is None else cpath(path)
        k = Kind.of(kind)
        return self._document(lambda out, h: self._lib.policy_parse_buffer(
            out, h, name, raw, len(raw), k))

    def parse_file(self, path: PathLike, kind: Union[Kind, str, int] = Kind.AUTO) -> Document:
        """Reads and parses a regular file (never more than Limit.INPUT_BYTES)."""
        k = Kind.of(kind)
        return self._document(lambda out, h: self._lib.policy_parse_file(out, h, cpath(path), k))

    def parse_fd(self, fd: int, path: Optional[PathLike] = None,
                 kind: Union[Kind, str, int] = Kind.AUTO) -> Document:
        """Reads an open descriptor (a pipe, a file) to its end, then parses it."""
        name = None if path is None else cpath(path)
        k = Kind.of(kind)
        return self._document(lambda out, h: self._lib.policy_parse_fd(out, h, name, fd, k))

    def parse_compose(self, *paths: PathLike) -> Document:
        """A Compose project of several files, merged in order (`docker compose -f ...`)."""
        if not paths:
            raise InvalidArgumentError("parse_compose needs at least one path")
        array = (ctypes.c_char_p * len(paths))(*(cpath(p) for p in paths))
        return self._document(lambda out, h: self._lib.policy_parse_compose(
            out, h, array, len(paths)))

    def parse_argv(self, argv: Iterable[Union[str, bytes]],
                   path: Optional[PathLike] = None) -> Document:
        """A `docker run` or `docker create` command line, argv[0] being "docker":
        a document of kind RUN holding the container it would create. What
        docker would refuse is an error of the document; `path` names it."""
        args = [cstr(a, "an argument") for a in argv]
        array = (ctypes.c_char_p * max(len(args), 1))(*args)
        name = None if path is None else cpath(path)
        return self._document(lambda out, h: self._lib.policy_parse_argv(
            out, h, name, len(args), array))

    # ---- checking ---------------------------------------------------------

    def check(self, document: Document, report: Optional[Report] = None,
              timeout: Optional[float] = None) -> Report:
        """Runs every loaded rule over the document into `report` (a new one by
        default) and returns it. With `timeout` (seconds), or when another
        thread calls cancel(), the check stops early and CancelledError
        carries the report so far."""
        result = report if report is not None else Report()

        def run(h: int) -> int:
            self._cancel_flag.value = 0
            timer = threading.Timer(timeout, self.cancel) if timeout is not None else None
            if timer:
                timer.daemon = True
                timer.start()
            try:
                return int(result._use(lambda r: document._use(
                    lambda d: self._lib.policy_check(r, h, d)), changes=True))
            finally:
                if timer:
                    timer.cancel()

        def checked(h: int) -> None:
            status = run(h)
            if status == STATUS_CANCELLED:
                raise CancelledError(text(self._lib.policy_engine_errmsg(h)) or "cancelled",
                                     status, report=result)
            if status != 0:
                raise self._error(h, status)

        self._use(checked)
        return result

    def cancel(self) -> None:
        """Stops the check this engine is running, from any thread (the check
        raises CancelledError). Does nothing when no check runs."""
        self._cancel_flag.value = 1

    # ---- decisions --------------------------------------------------------

    def decide(self, document: Document) -> Decision:
        """Runs the rules over the document as check() does and decides: allow,
        or deny with the entries that decided. Fails closed (input errors,
        failed rules, no rule at all deny). An error raised here means no
        decision: a gate must deny."""

        def run(h: int) -> Decision:
            status, decision = document._use(lambda d: decide(h, d))
            if status != 0:
                raise self._error(h, status)
            assert decision is not None
            return decision

        return self._use(run)

    @property
    def deny_on(self) -> Severity:
        """Findings at or above it are enforced unless their rule has its own
        action (Severity.HIGH unless set)."""
        return Severity(self._use(self._lib.policy_engine_deny_on))

    @deny_on.setter
    def deny_on(self, severity: Union[Severity, int, str]) -> None:
        value = Severity.of(severity)
        self._call(lambda h: self._lib.policy_engine_set_deny_on(h, int(value)))

    def set_rule_action(self, id_or_ref: str, action: Union[Action, int, str]) -> None:
        """The action of every rule `id_or_ref` names, loaded before or after."""
        value = Action.of(action)
        raw = cstr(id_or_ref, "a rule id")
        self._call(lambda h: self._lib.policy_engine_set_rule_action(h, raw, int(value)))

    @property
    def admission_mode(self) -> Action:
        """ENFORCE (actions as set), WARN (nothing denies) or AUDIT (a dry run)."""
        return Action(self._use(self._lib.policy_engine_admission_mode))

    @admission_mode.setter
    def admission_mode(self, mode: Union[Action, int, str]) -> None:
        value = Action.of(mode)
        self._call(lambda h: self._lib.policy_engine_set_admission_mode(h, int(value)))

    def __repr__(self) -> str:
        if self._handle is None:
            return "<libpolicy.Engine closed>"
        return f"<libpolicy.Engine {self._use(self._lib.policy_engine_rule_count)} rules>"


def check(*paths: PathLike, kind: Union[Kind, str, int] = Kind.AUTO, **options: Any) -> Report:
    """Checks files with a new Engine(**options) and returns one report.

    A file that cannot be read or parsed becomes an error of the report (as
    `policy check` does); the other files are still checked.
    """
    with Engine(**options) as engine:
        report = Report()
        for path in paths:
            try:
                document = engine.parse_file(path, kind=kind)
            except (InvalidArgumentError, MemoryError):
                raise
            except PolicyError as e:
                report.add_error(path, e.message)
                continue
            with document:
                engine.check(document, report=report)
        return report


def builtin_packs() -> List[str]:
    """The names of the packs compiled into the library ("builtin" first)."""
    lib = _capi.lib()
    names: List[str] = []
    while True:
        raw = lib.policy_builtin_pack_name(len(names))
        if raw is None:
            return names
        names.append(raw.decode())


def version() -> str:
    """The library's version, e.g. "0.1.0"."""
    return _capi.lib().policy_version_string().decode()


def version_number() -> int:
    """The library's version as MMmmpp."""
    return int(_capi.lib().policy_version_number())


def abi_version() -> int:
    """The SONAME major of the library (1)."""
    return int(_capi.lib().policy_abi_version())


def escape_text(value: str, keep_newlines: bool = False) -> str:
    """Text made safe for a terminal or a line-based log (policy_escape_text)."""
    flags = ESCAPE_KEEP_NEWLINES if keep_newlines else 0
    status, raw = _capi.owned_text(_capi.lib().policy_escape_text, cstr(value), flags)
    if status != 0:
        raise error_for(status)
    return raw.decode()

