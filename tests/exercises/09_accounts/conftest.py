"""Fixtures for the exercises of step 09: the course suite's (tests/09_accounts/conftest.py), so that `client`
is signed in, `anonymous` is a visitor and `users("ada", "grace")` makes people with accounts of their own."""
from support.reuse import reused

globals().update(reused("09_accounts", "conftest"))
