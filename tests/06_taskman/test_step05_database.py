"""What step 05 built still works: one connection per request, the schema, the database's path, search, task pages."""
import re
import sqlite3
from pathlib import Path
from urllib.parse import quote

import pytest

from support import Forms, expects, load_app_module, parse
from support.connections import is_closed, record_connections

pytestmark = pytest.mark.concept("the database from step 05, unchanged", "database-from-step-05", zh="第 05 步的数据库，保持不变")

PER_PAGE = 3

expects.route("GET /search?q=…&page=…")
expects.file("instance/tasks.db")
expects.env("FLASK_DATABASE")
expects.command("flask init-db")


@pytest.fixture
def connections(monkeypatch):
    """Every connection opened with sqlite3.connect during the test, recorded by a spy."""
    return record_connections(monkeypatch)


@pytest.mark.parametrize(("method", "url", "status"), [
    ("GET", "/tasks", 200), ("GET", "/search?q=flask", 200), ("GET", "/tasks/999", 404),
    ("POST", "/tasks", 302), ("POST", "/tasks", 400),
])
def test_each_request_uses_one_connection_and_closes_it(client, tasks, connections, method, url, status):
    """Whatever the answer, even an error, the request's connection is closed once the response is sent."""
    data = {"csrf_token": tasks.token(), "summary": "Learn Flask" if status == 302 else ""}
    connections.clear()
    response = client.open(url, method=method, data=data if method == "POST" else None)
    assert response.status_code == status
    assert len(connections) == 1, f"{method} {url} opened {len(connections)} connections"
    assert is_closed(connections[0]), f"{method} {url} left its connection open"
    assert connections[0].row_factory is sqlite3.Row


def test_the_connection_is_shared_within_a_request_and_closed_after_a_crash(app, client, connections):
    @app.route("/crash")
    def crash():
        app.view_functions["tasks"]()  # two views, two calls of get_db(), one connection
        app.view_functions["search"]()
        raise RuntimeError("something went wrong after reading the tasks")

    with pytest.raises(RuntimeError):
        client.get("/crash")
    assert len(connections) == 1
    assert is_closed(connections[0])


def test_init_db_can_run_twice_keeps_the_tasks_and_says_where(app, runner, tasks):
    tasks.add_all("Keep me")
    for _ in range(2):
        result = runner.invoke(args=["init-db"])
        assert result.exit_code == 0, result.output
        database = app.config["DATABASE"]
        assert result.output == expects.text(f"Initialized the database at {database}.") + "\n"
    assert tasks.summaries() == ["Keep me"]


def test_the_first_request_on_a_fresh_database_works_without_init_db(app, tasks, tmp_path):
    """Pitfall 1: the schema is created on the connection, not under `if __name__ == "__main__":`.

    陷阱 1：表结构在打开连接时创建，而不是在 `if __name__ == "__main__":` 之下。
    """
    app.config["DATABASE"] = str(tmp_path / "instance" / "tasks.db")
    assert tasks.client.get("/search?q=flask").status_code == 200
    tasks.add_all("The very first task")
    assert tasks.summaries() == ["The very first task"]


def test_the_database_is_tasks_db_in_the_instance_folder_unless_flask_database_says_otherwise(
        app_dir, monkeypatch, tmp_path):
    monkeypatch.delenv("FLASK_DATABASE", raising=False)
    default = load_app_module(app_dir).app
    assert Path(default.config["DATABASE"]).resolve() == Path(default.instance_path).resolve() / "tasks.db"
    chosen = tmp_path / "elsewhere" / "tasks.db"
    monkeypatch.setenv("FLASK_DATABASE", str(chosen))
    configured = load_app_module(app_dir).app
    configured.config.update(TESTING=True)
    assert Forms(configured.test_client()).submit("/tasks", "/tasks", {"summary": "Elsewhere"}).status_code == 302
    assert chosen.is_file()


