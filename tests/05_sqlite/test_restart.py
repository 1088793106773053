"""Tasks are stored in a file, so they survive a restart of the app."""
import pytest

from support import Forms, load_app_module

pytestmark = pytest.mark.concept("tasks survive a restart", "restart", zh="重启后任务仍然保留")


def restarted(app_dir, database):
    """A second, fresh import of the step's app.py (a new process, in effect) using the same database file."""
    app = load_app_module(app_dir).app
    app.config.update(TESTING=True, DATABASE=database)
    return app.test_client()


def test_a_task_added_before_a_restart_is_still_there(app, app_dir, tasks):
    assert tasks.add("Survive the restart").status_code == 302
    task_id = tasks.rows()[0]["id"]
    client = restarted(app_dir, app.config["DATABASE"])
    assert "Survive the restart" in client.get("/tasks").get_data(as_text=True)
    detail = client.get(f"/tasks/{task_id}")
    assert detail.status_code == 200
    assert "Survive the restart" in detail.get_data(as_text=True)


def test_tasks_added_after_a_restart_join_the_old_ones(app, app_dir, tasks):
    assert tasks.add("Before").status_code == 302
    client = restarted(app_dir, app.config["DATABASE"])
    assert Forms(client).submit("/tasks", "/tasks", {"summary": "After"}).status_code == 302
    assert tasks.summaries() == ["Before", "After"]
