"""Step 01: a first web service."""
import pytest

from support.shared_tests import (  # noqa: F401  (imported so that they run in this suite)
    crawl_start,
    test_debug_is_off_and_not_switched_on_in_the_code,
    test_every_page_is_valid_html5_and_links_only_to_routes,
    test_flask_run_serves_the_home_page,
    test_python_app_py_serves_on_127_0_0_1_port_5000,
)

pytestmark = pytest.mark.concept("a Flask object and one route", "first-route")


def test_home_page_says_hello(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert "Hello, World!" in response.get_data(as_text=True)
