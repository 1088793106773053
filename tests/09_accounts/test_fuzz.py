"""Hostile requests to every route of this step, signed in (Hypothesis): never a 5xx, every error in the layout,
nothing stored wrongly; and two people's operations interleaved, each seeing and changing only their own tasks."""
from support.fuzz import *  # noqa: F401,F403  (the fuzzer every step from 02 on runs)
from support.fuzz import test_two_users_interleaved_never_meet  # noqa: F401  (step 09 on: accounts)
