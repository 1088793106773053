"""Step 07: every page, with two pages of tasks, is valid and links only to routes of the step."""
import pytest

from support import crawl

from support.shared_tests import (  # noqa: F401  (imported so that they run in this suite)
    test_debug_is_off_and_not_switched_on_in_the_code,
    test_every_page_is_valid_html5_and_links_only_to_routes,
    test_flask_run_serves_the_home_page,
    test_python_app_py_serves_on_127_0_0_1_port_5000,
)

pytestmark = pytest.mark.concept("every page links only to routes of this step", "pages-and-links")


@pytest.fixture
def crawl_start(tasks):
    """Store 21 tasks, one through the form, so the dashboard has a second page and every page has data."""
    tasks.insert_many(20, done_every=2)
    assert tasks.add("Write <b>tests</b> for Flask").status_code == 302
    return ["/", "/tasks", "/search?q=flask"]


def test_the_crawl_reaches_the_second_page_and_its_tasks(client, crawl_start, tasks):
    pages = crawl(client, crawl_start)
    assert "/tasks?page=2" in pages
    assert {f"/tasks/{row['id']}" for row in tasks.rows()} <= set(pages)
