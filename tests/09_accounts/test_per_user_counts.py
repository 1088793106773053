"""Counts per person: step 07's counts row becomes a row per user, kept by the triggers, right after whatever two
people do side by side."""
import random
import sqlite3
from contextlib import closing

import pytest

pytestmark = pytest.mark.concept("counts per user", "per-user-counts", zh="每个用户各自的计数")


def counted(person):
    """What the person's rows in the database add up to, as their dashboard should show it."""
    rows = person.rows()
    done = sum(1 for row in rows if row["done"])
    return {"total": len(rows), "pending": len(rows) - done, "done": done}


def kept(app):
    """{user_id: (total, done)} as the task_counts table keeps them (users without a row count zero)."""
    with closing(sqlite3.connect(app.config["DATABASE"])) as db:
        return {user: (total, done) for user, total, done in
                db.execute("SELECT user_id, total, done FROM task_counts") if total or done}


def test_each_person_counts_only_their_own_tasks(users):
    alice, bob = users("alice", "bob")
    alice.add_all("One", "Two", "Three")
    (done,) = bob.add_all("Bob's")
    bob.toggle(done)
    assert alice.counts() == {"total": 3, "pending": 3, "done": 0}
    assert bob.counts() == {"total": 1, "pending": 0, "done": 1}


@pytest.mark.later  # a long mixed session: a longer check, in the check's second tier
def test_the_counts_match_the_rows_after_two_people_mix_their_actions(app, users):
    """Sixty actions chosen at random (the same each run), by two people in turn, some aimed at the other's
    tasks (a 404 that must change no count): after each, both dashboards agree with the rows."""
    people = users("alice", "bob")
    choose = random.Random(9)
    tokens = {person.username: person.token() for person in people}
    for step in range(60):
        person = choose.choice(people)
        other = people[1] if person is people[0] else people[0]
        own = [row["id"] for row in person.rows()]
        theirs = [row["id"] for row in other.rows()]
        action = choose.choice(["add", "add", "toggle", "toggle", "delete", "purge", "theirs"])
        token = tokens[person.username]
        if action == "add" or (action in ("toggle", "delete") and not own):
            response = person.client.post("/tasks", data={"summary": f"Task {step}", "csrf_token": token})
            assert response.status_code == 302
        elif action in ("toggle", "delete"):
            response = person.client.post(f"/tasks/{choose.choice(own)}/{action}", data={"csrf_token": token})
            assert response.status_code == 302
        elif action == "purge":
            assert person.client.post("/tasks/purge", data={"csrf_token": token}).status_code == 302
        elif theirs:
            verb = choose.choice(["toggle", "delete"])
            response = person.client.post(f"/tasks/{choose.choice(theirs)}/{verb}", data={"csrf_token": token})
            assert response.status_code == 404, f"step {step}: {person.username} could {verb} a task of {other.username}"
        for someone in people:
            assert someone.counts() == counted(someone), f"after step {step} ({person.username}: {action})"
    totals = {person.owner: (counted(person)["total"], counted(person)["done"]) for person in people}
    assert kept(app) == {user: value for user, value in totals.items() if value != (0, 0)}


def test_the_counts_are_kept_in_a_row_per_user(app, users):
    alice, bob = users("alice", "bob")
    alice.add_all("One", "Two")
    bob.add_all("Three")
    assert kept(app) == {alice.owner: (2, 0), bob.owner: (1, 0)}


def test_a_person_with_many_tasks_costs_another_nothing(users):
    """The counts of one person are a row of their own: another's 2,500 tasks change nothing in them."""
    alice, bob = users("alice", "bob")
    alice.insert_many(2500, done_every=3)
    bob.insert_many(7, done_every=2)
    assert alice.counts() == {"total": 2500, "pending": 1666, "done": 834}
    assert bob.counts() == {"total": 7, "pending": 3, "done": 4}
