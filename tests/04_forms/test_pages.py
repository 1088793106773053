"""Step 04: every page, sign-up and task pages included, is valid HTML5 and links only to routes (Pitfall 10)."""
import pytest

from support.shared_tests import (  # noqa: F401  (imported so that they run in this suite)
    test_debug_is_off_and_not_switched_on_in_the_code,
    test_every_page_is_valid_html5_and_links_only_to_routes,
    test_flask_run_serves_the_home_page,
    test_python_app_py_serves_on_127_0_0_1_port_5000,
)

pytestmark = pytest.mark.concept("every page links only to routes of this step", "pages-and-links")


@pytest.fixture
def crawl_start(app_module):
    """Start at the home page, the two forms, and every task of the in-memory list."""
    tasks = [f"/tasks/{task['id']}" for task in getattr(app_module, "TASKS", [])]
    return ["/", "/signup", "/login", "/tasks"] + tasks
