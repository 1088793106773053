"""The course's machinery, shared by the tests and the site's build hook.

steps.py     find the steps and load a step's app.py as a fresh module
forms.py     submit a page's forms the way a browser does (CSRF token included)
site.py      the mkdocs hook that fills the course pages with code, diffs and HTTP exchanges
mutation.py  the mutation score of each step's suite (mutmut)
pythons.py   the Python interpreters on this machine, by version (CI's runs under the oldest and newest)
"""
import os


def in_ci():
    """Whether this is CI's run (CI=true, 1 or yes): what a test needs must be there, so a missing program fails."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")
