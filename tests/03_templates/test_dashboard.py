"""The dashboard /tasks is rendered from the in-memory list TASKS."""
import pytest

from support import expects, load_app_module, parse

pytestmark = pytest.mark.concept("a dashboard from an in-memory list", "dashboard", zh="用内存中的列表渲染仪表盘")

expects.route("GET /tasks")
expects.element("ul.tasks > li", "ul.tasks > li.done", "ul.tasks > li.todo")


def dashboard(client):
    """GET /tasks and return its parsed HTML."""
    response = client.get("/tasks")
    assert response.status_code == 200
    return parse(response.get_data(as_text=True))


def rows(client):
    return dashboard(client).select("ul.tasks > li")


def test_the_sample_dashboard_reads_as_the_course_shows(client):
    """The worked example on the course page: app.py's four sample tasks, rendered by tasks.html."""
    soup = dashboard(client)
    assert expects.text("2 of 4 done (50.0%).") in soup.find("main").get_text()
    shown = [(row.find("a")["href"], " ".join(row.get_text().split())) for row in soup.select("ul.tasks > li")]
    assert shown == [
        ("/tasks/1", expects.text("DONE 1. Install Flask")),
        ("/tasks/2", expects.text("DONE 2. Write a first route")),
        ("/tasks/3", expects.text("TO DO 3. Find out why <script> in a task...")),
        ("/tasks/4", expects.text("TO DO 4. Move every page into a template that...")),
    ]


def test_the_dashboard_lists_every_task_in_order(client, app_module):
    links = [row.find("a")["href"] for row in rows(client)]
    assert links == [f"/tasks/{task['id']}" for task in app_module.TASKS]


def test_the_dashboard_counts_the_done_tasks(client, app_module):
    done = sum(1 for task in app_module.TASKS if task["done"])
    total = len(app_module.TASKS)
    assert 0 < done < total, "the sample list should have tasks done and tasks to do"
    assert f"{done} of {total} done" in dashboard(client).get_text()


def test_each_row_is_marked_done_or_to_do(client, app_module):
    classes = [row["class"] for row in rows(client)]
    assert classes == [["done"] if task["done"] else ["todo"] for task in app_module.TASKS]


def test_a_task_added_to_the_list_shows_up(client, app_module):
    app_module.TASKS.append({"id": 99, "summary": "Read the Jinja docs", "done": True})
    row = rows(client)[-1]
    assert row.find("a")["href"] == "/tasks/99"
    assert "Read the Jinja docs" in row.get_text()
    assert f"{sum(t['done'] for t in app_module.TASKS)} of {len(app_module.TASKS)} done" in dashboard(client).get_text()


def test_the_list_lives_in_memory_and_a_restart_forgets_additions(app_module, app_dir):
    """A fresh start (a second import) begins again from the list in the code: nothing is saved yet."""
    first = len(app_module.TASKS)
    app_module.TASKS.append({"id": 99, "summary": "Lost on restart", "done": False})
    restarted = load_app_module(app_dir)
    assert len(restarted.TASKS) == first
    response = restarted.app.test_client().get("/tasks")
    assert "Lost on restart" not in response.get_data(as_text=True)


def test_the_dashboard_with_no_tasks_says_so(client, app_module):
    app_module.TASKS.clear()
    soup = dashboard(client)
    assert soup.select("ul.tasks > li") == []
    assert expects.text("no tasks") in soup.find("main").get_text().lower()


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_dashboard_only_answers_get(client, method):
    assert getattr(client, method)("/tasks").status_code == 405
