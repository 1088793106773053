"""Exercise 2 of step 03: one of three sentences, chosen with {% if %}, {% elif %} and {% else %}."""
import pytest

from support import parse
from support.exercises import exercise_concept
from support.messages import say

pytestmark = exercise_concept(__file__)


@pytest.mark.parametrize("done, sentence", [([True] * 4, "All done. Well done!"),
                                            ([False] * 4, "Nothing done yet: start with the first task."),
                                            ([True, False, True, False], "Keep going.")])
def test_the_progress_sentence_fits_the_tasks(app_module, client, done, sentence):
    for task, state in zip(app_module.TASKS, done):
        task["done"] = state
    found = parse(client.get("/tasks").get_data(as_text=True)).find_all("p", class_="progress")
    shown = [p.get_text(" ", strip=True) for p in found]
    assert shown == [sentence], say("<p class=\"progress\"> 应该只有一个，写着“{sentence}”；页面上是 {shown}。",
                                    "There should be one <p class=\"progress\"> saying \"{sentence}\"; the page has {shown}.",
                                    sentence=sentence, shown=shown)
