"""Step 04: every page, sign-up and task pages included, is valid HTML5 and links only to routes (Pitfall 10)."""
import pytest

from support.shared_tests import *  # noqa: F401,F403  (the tests every step passes, run in this suite)

pytestmark = pytest.mark.concept("every page links only to routes of this step", "pages-and-links",
                                 zh="每个页面只链接到这一步已有的路由")


@pytest.fixture
def crawl_start(app_module):
    """Start at the home page, the two forms, and every task of the in-memory list."""
    tasks = [f"/tasks/{task['id']}" for task in getattr(app_module, "TASKS", [])]
    return ["/", "/signup", "/login", "/tasks"] + tasks
