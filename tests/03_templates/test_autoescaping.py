"""Autoescaping: text from the data or the visitor that looks like HTML is shown as text, never run."""
import pytest

from support import parse
from support.messages import expect

pytestmark = pytest.mark.concept("autoescaping", "autoescaping", zh="自动转义")

ATTACK = "<script>alert(1)</script>"


def script_task(app_module):
    task = next((task for task in app_module.TASKS if "<script>" in task["summary"]), None)
    assert task is not None, "the sample list should have a task whose summary contains <script>"
    return task


def assert_shown_as_text(html, text, page):
    """The page shows `text` to the reader, but its < and > arrive escaped."""
    expect("<script" not in html, "unescaped", page=page)
    assert "&lt;script&gt;" in html
    assert text in parse(html).get_text()


def test_the_sample_task_with_script_shows_as_text_on_the_dashboard(client, app_module):
    task = script_task(app_module)
    html = client.get("/tasks").get_data(as_text=True)
    assert_shown_as_text(html, task["summary"][:20], "/tasks")


def test_the_sample_task_with_script_shows_as_text_on_its_page(client, app_module):
    task = script_task(app_module)
    html = client.get(f"/tasks/{task['id']}").get_data(as_text=True)
    assert_shown_as_text(html, task["summary"], f"/tasks/{task['id']}")


def test_the_sample_task_with_script_shows_as_text_in_search_results(client, app_module):
    script_task(app_module)
    html = client.get("/search", query_string={"q": "script"}).get_data(as_text=True)
    expect("<script" not in html, "unescaped", page="/search?q=script")
    assert "&lt;script&gt;" in html


def test_a_new_task_with_a_script_is_escaped(client, app_module):
    app_module.TASKS.append({"id": 99, "summary": ATTACK, "done": False})
    for url in ("/tasks", "/tasks/99"):
        html = client.get(url).get_data(as_text=True)
        expect("<script>alert" not in html, "unescaped", page=url)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_search_for_a_script_is_escaped(client):
    response = client.get("/search", query_string={"q": ATTACK})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    expect("<script>alert" not in html, "unescaped", page="/search")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert parse(html).find("input", id="q")["value"] == ATTACK


def test_a_username_with_a_script_is_escaped_on_the_sign_in_form(client):
    response = client.post("/login", data={"username": ATTACK, "password": "x"})
    html = response.get_data(as_text=True)
    assert "<script>alert" not in html
    assert parse(html).find("input", id="username")["value"] == ATTACK


def test_a_quote_cannot_break_out_of_an_attribute(client):
    """Autoescaping turns " into &#34;, so typed text stays inside value="..."."""
    typed = '" autofocus onfocus="alert(1)'
    html = client.get("/search", query_string={"q": typed}).get_data(as_text=True)
    field = parse(html).find("input", id="q")
    assert field["value"] == typed
    assert not field.has_attr("onfocus")
