"""Exercise 2 of step 08: the page size as configuration, PAGE_SIZE, that a test chooses through create_app()."""
import pytest

from support import Forms, TaskActions
from support.exercises import exercise_concept
from support.messages import say

pytestmark = exercise_concept(__file__)


def made(app_module, tmp_path, **config):
    """An app made by create_app() with this configuration, and its TaskActions."""
    app = app_module.create_app({"TESTING": True, "DATABASE": str(tmp_path / "tasks.db"), **config})
    client = app.test_client()
    return TaskActions(app, client, Forms(client))


def test_ten_tasks_a_page_by_default(app_module, tmp_path):
    tasks = made(app_module, tmp_path)
    assert tasks.app.config.get("PAGE_SIZE") == 10, say(
        "create_app() 应该把 app.config[\"PAGE_SIZE\"] 设为 10（在读取 test_config 之前），现在是 {value!r}。",
        "create_app() should set app.config[\"PAGE_SIZE\"] to 10 (before it reads test_config), not {value!r}.",
        value=tasks.app.config.get("PAGE_SIZE"))
    tasks.add_all(*[f"Task {number}" for number in range(11)])
    assert len(tasks.client.get("/api/tasks").get_json()) == 10


def test_a_test_config_chooses_the_page_size(app_module, tmp_path):
    tasks = made(app_module, tmp_path, PAGE_SIZE=3)
    tasks.add_all("Task 1", "Task 2", "Task 3", "Task 4")
    sizes = [len(tasks.client.get(f"/api/tasks?page={page}").get_json()) for page in (1, 2)]
    assert sizes == [3, 1], say(
        "create_app({{\"PAGE_SIZE\": 3}}) 加上四个任务：/api/tasks 的第 1、2 页应该有 3 和 1 个任务，现在是 {sizes}。",
        "create_app({{\"PAGE_SIZE\": 3}}) and four tasks: pages 1 and 2 of /api/tasks should hold 3 and 1 tasks, "
        "not {sizes}.", sizes=sizes)
    second = tasks.client.get("/tasks?page=2")
    assert second.status_code == 200 and "Task 1" in second.get_data(as_text=True), say(
        "仪表盘也要用 PAGE_SIZE：三个一页时，最早的任务在 /tasks?page=2 上。",
        "The dashboard uses PAGE_SIZE too: three a page, the oldest task is on /tasks?page=2.")
    assert tasks.client.get("/tasks?page=3").status_code == 404


def test_a_large_page_size_still_refuses_a_page_beyond_the_last(app_module, tmp_path):
    tasks = made(app_module, tmp_path, PAGE_SIZE=100)
    for path in (f"/tasks?page={2**62}", f"/api/tasks?page={2**62}"):
        status = tasks.client.get(path).status_code
        assert status == 404, say(
            "PAGE_SIZE 为 100 时，{path} 应该回答 404，而不是 {status}：页码乘以每页的任务数不能超出 SQLite 的 64 位。",
            "With a PAGE_SIZE of 100, {path} should answer 404, not {status}: the page number times the page size "
            "must stay within SQLite's 64 bits.", path=path, status=status)


@pytest.mark.parametrize("value", [0, -1, "3"])
def test_a_page_size_that_is_not_a_positive_number_stops_the_app(app_module, tmp_path, value):
    with pytest.raises(SystemExit) as stopped:
        made(app_module, tmp_path, PAGE_SIZE=value)
    assert "PAGE_SIZE" in str(stopped.value), say(
        "PAGE_SIZE={value!r} 时 create_app() 应该拒绝启动，并在那一行里说出 PAGE_SIZE。",
        "With PAGE_SIZE={value!r} create_app() should refuse to start, naming PAGE_SIZE in its one line.",
        value=value)
