"""Exceptions: a class per status, the engine's message, the library's reason."""

import pytest

import libpolicy
from libpolicy.errors import error_for


@pytest.mark.parametrize("status, cls, base", [
    (-1, libpolicy.NoMemoryError, MemoryError),
    (-2, libpolicy.InvalidArgumentError, ValueError),
    (-3, libpolicy.ReadError, libpolicy.PolicyError),
    (-4, libpolicy.LimitError, libpolicy.PolicyError),
    (-5, libpolicy.UnsupportedError, libpolicy.PolicyError),
    (-6, libpolicy.ParseError, libpolicy.PolicyError),
    (-7, libpolicy.CancelledError, libpolicy.PolicyError),
])
def test_a_class_per_status(status, cls, base):
    err = error_for(status, "detail")
    assert type(err) is cls
    assert isinstance(err, base) and isinstance(err, libpolicy.PolicyError)
    assert err.status == status and str(err) == "detail" and err.message == "detail"
    assert err.reason


def test_an_unknown_status_is_a_policy_error():
    err = error_for(-42)
    assert type(err) is libpolicy.PolicyError
    assert str(err) == "unknown status"


def test_the_message_is_the_engines(engine, tmp_path):
    with pytest.raises(libpolicy.ParseError) as err:
        engine.load_data_buffer("a: [1\n", "broken.yaml")
    assert err.value.message.startswith("broken.yaml:")
