"""Fixtures for step 10: step 09's (people with accounts, their app on SQLite), and a throwaway PostgreSQL
server for the tests that need one (support/postgres.py: `postgres`, and `postgres_url`, a database per module)."""
from support.postgres import postgres, postgres_url  # noqa: F401
from support.reuse import reused

globals().update(reused("09_accounts", "conftest"))
