"""What step 06 built still works in production: add, toggle, delete, purge, search.
(Sign-in and sign-up are step 04's, checked by its own tests in test_step04_forms.py.)"""
import pytest

from support import expects, parse
from support.pages import flashes
from support.tasks import shown_back

pytestmark = [pytest.mark.concept("the task manager from step 06, unchanged", "features-from-step-06",
                                  zh="第 06 步的任务管理器，保持不变"), pytest.mark.later]

EMPTY = expects.text("A task needs a summary.")


expects.route("GET /api/tasks")
expects.form("POST /tasks", "summary", "csrf_token")
expects.form("GET /search", "q")
expects.command("flask init-db")


def flashes_after(client, response):
    """Follow a redirect and return the flashed messages the next page shows, as (classes, text):
    the class "success" is what styles the message as one."""
    assert response.status_code == 302
    return flashes(client.get(response.headers["Location"]))


def field_value(response, name):
    """The value a page's form field holds (what the visitor sees typed in it)."""
    field = parse(response.get_data(as_text=True)).find("input", attrs={"name": name})
    assert field is not None, f"The page has no field named {name}."
    return field.get("value", "")


def test_a_task_is_added_with_its_spaces_tidied_and_a_message(client, tasks):
    response = tasks.add("  Buy   milk \t now ")
    assert response.headers["Location"] == "/tasks"
    assert flashes_after(client, response) == [(["flash", "success"], expects.text("Task added."))]
    assert tasks.summaries() == ["Buy milk now"]


@pytest.mark.parametrize("summary, message", [
    ("", EMPTY),
    ("   ", EMPTY),
    ("\u200b\u200b", EMPTY),
    ("\u3164 \u2800", EMPTY),
    ("x" * 301, expects.text("A summary has at most 300 characters.")),
    ("Call\x01Ada", expects.text("A summary has no control characters.")),
], ids=["empty", "spaces", "zero-width spaces", "blank letters", "301 characters", "a control character"])
def test_a_bad_summary_is_refused_with_a_message_and_kept_in_the_form(tasks, summary, message):
    """What was typed goes back into the form, tidied, cut to its 300 characters and without control characters."""
    response = tasks.add(summary)
    assert response.status_code == 400
    assert tasks.error_in(response.get_data(as_text=True)) == message
    assert field_value(response, "summary") == shown_back(summary)
    assert tasks.rows() == []


def test_a_huge_refused_summary_is_not_sent_back_whole(tasks):
    """A 900 KB summary is refused with a page of a few kilobytes: the form holds its first 300 characters."""
    response = tasks.add("x" * 900_000)
    assert response.status_code == 400
    assert field_value(response, "summary") == "x" * 300
    assert len(response.get_data()) < 50_000, f"the refusal is {len(response.get_data())} bytes long"


def test_a_form_without_its_summary_field_is_refused_like_an_empty_one(client, tasks):
    """A request made by hand (curl, a script) may leave the field out: a clear 400, not a task."""
    response = client.post("/tasks", data={"csrf_token": tasks.token()})
    assert response.status_code == 400
    assert tasks.error_in(response.get_data(as_text=True)) == EMPTY
    assert field_value(response, "summary") == ""
    assert tasks.rows() == []


@pytest.mark.parametrize("summary", ["x" * 300, "café ✓ 任务", "'); DROP TABLE tasks; --"])
def test_unusual_summaries_are_stored_as_typed(tasks, summary):
    assert tasks.add(summary).status_code == 302
    assert tasks.summaries() == [summary]


def test_html_in_a_summary_is_shown_escaped(tasks):
    assert tasks.add("<script>alert(1)</script>").status_code == 302
    html = tasks.page("/tasks")
    assert "&lt;script&gt;" in html and "<script>alert" not in html


def test_toggling_marks_done_then_not_done(client, forms, tasks):
    tasks.add("Toggle me")
    response = forms.submit("/tasks", "/tasks/1/toggle")
    assert response.headers["Location"] == "/tasks"
    assert flashes_after(client, response) == [(["flash", "success"], expects.text("Task updated."))]
    assert tasks.rows()[0]["done"] == 1
    forms.submit("/tasks", "/tasks/1/toggle")
    assert tasks.rows()[0]["done"] == 0


def test_deleting_removes_one_task(client, forms, tasks):
    tasks.add("Keep")
    tasks.add("Delete")
    response = forms.submit("/tasks", "/tasks/2/delete")
    assert response.headers["Location"] == "/tasks"
    assert flashes_after(client, response) == [(["flash", "success"], expects.text("Task deleted."))]
    assert tasks.summaries() == ["Keep"]


@pytest.mark.parametrize("done, message", [(0, expects.text("Removed 0 done tasks.")),
                                           (1, expects.text("Removed 1 done task.")),
                                           (2, expects.text("Removed 2 done tasks."))])
