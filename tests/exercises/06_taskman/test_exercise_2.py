"""Exercise 2 of step 06: /api/tasks/<id> returns one task as JSON, a missing one a JSON 404."""
from support.exercises import exercise_concept
from support.messages import say

pytestmark = exercise_concept(__file__)


def test_one_task_is_the_same_object_as_in_the_list(client, tasks):
    first, second = tasks.add_all("Buy milk", "Write a letter")
    tasks.toggle(first)
    listed = {task["id"]: task for task in client.get("/api/tasks").get_json()}
    for task_id in (first, second):
        response = client.get(f"/api/tasks/{task_id}")
        assert response.status_code == 200 and response.mimetype == "application/json", say(
            "/api/tasks/{id} 应该回答 200 和 application/json，得到了 {status} {mimetype}。",
            "/api/tasks/{id} should answer 200 with application/json, got {status} {mimetype}.",
            id=task_id, status=response.status_code, mimetype=response.mimetype)
        assert response.get_json() == listed[task_id], say(
            "/api/tasks/{id} 返回了 {got}，应该和 /api/tasks 里的一样：{expected}。",
            "/api/tasks/{id} answered {got}, expected the same as in /api/tasks: {expected}.",
            id=task_id, got=response.get_json(), expected=listed[task_id])
    assert client.get(f"/api/tasks/{first}").get_json()["done"] is True


def test_a_missing_task_is_a_json_404(client, tasks):
    response = client.get("/api/tasks/12345")
    assert response.status_code == 404
    body = response.get_json(silent=True)
    assert response.mimetype == "application/json" and isinstance(body, dict) and body.get("error"), say(
        "不存在的任务应该回答 JSON {{\"error\": \"...\"}}，而不是一个 HTML 页面。",
        "A missing task should answer with the JSON {{\"error\": \"...\"}}, not an HTML page.")
