"""Fixtures for the tests: a new app for each test,
with its own database in a temporary folder."""

import re

import pytest

from taskman import create_app


@pytest.fixture
def app(tmp_path):
    """A new app in testing mode, its database in this test's temporary folder."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "a-secret-for-the-tests-that-is-long-enough",
            "DATABASE": str(tmp_path / "tasks.db"),
        }
    )
    yield app


@pytest.fixture
def client(app):
    """A test client: it sends requests to the app without a server."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """Runs the app's commands (flask init-db, flask backup) without a shell."""
    return app.test_cli_runner()


class TaskActions:
    """What the tests do again and again: read a
    form's CSRF token, add a task, submit a button."""

    def __init__(self, client):
        self._client = client

    def token(self, path="/tasks"):
        """The CSRF token in the page's form, as a browser would send it back."""
        html = self._client.get(path).get_data(as_text=True)
        return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)

    def post(self, path, data=None):
        """Submit a form to path, with the CSRF token."""
        return self._client.post(
            path, data={"csrf_token": self.token(), **(data or {})}
        )

    def add(self, summary):
        """Add a task through the dashboard's form."""
        return self.post("/tasks", {"summary": summary})


@pytest.fixture
def tasks(client):
    return TaskActions(client)
