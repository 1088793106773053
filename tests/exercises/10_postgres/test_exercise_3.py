"""Exercise 3 of step 10: GET /api/counts, the user's counts in JSON, overdue counted by the database, no task read."""
import re

from support.exercises import exercise_concept
from support.messages import say
from support.statements import Statements

pytestmark = exercise_concept(__file__)

PAST, FUTURE = "2020-01-31", "2999-12-31"


def counts(person):
    response = person.client.get("/api/counts")
    assert response.status_code == 200 and response.is_json, say(
        "登录后 GET /api/counts 应该用 JSON 回答 200，现在是 {status}（{kind}）。",
        "Signed in, GET /api/counts should answer 200 in JSON; it answered {status} ({kind}).",
        status=response.status_code, kind=response.mimetype)
    return response.get_json()


def test_a_visitor_gets_401(anonymous):
    response = anonymous.get("/api/counts")
    assert response.status_code == 401 and response.is_json, say(
        "没有登录时 /api/counts 应该像 /api/tasks 一样用 JSON 回答 401，现在是 {status}。",
        "Without signing in, /api/counts should answer 401 in JSON, like /api/tasks; it answered {status}.",
        status=response.status_code)


def test_the_counts_are_the_users_own(users, add):
    ada, grace = users("ada", "grace")
    add(ada, "Past and not done", PAST)
    add(ada, "Past but done", PAST)
    add(ada, "Due later", FUTURE)
    add(ada, "No due date")
    ada.toggle(ada.ids_shown()[2])
    add(grace, "Grace's overdue task", PAST)
    expected = {"total": 4, "done": 1, "pending": 3, "overdue": 1}
    assert counts(ada) == expected, say("ada 的计数应该是 {expected}（grace 的任务不算），现在是 {found}。",
                                        "Ada's counts should be {expected} (Grace's tasks do not count); they are {found}.",
                                        expected=expected, found=counts(ada))
    assert counts(grace) == {"total": 1, "done": 0, "pending": 1, "overdue": 1}


def test_no_task_is_read_and_the_statements_do_not_grow(app, users, add):
    ada = users("ada")
    statements = Statements.of(app)
    add(ada, "The first", PAST)
    few = statements.during(lambda: counts(ada))
    for number in range(30):
        add(ada, f"Task {number}", PAST)
    many = statements.during(lambda: counts(ada))
    assert counts(ada)["overdue"] == 31
    rows = [statement for statement in many
            if re.search(r"\bFROM tasks\b", statement, re.I) and "count(" not in statement.lower()]
    assert not rows, say("/api/counts 不应该把任务读进 Python（用 len() 数）：该让数据库用 count(*) 数。读任务的语句：{rows}",
                         "/api/counts should read no task into Python (to count with len()): let the database count "
                         "with count(*). The statements that read tasks: {rows}", rows=rows)
    assert len(many) == len(few), say("1 个任务时执行了 {few} 条语句，31 个任务时 {many} 条：数目不该随任务增加。",
                                      "It ran {few} statements with 1 task and {many} with 31: the number should not grow.",
                                      few=len(few), many=len(many))
