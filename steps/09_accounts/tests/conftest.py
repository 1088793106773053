"""Fixtures for the tests: a new app for each test,
with its own database in a temporary folder."""

import re
from urllib.parse import quote

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
            # A cheap hash: scrypt's cost, on purpose,
            # would make every sign-up of the tests slow.
            # test_auth.py checks the real default on its own.
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )
    yield app


@pytest.fixture
def client(app):
    """A test client: it sends requests to the app without a server."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """Runs the app's commands (flask init-db, flask
    backup, flask create-user) without a shell."""
    return app.test_cli_runner()


class TaskActions:
    """What the tests do again and again: read a
    form's CSRF token, add a task, submit a button."""

    def __init__(self, client):
        self._client = client

    def token(self, path="/login"):
        """The CSRF token in the page's form, as a browser would send it back.

        The sign-in page has a form for every visitor,
        signed in or not; the token is the session's.
        """
        html = self._client.get(path).get_data(as_text=True)
        return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)

    def get(self, path):
        """Ask for a page, as this visitor."""
        return self._client.get(path)

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


class AuthActions:
    """Signing up, in and out, as Flask's
    tutorial does it: a user the tests can be."""

    def __init__(self, client):
        self._client = client
        self._forms = TaskActions(client)

    def signup(self, username="ada", password="correct horse", email=None):
        """Create an account through the sign-up form; that signs it in."""
        return self._forms.post(
            "/signup",
            {
                "username": username,
                "email": email or f"{username}@example.com",
                "password": password,
            },
        )

    def login(self, username="ada", password="correct horse", next_path=None):
        """Sign in through the sign-in form, with ?next= when given."""
        path = (
            "/login"
            if next_path is None
            else f"/login?next={quote(next_path, safe='')}"
        )
        return self._client.post(
            path,
            data={
                "csrf_token": self._forms.token(),
                "username": username,
                "password": password,
            },
        )

    def logout(self):
        """Sign out with the navigation's form."""
        return self._forms.post("/logout")


@pytest.fixture
def auth(client):
    """Sign up and sign in: auth.signup("ada"),
    auth.login("ada"), auth.logout()."""
    return AuthActions(client)


@pytest.fixture
def user(auth):
    """A signed-in user, ada, for the tests of the tasks."""
    auth.signup("ada")
    return "ada"


@pytest.fixture
def bob(app):
    """A second user, bob, signed in in another browser
    (a client of his own) at the same time as ada."""
    client = app.test_client()
    AuthActions(client).signup("bob")
    # The dashboard the sign-up redirects to, with its "Account created" message
    client.get("/tasks")
    return TaskActions(client)
