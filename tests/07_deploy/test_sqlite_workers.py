"""SQLite under several workers: WAL journal and a busy timeout, so writers wait instead of failing."""
import sqlite3
import threading
import time
from contextlib import closing

import pytest

from support.connections import is_closed, record_connections

pytestmark = pytest.mark.concept("SQLite under several workers", "sqlite-wal", zh="多个 worker 下的 SQLite")


def journal_mode(path):
    """The journal mode recorded in a database file ("wal" or "delete")."""
    with closing(sqlite3.connect(path)) as db:
        return db.execute("PRAGMA journal_mode").fetchone()[0]


def test_the_database_is_in_wal_mode_from_the_first_request(app, client):
    assert client.get("/tasks").status_code == 200
    assert journal_mode(app.config["DATABASE"]) == "wal"


def test_a_write_goes_through_while_another_worker_is_reading(app, client, tasks):
    """Pitfall 8: with the default rollback journal a long read blocks every commit until the
    busy timeout runs out ("database is locked"). With WAL, readers never block the writer.

    陷阱 8：在默认的回滚日志模式下，一次长时间的读取会阻塞每一次提交，直到 busy timeout 耗尽（“database is locked”）。在 WAL 模式下，读取者从不阻塞写入者。
    """
    assert tasks.add("Before the long read").status_code == 302
    with closing(sqlite3.connect(app.config["DATABASE"], isolation_level=None)) as reader:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM tasks").fetchone()  # holds a read lock until COMMIT
        start = time.monotonic()
        response = tasks.add("During the long read")
        elapsed = time.monotonic() - start
        reader.execute("COMMIT")
    assert response.status_code == 302
    assert elapsed < 2, f"The write waited {elapsed:.1f} s for the reader"
    assert tasks.summaries() == ["Before the long read", "During the long read"]


def test_a_write_waits_for_another_workers_write_instead_of_failing(app, tasks):
    """Pitfall 8: two writers take turns. The busy timeout makes the second wait for the lock.

    陷阱 8：两个写入者轮流写入。busy timeout 让第二个写入者等待锁。
    """
    assert tasks.add("First").status_code == 302
    other = sqlite3.connect(app.config["DATABASE"], isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # another worker is in the middle of a write
    other.execute("INSERT INTO tasks (summary) VALUES ('From the other worker')")
    finish = threading.Timer(1.0, other.execute, ["COMMIT"])
    finish.start()
    try:
        response = tasks.add("Waited for its turn")
    finally:
        finish.join()
        other.close()
    assert response.status_code == 302
    assert tasks.summaries() == ["First", "From the other worker", "Waited for its turn"]


@pytest.mark.parametrize("url", ["/tasks", "/healthz", "/api/tasks", "/search?q=x"])
def test_the_first_request_on_a_fresh_database_works_without_init_db(app, client, tmp_path, url):
    """Pitfall 1: gunicorn never runs the `if __name__ == "__main__":` block, so the schema is made on
    the first connection. The database is in a folder that does not exist yet.

    陷阱 1：gunicorn 从不运行 `if __name__ == "__main__":` 代码块，所以表结构在第一次连接时创建。数据库位于一个还不存在的文件夹中。
    """
    app.config["DATABASE"] = str(tmp_path / "instance" / "fresh.db")
    assert client.get(url).status_code == 200
    assert journal_mode(app.config["DATABASE"]) == "wal"


@pytest.fixture
def connections(monkeypatch):
    """Every connection sqlite3.connect opens from now on, in order (the app's and the test's own)."""
    return record_connections(monkeypatch)


@pytest.mark.parametrize("method, url, status", [
    ("GET", "/tasks", 200), ("GET", "/api/tasks", 200), ("GET", "/tasks/1", 200), ("GET", "/search?q=task", 200),
    ("GET", "/healthz", 200), ("POST", "/tasks", 302), ("POST", "/tasks/1/toggle", 302),
    ("POST", "/tasks/2/delete", 302), ("POST", "/tasks/purge", 302),
    ("GET", "/tasks/99", 404), ("POST", "/tasks/99/toggle", 404), ("POST", "/tasks", 400),
])
def test_a_request_uses_one_connection_and_closes_it_whatever_happened(client, tasks, connections,
                                                                       method, url, status):
    """One connection per request, kept on g and closed when the request ends, even after a 404 or a 400:
    a worker then holds no connection (and no lock on the database) between requests."""
    tasks.insert_many(3, done_every=2)
    token = tasks.token()
    connections.clear()
    data = {"csrf_token": token, "summary": "From the test" if status == 302 else ""}
    response = client.open(url, method=method, data=data if method == "POST" else None)
    assert response.status_code == status
    assert len(connections) == 1, f"{method} {url} opened {len(connections)} connections"
    assert is_closed(connections[0]), f"{method} {url} left its connection open"


def test_pages_that_show_no_tasks_open_even_when_the_database_cannot(app, client, tmp_path, connections):
    """The home, docs and sign-in pages never open the database, so they work while it is down."""
    app.config["DATABASE"] = str(tmp_path)  # a folder: SQLite cannot open it
    for url in ("/", "/docs", "/login", "/signup"):
        assert client.get(url).status_code == 200, url
    assert connections == []
    assert client.get("/healthz").status_code == 503  # the database really is down
