"""Step 07: every page, with two pages of tasks, is valid and links only to routes of the step."""
import pytest

from support import crawl, expects

from support.shared_tests import *  # noqa: F401,F403  (the tests every step passes, run in this suite)

pytestmark = pytest.mark.concept("every page links only to routes of this step", "pages-and-links",
                                 zh="每个页面只链接到这一步已有的路由")

expects.route("GET /", "GET /docs", "GET /tasks", "GET /tasks/<int:task_id>")  # reached by the crawl


@pytest.fixture
def crawl_start(tasks):
    """Store 11 tasks, one through the form, so the dashboard has a second page and every page has data."""
    tasks.insert_many(10, done_every=2)
    assert tasks.add("Write <b>tests</b> for Flask").status_code == 302
    return ["/", "/tasks", "/search?q=flask"]


def test_the_crawl_reaches_the_second_page_and_its_tasks(client, crawl_start, tasks):
    pages = crawl(client, crawl_start)
    assert "/tasks?page=2" in pages
    assert {f"/tasks/{row['id']}" for row in tasks.rows()} <= set(pages)
