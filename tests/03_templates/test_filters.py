"""Filters change a value on its way into the page: upper, truncate and round on the dashboard."""
import pytest
from jinja2.filters import do_truncate

from support import expects, parse

pytestmark = pytest.mark.concept("filters: upper, truncate, round", "filters", zh="过滤器：upper、truncate、round")


def rows(client):
    response = client.get("/tasks")
    assert response.status_code == 200
    return parse(response.get_data(as_text=True)).select("ul.tasks > li")


def test_the_status_is_shown_in_capitals_with_upper(client, app_module):
    statuses = [row.select_one(expects.element(".status")).get_text(strip=True) for row in rows(client)]
    assert statuses == [expects.text("DONE") if task["done"] else expects.text("TO DO") for task in app_module.TASKS]


def test_summaries_are_cut_to_40_characters_with_truncate(client, app, app_module):
    """`summary|truncate(40)`: a long summary ends in "..." at a word boundary; a short one is untouched."""
    for row, task in zip(rows(client), app_module.TASKS):
        expected = do_truncate(app.jinja_env, task["summary"], 40)
        assert row.find("a").get_text(strip=True).endswith(f". {expected}")


def test_a_long_summary_is_truncated_on_the_dashboard_but_whole_on_its_page(client, app_module):
    long_tasks = [task for task in app_module.TASKS if len(task["summary"]) > 45]
    assert long_tasks, "the sample list should have a summary long enough to be truncated"
    dashboard = parse(client.get("/tasks").get_data(as_text=True)).find("main").get_text()
    for task in long_tasks:
        assert task["summary"] not in dashboard
        assert task["summary"][:20] in dashboard
        page = parse(client.get(f"/tasks/{task['id']}").get_data(as_text=True)).find("main").get_text()
        assert task["summary"] in page


@pytest.mark.parametrize(("done", "total", "percent"), [
    (1, 3, "33.3"), (2, 3, "66.7"), (1, 8, "12.5"), (3, 3, "100.0"),
])
def test_the_share_of_done_tasks_is_rounded_to_one_decimal(client, app_module, done, total, percent):
    app_module.TASKS[:] = [
        {"id": number, "summary": f"Task {number}", "done": number <= done} for number in range(1, total + 1)
    ]
    text = parse(client.get("/tasks").get_data(as_text=True)).find("main").get_text()
    assert expects.text(f"{done} of {total} done ({percent}%)") in text
