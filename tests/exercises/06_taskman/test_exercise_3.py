"""Exercise 3 of step 06: /tasks?show=pending lists the tasks to do; the counts stay those of all tasks."""
from support import parse
from support.exercises import exercise_concept
from support.messages import say

pytestmark = exercise_concept(__file__)


def test_pending_only_lists_the_tasks_to_do_and_keeps_every_count(tasks):
    ids = tasks.add_all("Buy milk", "Write a letter", "Water the plants")
    tasks.toggle(ids[1])
    shown = tasks.ids_shown("/tasks?show=pending")
    expected = [ids[2], ids[0]]
    assert shown == expected, say("/tasks?show=pending 列出了 {shown}，应该是 {expected}（未完成的，从新到旧）。",
                                  "/tasks?show=pending lists {shown}, expected {expected} (the pending ones, newest first).",
                                  shown=shown, expected=expected)
    counts = tasks.counts("/tasks?show=pending")
    assert counts == {"total": 3, "pending": 2, "done": 1}, say(
        "只显示未完成任务时，计数仍然应该是所有任务的：total 3、pending 2、done 1，页面上是 {counts}。",
        "With pending tasks only, the counts should still be those of all tasks: total 3, pending 2, done 1; "
        "the page shows {counts}.", counts=counts)


def test_the_dashboard_links_to_pending_only_and_still_shows_everything(tasks):
    ids = tasks.add_all("Buy milk", "Write a letter")
    tasks.toggle(ids[0])
    links = {a.get_text(strip=True): a["href"] for a in parse(tasks.page("/tasks")).find_all("a", href=True)}
    assert links.get("Pending only") == "/tasks?show=pending", say(
        "任务列表页上没有一个“Pending only”链接指向 /tasks?show=pending。",
        "The dashboard has no link \"Pending only\" to /tasks?show=pending.")
    assert sorted(tasks.ids_shown("/tasks")) == sorted(ids)
