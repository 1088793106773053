"""Exercise 2 of step 02: ?per_page=N chooses how many results a search page shows, 1 to 10, 3 by default."""
import pytest

from support import parse
from support.exercises import exercise_concept
from support.messages import say

pytestmark = exercise_concept(__file__)


def results(client, **args):
    """The topics a search page lists (an empty search finds all ten)."""
    response = client.get("/search", query_string=args)
    assert response.status_code == 200, f"/search?{args} answered {response.status_code}"
    items = [li.get_text(strip=True) for li in parse(response.get_data(as_text=True)).find("ul").find_all("li")]
    return [] if items == ["No results."] else items


@pytest.mark.parametrize("per_page", [1, 5, 10])
def test_per_page_sets_how_many_results_a_page_shows(client, per_page):
    shown = results(client, q="", per_page=per_page)
    assert len(shown) == per_page, say("/search?per_page={n} 显示了 {got} 条结果，应该是 {n} 条。",
                                       "/search?per_page={n} shows {got} results, expected {n}.",
                                       n=per_page, got=len(shown))


def test_pages_of_four_cover_every_topic_once(client):
    pages = [results(client, q="", per_page=4, page=number) for number in (1, 2, 3)]
    assert [len(page) for page in pages] == [4, 4, 2]
    assert len({topic for page in pages for topic in page}) == 10


def test_three_results_a_page_without_per_page(client):
    assert len(results(client, q="")) == 3


@pytest.mark.parametrize("value", [0, 11, -1])
def test_per_page_out_of_range_is_a_400_with_the_reason(client, value):
    response = client.get("/search", query_string={"q": "", "per_page": value})
    assert response.status_code == 400, say("/search?per_page={value} 返回了 {got}，应该是 400。",
                                            "/search?per_page={value} answered {got}, expected 400.",
                                            value=value, got=response.status_code)
    assert "10" in response.get_data(as_text=True), say("400 页面应该说明允许的范围（1 到 10）。",
                                                       "The 400 page should say the range allowed (1 to 10).")
