"""Step 02: every page is reachable from the home page, valid, and links only to routes of the step."""
from urllib.parse import urlsplit

import pytest

from support import crawl, parse
from support.shared_tests import *  # noqa: F401,F403  (the tests every step passes, run in this suite)

pytestmark = pytest.mark.concept("a home page that links to every route", "home-page", zh="链接到每个路由的首页")


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

