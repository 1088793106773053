"""Exercise 1 of step 01: a second page at /about, linked from the home page."""
from support.exercises import exercise_concept
from support.messages import say
from support.pages import assert_valid_page, expect_page, links_of

pytestmark = exercise_concept(__file__)


def test_about_is_a_page_of_its_own(client):
    response = expect_page(client, "/about")
    assert response.mimetype == "text/html"
    assert_valid_page(response.get_data(as_text=True), "/about")
    assert response.get_data(as_text=True) != client.get("/").get_data(as_text=True), say(
        "/about 和首页一模一样：给它写自己的内容。", "/about is the same as the home page: give it content of its own.")


def test_the_home_page_links_to_about(client):
    links = [url for method, url in links_of(client.get("/").get_data(as_text=True)) if method == "GET"]
    assert "/about" in links, say("首页上没有指向 /about 的链接（<a href=\"/about\">）。",
                                  "The home page has no link to /about (<a href=\"/about\">).")
