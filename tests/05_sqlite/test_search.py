"""Search with ?q= and ?page= over the tasks stored in the database."""
import pytest

from support import expects

pytestmark = pytest.mark.concept("searching the database", "search", zh="搜索数据库")

PER_PAGE = 3

expects.route("GET /search?q=…&page=…")


def test_search_finds_stored_tasks_whatever_the_case(tasks):
    for summary in ("Learn Flask", "Buy milk", "flask shell"):
        tasks.add(summary)
    ids = {row["summary"]: row["id"] for row in tasks.rows()}
    assert tasks.ids_shown("/search?q=FLASK") == [ids["flask shell"], ids["Learn Flask"]]
    assert tasks.ids_shown("/search?q=milk") == [ids["Buy milk"]]
    assert tasks.ids_shown("/search?q=nothing") == []


def test_search_results_are_split_into_pages_newest_first(tasks):
    for n in range(5):
        tasks.add(f"Flask exercise {n}")
    tasks.add("Something else")
    matching = [row["id"] for row in tasks.rows() if "Flask" in row["summary"]][::-1]
    assert tasks.ids_shown("/search?q=flask") == matching[:PER_PAGE]
    assert tasks.ids_shown("/search?q=flask&page=2") == matching[PER_PAGE:]
    assert tasks.ids_shown("/search?q=flask&page=3") == []


def test_search_counts_every_match_and_links_to_the_next_page(tasks):
    for n in range(4):
        tasks.add(f"Flask exercise {n}")
    first = tasks.page("/search?q=flask")
    assert expects.text("4 results") in first
    assert 'href="/search?q=flask&amp;page=2"' in first
    assert "page=3" not in tasks.page("/search?q=flask&page=2")


def test_a_search_with_exactly_one_page_of_results_has_no_next_link(tasks):
    for n in range(PER_PAGE):
        tasks.add(f"Flask exercise {n}")
    assert "page=2" not in tasks.page("/search?q=flask")


def test_a_search_without_a_word_lists_every_task(tasks):
    tasks.add("Learn Flask")
    tasks.add("Buy milk")
    ids = [row["id"] for row in tasks.rows()][::-1]
    assert tasks.ids_shown("/search") == ids
    assert tasks.ids_shown("/search?q=") == ids


@pytest.mark.parametrize("page", ["0", "-1"])
def test_a_page_below_one_is_a_bad_request(client, page):
    response = client.get(f"/search?q=flask&page={page}")
    assert response.status_code == 400
    assert f"<p>{expects.text('The page number must be 1 or more.')}</p>" in response.get_data(as_text=True)


def test_a_page_that_is_not_a_number_shows_the_first_page(tasks):
    tasks.add("Learn Flask")
    assert tasks.ids_shown("/search?q=flask&page=abc") == [row["id"] for row in tasks.rows()]
