"""The step's own tests (tests/ beside the package) pass on PostgreSQL too: TEST_DATABASE_URL names an empty
database of the tests' server, and the same tests that run on SQLite by default run there."""
import os
import subprocess

import pytest

from support import expects
from support.servers import python

pytestmark = [pytest.mark.concept("DATABASE_URL: SQLite or PostgreSQL", "database-url", zh="DATABASE_URL：SQLite 或 PostgreSQL"),
              pytest.mark.later]

# The step's own tests run twice: on SQLite (tests/08_package/test_your_tests.py) and on an empty PostgreSQL database.
expects.file("tests/conftest.py", "TEST_DATABASE_URL")
expects.command("TEST_DATABASE_URL=postgresql+psycopg://USER:PASSWORD@localhost/NAME python -m pytest tests")


def test_the_steps_own_tests_pass_on_postgresql(app_dir, postgres, tmp_path):
    if not (app_dir / "tests").is_dir():
        pytest.fail("Write the step's own tests in tests/ beside the package (conftest.py and test_*.py).")
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", TEST_DATABASE_URL=postgres.url(postgres.create_database()))
    env.pop("DATABASE_URL", None)
    result = subprocess.run([python(), "-m", "pytest", "tests", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
                             "--basetemp", str(tmp_path / "pytest"), "--tb=short"],
                            cwd=app_dir, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert " passed" in result.stdout.splitlines()[-1]
