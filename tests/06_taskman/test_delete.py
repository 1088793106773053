"""Deleting one task, after a confirmation in the browser."""
import pytest

from support import expects
from support.pages import flashes

pytestmark = pytest.mark.concept("deleting a task", "delete", zh="删除任务")

expects.form("POST /tasks/<int:task_id>/delete", "csrf_token")


def test_deleting_removes_only_that_task_and_redirects_to_the_dashboard(client, tasks):
    keep, gone = tasks.add_all("Keep me", "Delete me")
    response = tasks.delete(gone)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/tasks")
    assert tasks.summaries() == ["Keep me"]
    assert tasks.ids_shown("/tasks") == [keep]
    assert client.get(f"/tasks/{gone}").status_code == 404


def test_a_task_can_be_deleted_from_its_own_page(tasks):
    (task_id,) = tasks.add_all("Delete me")
    assert tasks.delete(task_id, page=f"/tasks/{task_id}").status_code == 302
    assert tasks.rows() == []


def test_deleting_says_so(tasks):
    (task_id,) = tasks.add_all("Delete me")
    tasks.delete(task_id)
    assert flashes(tasks.client.get("/tasks")) == [(["flash", "success"], expects.text("Task deleted."))]
