"""Exercise 1 of step 03: the dashboard says how many tasks are left to do, computed in the template."""
import pytest

from support import visible_text
from support.exercises import exercise_concept
from support.messages import say

pytestmark = exercise_concept(__file__)


@pytest.mark.parametrize("done, sentence", [([True, True, False, False], "2 tasks to do"),
                                            ([True, True, True, False], "1 task to do"),
                                            ([False, False, False, False], "4 tasks to do"),
                                            ([True, True, True, True], "0 tasks to do")])
def test_the_dashboard_counts_the_tasks_left(app_module, client, done, sentence):
    for task, state in zip(app_module.TASKS, done):
        task["done"] = state
    text = visible_text(client.get("/tasks"))
    assert sentence in text, say("任务列表页上应该有“{sentence}”。", "The dashboard should say \"{sentence}\".",
                                 sentence=sentence)
