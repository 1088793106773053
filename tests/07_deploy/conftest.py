"""Fixtures for step 07: import the app afresh with the environment a new process would have."""
import pytest

from support import load_app_module


@pytest.fixture
def fresh_import(app_dir, app_env, monkeypatch):
    """Import the step's app.py (or a copy in `folder`) again with these environment variables
    (None removes one), as a new process would."""

    def load(folder=None, **environment):
        for name, value in environment.items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        return load_app_module(folder or app_dir)

    return load
