"""Fixtures for step 09: step 07's (an app made afresh as a new process would), and people with accounts.

From step 09 on, the task manager's pages need an account: `client` is signed in (an account registered
through the real sign-up form, CSRF token included), so step 08's tests run here unchanged, for that person.
`anonymous` is a visitor without one; `users` makes more people, each with a client of their own.
"""
import pytest

from support import Forms
from support.accounts import Account
from support.reuse import reused

globals().update(reused("07_deploy", "conftest", leave_out={"fresh_tasks"}))

# The person the reused tests act as. (Step 04's sign-up tests register "ada", "Ada" and "grace".)
OWNER = "owner"
# A cheap hash for the tests' many sign-ups; tests/09_accounts/test_accounts.py checks the production default.
TEST_HASH = "pbkdf2:sha256:1000"
# The tests' sign-ups all come from the test client's address, 127.0.0.1, many more than 10 an hour (the step's
# SIGNUP_LIMIT): the limit is lifted for them; test_signup_limits.py puts it back and checks it.
TEST_SIGNUP_LIMIT = 100_000


@pytest.fixture
def app(app, tmp_path):
    """Step 07's app fixture, with a cheap password hash (PASSWORD_HASH_METHOD) so that sign-ups are quick, and
    no limit on sign-ups that a test could meet (SIGNUP_LIMIT)."""
    app.config["PASSWORD_HASH_METHOD"] = TEST_HASH
    app.config["SIGNUP_LIMIT"] = TEST_SIGNUP_LIMIT
    return app


@pytest.fixture
def anonymous(app):
    """A visitor without an account."""
    return app.test_client()


@pytest.fixture
def account(app):
    """The signed-in person of the reused tests: an Account (support/accounts.py)."""
    return Account(app, OWNER)


@pytest.fixture
def client(account):
    """A test client signed in as `account`."""
    return account.client


@pytest.fixture
def forms(client):
    """Submits the forms as `client`'s browser would (a module that overrides `client` gets its forms)."""
    return Forms(client)


@pytest.fixture
def tasks(account):
    """The signed-in person's tasks, through the forms; the rows read and written are theirs."""
    return account


@pytest.fixture
def users(app):
    """Make people with accounts: users("alice", "bob") gives two Accounts, each signed in in its own client."""

    def make(*names, **options):
        made = [Account(app, name, **options) for name in names]
        return made[0] if len(made) == 1 else made

    return make


@pytest.fixture
def fresh_tasks(fresh_import):
    """Load the app afresh with these environment variables, as a new gunicorn would, in testing mode, and sign
    in (registering the account the first time): the Account, to use it through its forms."""

    def start(folder=None, **environment):
        app = fresh_import(folder, **environment).app
        app.config.update(TESTING=True, PASSWORD_HASH_METHOD=TEST_HASH)
        return Account(app, OWNER)

    return start
