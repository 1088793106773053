"""The search page reads the query string: q is the word, page the page (three results a page)."""
from urllib.parse import parse_qs, urlsplit

import pytest

from support import expects, parse

pytestmark = pytest.mark.concept("searching the tasks with q and page", "search", zh="用 q 和 page 搜索任务")

PER_PAGE = 3

expects.route("GET /search?q=…&page=…")
expects.form("GET /search", "q")


def search(client, **params):
    response = client.get("/search", query_string=params)
    assert response.status_code == 200, f"/search?{params} answered {response.status_code}"
    return parse(response.get_data(as_text=True)).find("main")


def result_links(main):
    return [link["href"] for link in main.select("ul a")]


def next_page(main):
    """The query of the "Next page" link as a dict ({"q": [...], "page": [...]}), or None without one."""
    link = main.find("a", string=expects.text("Next page"))
    if link is None:
        return None
    parts = urlsplit(link["href"])
    assert parts.path == "/search"
    return parse_qs(parts.query, keep_blank_values=True)


def matching(app_module, word):
    return [f"/tasks/{task['id']}" for task in app_module.TASKS if word.lower() in task["summary"].lower()]


@pytest.mark.parametrize("word", ["flask", "FLASK", "Route", "a", "script", "  flask  "])
def test_search_finds_tasks_by_a_word_in_their_summary_ignoring_case(client, app_module, word):
    expected = matching(app_module, word.strip())
    assert expected, f"no sample task matches {word!r}"
    main = search(client, q=word)
    assert result_links(main) == expected[:PER_PAGE]
    noun = "result" if len(expected) == 1 else "results"
    assert f"{len(expected)} {noun} for “{word.strip()}”, page 1." in main.get_text()


@pytest.mark.parametrize(("word", "summary"), [
    ("jinja", expects.text("1 result for “jinja”, page 1.")),
    ("flask", expects.text("2 results for “flask”, page 1.")),
])
def test_the_count_says_result_for_one_match_and_results_for_two(client, app_module, word, summary):
    """One match is "1 result", not "1 results"; two or more take the plural."""
    app_module.TASKS[:] = [
        {"id": 1, "summary": "Learn Flask", "done": False},
        {"id": 2, "summary": "Learn Jinja", "done": False},
        {"id": 3, "summary": "Flask shell", "done": False},
    ]
    main = search(client, q=word)
    assert summary in main.get_text()


def test_search_without_a_word_lists_every_task(client, app_module):
    main = search(client)
    assert f"{len(app_module.TASKS)} results" in main.get_text()


def test_results_come_three_a_page_with_a_link_to_the_next(client, app_module):
    everything = matching(app_module, "")
    assert len(everything) > PER_PAGE, "the sample list should fill more than one page"
    first = search(client)
    assert result_links(first) == everything[:PER_PAGE]
    assert next_page(first) == {"q": [""], "page": ["2"]}


def test_the_last_page_has_no_next_link(client, app_module):
    everything = matching(app_module, "")
    last_page = (len(everything) - 1) // PER_PAGE + 1
    main = search(client, page=last_page)
    assert result_links(main) == everything[(last_page - 1) * PER_PAGE:]
    assert next_page(main) is None
    assert f"page {last_page}." in main.get_text()


def test_a_word_with_exactly_one_page_of_results_has_no_next_link(client, app_module):
    app_module.TASKS[:] = [{"id": n, "summary": f"Task {n}", "done": False} for n in range(1, PER_PAGE + 1)]
    main = search(client, q="task")
    assert len(result_links(main)) == PER_PAGE
    assert next_page(main) is None


def test_the_next_link_keeps_the_word(client, app_module):
    app_module.TASKS[:] = [{"id": n, "summary": f"Task {n}", "done": False} for n in range(1, 8)]
    main = search(client, q="task", page=2)
    assert result_links(main) == ["/tasks/4", "/tasks/5", "/tasks/6"]
    assert next_page(main) == {"q": ["task"], "page": ["3"]}


@pytest.mark.parametrize("word", ["café ✓ 任务", "'); DROP TABLE tasks; --", "zzz-no-such-task"])
def test_a_word_that_matches_nothing_says_no_results(client, word):
    main = search(client, q=word)
    assert result_links(main) == []
    assert expects.text("No results.") in main.get_text()
    assert expects.text(f"0 results for “{word}”") in main.get_text()


def test_a_page_past_the_end_is_empty_not_an_error(client):
    main = search(client, page=99)
    assert result_links(main) == []
    assert "No results." in main.get_text()


@pytest.mark.parametrize("page", ["abc", "", "1.5"])
def test_a_page_that_is_not_a_number_falls_back_to_page_one(client, app_module, page):
    """request.args.get("page", 1, type=int) returns the default when the text is not an int."""
    main = search(client, page=page)
    assert "page 1." in main.get_text()
    assert result_links(main) == matching(app_module, "")[:PER_PAGE]


@pytest.mark.parametrize("page", ["0", "-1"])
def test_a_page_below_one_is_400_with_a_reason(client, page):
    response = client.get("/search", query_string={"page": page})
    assert response.status_code == 400
    assert parse(response.get_data(as_text=True)).find("p").get_text() == expects.text("The page number must be 1 or more.")


def test_the_search_form_sends_q_with_get(client):
    form = parse(client.get("/search").get_data(as_text=True)).find("main").find("form")
    assert form["action"] == "/search"
    assert form.get("method", "get").lower() == "get"
    assert form.find("input", attrs={"name": "q"}) is not None


def test_the_search_box_keeps_the_word(client):
    main = search(client, q="route")
    assert main.find("input", attrs={"name": "q"})["value"] == "route"
