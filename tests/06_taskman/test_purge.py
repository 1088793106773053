"""Removing every done task at once, and saying how many went."""
import pytest

from support import expects
from support.pages import flashes

pytestmark = pytest.mark.concept("removing done tasks", "purge", zh="清除已完成的任务")

expects.form("POST /tasks/purge", "csrf_token")


def test_purge_removes_only_the_done_tasks(tasks):
    first, second, third = tasks.add_all("done one", "still to do", "done two")
    tasks.toggle(first)
    tasks.toggle(third)
    response = tasks.purge()
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/tasks")
    assert tasks.done() == {second: False}


@pytest.mark.parametrize(("done_count", "message"), [
    (1, expects.text("Removed 1 done task.")), (2, expects.text("Removed 2 done tasks.")), (3, "Removed 3 done tasks."),
])
def test_purge_says_how_many_tasks_it_removed(tasks, done_count, message):
    ids = tasks.add_all("a", "b", "c", "d")
    for task_id in ids[:done_count]:
        tasks.toggle(task_id)
    tasks.client.get("/tasks")  # read (and so clear) the toggles' messages
    tasks.purge()
    assert flashes(tasks.client.get("/tasks")) == [(["flash", "success"], message)]
    assert len(tasks.rows()) == 4 - done_count


def test_purge_with_nothing_done_removes_nothing(client, tasks):
    tasks.add_all("a", "b")
    response = client.post("/tasks/purge", data={"csrf_token": tasks.token()})
    assert response.status_code == 302
    assert tasks.summaries() == ["a", "b"]
    assert tasks.flashes() == [expects.text("Removed 0 done tasks.")]


def test_the_purge_button_is_shown_only_when_a_task_is_done(tasks):
    (task_id,) = tasks.add_all("a")
    assert 'action="/tasks/purge"' not in tasks.page("/tasks")
    tasks.toggle(task_id)
    assert 'action="/tasks/purge"' in tasks.page("/tasks")
