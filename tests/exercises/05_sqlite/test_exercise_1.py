"""Exercise 1 of step 05: `flask count` prints how many tasks there are and how many are done."""
from support.exercises import exercise_concept
from support.messages import say

pytestmark = exercise_concept(__file__)


def count(runner):
    result = runner.invoke(args=["count"])
    assert result.exit_code == 0, say("flask count 失败了（退出码 {code}）：{output}",
                                      "flask count failed (exit code {code}): {output}",
                                      code=result.exit_code, output=(result.output.strip().splitlines() or [""])[-1])
    return result.output.strip()


def test_count_of_an_empty_database(runner):
    assert count(runner) == "0 tasks, 0 done.", say("没有任务时应该打印“0 tasks, 0 done.”。",
                                                     "With no tasks it should print \"0 tasks, 0 done.\".")


def test_count_says_tasks_and_done(runner, tasks):
    ids = tasks.insert_many(3)
    tasks.mark_done(ids[0])
    assert count(runner) == "3 tasks, 1 done."
    tasks.insert_many(2)
    tasks.mark_done(ids[1])
    assert count(runner) == "5 tasks, 2 done."


def test_one_task_is_singular(runner, tasks):
    tasks.insert_many(1)
    assert count(runner) == "1 task, 0 done."
