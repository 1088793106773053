"""Helpers shared by every step's suite: loading a step's app, submitting forms, checking pages."""
from tools.steps import ROOT, STEPS, endpoint, load_app_module, module_defining, step_title
from .forms import Forms
from .pages import assert_valid_page, crawl, expect_page, links_of, parse, visible_text
from .tasks import TaskActions
from .tools import require_program
# Not `from . import fuzz`: Hypothesis is imported by the fuzz tests alone (tests/conftest.py registers its
# "thorough" profile when --hypothesis-profile asks for it), so a suite without them starts sooner.

__all__ = [
    "ROOT", "STEPS", "endpoint", "load_app_module", "module_defining", "step_title", "Forms",
    "assert_valid_page", "crawl", "expect_page", "links_of", "parse", "require_program", "visible_text",
    "TaskActions",
]