def test_tasks_survive_a_restart(app, app_dir, tasks):
    """A second, fresh import of app.py (a new process, in effect) on the same file lists the same tasks."""
    ids = tasks.add_all("Added before the restart", "This one too")
    restarted = load_app_module(app_dir).app
    restarted.config.update(TESTING=True, DATABASE=app.config["DATABASE"])
    client = restarted.test_client()
    dashboard = parse(client.get("/tasks").get_data(as_text=True))
    links = [link["href"] for link in dashboard.find_all("a", href=re.compile(r"^/tasks/\d+$"))]
    assert links == [f"/tasks/{task_id}" for task_id in ids[::-1]]
    assert "Added before the restart" in client.get(f"/tasks/{ids[0]}").get_data(as_text=True)


def test_a_task_page_shows_the_stored_task(tasks):
    (task_id,) = tasks.add_all("Read about sqlite3.Row")
    row = tasks.rows()[0]
    text = parse(tasks.page(f"/tasks/{task_id}")).get_text(" ", strip=True)
    assert "Read about sqlite3.Row" in text
    assert row["created"] in text
    assert expects.text("Status: to do.") in text


@pytest.mark.parametrize("url", ["/tasks/999", "/tasks/0", "/tasks/abc"])
def test_a_missing_task_page_is_404(client, tasks, url):
    tasks.add_all("The only task")
    assert client.get(url).status_code == 404


def test_a_missing_task_says_which(client):
    assert f"<p>{expects.text('There is no task #999.')}</p>" in client.get("/tasks/999").get_data(as_text=True)


def test_search_finds_tasks_whatever_the_case_and_takes_wildcards_literally(tasks):
    ids = dict(zip(["flask", "percent", "snake", "quote"],
                   tasks.add_all("Learn FLASK", "100% done", "snake_case names", "It's Ada's task")))
    assert tasks.ids_shown("/search?q=flask") == [ids["flask"]]
    assert tasks.ids_shown(f"/search?q={quote('%')}") == [ids["percent"]]
    assert tasks.ids_shown("/search?q=_") == [ids["snake"]]
    assert tasks.ids_shown(f"/search?q={quote(chr(39))}") == [ids["quote"]]
    assert tasks.ids_shown(f"/search?q={quote(chr(39) + ' OR 1=1 --')}") == []


def test_search_pages_through_the_matches_newest_first(tasks):
    matching = tasks.add_all(*[f"Flask exercise {n}" for n in range(5)])[::-1]
    tasks.add_all("Something else")
    assert tasks.ids_shown("/search?q=flask") == matching[:PER_PAGE]
    assert tasks.ids_shown("/search?q=flask&page=2") == matching[PER_PAGE:]
    assert tasks.ids_shown("/search?q=flask&page=abc") == matching[:PER_PAGE]
    first = tasks.page("/search?q=flask")
    assert expects.text("5 results") in first and "page=2" in first
    assert "page=3" not in tasks.page("/search?q=flask&page=2")


def test_the_next_page_link_appears_only_when_more_matches_are_left(tasks):
    """Exactly one page of matches has no "Next page"; one match more adds it."""
    tasks.add_all(*[f"Flask exercise {n}" for n in range(PER_PAGE)])
    assert parse(tasks.page("/search?q=flask")).find("a", string=expects.text("Next page")) is None
    tasks.add_all("One Flask exercise more")
    link = parse(tasks.page("/search?q=flask")).find("a", string="Next page")
    assert link is not None and link["href"] == "/search?q=flask&page=2"


def test_a_search_without_a_word_lists_every_task(tasks):
    ids = tasks.add_all("Learn Flask", "Buy milk")
    assert tasks.ids_shown("/search") == ids[::-1]


@pytest.mark.parametrize("page", ["0", "-1"])
def test_a_search_page_below_one_is_400(client, page):
    response = client.get(f"/search?q=flask&page={page}")
    assert response.status_code == 400
    assert f"<p>{expects.text('The page number must be 1 or more.')}</p>" in response.get_data(as_text=True)
