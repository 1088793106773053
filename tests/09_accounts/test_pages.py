"""Step 09: every page a signed-in person reaches, with two pages of tasks, is valid and links only to routes of
the step; debug mode stays off; `flask run` finds the package (step 08's tests, run for a signed-in person)."""
from urllib.parse import parse_qs, urlsplit

import pytest

from support import assert_valid_page, links_of
from support.reuse import reused

globals().update(reused("08_package", "test_pages", keep_concepts=True))


@pytest.mark.concept("every page links only to routes of this step", "pages-and-links",
                     zh="每个页面只链接到这一步已有的路由")
def test_a_visitor_without_an_account_meets_valid_pages_whose_links_open_or_ask_to_sign_in(anonymous):
    """The pages a visitor reaches before signing in are valid, and each of their links leads to a route of the
    step: it opens, or, when it needs an account, leads to the sign-in form (which leads back to it), or for the
    JSON API answers 401."""
    adapter = anonymous.application.url_map.bind("localhost")
    for url in ("/", "/login", "/signup", "/docs"):
        response = anonymous.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        assert_valid_page(html, url)
        for method, link in links_of(html):
            adapter.match(urlsplit(link).path, method=method)  # NotFound or MethodNotAllowed: no such route
            if method != "GET":
                continue
            answer = anonymous.get(link)
            if link.startswith("/api/"):  # a program gets 401 and a reason (test_sign_in.py), no form
                assert answer.status_code == 401 and answer.is_json, (link, answer.status_code)
            elif answer.status_code == 302:
                location = urlsplit(answer.headers["Location"])
                assert location.path == "/login" and parse_qs(location.query)["next"] == [link], (link, location)
            else:
                assert answer.status_code == 200, f"{url} links to {link}, which answered {answer.status_code}"
