"""Step 09's tests of this, run against step 10's app on SQLite: every page, with two pages of tasks (one with a
due date), is valid and links only to routes of the step; debug mode stays off; `flask run` finds the package."""
import pytest

from support import expects
from support.reuse import reused

globals().update(reused("09_accounts", "test_pages", keep_concepts=True))


expects.form("POST /tasks", "summary", "due", "csrf_token")


@pytest.fixture
def crawl_start(tasks):
    """Store 11 tasks through the form (step 09's wrote 10 straight into the database, and its triggers counted
    them: in step 10 the app keeps the counts), one of them with a due date, so the dashboard has a second page."""
    tasks.add_all(*[f"Task number {number}" for number in range(10)])
    assert tasks.forms.submit("/tasks", "/tasks", {"summary": "Write <b>tests</b> for Flask",
                                                   "due": "2026-12-31"}).status_code == 302
    return ["/", "/tasks", "/search?q=flask"]
