"""Two people working at the same time, in different sessions, never see or change each other's tasks
(threads in one process here; through gunicorn's workers behind nginx in test_servers.py)."""
import random
import re
import threading

import pytest

from support import parse
from support.accounts import Account

pytestmark = pytest.mark.concept("two users at the same time never meet", "two-users", zh="两个用户同时使用，互不相见")

TASK_LINK = re.compile(r"^/tasks/(\d+)$")


class Person(threading.Thread):
    """One person's session, in a thread: adds, toggles, deletes, reads every page, and tries the ids the others
    published; records what they did and anything that went wrong."""

    def __init__(self, account, published, start_together, rounds=25, seed=0):
        super().__init__(name=account.username)
        self.account, self.published, self.start_together = account, published, start_together
        self.rounds, self.choose = rounds, random.Random(seed)
        self.mine = {}  # id: done, as this person knows them
        self.problems = []

    def check(self, condition, what):
        if not condition:
            self.problems.append(f"{self.account.username}: {what}")

    def run(self):
        try:
            self.work()
        except Exception as error:  # reported by the test, with the person's name
            self.problems.append(f"{self.account.username}: {error!r}")

    def work(self):
        client, name = self.account.client, self.account.username
        page = client.get("/tasks").get_data(as_text=True)
        token = parse(page).find("input", attrs={"name": "csrf_token"})["value"]
        self.start_together.wait(timeout=30)
        for number in range(self.rounds):
            response = client.post("/tasks", data={"summary": f"{name} task {number}", "csrf_token": token})
            self.check(response.status_code == 302, f"adding answered {response.status_code}")
            listed = client.get("/api/tasks").get_json()
            newest = listed[0]
            self.check(newest["summary"] == f"{name} task {number}", f"the newest task listed is {newest}")
            self.mine[newest["id"]] = False
            self.published.append((name, newest["id"]))
            action = self.choose.choice(["toggle", "delete", "nothing", "theirs"])
            own = self.choose.choice(sorted(self.mine))
            if action in ("toggle", "delete"):
                response = client.post(f"/tasks/{own}/{action}", data={"csrf_token": token})
                self.check(response.status_code == 302, f"{action} of own task {own} answered {response.status_code}")
                if action == "toggle":
                    self.mine[own] = not self.mine[own]
                else:
                    del self.mine[own]
            elif action == "theirs":
                theirs = [task for owner, task in list(self.published) if owner != name]
                if theirs:
                    target = self.choose.choice(theirs)
                    verb = self.choose.choice(["toggle", "delete", "view"])
                    url = f"/tasks/{target}" if verb == "view" else f"/tasks/{target}/{verb}"
                    response = client.open(url, method="GET" if verb == "view" else "POST",
                                           data=None if verb == "view" else {"csrf_token": token})
                    self.check(response.status_code == 404, f"{verb} of another's task {target}: {response.status_code}")
            self.look(client, name)

    def look(self, client, name):
        """Every page this person reads shows their tasks, and only theirs."""
        for url in ("/tasks", "/search?q=task", "/search"):
            html = client.get(url).get_data(as_text=True)
            summaries = [a.get_text() for a in parse(html).find_all("a", href=TASK_LINK)]
            strangers = [text for text in summaries if not text.startswith(f"{name} ")]
            self.check(not strangers, f"{url} shows {strangers}")
        listed = client.get("/api/tasks").get_json()
        self.check(all(task["summary"].startswith(f"{name} ") for task in listed), f"/api/tasks lists {listed}")
        expected = sorted(self.mine, reverse=True)[:10]
        self.check([task["id"] for task in listed] == expected, f"/api/tasks lists {listed}, expected ids {expected}")


def run_together(people):
    for person in people:
        person.start()
    for person in people:
        person.join(timeout=120)
    problems = [problem for person in people for problem in person.problems]
    assert not problems, "\n".join(problems[:20])


def test_two_people_working_at_once_each_see_and_change_only_their_own(users):
    accounts = users("alice", "bob")
    published, together = [], threading.Barrier(len(accounts))
    people = [Person(account, published, together, seed=n) for n, account in enumerate(accounts)]
    run_together(people)
    for person in people:
        rows = person.account.rows()
        assert {row["id"]: bool(row["done"]) for row in rows} == person.mine
        assert all(row["summary"].startswith(f"{person.account.username} ") for row in rows)
        done = sum(person.mine.values())
        assert person.account.counts() == {"total": len(person.mine), "pending": len(person.mine) - done, "done": done}


def test_one_person_in_two_browsers_and_another_at_the_same_time(app, users):
    """Two sessions of one account (a laptop and a phone) share its tasks; a third session, another person's,
    sees none of them."""
    alice, bob = users("alice", "bob")
    phone = Account(app, "alice")
    assert phone.client is not alice.client
    published, together = [], threading.Barrier(2)
    people = [Person(phone, published, together, rounds=20, seed=3),
              Person(bob, published, together, rounds=20, seed=4)]
    run_together(people)
    assert sorted(row["id"] for row in alice.rows()) == sorted(people[0].mine)
    assert {task["id"] for task in alice.client.get("/api/tasks").get_json()} == set(sorted(people[0].mine)[-10:])
