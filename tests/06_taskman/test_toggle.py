"""Toggling a task between done and not done, from the dashboard or the task's own page."""
import pytest

from support import expects
from support.pages import flashes

pytestmark = pytest.mark.concept("marking a task done", "toggle", zh="把任务标记为完成")

expects.form("POST /tasks/<int:task_id>/toggle", "csrf_token")


def test_toggling_marks_a_task_done_and_redirects_to_the_dashboard(tasks):
    task_id, other = tasks.add_all("Learn Flask", "Stay as it is")
    response = tasks.toggle(task_id)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/tasks")
    assert tasks.done() == {task_id: True, other: False}


def test_toggling_twice_makes_a_task_not_done_again(tasks):
    (task_id,) = tasks.add_all("Learn Flask")
    tasks.toggle(task_id)
    tasks.toggle(task_id)
    assert tasks.done() == {task_id: False}


def test_a_task_can_be_toggled_from_its_own_page(tasks):
    (task_id,) = tasks.add_all("Learn Flask")
    assert tasks.toggle(task_id, page=f"/tasks/{task_id}").status_code == 302
    assert tasks.done() == {task_id: True}
    assert expects.text("Status: done") in tasks.page(f"/tasks/{task_id}")


def test_the_dashboard_shows_a_done_task_differently(tasks):
    """The button offers the opposite action: "Done" on a pending task, "Undo" on a done one."""
    (task_id,) = tasks.add_all("Learn Flask")
    assert expects.text("Done") in tasks.page("/tasks") and expects.text("Undo") not in tasks.page("/tasks")
    tasks.toggle(task_id)
    assert "Undo" in tasks.page("/tasks")


def test_toggling_says_so(tasks):
    (task_id,) = tasks.add_all("Learn Flask")
    tasks.toggle(task_id)
    assert flashes(tasks.client.get("/tasks")) == [(["flash", "success"], expects.text("Task updated."))]
