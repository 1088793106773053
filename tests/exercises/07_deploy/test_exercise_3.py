"""Exercise 3 of step 07: the dashboard's title says how many tasks are to do, counted over all tasks."""
from support import parse
from support.exercises import exercise_concept
from support.messages import say

pytestmark = exercise_concept(__file__)


def title(tasks, url="/tasks"):
    return parse(tasks.page(url)).find("title").get_text(strip=True)


def test_the_title_counts_every_pending_task(tasks):
    made = tasks.insert_many(25, done_every=5)  # 5 done, 20 to do, over three pages
    assert title(tasks).startswith("(20) Tasks"), say("有 20 项未完成时，标题应该以“(20) Tasks”开头，现在是“{title}”。",
                                                      "With 20 tasks to do the title should start \"(20) Tasks\"; it is \"{title}\".",
                                                      title=title(tasks))
    assert title(tasks, "/tasks?page=3").startswith("(20) Tasks")
    assert made


def test_no_count_when_nothing_is_to_do(tasks):
    assert title(tasks).startswith("Tasks"), say("没有任务时标题应该是“Tasks · …”，没有括号。",
                                                 "With no task the title should be \"Tasks · …\", with no count.")
    for task_id in tasks.insert_many(3):
        tasks.mark_done(task_id)
    assert title(tasks).startswith("Tasks")
