"""Every task has an owner, and every query that reads or changes tasks is the signed-in person's: another
person's task answers exactly what a task that does not exist answers, in the pages, the JSON API and search."""
import sqlite3
from contextlib import closing

import pytest

from support import expects, parse
from support.accounts import comparable
from support.messages import expect

pytestmark = pytest.mark.concept("every task has an owner; another user's task is a 404", "ownership",
                                 zh="每个任务都有主人；别人的任务是 404")


@pytest.fixture
def alice(users):
    """Alice, with three tasks: one of them done."""
    alice = users("alice")
    alice.ids = alice.add_all("Alice's secret plan", "Alice's shopping", "Alice's finished work")
    assert alice.toggle(alice.ids[2]).status_code == 302
    return alice


@pytest.fixture
def bob(users):
    """Bob, with no task, on his dashboard (its welcome message read)."""
    bob = users("bob")
    bob.page("/tasks")
    return bob


def every_row(app):
    with closing(sqlite3.connect(app.config["DATABASE"])) as db:
        return db.execute("SELECT id, user_id, summary, done FROM tasks ORDER BY id").fetchall()


def missing_id(app):
    """An id no task has (with as many digits as the ids in use, so that pages differ in nothing else)."""
    with closing(sqlite3.connect(app.config["DATABASE"])) as db:
        return db.execute("SELECT max(id) FROM tasks").fetchone()[0] + 1


def request(person, method, url):
    data = {"csrf_token": person.token()} if method == "POST" else None
    return person.client.open(url, method=method, data=data)


SURFACES = [("GET", "/tasks/{id}"), ("POST", "/tasks/{id}/toggle"), ("POST", "/tasks/{id}/delete")]


@pytest.mark.parametrize("method, url", SURFACES)
def test_another_persons_task_is_a_404_like_a_task_that_does_not_exist(app, alice, bob, method, url):
    """Pitfall 18: a 403 Forbidden (or any other answer) for someone else's task confirms that it exists, and its
    id tells how many tasks the site holds: the answer is the 404 of an id that does not exist, word for word.

    陷阱 18：对别人的任务回答 403 Forbidden（或任何别的回答），就证实了这个任务存在，它的 id 还透露出网站一共有多少任务：回答必须和不存在的 id 的 404 一字不差。
    """
    before = every_row(app)
    theirs, nobodys = alice.ids[0], missing_id(app)
    answer = request(bob, method, url.format(id=theirs))
    expected = request(bob, method, url.format(id=nobodys))
    assert expected.status_code == 404
    same = comparable(answer, theirs) == comparable(expected, nobodys)
    expect(same, "another-users-task", other="bob", owner="alice", method=method, url=url.format(id=theirs),
           status=answer.status_code, what="这和不存在的任务得到的回答不一样，等于证实了这个任务存在。",
           what_en="not the answer a task that does not exist gets, so it confirms the task exists.")
    assert every_row(app) == before, "nothing of Alice's changed"


def test_ownership_is_checked_in_the_query_not_only_in_the_template(app, alice, bob):
    """Pitfall 17: a dashboard that hides other people's tasks in the template still lets anyone open, toggle and
    delete them by typing their ids, and the JSON API, which has no template, lists them all.

    陷阱 17：如果只在模板里隐藏别人的任务，任何人照样可以输入 id 去打开、切换、删除它们；没有模板的 JSON API 更是把它们全部列出来。
    """
    secret = "Alice's secret plan"
    for url in ("/tasks", "/api/tasks", "/search?q=secret", "/search", f"/tasks/{alice.ids[0]}"):
        response = bob.client.get(url)
        expect(secret not in response.get_data(as_text=True), "another-users-task", other="bob", owner="alice",
               method="GET", url=url, status=response.status_code, what="页面里出现了别人的任务。",
               what_en="the page shows the other person's task.")
    assert bob.client.get("/api/tasks").get_json() == []
    assert bob.ids_shown() == []
    assert bob.counts() == {"total": 0, "pending": 0, "done": 0}


def test_searching_for_another_persons_words_finds_what_a_word_nobody_wrote_finds(alice, bob):
    theirs = bob.client.get("/search?q=secret")
    nobodys = bob.client.get("/search?q=zyzzyva")
    assert comparable(theirs, "secret") == comparable(nobodys, "zyzzyva")
    assert "0 results" in parse(theirs.get_data(as_text=True)).get_text()
    # Alice finds her own.
    assert [a.get_text() for a in parse(alice.page("/search?q=secret")).select("main ul a")] == ["Alice's secret plan"]


def test_search_without_words_lists_only_ones_own_tasks(alice, bob):
    bob.add_all("Bob's one task")
    listed = [a.get_text() for a in parse(bob.page("/search")).select("main ul a")]
    assert listed == ["Bob's one task"]
    assert "1 result" in parse(bob.page("/search")).get_text()


def test_removing_done_tasks_removes_only_ones_own(app, alice, bob):
    (done,) = bob.add_all("Bob's done task")
    assert bob.toggle(done).status_code == 302
    assert bob.purge().status_code == 302
    assert expects.text("Removed 1 done task.") in bob.flashes() or bob.rows() == []
    assert bob.rows() == []
    assert [row["summary"] for row in alice.rows()] == ["Alice's secret plan", "Alice's shopping",
                                                        "Alice's finished work"]


def test_a_new_task_belongs_to_who_added_it(app, alice, bob):
    (task,) = bob.add_all("Bob's task")
    assert [(row[0], row[1]) for row in every_row(app) if row[0] == task] == [(task, bob.owner)]
    assert bob.ids_shown() == [task]
    assert task not in alice.ids_shown()


def test_the_api_and_its_pages_list_only_ones_own_tasks(alice, bob):
    alice.insert_many(25)
    bob.add_all("Bob's task")
    listed = bob.client.get("/api/tasks").get_json()
    assert [task["summary"] for task in listed] == ["Bob's task"]
    assert bob.client.get("/api/tasks?page=2").get_json() == []
    assert len(alice.client.get("/api/tasks?page=3").get_json()) == 8


def test_another_persons_pages_of_tasks_are_no_pages_of_ones_own(alice, bob, paragraphs):
    alice.insert_many(25)
    response = bob.client.get("/tasks?page=2")
    assert response.status_code == 404
    assert expects.text("There is no page 2: the tasks fill 1.") in paragraphs(response)
    assert expects.text("Nothing to do yet") in bob.page("/tasks")


def test_a_task_keeps_its_owner_when_it_is_toggled(app, alice):
    before = {row[0]: row[1] for row in every_row(app)}
    for task in alice.ids:
        assert alice.toggle(task).status_code == 302
    assert {row[0]: row[1] for row in every_row(app)} == before
