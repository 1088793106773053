"""A read-only JSON list of the tasks at /api/tasks, for programs rather than people."""
import pytest

from support import expects

pytestmark = pytest.mark.concept("a read-only JSON list", "json-api", zh="只读的 JSON 列表")

expects.route("GET /api/tasks")


def test_an_empty_list_is_an_empty_json_array(client):
    response = client.get("/api/tasks")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json() == expects.json([])


def test_each_task_is_an_object_with_id_summary_done_and_created(client, tasks):
    first, second = tasks.add_all("Learn Flask", "Write the API")
    tasks.toggle(first)
    rows = {row["id"]: row for row in tasks.rows()}
    assert client.get("/api/tasks").get_json() == expects.json([
        {"id": second, "summary": "Write the API", "done": False, "created": rows[second]["created"]},
        {"id": first, "summary": "Learn Flask", "done": True, "created": rows[first]["created"]},
    ])


def test_done_is_a_json_boolean(client, tasks):
    """SQLite stores 0 and 1; JSON readers expect true and false."""
    first, _ = tasks.add_all("done", "not done")
    tasks.toggle(first)
    assert {type(task["done"]) for task in client.get("/api/tasks").get_json()} == {bool}


def test_the_list_is_newest_first_with_ties_broken_by_id(client, tasks):
    """Pitfall 3: the same order as the dashboard, even for tasks added in the same second.

    陷阱 3：与仪表盘的顺序相同，即使任务是在同一秒内添加的。
    """
    same_second = [tasks.insert(f"task {n}", "2024-05-02 09:00:00") for n in range(3)]
    later = tasks.insert("later", "2024-05-03 09:00:00")
    ids = [task["id"] for task in client.get("/api/tasks").get_json()]
    assert ids == [later, *same_second[::-1]]


@pytest.mark.parametrize("summary", ["<script>alert(1)</script>", "Tom & Jerry \"quoted\"", "café ✓ 任务",
                                     "'); DROP TABLE tasks; --"])
def test_a_summary_comes_back_as_the_same_string(client, tasks, summary):
    """JSON is not HTML: the summary is not HTML-escaped, a JSON reader gets exactly what was typed."""
    tasks.add_all(summary)
    assert [task["summary"] for task in client.get("/api/tasks").get_json()] == [summary]


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_the_list_is_read_only(client, tasks, method):
    tasks.add_all("Learn Flask")
    assert client.open("/api/tasks", method=method, data={"csrf_token": tasks.token()}).status_code == 405
    assert tasks.summaries() == ["Learn Flask"]
