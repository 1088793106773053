"""Exercise 3 of step 03: a task's page links to the tasks before and after it."""
from support import parse
from support.exercises import exercise_concept
from support.messages import say

pytestmark = exercise_concept(__file__)


def links(client, task_id):
    """{link text: target} of a task's page."""
    soup = parse(client.get(f"/tasks/{task_id}").get_data(as_text=True))
    return {a.get_text(strip=True): a["href"] for a in soup.find("main").find_all("a")}


def test_a_task_in_the_middle_links_both_ways(client):
    found = links(client, 2)
    assert found.get("Previous task") == "/tasks/1", say("/tasks/2 应该有一个“Previous task”链接指向 /tasks/1。",
                                                         "/tasks/2 should link \"Previous task\" to /tasks/1.")
    assert found.get("Next task") == "/tasks/3", say("/tasks/2 应该有一个“Next task”链接指向 /tasks/3。",
                                                     "/tasks/2 should link \"Next task\" to /tasks/3.")


def test_the_first_task_has_no_previous_and_the_last_no_next(app_module, client):
    first, last = app_module.TASKS[0]["id"], app_module.TASKS[-1]["id"]
    assert "Previous task" not in links(client, first), say("第一项没有前一项。", "The first task has no previous one.")
    assert "Next task" in links(client, first)
    assert "Next task" not in links(client, last), say("最后一项没有后一项（TASKS[-1] 不是错误，而是最后一项）。",
                                                       "The last task has no next one (TASKS[-1] is no error: it is the last task).")
    assert "Previous task" in links(client, last)
