"""One database connection per request, kept on g and closed in teardown_appcontext whatever happened."""
import sqlite3

import pytest

from support.connections import is_closed, record_connections
from support.messages import expect, say

pytestmark = pytest.mark.concept("one connection per request", "connection-per-request", zh="每个请求一个数据库连接")


@pytest.fixture
def connections(monkeypatch):
    """Every connection opened with sqlite3.connect during the test, recorded by a spy."""
    return record_connections(monkeypatch)


@pytest.mark.parametrize("method, url, data, status", [
    ("GET", "/tasks", None, 200),
    ("GET", "/tasks/1", None, 200),
    ("GET", "/search?q=flask", None, 200),
    ("POST", "/tasks", {"summary": "Read the SQLite docs"}, 302),
    ("GET", "/tasks/999", None, 404),
    ("POST", "/tasks", {"summary": "   "}, 400),
], ids=["dashboard", "task page", "search", "add a task", "missing task 404", "refused form 400"])
def test_a_request_opens_one_connection_and_closes_it(client, tasks, connections, method, url, data, status):
    """Whatever the answer, even an error, the request's connection is closed once the response is sent."""
    tasks.add("Learn Flask")
    if data is not None:
        data = dict(data, csrf_token=tasks.token())
    connections.clear()
    response = client.open(url, method=method, data=data)
    assert response.status_code == status
    assert len(connections) == 1, say("{method} {url} 打开了 {count} 个连接；每个请求一个就够了。",
                                      "{method} {url} opened {count} connections; one per request is enough",
                                      method=method, url=url, count=len(connections))
    expect(is_closed(connections[0]), "connection-left-open", method=method, url=url)


def test_the_connection_is_closed_even_when_a_view_crashes(app, client, connections):
    """teardown_appcontext runs after any request, even one that raised an exception after using the database.

    (An after_request function would be skipped here, and the connection would stay open.)
    """
    @app.route("/crash")
    def crash():
        app.view_functions["tasks"]()  # the dashboard's view opens the connection
        raise RuntimeError("something went wrong after reading the tasks")

    with pytest.raises(RuntimeError):
        client.get("/crash")
    assert connections, say("仪表盘的视图没有用 sqlite3.connect 打开连接。",
                            "the dashboard's view opened no connection with sqlite3.connect")
    expect(all(is_closed(connection) for connection in connections), "connection-left-open",
           method="GET", url="/crash")


def test_a_request_that_reads_twice_still_uses_one_connection(app, client, connections):
    """The second get_db() in a request finds the connection on g instead of opening another one."""
    @app.route("/twice")
    def twice():
        app.view_functions["tasks"]()  # each of these views asks get_db() for the connection
        return app.view_functions["search"]()

    assert client.get("/twice").status_code == 200
    assert len(connections) == 1, f"one request opened {len(connections)} connections"
    assert is_closed(connections[0])


def test_each_request_gets_its_own_connection(client, connections):
    """A connection is never shared between requests: the second request opens a new one."""
    client.get("/tasks")
    client.get("/tasks")
    assert len(connections) == 2
    assert connections[0] is not connections[1]
    expect(all(is_closed(connection) for connection in connections), "connection-left-open",
           method="GET", url="/tasks")


def test_rows_come_back_as_sqlite3_row(client, connections):
    """The connection's row_factory is sqlite3.Row, so a view can write task["summary"] instead of task[1]."""
    client.get("/tasks")
    assert connections, "the dashboard opened no connection with sqlite3.connect"
    assert connections[0].row_factory is sqlite3.Row
