"""Hostile requests to every route of this step, signed in (Hypothesis): never a 5xx, every error in the layout,
nothing stored wrongly; and two people's operations interleaved, each seeing and changing only their own tasks.
On SQLite, in-process, as in step 09; the model knows that this step refuses NUL (PostgreSQL's text cannot hold it)."""
import pytest

from support.fuzz import *  # noqa: F401,F403  (the fuzzer every step from 02 on runs)
from support.fuzz import test_two_users_interleaved_never_meet  # noqa: F401  (step 09 on: accounts)


@pytest.fixture
def refused_characters():
    """A form field or query string holding NUL is refused with 400, and nothing is stored: the same app must run
    on PostgreSQL, whose text cannot hold it (SQLite's can)."""
    return "\0"