def test_purging_removes_the_done_tasks_only(client, forms, tasks, done, message):
    ids = tasks.insert_many(3)
    for task_id in ids[:done]:
        forms.submit("/tasks", f"/tasks/{task_id}/toggle")
    response = client.post("/tasks/purge", data={"csrf_token": tasks.token()})
    assert response.headers["Location"] == "/tasks"
    assert flashes_after(client, response) == [(["flash", "success"], message)]
    assert [row["id"] for row in tasks.rows()] == ids[done:]


@pytest.mark.parametrize("action", ["toggle", "delete"])
def test_a_task_that_does_not_exist_is_a_404_and_nothing_changes(client, tasks, paragraphs, action):
    """Pitfall 4: redirecting as if it worked would hide the mistake.

    陷阱 4：若像成功了一样重定向，就会掩盖这个错误。
    """
    tasks.add("The only task")
    response = client.post(f"/tasks/99/{action}", data={"csrf_token": tasks.token()})
    assert response.status_code == 404
    assert expects.text("There is no task #99.") in paragraphs(response)
    assert [(row["summary"], row["done"]) for row in tasks.rows()] == [("The only task", 0)]


@pytest.mark.parametrize("method, url", [
    ("GET", "/tasks/9223372036854775808"), ("GET", "/tasks/99999999999999999999"),
    ("POST", "/tasks/9223372036854775808/toggle"), ("POST", "/tasks/99999999999999999999/delete"),
])
def test_an_id_too_large_for_sqlite_is_a_404_and_nothing_changes(client, tasks, method, url):
    """SQLite's integers have 64 bits: a larger id cannot exist (and would raise OverflowError, a 500)."""
    tasks.add("The only task")
    response = client.open(url, method=method, data={"csrf_token": tasks.token()} if method == "POST" else None)
    assert response.status_code == 404
    assert [(row["summary"], row["done"]) for row in tasks.rows()] == [("The only task", 0)]


def test_a_task_has_its_own_page(client, tasks, paragraphs):
    tasks.add("See me in full")
    text = parse(tasks.page("/tasks/1")).find("main").get_text(" ", strip=True)
    assert expects.text("Task #1") in text and "See me in full" in text and expects.text("Status: to do.") in text
    response = client.get("/tasks/2")
    assert response.status_code == 404
    assert expects.text("There is no task #2.") in paragraphs(response)


def test_the_api_lists_tasks_as_json(client, forms, tasks):
    tasks.add("Plain")
    tasks.add("Done")
    forms.submit("/tasks", "/tasks/2/toggle")
    listed = client.get("/api/tasks").get_json()
    assert [(task["id"], task["summary"], task["done"]) for task in listed] == [(2, "Done", True), (1, "Plain", False)]
    assert all(set(task) == set(expects.json({"id": 2, "summary": "Done", "done": True, "created": "…"}))
               for task in listed)


@pytest.mark.parametrize("url, field", [("/tasks", "summary"), ("/search", "q")])
def test_the_new_task_and_search_fields_open_empty(client, url, field):
    """(The sign-in and sign-up forms are checked with step 04's tests, in test_step04_forms.py.)"""
    response = client.get(url)
    assert response.status_code == 200
    assert field_value(response, field) == ""


def test_search_finds_words_in_any_case_three_to_a_page(tasks):
    for summary in ("Learn Flask", "flask again", "Cook", "FLASK three", "More flask"):
        tasks.add(summary)
    first = parse(tasks.page("/search?q=  flask "))
    assert [a.get_text() for a in first.select("main ul a")] == ["More flask", "FLASK three", "flask again"]
    assert expects.text("4 results for “flask”, page 1.") in first.get_text()
    assert first.find("a", string=expects.text("Next page"))["href"] == "/search?q=flask&page=2"
    second = parse(tasks.page("/search?q=flask&page=2"))
    assert [a.get_text() for a in second.select("main ul a")] == ["Learn Flask"]
    assert second.find("a", string="Next page") is None


@pytest.mark.parametrize("matches, pages", [(3, 1), (4, 2), (6, 2), (7, 3)])
def test_search_links_to_a_next_page_only_when_there_is_one(tasks, matches, pages):
    """Three results to a page: six matches fill two pages, and the second has no "Next page"."""
    tasks.insert_many(matches)  # "Task number 1", "Task number 2", ...
    tasks.add_all("Something else", "And another")
    for page in range(1, pages + 1):
        soup = parse(tasks.page(f"/search?q=number&page={page}"))
        shown = len(soup.select("main ul a"))
        assert shown == (3 if page < pages else matches - 3 * (pages - 1))
        assert (soup.find("a", string="Next page") is not None) == (page < pages), f"page {page} of {pages}"


@pytest.mark.parametrize("page, status", [("0", 400), ("-1", 400), ("abc", 200)])
def test_search_checks_its_page_number(client, paragraphs, page, status):
    response = client.get(f"/search?q=a&page={page}")
    assert response.status_code == status
    assert (expects.text("The page number must be 1 or more.") in paragraphs(response)) == (status == 400)


def test_init_db_creates_the_tables_and_says_where(app, runner):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0
    database = app.config["DATABASE"]
    assert result.output == expects.text(f"Initialized the database at {database}.") + "\n"
