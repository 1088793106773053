"""The dashboard's counts (total, pending, done) are right after everything a user does.

Step 07 no longer counts the rows on each page view: SQLite keeps the two numbers in a table of one
row, updated by triggers with every change to the tasks. Each test compares what the dashboard shows
with the rows the database file really holds, after each action.
"""
import random
import sqlite3
from contextlib import closing

import pytest

from support import ROOT, expects

pytestmark = pytest.mark.concept("a counts row kept by triggers", "counts-row", zh="由触发器维护的计数行")

# tasks.counts() (support/tasks.py) reads them on the dashboard: a number, then its name.
expects.text("{n} total", "{n} pending", "{n} done")


def counted(tasks):
    """The counts the rows of the database file add up to, as the dashboard should show them."""
    rows = tasks.rows()
    done = sum(1 for row in rows if row["done"])
    return {"total": len(rows), "pending": len(rows) - done, "done": done}


def shows(tasks, total, pending, done):
    """Check the dashboard's counts, and that they agree with the rows in the database file."""
    expected = {"total": total, "pending": pending, "done": done}
    assert tasks.counts() == expected
    assert counted(tasks) == expected


def test_an_added_task_is_counted_as_pending(tasks):
    shows(tasks, total=0, pending=0, done=0)
    assert tasks.add("First").status_code == 302
    shows(tasks, total=1, pending=1, done=0)
    assert tasks.add("Second").status_code == 302
    shows(tasks, total=2, pending=2, done=0)


def test_toggling_moves_a_task_from_pending_to_done_and_back(tasks):
    first, second = tasks.add_all("First", "Second")
    assert tasks.toggle(first).status_code == 302
    shows(tasks, total=2, pending=1, done=1)
    assert tasks.toggle(second).status_code == 302
    shows(tasks, total=2, pending=0, done=2)
    assert tasks.toggle(first).status_code == 302
    shows(tasks, total=2, pending=1, done=1)
    assert tasks.toggle(second).status_code == 302
    shows(tasks, total=2, pending=2, done=0)


def test_toggling_on_the_tasks_own_page_counts_too(tasks):
    (task,) = tasks.add_all("Toggled on its own page")
    assert tasks.toggle(task, page=f"/tasks/{task}").status_code == 302
    shows(tasks, total=1, pending=0, done=1)


def test_deleting_a_done_task_lowers_total_and_done(tasks):
    keep, done_task = tasks.add_all("Keep", "Done, then deleted")
    assert tasks.toggle(done_task).status_code == 302
    assert tasks.delete(done_task).status_code == 302
    shows(tasks, total=1, pending=1, done=0)
    assert tasks.summaries() == ["Keep"]


def test_deleting_a_pending_task_lowers_total_and_pending(tasks):
    done_task, pending_task = tasks.add_all("Done", "Pending, then deleted")
    assert tasks.toggle(done_task).status_code == 302
    assert tasks.delete(pending_task).status_code == 302
    shows(tasks, total=1, pending=0, done=1)


def test_purging_removes_the_done_tasks_from_the_counts(tasks):
    ids = tasks.add_all("One", "Two", "Three", "Four", "Five")
    for task_id in ids[::2]:
        assert tasks.toggle(task_id).status_code == 302
    shows(tasks, total=5, pending=2, done=3)
    assert tasks.purge().status_code == 302
    shows(tasks, total=2, pending=2, done=0)


def test_a_task_added_after_a_purge_is_counted_from_the_new_numbers(tasks):
    (task,) = tasks.add_all("Done and purged")
    assert tasks.toggle(task).status_code == 302
    assert tasks.purge().status_code == 302
    shows(tasks, total=0, pending=0, done=0)
    assert tasks.add("After the purge").status_code == 302
    shows(tasks, total=1, pending=1, done=0)


@pytest.mark.parametrize("summary", ["", "   ", "x" * 301])
def test_a_refused_task_changes_no_count(tasks, summary):
    tasks.add_all("Already there")
    assert tasks.add(summary).status_code == 400
    shows(tasks, total=1, pending=1, done=0)


@pytest.mark.parametrize("action", ["toggle", "delete"])
def test_a_404_for_a_missing_task_changes_no_count(client, tasks, action):
    """Pitfall 4: nothing happened, so nothing is counted: no drift, before or after.

    陷阱 4：什么也没发生，所以什么也不计入：无论之前还是之后，计数都没有偏差。
    """
    pending, done = tasks.add_all("Pending", "Done")
    assert tasks.toggle(done).status_code == 302
    token = tasks.token()
    for missing in (done + 1, 999, 0):
        assert client.post(f"/tasks/{missing}/{action}", data={"csrf_token": token}).status_code == 404
        shows(tasks, total=2, pending=1, done=1)
    # The counts go on from the right numbers afterwards.
    assert tasks.delete(done).status_code == 302
    shows(tasks, total=1, pending=1, done=0)


@pytest.mark.parametrize("action", ["toggle", "delete"])
def test_a_task_deleted_once_is_a_404_the_second_time_and_counted_once(client, tasks, action):
    """A second tab or a double click sends the same form again after the task is gone."""
    pending, done = tasks.add_all("Pending", "Done")
    assert tasks.toggle(done).status_code == 302
    token = tasks.token()
    assert client.post(f"/tasks/{done}/delete", data={"csrf_token": token}).status_code == 302
    assert client.post(f"/tasks/{done}/{action}", data={"csrf_token": token}).status_code == 404
    shows(tasks, total=1, pending=1, done=0)


