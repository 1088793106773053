"""Exercise 2 of step 05: /tasks?order=oldest lists oldest first, without pasting the parameter into SQL."""
import pytest

from support import parse
from support.exercises import exercise_concept
from support.messages import say

pytestmark = exercise_concept(__file__)


@pytest.fixture
def three(tasks):
    """Three tasks, two in the same second: [oldest, same-second first, same-second second]."""
    return [tasks.insert("Oldest", "2024-01-01 09:00:00"), tasks.insert("Later A", "2024-01-02 09:00:00"),
            tasks.insert("Later B", "2024-01-02 09:00:00")]


def test_order_oldest_lists_oldest_first_with_ties_by_id(tasks, three):
    shown = tasks.ids_shown("/tasks?order=oldest")
    assert shown == three, say("/tasks?order=oldest 的次序是 {shown}，应该是 {expected}（同一秒的按 id 从小到大）。",
                               "/tasks?order=oldest shows {shown}, expected {expected} (ties by id, lowest first).",
                               shown=shown, expected=three)


@pytest.mark.parametrize("value", ["", "newest", "ASC", "created ASC; DROP TABLE tasks", "oldest'"])
def test_any_other_order_is_newest_first_and_harmless(tasks, three, value):
    assert tasks.ids_shown(f"/tasks?order={value}") == three[::-1]
    assert len(tasks.rows()) == 3


def test_the_dashboard_links_to_both_orders(tasks, three):
    links = {a["href"] for a in parse(tasks.page("/tasks")).find_all("a", href=True)}
    assert "/tasks?order=oldest" in links, say("任务列表页上没有指向 /tasks?order=oldest 的链接。",
                                               "The dashboard has no link to /tasks?order=oldest.")
    assert "/tasks" in links
