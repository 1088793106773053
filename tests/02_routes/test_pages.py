"""Step 02: every page is reachable from the home page, valid, and links only to routes of the step."""
from urllib.parse import urlsplit

import pytest

from support import crawl, parse
from support.shared_tests import (  # noqa: F401  (imported so that they run in this suite)
    crawl_start,
    test_debug_is_off_and_not_switched_on_in_the_code,
    test_every_page_is_valid_html5_and_links_only_to_routes,
    test_flask_run_serves_the_home_page,
    test_python_app_py_serves_on_127_0_0_1_port_5000,
)

pytestmark = pytest.mark.concept("a home page that links to every route", "home-page")


def test_home_page_links_to_every_route(client, crawl_start):
    """Following links from the home page reaches every route of the app: none is hidden."""
    adapter = client.application.url_map.bind("localhost")
    reached = {adapter.match(urlsplit(url).path)[0] for url in crawl(client, crawl_start)}
    routes = {rule.endpoint for rule in client.application.url_map.iter_rules()} - {"static"}
    assert routes - reached == set(), f"no link leads to the routes {sorted(routes - reached)}"


def test_every_html_page_links_back_home(client, crawl_start):
    """Each HTML page has a link to "/", so a visitor is never stuck."""
    for url, response in crawl(client, crawl_start).items():
        if response.mimetype == "text/html" and url != "/":
            links = [a.get("href") for a in parse(response.get_data(as_text=True)).find_all("a")]
            assert "/" in links, f"{url} has no link back to the home page"