def test_the_counts_never_go_below_zero(client, tasks):
    ids = tasks.add_all("Done", "Pending")
    assert tasks.toggle(ids[0]).status_code == 302
    for task_id in ids:
        assert tasks.delete(task_id).status_code == 302
    shows(tasks, total=0, pending=0, done=0)
    token = tasks.token()
    assert client.post("/tasks/purge", data={"csrf_token": token}).status_code == 302
    for task_id in ids:
        for action in ("toggle", "delete"):
            assert client.post(f"/tasks/{task_id}/{action}", data={"csrf_token": token}).status_code == 404
    shows(tasks, total=0, pending=0, done=0)
    assert expects.text("Nothing to do yet") in tasks.page("/tasks")


@pytest.mark.later  # sixty actions: a longer check, in the second tier
def test_the_counts_match_the_rows_after_a_long_mixed_session(client, tasks):
    """Sixty actions in a row, chosen at random (the same each run): after every one of them,
    the dashboard agrees with the rows in the database, including after 404s."""
    choose = random.Random(7)
    token = tasks.token()
    for step in range(60):
        ids = [row["id"] for row in tasks.rows()]
        action = choose.choice(["add", "add", "toggle", "toggle", "delete", "purge", "missing"])
        if action == "add" or not ids:
            response = client.post("/tasks", data={"summary": f"Task {step}", "csrf_token": token})
        elif action in ("toggle", "delete"):
            response = client.post(f"/tasks/{choose.choice(ids)}/{action}", data={"csrf_token": token})
        elif action == "purge":
            response = client.post("/tasks/purge", data={"csrf_token": token})
        else:
            missing = max(ids) + 1
            response = client.post(f"/tasks/{missing}/{choose.choice(['toggle', 'delete'])}",
                                   data={"csrf_token": token})
        assert response.status_code == (404 if action == "missing" and ids else 302)
        assert tasks.counts() == counted(tasks), f"after action {step} ({action})"


# A database that step 06 made: its schema, tasks done and not done, and no table of counts.
STEP_06_TASKS = [("Learn Flask", 1), ("Write tests", 0), ("Deploy", 0), ("Back up", 1), ("Sleep", 0)]


def step06_database(path, rows=STEP_06_TASKS):
    """Create a database file with step 06's schema.sql and these (summary, done) rows; return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    schema = (ROOT / "steps" / "06_taskman" / "schema.sql").read_text(encoding="utf-8")
    with closing(sqlite3.connect(path)) as db:
        db.executescript(schema)
        db.executemany("INSERT INTO tasks (summary, done) VALUES (?, ?)", rows)
        db.commit()
        objects = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")}
    assert objects == {"tasks"}, f"Step 06's schema.sql should make the tasks table alone, not {objects}"
    return path


def test_a_step_06_database_shows_the_right_counts_when_the_app_starts_on_it(fresh_tasks, tmp_path):
    """Upgrading from step 06: APP_DATABASE names the old file, and the app loads on it (as gunicorn does)."""
    path = step06_database(tmp_path / "06" / "tasks.db")
    tasks = fresh_tasks(APP_DATABASE=str(path))
    assert tasks.path == str(path)
    shows(tasks, total=5, pending=3, done=2)
    assert tasks.summaries() == [summary for summary, _ in STEP_06_TASKS]


def test_a_step_06_database_goes_on_counting_right(fresh_tasks, tmp_path):
    path = step06_database(tmp_path / "06" / "tasks.db")
    tasks = fresh_tasks(APP_DATABASE=str(path))
    assert tasks.add("New in step 07").status_code == 302
    shows(tasks, total=6, pending=4, done=2)
    assert tasks.toggle(2).status_code == 302  # "Write tests", pending, is done now
    shows(tasks, total=6, pending=3, done=3)
    assert tasks.toggle(1).status_code == 302  # "Learn Flask", done, is pending again
    shows(tasks, total=6, pending=4, done=2)
    assert tasks.delete(4).status_code == 302  # "Back up", done
    shows(tasks, total=5, pending=4, done=1)
    assert tasks.delete(3).status_code == 302  # "Deploy", pending
    shows(tasks, total=4, pending=3, done=1)
    assert tasks.purge().status_code == 302
    shows(tasks, total=3, pending=3, done=0)


def test_a_step_06_database_copied_in_while_the_app_runs_is_counted_on_first_use(app, tasks, tmp_path):
    """The app also creates what is missing on the first request to a database file, not only when it loads."""
    shows(tasks, total=0, pending=0, done=0)
    app.config["DATABASE"] = str(step06_database(tmp_path / "06" / "tasks.db"))
    shows(tasks, total=5, pending=3, done=2)


@pytest.mark.parametrize("rows, expected", [
    ([], {"total": 0, "pending": 0, "done": 0}),
    ([("All done", 1), ("Also done", 1)], {"total": 2, "pending": 0, "done": 2}),
    ([("Nothing done", 0)], {"total": 1, "pending": 1, "done": 0}),
])
def test_a_step_06_database_with_no_or_only_done_tasks_counts_right(fresh_tasks, tmp_path, rows, expected):
    path = step06_database(tmp_path / "06" / "tasks.db", rows)
    tasks = fresh_tasks(APP_DATABASE=str(path))
    assert tasks.counts() == expected == counted(tasks)


def test_the_counts_are_counted_once_and_then_kept_not_counted_again(fresh_tasks, tmp_path):
    """Opening the database again (a restart, another worker) must not count the tasks twice."""
    path = step06_database(tmp_path / "06" / "tasks.db")
    for restart in range(3):
        tasks = fresh_tasks(APP_DATABASE=str(path))
        shows(tasks, total=5 + restart, pending=3 + restart, done=2)
        assert tasks.add(f"Added after start {restart}").status_code == 302
