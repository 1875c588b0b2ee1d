"""Test set-up: the package and the library from this checkout.

Unless LIBPOLICY_TEST_INSTALLED=1 (tests/bindings/python.sh sets it to
test the package pip installed into a venv), the package is imported from
bindings/python. The library is $LIBPOLICY_LIBRARY, else the build tree's
build/libpolicy/libpolicy.so.1 (tests/setup.sh builds it).
"""

import os
import sys
from pathlib import Path

import pytest

BINDING = Path(__file__).resolve().parent.parent
REPO = BINDING.parent.parent

if os.environ.get("LIBPOLICY_TEST_INSTALLED") != "1":
    sys.path.insert(0, str(BINDING))
if not os.environ.get("LIBPOLICY_LIBRARY"):
    built = REPO / "build" / "libpolicy" / "libpolicy.so.1"
    if built.exists():
        os.environ["LIBPOLICY_LIBRARY"] = str(built)

import libpolicy  # noqa: E402


@pytest.fixture
def engine():
    with libpolicy.Engine() as e:
        yield e


@pytest.fixture
def examples() -> Path:
    return REPO / "examples"


@pytest.fixture
def corpus() -> Path:
    shared = Path(os.environ.get("POLICY_SHARED_DIR", REPO.parent / "shared")) / "corpus"
    if not shared.is_dir():
        pytest.skip(f"no corpus at {shared} (../shared is absent)")
    return shared


LOOP_RULE = """
return {
  id = 'test-loop', title = 'loops', severity = 'low', applies_to = 'document',
  description = 'd', remediation = 'r',
  check = function(doc) while true do end end,
}
"""

ROOT_DOCKERFILE = b"FROM alpine:3.20\nUSER root\n"
