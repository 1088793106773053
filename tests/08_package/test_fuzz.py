"""Hostile requests to every route of this step (Hypothesis): never a 5xx, every error in the layout, nothing stored wrongly."""
from support.fuzz import *  # noqa: F401,F403  (the fuzzer every step from 02 on runs)
