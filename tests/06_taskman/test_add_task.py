"""Creating a task: empty and over-300-character summaries are refused with a message; so is a summary that
draws nothing (zero-width spaces, Hangul fillers) or holds a control character."""
import unicodedata

import pytest

from support import expects, parse
from support.pages import flashes

pytestmark = pytest.mark.concept("creating a task", "add-task", zh="创建任务")

MAX_SUMMARY = 300
EMPTY = expects.text("A task needs a summary.")

expects.route("GET /tasks")
expects.form("POST /tasks", "summary", "csrf_token")
expects.element('.flash.success[role="status"]', '[role="alert"]')


def test_a_new_task_is_stored_pending_and_the_browser_is_sent_back(tasks):
    response = tasks.add("Learn SQLite")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/tasks")
    assert [(row["summary"], row["done"]) for row in tasks.rows()] == [("Learn SQLite", 0)]
    assert flashes(tasks.client.get("/tasks")) == [(["flash", "success"], expects.text("Task added."))]


@pytest.mark.parametrize("summary", ["", " ", "   \t\n  "], ids=["empty", "a space", "whitespace"])
def test_an_empty_summary_is_refused_with_a_message(tasks, summary):
    response = tasks.add(summary)
    assert response.status_code == 400
    assert tasks.error_in(response.get_data(as_text=True)) == EMPTY
    assert tasks.summaries() == []


def test_the_new_task_field_starts_empty(tasks):
    field = parse(tasks.page("/tasks")).find("input", attrs={"name": "summary"})
    assert field.get("value", "") == ""
    assert tasks.error_in(tasks.page("/tasks")) is None


def test_a_form_without_a_summary_field_is_refused(client, tasks):
    assert client.post("/tasks", data={"csrf_token": tasks.token()}).status_code == 400
    assert tasks.summaries() == []


@pytest.mark.parametrize("summary", ["x" * (MAX_SUMMARY + 1), "任" * (MAX_SUMMARY + 1)], ids=["ascii", "unicode"])
def test_a_summary_over_300_characters_is_refused_with_a_message(tasks, summary):
    response = tasks.add(summary)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert tasks.error_in(html) == expects.text("A summary has at most 300 characters.")
    field = parse(html).find("input", attrs={"name": "summary"})
    assert field["value"] == summary[:MAX_SUMMARY], "what was typed is kept, up to its 300 characters"
    assert tasks.summaries() == []


@pytest.mark.parametrize("summary", [
    "\u200b", "\u200b \u200d\ufeff", "\u3164\u3164", "\u2800", "\u115f\u1160", "\uffa0", "\u2060 \u00ad",
], ids=["zero-width space", "zero-width and joiners", "Hangul fillers", "blank Braille", "Hangul jamo fillers",
        "halfwidth filler", "word joiner and soft hyphen"])
def test_a_summary_of_characters_that_draw_nothing_is_refused_as_empty(tasks, summary):
    """On the dashboard it would be a task with no text at all: refused like an empty one."""
    response = tasks.add(summary)
    assert response.status_code == 400, f"{summary!r} answered {response.status_code}"
    assert tasks.error_in(response.get_data(as_text=True)) == EMPTY
    assert tasks.summaries() == []


@pytest.mark.parametrize("summary", ["Call\x01Ada", "Buy\x00milk", "\x1b[31mred\x1b[0m", "ring\x07", "del\x7f"],
                         ids=["SOH", "NUL", "escape sequence", "bell", "DEL"])
def test_a_summary_with_a_control_character_is_refused_and_not_shown_back(tasks, summary):
    """A control character is no text and a page cannot show it: refused, and left out of the form shown again.
    (Tabs and line breaks are spaces: they are tidied, not refused.)"""
    response = tasks.add(summary)
    assert response.status_code == 400, f"{summary!r} answered {response.status_code}"
    html = response.get_data(as_text=True)
    assert tasks.error_in(html) == expects.text("A summary has no control characters.")
    value = parse(html).find("input", attrs={"name": "summary"}).get("value", "")
    assert not [char for char in value if unicodedata.category(char) == "Cc"], f"the form holds {value!r}"
    assert tasks.summaries() == []


@pytest.mark.parametrize("summary", ["Buy\u200bmilk", "한국어 공부", "⠓⠑⠇⠇⠕", "🙂", "ｆｕｌｌ ｗｉｄｔｈ"])
def test_a_summary_with_something_to_see_is_accepted(tasks, summary):
    """Only a summary with nothing to see is empty: a zero-width space between words, Hangul, Braille that draws
    dots, an emoji are text."""
    assert tasks.add(summary).status_code == 302, summary
    assert tasks.summaries() == [summary]


def test_a_huge_summary_is_refused_without_being_sent_back_whole(tasks):
    """A 900 KB summary is refused with a page of a few kilobytes: the form holds its first 300 characters."""
    response = tasks.add("x" * 900_000)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert parse(html).find("input", attrs={"name": "summary"})["value"] == "x" * MAX_SUMMARY
    assert len(html) < 50_000, f"the refusal is {len(html)} characters long"
    assert tasks.summaries() == []


@pytest.mark.parametrize("summary", ["x" * MAX_SUMMARY, "任" * MAX_SUMMARY], ids=["ascii", "unicode"])
def test_a_summary_of_exactly_300_characters_is_accepted(tasks, summary):
    assert tasks.add(summary).status_code == 302
    assert tasks.summaries() == [summary]


def test_whitespace_in_a_summary_is_collapsed(tasks):
    assert tasks.add("  Buy \t milk\n now  ").status_code == 302
    assert tasks.summaries() == ["Buy milk now"]


@pytest.mark.parametrize("summary", ["café ✓ 任务", "'); DROP TABLE tasks; --"])
def test_unicode_and_sql_looking_text_are_kept_as_typed(tasks, summary):
    assert tasks.add(summary).status_code == 302
    assert tasks.summaries() == [summary]
    assert summary in parse(tasks.page("/tasks")).get_text()


def test_html_in_a_summary_is_shown_escaped(tasks):
    (task_id,) = tasks.add_all("<script>alert(1)</script>")
    for url in ("/tasks", f"/tasks/{task_id}"):
        html = tasks.page(url)
        assert "&lt;script&gt;" in html, url
        assert "<script>alert" not in html, url
