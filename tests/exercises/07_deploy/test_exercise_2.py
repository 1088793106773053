"""Exercise 2 of step 07: /api/tasks?before=<id>, keyset pagination without OFFSET."""
import sqlite3

import pytest

from support.exercises import exercise_concept
from support.messages import say

pytestmark = exercise_concept(__file__)


@pytest.fixture
def statements(monkeypatch):
    """Every SQL statement the app runs during the test."""
    ran = []
    real_connect = sqlite3.connect

    def connect(*args, **kwargs):
        db = real_connect(*args, **kwargs)
        db.set_trace_callback(ran.append)
        return db

    monkeypatch.setattr(sqlite3, "connect", connect)
    return ran


def ids(client, url):
    response = client.get(url)
    assert response.status_code == 200, say("GET {url} 返回了 {status}。", "GET {url} answered {status}.",
                                            url=url, status=response.status_code)
    return [task["id"] for task in response.get_json()]


def test_following_before_walks_every_task_once_newest_first(client, tasks):
    created = tasks.insert_many(23)
    # Three more in the same second as the newest: the id breaks the tie.
    same = [tasks.insert(f"Same second {n}", "2024-01-01 00:00:22") for n in range(3)]
    expected = sorted(created + same, key=lambda i: (i in same or i == created[-1], i), reverse=True)
    seen, page = [], ids(client, "/api/tasks")
    while page:
        seen += page
        url = f"/api/tasks?before={page[-1]}"
        page = ids(client, url)
        assert not set(page) & set(seen), say("{url} 又返回了已经显示过的任务 {again}。",
                                              "{url} answers tasks shown already: {again}.",
                                              url=url, again=sorted(set(page) & set(seen))[:5])
    assert seen == expected, say("顺着 ?before= 翻页得到 {seen}，应该是 {expected}。",
                                 "Following ?before= gives {seen}, expected {expected}.", seen=seen, expected=expected)


def test_before_runs_no_offset(client, tasks, statements):
    ids_made = tasks.insert_many(30)
    statements.clear()
    assert ids(client, f"/api/tasks?before={ids_made[20]}") == ids_made[19:9:-1]
    queries = [sql for sql in statements if "FROM tasks" in sql and "SELECT" in sql.upper()]
    assert queries and not any("OFFSET" in sql.upper() for sql in queries), say(
        "?before= 的查询里不应该有 OFFSET：{queries}", "The queries for ?before= should have no OFFSET: {queries}",
        queries=queries)


def test_an_unknown_task_is_a_json_404(client, tasks):
    tasks.insert_many(3)
    response = client.get("/api/tasks?before=999")
    assert response.status_code == 404 and (response.get_json(silent=True) or {}).get("error"), say(
        "?before= 一个不存在的任务应该回答 JSON 错误和 404。",
        "?before= a task that does not exist should answer a JSON error with 404.")


def test_page_still_works(client, tasks):
    made = tasks.insert_many(12)
    assert ids(client, "/api/tasks?page=2") == made[1::-1]
