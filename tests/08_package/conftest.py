"""Fixtures for step 08: step 07's (an app made afresh with the environment a new process would have)."""
from support.reuse import reused

globals().update(reused("07_deploy", "conftest"))
