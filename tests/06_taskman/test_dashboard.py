"""The dashboard: newest first, and a friendly message when there is nothing to show."""
import pytest

from support import expects, parse

pytestmark = pytest.mark.concept("the dashboard: newest first and the empty state", "dashboard", zh="仪表盘：最新的在前，以及空状态")


def empty_state(html):
    """The empty state's message (an element with class "empty"), or None."""
    element = parse(html).select_one(expects.element(".empty"))
    return element.get_text(" ", strip=True) if element else None


def test_an_empty_dashboard_shows_a_message_instead_of_a_list(tasks):
    html = tasks.page("/tasks")
    assert empty_state(html), 'with no tasks, the dashboard shows a message (class="empty")'
    assert tasks.ids_shown("/tasks") == []


def test_the_message_goes_once_there_is_a_task_and_comes_back_when_it_is_gone(tasks):
    (task_id,) = tasks.add_all("Learn Flask")
    assert empty_state(tasks.page("/tasks")) is None
    tasks.delete(task_id)
    assert empty_state(tasks.page("/tasks"))


def test_tasks_are_listed_newest_first(tasks):
    ids = tasks.add_all("first", "second", "third")
    assert tasks.ids_shown("/tasks") == ids[::-1]


def test_tasks_added_in_the_same_second_come_back_newest_id_first(tasks):
    """Pitfall 3: `created` has one-second resolution, so ORDER BY created alone leaves ties in any order.

    陷阱 3：`created` 只精确到秒，所以只按 `ORDER BY created` 排序时，同一秒内的任务会以任意顺序出现。
    """
    older = tasks.insert("yesterday", "2024-05-01 09:00:00")
    same_second = [tasks.insert(f"same second {n}", "2024-05-02 09:00:00") for n in range(3)]
    newest = tasks.insert("added later", "2024-05-03 09:00:00")
    backdated = tasks.insert("backdated", "2024-04-30 09:00:00")
    assert tasks.ids_shown("/tasks") == [newest, *same_second[::-1], older, backdated]


def test_the_whole_summary_is_shown(tasks):
    """The dashboard no longer cuts summaries short: the stylesheet wraps long ones."""
    summary = "A long summary " * 10
    tasks.add_all(summary)
    assert summary.strip() in parse(tasks.page("/tasks")).get_text()
