"""Exceptions: one class per status of policy.h, each carrying the engine's message."""

from __future__ import annotations

from typing import Dict, Optional, Tuple, Type

from . import _capi

OK = 0


class PolicyError(Exception):
    """A call of libpolicy failed.

    ``status`` is the C status (a negative ``POLICY_ERR_*`` value),
    ``reason`` its fixed text (policy_strerror) and ``message`` the detail
    the engine gave (policy_engine_errmsg), or the reason when there is none.
    """

    status: int = -99

    def __init__(self, message: str, status: Optional[int] = None) -> None:
        if status is not None:
            self.status = status
        self.message = message
        super().__init__(message)

    @property
    def reason(self) -> str:
        text: bytes = _capi.lib().policy_strerror(self.status)
        return text.decode()


class NoMemoryError(PolicyError, MemoryError):
    """POLICY_ERR_NOMEM: an allocation failed."""

    status = -1


class InvalidArgumentError(PolicyError, ValueError):
    """POLICY_ERR_INVALID: a bad argument (also: a closed engine, document or report)."""

    status = -2


class ReadError(PolicyError):
    """POLICY_ERR_IO: a file could not be opened or read."""

    status = -3


class LimitError(PolicyError):
    """POLICY_ERR_LIMIT: the input exceeds a limit (see Limit)."""

    status = -4


class UnsupportedError(PolicyError):
    """POLICY_ERR_UNSUPPORTED: an input kind that is not known or not supported."""

    status = -5


class ParseError(PolicyError):
    """POLICY_ERR_PARSE: a rule, data document or configuration is invalid.

    An input's own problems (a Dockerfile with a syntax error) are no
    exception: they are in the document's errors and warnings.
    """

    status = -6


class CancelledError(PolicyError):
    """POLICY_ERR_CANCELLED: Engine.cancel() (or a timeout) stopped a check.

    ``report`` holds what the rules that ran found, and an error entry
    saying the check was cancelled.
    """

    status = -7

    def __init__(self, message: str, status: Optional[int] = None, report: object = None) -> None:
        super().__init__(message, status)
        self.report = report


_CLASSES: Tuple[Type[PolicyError], ...] = (
    NoMemoryError,
    InvalidArgumentError,
    ReadError,
    LimitError,
    UnsupportedError,
    ParseError,
    CancelledError,
)
_BY_STATUS: Dict[int, Type[PolicyError]] = {cls.status: cls for cls in _CLASSES}


def error_for(status: int, message: str = "") -> PolicyError:
    """The exception for a status, with the message (or the status's text)."""
    cls = _BY_STATUS.get(status, PolicyError)
    if not message:
        message = _capi.lib().policy_strerror(status).decode()
    return cls(message, status)
