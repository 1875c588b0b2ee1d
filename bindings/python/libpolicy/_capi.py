"""The C functions of policy.h as ctypes calls them, and loading libpolicy.so.1.

FUNCTIONS lists every function of the C library this package calls, one
line each: name, result type, argument types. A new function of policy.h
reaches Python by one line here (then a method that calls it);
tests/bindings/coverage.py fails, naming the function, when
libpolicy.so.1 exports one that is not listed.

Handles (policy_engine *, ...) are opaque void pointers. Strings the
library lends are read as bytes at once (c_char_p); strings it hands over
("owned, free with policy_free") arrive as void pointers, are copied and
freed (owned_text). Every call releases the GIL (ctypes.CDLL), so engines
on several Python threads run in parallel.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
import threading
from ctypes import (
    POINTER,
    c_char_p,
    c_int,
    c_int64,
    c_size_t,
    c_uint,
    c_uint32,
    c_uint64,
    c_void_p,
)
from typing import Any, Dict, Optional, Tuple

handle = c_void_p
out_handle = POINTER(c_void_p)
out_text = POINTER(c_void_p)  # char **: owned, released with policy_free
out_size = POINTER(c_size_t)
out_u32 = POINTER(c_uint32)
# policy_write_fn: (ctx, data, len) -> 0 to go on, nonzero to stop
WRITE_FN = ctypes.CFUNCTYPE(c_int, c_void_p, POINTER(ctypes.c_char), c_size_t)
out_text_lent = POINTER(c_char_p)  # const char **: lent by the library

# name: (result type, (argument types...)), in the order of policy.h.
FUNCTIONS: Dict[str, Tuple[Any, Tuple[Any, ...]]] = {
    "policy_strerror": (c_char_p, (c_int,)),
    "policy_version_number": (c_uint32, ()),
    "policy_version_string": (c_char_p, ()),
    "policy_abi_version": (c_int, ()),
    "policy_free": (None, (c_void_p,)),
    "policy_engine_new": (c_int, (out_handle,)),
    "policy_engine_free": (None, (handle,)),
    "policy_engine_errmsg": (c_char_p, (handle,)),
    "policy_engine_set_isolation": (c_int, (handle, c_int)),
    "policy_engine_isolation": (c_int, (handle,)),
    "policy_engine_set_limit": (c_int, (handle, c_int, c_uint64)),
    "policy_engine_get_limit": (c_int, (POINTER(c_uint64), handle, c_int)),
    "policy_engine_set_build_arg": (c_int, (handle, c_char_p, c_char_p)),
    "policy_engine_set_target": (c_int, (handle, c_char_p)),
    "policy_parse_buffer": (c_int, (out_handle, handle, c_char_p, c_char_p, c_size_t, c_int)),
    "policy_parse_file": (c_int, (out_handle, handle, c_char_p, c_int)),
    "policy_parse_fd": (c_int, (out_handle, handle, c_char_p, c_int, c_int)),
    "policy_parse_compose": (c_int, (out_handle, handle, POINTER(c_char_p), c_size_t)),
    "policy_engine_set_env_file": (c_int, (handle, c_char_p)),
    "policy_engine_set_host_access": (c_int, (handle, c_uint)),
    "policy_engine_host_access": (c_uint, (handle,)),
    "policy_document_free": (None, (handle,)),
    "policy_document_link_scan": (c_int, (out_size, handle, handle)),
    "policy_document_kind": (c_int, (handle,)),
    "policy_document_path": (c_char_p, (handle,)),
    "policy_document_error_count": (c_size_t, (handle,)),
    "policy_document_warning_count": (c_size_t, (handle,)),
    "policy_document_error": (c_int, (out_text_lent, out_u32, out_u32, handle, c_size_t)),
    "policy_document_warning": (c_int, (out_text_lent, out_u32, out_u32, handle, c_size_t)),
    "policy_document_file_count": (c_size_t, (handle,)),
    "policy_document_file": (c_char_p, (handle, c_size_t)),
    "policy_document_to_json": (c_int, (out_text, out_size, handle, c_uint32)),
    "policy_severity_name": (c_char_p, (c_int,)),
    "policy_severity_from_name": (c_int, (c_char_p,)),
    "policy_engine_load_builtin": (c_int, (handle,)),
    "policy_engine_load_rules": (c_int, (handle, c_char_p)),
    "policy_engine_load_rule_buffer": (c_int, (handle, c_char_p, c_char_p, c_size_t)),
    "policy_engine_load_data": (c_int, (handle, c_char_p)),
    "policy_engine_load_data_buffer": (c_int, (handle, c_char_p, c_char_p, c_size_t)),
    "policy_engine_ignore": (c_int, (handle, c_char_p)),
    "policy_engine_set_profile": (c_int, (handle, c_char_p)),
    "policy_engine_profile": (c_char_p, (handle,)),
    "policy_engine_rule_count": (c_size_t, (handle,)),
    "policy_engine_rule_string": (c_char_p, (handle, c_size_t, c_int)),
    "policy_engine_rule_ref": (c_char_p, (handle, c_size_t, c_char_p)),
    "policy_engine_rules_to_json": (c_int, (out_text, out_size, handle, c_uint32)),
    "policy_engine_load_config": (c_int, (handle, c_char_p)),
    "policy_engine_load_config_buffer": (c_int, (handle, c_char_p, c_char_p, c_size_t)),
    "policy_engine_config_fail_on": (c_int, (handle,)),
    "policy_engine_config_builtin": (c_int, (handle,)),
    "policy_engine_config_exclude": (c_char_p, (handle, c_size_t)),
    "policy_engine_config_pack": (c_char_p, (handle, c_size_t)),
    "policy_engine_check_config": (c_size_t, (handle,)),
    "policy_engine_rule_find": (c_int, (out_size, handle, c_char_p)),
    "policy_engine_warnings": (c_char_p, (handle,)),
    "policy_report_new": (c_int, (out_handle,)),
    "policy_report_free": (None, (handle,)),
    "policy_check": (c_int, (handle, handle, handle)),
    "policy_engine_set_cancel": (c_int, (handle, POINTER(c_int))),
    "policy_report_merge": (c_int, (handle, handle)),
    "policy_report_add_error": (c_int, (handle, c_char_p, c_uint32, c_uint32, c_char_p)),
    "policy_report_count": (c_size_t, (handle, c_int)),
    "policy_report_file_count": (c_size_t, (handle,)),
    "policy_report_get_string": (c_char_p, (handle, c_int, c_size_t, c_int)),
    "policy_report_get_number": (c_int64, (handle, c_int, c_size_t, c_int)),
    "policy_report_get_ref": (c_char_p, (handle, c_int, c_size_t, c_char_p)),
    "policy_report_count_at_least": (c_size_t, (handle, c_int)),
    "policy_report_to_json": (c_int, (out_text, out_size, handle, c_uint32)),
    "policy_report_to_text": (c_int, (out_text, out_size, handle, c_uint32)),
    "policy_format_from_name": (c_int, (c_char_p,)),
    "policy_report_write": (c_int, (out_text, out_size, handle, handle, c_int, c_uint32)),
    "policy_report_write_cb": (c_int, (handle, handle, c_int, c_uint32, WRITE_FN, c_void_p)),
    "policy_escape_text": (c_int, (out_text, out_size, c_char_p, c_uint32)),
    "policy_baseline_load": (c_int, (out_handle, handle, c_char_p)),
    "policy_baseline_free": (None, (handle,)),
    "policy_baseline_count": (c_size_t, (handle,)),
    "policy_report_apply_baseline": (c_int, (handle, handle)),
    "policy_parse_argv": (c_int, (out_handle, handle, c_char_p, c_size_t, POINTER(c_char_p))),
    "policy_document_count": (c_size_t, (handle, c_char_p)),
    "policy_document_request_string": (c_char_p, (handle, c_size_t, c_char_p)),
    "policy_engine_load_pack_path": (c_int, (handle, c_char_p, c_char_p)),
    "policy_engine_load_builtin_pack": (c_int, (handle, c_char_p)),
    "policy_builtin_pack_name": (c_char_p, (c_size_t,)),
    "policy_engine_pack_count": (c_size_t, (handle,)),
    "policy_engine_pack_string": (c_char_p, (handle, c_size_t, c_int)),
    "policy_engine_rule_pack": (c_char_p, (handle, c_size_t)),
    "policy_pack_build": (c_int, (out_text, handle, c_char_p, c_char_p)),
    "policy_engine_set_coverage": (c_int, (handle, c_int)),
    "policy_engine_rule_coverage": (c_int, (out_size, out_size, out_text_lent, handle, c_size_t)),
    "policy_engine_rule_subjects": (c_int, (POINTER(c_uint64), handle, c_size_t)),
    "policy_engine_rule_ignored": (c_int, (handle, c_size_t)),
    "policy_engine_eval": (c_int, (out_text, out_size, handle, handle, c_char_p, c_char_p,
                                   c_uint32)),
    "policy_action_name": (c_char_p, (c_int,)),
    "policy_action_from_name": (c_int, (c_char_p,)),
    "policy_engine_set_deny_on": (c_int, (handle, c_int)),
    "policy_engine_deny_on": (c_int, (handle,)),
    "policy_engine_set_rule_action": (c_int, (handle, c_char_p, c_int)),
    "policy_engine_set_admission_mode": (c_int, (handle, c_int)),
    "policy_engine_admission_mode": (c_int, (handle,)),
    "policy_decide": (c_int, (out_handle, handle, handle)),
    "policy_decision_free": (None, (handle,)),
    "policy_decision_allowed": (c_int, (handle,)),
    "policy_decision_reason": (c_char_p, (handle,)),
    "policy_decision_count": (c_size_t, (handle, c_int)),
    "policy_decision_get_string": (c_char_p, (handle, c_int, c_size_t, c_int)),
    "policy_decision_get_number": (c_int64, (handle, c_int, c_size_t, c_int)),
    "policy_decision_report": (handle, (handle,)),
    "policy_decision_to_json": (c_int, (out_text, out_size, handle, c_uint32)),
}

# Where the library is looked for: $LIBPOLICY_LIBRARY (a path: the tests
# point it at the build tree), then the system's loader by SONAME.
ENVIRONMENT_VARIABLE = "LIBPOLICY_LIBRARY"
SONAMES = ("libpolicy.1.dylib",) if sys.platform == "darwin" else ("libpolicy.so.1",)


class LibraryError(OSError):
    """libpolicy.so.1 cannot be loaded, or lacks a function this package needs."""


_lib: Optional[ctypes.CDLL] = None
_lock = threading.Lock()


def _open() -> ctypes.CDLL:
    path = os.environ.get(ENVIRONMENT_VARIABLE)
    if path:
        try:
            return ctypes.CDLL(path)
        except OSError as e:
            raise LibraryError(f"{ENVIRONMENT_VARIABLE}={path}: {e}") from None
    tried = []
    for name in SONAMES + tuple(filter(None, [ctypes.util.find_library("policy")])):
        try:
            return ctypes.CDLL(name)
        except OSError as e:
            tried.append(str(e))
    raise LibraryError(
        "libpolicy.so.1 is not installed where the dynamic loader looks "
        f"(install libpolicy, or set {ENVIRONMENT_VARIABLE} to its path): " + "; ".join(tried)
    )


def lib() -> ctypes.CDLL:
    """The loaded library with every function of FUNCTIONS typed (loaded once)."""
    global _lib
    with _lock:
        if _lib is None:
            handle_ = _open()
            missing = [name for name in FUNCTIONS if not hasattr(handle_, name)]
            if missing:
                raise LibraryError(
                    f"{handle_._name} lacks {', '.join(missing)}: this package needs "
                    "libpolicy 0.1 with the LIBPOLICY_1.4 interface or later"
                )
            for name, (restype, argtypes) in FUNCTIONS.items():
                fn = getattr(handle_, name)
                fn.restype = restype
                fn.argtypes = argtypes
            if handle_.policy_abi_version() != 1:
                raise LibraryError(f"{handle_._name}: ABI {handle_.policy_abi_version()}, not 1")
            _lib = handle_
        return _lib


def owned_text(call: Any, *args: Any) -> Tuple[int, bytes]:
    """Calls a function whose first two arguments are (char **out, size_t *len)
    and returns (status, the text as bytes); the text is freed."""
    out = c_void_p()
    size = c_size_t()
    status = call(ctypes.byref(out), ctypes.byref(size), *args)
    if status != 0:
        return status, b""
    try:
        return status, ctypes.string_at(out.value, size.value) if out.value else b""
    finally:
        lib().policy_free(out)
