"""Step 05: every page, with tasks in the database, is valid and links only to routes of the step."""
import pytest

from support.shared_tests import *  # noqa: F401,F403  (the tests every step passes, run in this suite)
from support import expects

pytestmark = pytest.mark.concept("every page links only to routes of this step", "pages-and-links",
                                 zh="每个页面只链接到这一步已有的路由")

expects.route("GET /", "GET /docs")  # reached by the crawl, from the home page's links


@pytest.fixture
def crawl_start(tasks):
    """Store two tasks through the form, so the dashboard, search and task pages have something to show."""
    for summary in ("Learn Flask", "Write <b>tests</b> for Flask"):
        assert tasks.add(summary).status_code == 302
    return ["/", "/tasks", "/search?q=flask"]


def test_the_crawl_reaches_every_task_page(client, crawl_start, tasks):
    """The dashboard links to each stored task's own page, and each of those opens."""
    ids = [row["id"] for row in tasks.rows()]
    assert sorted(tasks.ids_shown("/tasks")) == ids
    for task_id in ids:
        assert client.get(f"/tasks/{task_id}").status_code == 200
