"""Step 03: every page, the task pages included, is valid HTML5 and links only to routes (Pitfall 10)."""
import pytest

from support.shared_tests import *  # noqa: F401,F403  (the tests every step passes, run in this suite)

from support import expects, parse

pytestmark = pytest.mark.concept("every page links only to routes of this step", "pages-and-links",
                                 zh="每个页面只链接到这一步已有的路由")


@pytest.fixture
def crawl_start(app_module):
    """Start at the home page and at every task of the in-memory list, so each task page is checked."""
    return ["/", "/tasks"] + [f"/tasks/{task['id']}" for task in getattr(app_module, "TASKS", [])]


expects.route("GET /", "GET /docs", "GET /healthz")


def test_the_docs_link_to_a_health_check_that_answers_ok(client):
    docs = parse(client.get("/docs").get_data(as_text=True))
    assert "/healthz" in [link["href"] for link in docs.find_all("a")]
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == expects.json({"status": "ok"})
