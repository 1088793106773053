"""Adding a task with the dashboard's form: checked on the server, stored, then redirected (Post/Redirect/Get)."""
import pytest

from support import expects, parse

pytestmark = pytest.mark.concept("adding a task", "add-task", zh="添加任务")

MAX_SUMMARY = 300

expects.route("GET /tasks")
expects.form("POST /tasks", "summary", "csrf_token")
expects.element('.flash.success[role="status"]', '[role="alert"]')


def test_a_new_task_is_stored_and_the_browser_is_sent_back_to_the_dashboard(client, tasks):
    response = tasks.add("Learn SQLite")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/tasks")
    assert tasks.summaries() == ["Learn SQLite"]
    page = parse(client.get("/tasks").get_data(as_text=True))
    flash = page.find(attrs={"role": "status"})
    assert (flash["class"], flash.get_text(strip=True)) == (["flash", "success"], expects.text("Task added."))
    assert "Learn SQLite" in page.get_text()


def test_a_new_task_is_not_done(tasks):
    tasks.add("Learn SQLite")
    assert [row["done"] for row in tasks.rows()] == [0]


@pytest.mark.parametrize("summary", ["", " ", "   \t\n  "], ids=["empty", "a space", "whitespace"])
def test_an_empty_summary_is_refused_with_a_message(tasks, summary):
    response = tasks.add(summary)
    assert response.status_code == 400
    assert tasks.error_in(response.get_data(as_text=True)) == expects.text("A task needs a summary.")
    assert tasks.summaries() == []


def test_the_new_task_field_starts_empty(tasks):
    field = parse(tasks.page("/tasks")).find("input", attrs={"name": "summary"})
    assert field.get("value", "") == ""
    assert tasks.error_in(tasks.page("/tasks")) is None


def test_a_form_without_a_summary_field_is_refused(client, tasks):
    response = client.post("/tasks", data={"csrf_token": tasks.token()})
    assert response.status_code == 400
    assert tasks.summaries() == []


@pytest.mark.parametrize("summary", ["x" * (MAX_SUMMARY + 1), "任" * (MAX_SUMMARY + 1), "word " * 100])
def test_a_summary_over_300_characters_is_refused_with_a_message(tasks, summary):
    response = tasks.add(summary)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert tasks.error_in(html) == expects.text("A summary has at most 300 characters.")
    assert parse(html).find("input", attrs={"name": "summary"})["value"] == summary.strip(), "what was typed is kept"
    assert tasks.summaries() == []


@pytest.mark.parametrize("summary", ["x" * MAX_SUMMARY, "任" * MAX_SUMMARY], ids=["ascii", "unicode"])
def test_a_summary_of_exactly_300_characters_is_accepted(tasks, summary):
    """The limit counts characters, not bytes: 300 Chinese characters are 900 bytes of UTF-8."""
    assert tasks.add(summary).status_code == 302
    assert tasks.summaries() == [summary]


@pytest.mark.parametrize("typed, stored", [
    ("  Buy   milk  ", "Buy milk"),
    ("Line one\nline two", "Line one line two"),
    ("\ttabs\tand  spaces\r\n", "tabs and spaces"),
])
def test_whitespace_in_a_summary_is_collapsed(tasks, typed, stored):
    assert tasks.add(typed).status_code == 302
    assert tasks.summaries() == [stored]


def test_unicode_is_kept(tasks):
    summary = "café ✓ 任务"
    assert tasks.add(summary).status_code == 302
    assert tasks.summaries() == [summary]
    assert summary in parse(tasks.page("/tasks")).get_text()


def test_html_in_a_summary_is_stored_as_typed_and_shown_escaped(tasks):
    summary = "<script>alert(1)</script>"
    assert tasks.add(summary).status_code == 302
    assert tasks.summaries() == [summary]
    task_id = tasks.rows()[0]["id"]
    for url in ("/tasks", f"/tasks/{task_id}", "/search?q=alert"):
        html = tasks.page(url)
        assert "&lt;script&gt;" in html, url
        assert "<script>alert" not in html, url
