"""Exercise 2 of step 10: the dashboard marks the tasks that are overdue, which SQL decides (CURRENT_DATE)."""
from support import parse
from support.exercises import exercise_concept
from support.messages import say
from support.statements import Statements

pytestmark = exercise_concept(__file__)

PAST, FUTURE = "2020-01-31", "2999-12-31"


def marked(person):
    """{summary: whether its row shows the overdue mark} for the dashboard's first page."""
    found = {}
    for row in parse(person.page("/tasks")).select(".tasks li"):
        link = row.find("a", class_="summary")
        if link is not None:
            mark = row.select_one(".overdue")
            found[link.get_text(strip=True)] = mark is not None and mark.get_text(strip=True) == "overdue"
    return found


def test_only_a_task_past_its_due_date_and_not_done_is_overdue(users, add):
    ada = users("ada")
    add(ada, "Past and not done", PAST)
    add(ada, "Past but done", PAST)
    add(ada, "Due later", FUTURE)
    add(ada, "No due date")
    ada.toggle(ada.ids_shown()[2])  # "Past but done": the dashboard shows the newest first
    expected = {"No due date": False, "Due later": False, "Past but done": False, "Past and not done": True}
    assert marked(ada) == expected, say(
        "只有截止日期已经过去、还没完成的任务，才该有 <strong class=\"overdue\">overdue</strong>。期望 {expected}，页面是 {found}",
        "Only a task past its due date and not done should have <strong class=\"overdue\">overdue</strong>. "
        "Expected {expected}, the page shows {found}", expected=expected, found=marked(ada))


def test_sql_decides_with_one_query_whatever_the_number_of_tasks(app, users, add):
    ada = users("ada")
    statements = Statements.of(app)
    for number in range(12):
        add(ada, f"Task {number}", PAST if number % 2 else "")
    few = statements.during(lambda: ada.page("/tasks"))
    for number in range(12, 40):
        add(ada, f"Task {number}", PAST if number % 2 else "")
    many = statements.during(lambda: ada.page("/tasks"))
    assert any("current_date" in statement.lower() for statement in many), say(
        "该由数据库判断“今天”：查询里应该有 CURRENT_DATE（func.current_date()）。仪表盘发出的语句：{sent}",
        "The database should say what today is: a query should hold CURRENT_DATE (func.current_date()). "
        "The dashboard sent: {sent}", sent=many)
    assert len(many) == len(few), say(
        "12 个任务时仪表盘执行了 {few} 条语句，40 个任务时 {many} 条：过期的任务要用一个查询找出来，不是每个任务一个（N+1）。",
        "The dashboard ran {few} statements with 12 tasks and {many} with 40: find the overdue tasks with one query, "
        "not one per task (N+1).", few=len(few), many=len(many))
    assert sum(marked(ada).values()) == 5, say("第一页的 10 个任务里有 5 个过期了。", "Five of the first page's 10 tasks are overdue.")
