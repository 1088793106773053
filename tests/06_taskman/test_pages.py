"""Step 06: every page, with done and pending tasks, is valid and links only to routes of the step."""
import pytest

from support import expects
from support.shared_tests import *  # noqa: F401,F403  (the tests every step passes, run in this suite)

pytestmark = pytest.mark.concept("every page links only to routes of this step", "pages-and-links",
                                 zh="每个页面只链接到这一步已有的路由")

expects.route("GET /", "GET /docs", "GET /tasks/<int:task_id>")  # reached by the crawl, from the home page's links


@pytest.fixture
def crawl_start(tasks):
    """Store three tasks and mark one done, so every button (toggle, delete, remove done) is on the pages."""
    first, _, _ = tasks.add_all("Learn Flask", "Write <b>tests</b> for Flask", "Deploy it")
    assert tasks.toggle(first).status_code == 302
    return ["/", "/tasks", "/search?q=flask"]


def test_the_crawl_reaches_every_task_page_and_the_json_list(client, crawl_start, tasks):
    """The dashboard links to each task's page; the docs link to /api/tasks; each of them opens."""
    ids = [row["id"] for row in tasks.rows()]
    assert sorted(tasks.ids_shown("/tasks")) == ids
    for task_id in ids:
        assert client.get(f"/tasks/{task_id}").status_code == 200
    assert "/api/tasks" in tasks.page("/docs")
