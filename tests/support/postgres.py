"""A throwaway PostgreSQL server for the tests (tools/postgres.py), one per test run, as pytest fixtures.

Without PostgreSQL the tests that need it skip, saying so; with CI=true they fail (require_program).

    from support.postgres import postgres, postgres_url  # noqa: F401  (in a conftest.py: the fixtures)

`postgres` is the server (once per session: tools/postgres.py's Cluster); `postgres_url` a fresh, empty
database for each test module, as the URL the app reads from DATABASE_URL:
postgresql+psycopg://taskman:PASSWORD@127.0.0.1:PORT/NAME.
"""
import pytest

from tools.postgres import CANDIDATES, Cluster, throwaway_cluster  # noqa: F401

from .tools import require_program

WHY_POSTGRES = ("the tests of step 10 run the app on a real PostgreSQL server, started for the tests "
                "(apt install postgresql, brew install postgresql)")


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL server for the whole test run, stopped and removed at its end."""
    initdb = require_program("initdb", *CANDIDATES, why=WHY_POSTGRES)
    try:
        with throwaway_cluster(initdb) as cluster:
            yield cluster
    except RuntimeError as error:
        pytest.fail(f"Could not start PostgreSQL for the tests: {error}", pytrace=False)


@pytest.fixture(scope="module")
def postgres_url(postgres):
    """A fresh, empty database for this test module: its URL, as DATABASE_URL would give it."""
    return postgres.url(postgres.create_database())
