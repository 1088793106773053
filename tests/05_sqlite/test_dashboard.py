"""The dashboard reads its tasks from the database, newest first, ties broken by id."""
import pytest

from support import expects, parse

pytestmark = pytest.mark.concept("the dashboard reads the database", "dashboard", zh="仪表盘读取数据库")


def test_tasks_are_listed_newest_first(tasks):
    for summary in ("first", "second", "third"):
        assert tasks.add(summary).status_code == 302
    ids = [row["id"] for row in tasks.rows()]
    assert tasks.ids_shown("/tasks") == ids[::-1]


def test_tasks_added_in_the_same_second_come_back_newest_id_first(tasks):
    """Pitfall 3: `created` has one-second resolution, so ORDER BY created alone leaves ties in any order.

    陷阱 3：`created` 只精确到秒，所以只按 `ORDER BY created` 排序时，同一秒内的任务会以任意顺序出现。
    """
    older = tasks.insert("yesterday", "2024-05-01 09:00:00")
    same_second = [tasks.insert(f"same second {n}", "2024-05-02 09:00:00") for n in range(3)]
    newest_by_time = tasks.insert("added later, by created", "2024-05-03 09:00:00")
    # The row with the lowest id can still be the newest by time: `created` is compared first.
    earliest_id = tasks.insert("backdated", "2024-04-30 09:00:00")
    expected = [newest_by_time, *same_second[::-1], older, earliest_id]
    assert tasks.ids_shown("/tasks") == expected


def test_the_count_of_done_tasks_comes_from_the_database(tasks):
    for summary in ("one", "two", "three"):
        tasks.add(summary)
    tasks.mark_done(tasks.rows()[0]["id"])
    text = parse(tasks.page("/tasks")).get_text(" ", strip=True)
    assert expects.text("1 of 3 done") in text


def test_an_empty_database_lists_no_tasks(tasks):
    assert tasks.ids_shown("/tasks") == []
