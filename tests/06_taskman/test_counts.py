"""The dashboard counts total, pending and done tasks, and the counts follow every change."""
import pytest

from support import expects

pytestmark = pytest.mark.concept("live counts", "counts", zh="实时计数")

# tasks.counts() (support/tasks.py) reads them on the dashboard: a number, then its name.
expects.text("{n} total", "{n} pending", "{n} done")


def test_an_empty_dashboard_counts_nothing(tasks):
    assert tasks.counts() == {"total": 0, "pending": 0, "done": 0}


def test_the_counts_follow_every_change(tasks):
    first, second, third = tasks.add_all("one", "two", "three")
    assert tasks.counts() == {"total": 3, "pending": 3, "done": 0}
    tasks.toggle(first)
    tasks.toggle(second)
    assert tasks.counts() == {"total": 3, "pending": 1, "done": 2}
    tasks.toggle(second)
    assert tasks.counts() == {"total": 3, "pending": 2, "done": 1}
    tasks.delete(third)
    assert tasks.counts() == {"total": 2, "pending": 1, "done": 1}
    tasks.purge()
    assert tasks.counts() == {"total": 1, "pending": 1, "done": 0}
    tasks.add("four")
    assert tasks.counts() == {"total": 2, "pending": 2, "done": 0}
