"""Exercise 1 of step 02: /square/<int(signed=True):number>, linked from the home page."""
import pytest

from support import expect_page, links_of, visible_text
from support.exercises import exercise_concept
from support.messages import say

pytestmark = exercise_concept(__file__)


@pytest.mark.parametrize("number, square", [(7, 49), (0, 0), (-3, 9), (-12, 144)])
def test_square_shows_the_square(client, number, square):
    text = visible_text(expect_page(client, f"/square/{number}"))
    assert str(square) in text, say("/square/{number} 的页面上没有 {square}。", "/square/{number} does not show {square}.",
                                    number=number, square=square)


@pytest.mark.parametrize("url", ["/square/abc", "/square/1.5", "/square/"])
def test_what_is_not_a_whole_number_is_a_404(client, url):
    assert client.get(url).status_code == 404


def test_the_home_page_links_to_a_square(client):
    links = [url for method, url in links_of(client.get("/").get_data(as_text=True)) if method == "GET"]
    assert any(url.startswith("/square/") for url in links), say(
        "首页上没有指向 /square/... 的链接。", "The home page has no link to /square/....")
