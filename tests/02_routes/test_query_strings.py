"""Query strings: /search reads q and page from request.args, page with type=int and a default."""
import re

import pytest

from support import expect_page, expects, parse, visible_text

pytestmark = pytest.mark.concept("query strings with request.args", "query-strings", zh="用 request.args 读取查询字符串")

expects.route("GET /search?q=…&page=…")
expects.form("GET /search", "q")


def search(client, **args):
    """GET /search with these query-string arguments; return (results listed, total, page shown)."""
    response = client.get("/search", query_string=args)
    assert response.status_code == 200, f"/search?{args} answered {response.status_code}"
    soup = parse(response.get_data(as_text=True))
    # As a browser shows it: a line break in the HTML is one space, like any run of spaces.
    summary = re.search(r"(\d+) results? for “(.*)”, page (\d+)\.", visible_text(response))
    assert summary, "the search page should say how many results, for what, and which page"
    results = soup.find("ul").get_text("\n", strip=True).splitlines()
    assert len(results) == len(soup.find("ul").find_all("li")), "the list should hold one <li> per result"
    if results == [expects.text("No results.")]:
        results = []
    return results, int(summary[1]), int(summary[3])


def test_search_form_sends_q_to_search(forms):
    """The page's own form sends the query string (a GET form: the query ends up in the URL)."""
    response = forms.submit("/search", "/search", {"q": "forms"})
    assert response.status_code == 200
    assert response.request.args["q"] == "forms"
    soup = parse(response.get_data(as_text=True))
    assert [item.get_text() for item in soup.find("ul").find_all("li")] == ["forms"]
    assert soup.find("input", id="q")["value"] == "forms"


@pytest.mark.parametrize("q, expected", [
    ("sql", ["sqlite"]),
    ("FORMS", ["forms"]),
    ("  routes  ", ["routes"]),
    ("at", ["templates", "static files"]),
])
def test_search_finds_topics_containing_the_query(client, q, expected):
    """Case does not matter and spaces around the query are ignored."""
    results, total, page = search(client, q=q)
    assert results == expected
    assert (total, page) == (len(expected), 1)


@pytest.mark.parametrize("q", ["zzz", "café ✓ 任务", "'); DROP TABLE tasks; --", "x" * 3000])
def test_a_search_without_matches_says_so(client, q):
    """Unicode, SQL-looking or very long text is just text to search for: 0 results, shown as typed."""
    response = client.get("/search", query_string={"q": q})
    assert response.status_code == 200
    soup = parse(response.get_data(as_text=True))
    assert [item.get_text() for item in soup.find("ul").find_all("li")] == ["No results."]
    assert expects.text(f"0 results for “{q}”, page 1.") in visible_text(response)


@pytest.mark.parametrize("q", ["", "   "])
def test_an_empty_query_lists_every_topic(client, q):
    """An empty or whitespace-only query matches everything: the first page of all ten topics."""
    results, total, page = search(client, q=q)
    assert total == 10
    assert page == 1
    assert len(results) == 3


def test_the_search_covers_every_course_topic_in_order(client):
    topics = []
    for number in range(1, 5):
        topics += search(client, page=number)[0]
    assert topics == ["routes", "converters", "escaping", "forms", "query strings",
                      "methods", "templates", "static files", "sqlite", "deployment"]


def test_results_come_three_to_a_page_and_pages_cover_them_all(client):
    """Page 1, 2, ... each show the next three results, with none repeated or skipped."""
    seen = []
    for number in range(1, 6):
        results, total, page = search(client, q="", page=number)
        assert page == number
        seen.extend(results)
        assert len(results) == min(3, max(0, total - 3 * (number - 1)))
    assert len(seen) == len(set(seen)) == total == 10


def test_pagination_keeps_the_query(client):
    """The home page's example: /search?q=s&page=2 is the second three topics containing "s"."""
    first, total, _ = search(client, q="s")
    second, _, page = search(client, q="s", page=2)
    assert page == 2
    assert first == ["routes", "converters", "escaping"]
    assert second == ["forms", "query strings", "methods"]
    assert total == 9
    page_two = client.get("/search?q=s&page=2")
    text = " ".join(parse(page_two.get_data(as_text=True)).body.get_text(" ").split())
    assert text == expects.text("Home Search Topic Search 9 results for “s”, page 2. forms query strings methods")


def test_a_page_past_the_end_is_empty_not_an_error(client):
    results, total, page = search(client, q="s", page=99)
    assert (results, total, page) == ([], 9, 99)


@pytest.mark.parametrize("value", ["abc", "", "2.5", "1e3", "two"])
def test_a_page_that_is_not_a_whole_number_falls_back_to_page_1(client, value):
    """type=int gives the default when the value does not convert: no 400, no 500."""
    shown = search(client, q="", page=value)
    assert shown == search(client, q="", page=1)
    assert shown[2] == 1


def test_no_page_argument_means_page_1(client):
    assert search(client, q="")[2] == 1
    assert search(client)[1:] == (10, 1)


@pytest.mark.parametrize("value", ["0", "-1", "-999"])
def test_a_page_below_1_is_a_400_with_a_message(client, value):
    """A whole number that makes no sense as a page: abort(400, ...) tells the visitor why."""
    response = client.get("/search", query_string={"q": "", "page": value})
    assert response.status_code == 400
    paragraphs = [p.get_text() for p in parse(response.get_data(as_text=True)).find_all("p")]
    assert expects.text("The page number must be 1 or more.") in paragraphs


@pytest.mark.parametrize(("q", "summary"), [
    ("sql", expects.text("1 result for “sql”, page 1.")),
    ("at", expects.text("2 results for “at”, page 1.")),
])
def test_the_count_says_result_for_one_match_and_results_for_two(client, q, summary):
    """One match is "1 result", not "1 results"; two or more take the plural."""
    response = expect_page(client, f"/search?q={q}")
    assert summary in visible_text(response)
