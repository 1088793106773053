"""Jinja's syntax: {{ }} prints, {% for %} repeats with loop.index, {% if %} chooses, {# #} is never sent."""
import re

import pytest

from support import parse

pytestmark = pytest.mark.concept("{{ }}, if, for, loop.index and comments", "template-syntax",
                                 zh="{{ }}、if、for、loop.index 和注释")

PAGES = ["/", "/tasks", "/tasks/1", "/search", "/search?q=task", "/docs", "/login"]


def dashboard_links(client):
    response = client.get("/tasks")
    assert response.status_code == 200
    return parse(response.get_data(as_text=True)).select("ul.tasks > li a")


def test_loop_index_numbers_the_rows_from_one(client, app_module):
    numbers = [link.get_text(strip=True).split(".")[0] for link in dashboard_links(client)]
    assert numbers == [str(n) for n in range(1, len(app_module.TASKS) + 1)]


def test_loop_index_counts_positions_not_ids(client, app_module):
    """Reversing the list reverses the links, but the numbers still run 1, 2, 3..."""
    app_module.TASKS.reverse()
    links = dashboard_links(client)
    assert [link["href"] for link in links] == [f"/tasks/{task['id']}" for task in app_module.TASKS]
    assert [link.get_text(strip=True).split(".")[0] for link in links] == [str(n) for n in range(1, len(links) + 1)]


def test_a_value_in_double_braces_is_printed(client, app_module):
    task = app_module.TASKS[0]
    main = parse(client.get(f"/tasks/{task['id']}").get_data(as_text=True)).find("main")
    assert main.find("h1").get_text(strip=True) == f"Task #{task['id']}"
    assert task["summary"] in main.get_text()


@pytest.mark.parametrize("done", [True, False])
def test_if_chooses_the_status_text_of_a_task(client, app_module, done):
    task = next(task for task in app_module.TASKS if task["done"] is done)
    text = parse(client.get(f"/tasks/{task['id']}").get_data(as_text=True)).find("main").get_text()
    assert ("Status: done." in text) is done
    assert ("Status: to do." in text) is not done


def test_template_comments_never_reach_the_browser(client, app_dir):
    comments = []
    for template in sorted((app_dir / "templates").glob("*.html")):
        comments += [text.strip() for text in re.findall(r"\{#(.*?)#\}", template.read_text(encoding="utf-8"), re.S)]
    assert comments, "the templates should show a {# comment #} somewhere (docs.html has one in the course)"
    for url in PAGES:
        html = client.get(url).get_data(as_text=True)
        for comment in comments:
            assert comment not in html, f"{url} shows the template comment {comment!r}"


@pytest.mark.parametrize("url", PAGES)
def test_no_template_syntax_reaches_the_browser(client, url):
    html = client.get(url).get_data(as_text=True)
    for marker in ("{{", "}}", "{%", "%}", "{#", "#}"):
        assert marker not in html, f"{url} shows {marker!r}: is it rendered with render_template?"
