"""Fixtures for step 07: import the app afresh with the environment a new process would have."""
import pytest

from support import Forms, TaskActions, load_app_module, parse


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


@pytest.fixture
def fresh_tasks(fresh_import):
    """Load the app afresh with these environment variables, as a new gunicorn would, in testing mode;
    return its TaskActions, to use it through its forms."""

    def start(folder=None, **environment):
        app = fresh_import(folder, **environment).app
        app.config.update(TESTING=True)
        client = app.test_client()
        return TaskActions(app, client, Forms(client))

    return start


@pytest.fixture
def paragraphs():
    """The text of each paragraph of a response's page: abort(404, "There is no task #9.") gives its
    reason as a paragraph of the error page, so `"There is no task #9." in paragraphs(response)`."""

    def read(response):
        return [p.get_text(" ", strip=True) for p in parse(response.get_data(as_text=True)).find_all("p")]

    return read
