"""pytest options of the test suite.

``--long`` (or the environment variable ``IMAGESIM_LONG=1``) runs the fuzz and property tests
(tests/test_fuzz.py, tests/test_properties.py) with well over 100,000 inputs instead of the few
hundred a normal run tries in seconds.
"""

from __future__ import annotations

import os

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--long", action="store_true", default=False,
                     help="run the fuzz and property tests long (>= 100,000 inputs); same as IMAGESIM_LONG=1")


@pytest.fixture(scope="session")
def long_run(request: pytest.FixtureRequest) -> bool:
    """True when the fuzz and property tests should run long."""
    return bool(request.config.getoption("--long")) or os.environ.get("IMAGESIM_LONG", "0") not in ("", "0")
