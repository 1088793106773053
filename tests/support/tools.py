"""Tests that need a real program (nginx, Chromium, Docker): skip on a student's laptop, never in CI."""
import shutil

import pytest

from tools import in_ci


def require_program(name, *candidates, why):
    """Return the path of the first program found; skip (locally) or fail (in CI) if there is none.

    CI sets CI=true and installs every program the tests need, so a missing one there is an error.
    """
    for candidate in (name, *candidates):
        found = shutil.which(candidate)
        if found:
            return found
    unavailable(f"{name} is not installed: {why}")


def unavailable(message):
    """Skip the test (locally) or fail it (in CI, which must provide what it needs) with this message."""
    if in_ci():
        pytest.fail(f"{message} (CI must provide it; see .ci/run)", pytrace=False)
    pytest.skip(message)
