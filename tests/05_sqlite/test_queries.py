"""Parameterised queries: what a user types is sent to SQLite as data with `?`, never pasted into the SQL."""
from urllib.parse import quote

import pytest

from support import parse

pytestmark = pytest.mark.concept("parameterised queries", "parameterised-queries", zh="参数化查询")

SQL_LOOKING = [
    "'); DROP TABLE tasks; --",
    "Robert'); DELETE FROM tasks; --",
    "\" OR 1=1 --",
    "It's Ada's task",
]


@pytest.mark.parametrize("summary", SQL_LOOKING)
def test_sql_in_a_summary_is_stored_as_text(tasks, summary):
    """With string formatting, these would end the SQL string early and run the rest as SQL."""
    assert tasks.add("Already there").status_code == 302
    assert tasks.add(summary).status_code == 302
    assert tasks.add("Added afterwards").status_code == 302
    assert tasks.summaries() == ["Already there", summary, "Added afterwards"]


@pytest.mark.parametrize("summary", SQL_LOOKING)
def test_sql_in_a_summary_is_shown_literally(tasks, summary):
    assert tasks.add(summary).status_code == 302
    task_id = tasks.rows()[0]["id"]
    assert summary in parse(tasks.page(f"/tasks/{task_id}")).get_text()


@pytest.mark.parametrize("word", ["'", "' OR '1'='1", "'; DROP TABLE tasks; --", "%' OR 1=1 --"])
def test_sql_in_a_search_word_finds_nothing_and_harms_nothing(tasks, word):
    assert tasks.add("Learn Flask").status_code == 302
    assert tasks.ids_shown(f"/search?q={quote(word)}") == []
    assert tasks.summaries() == ["Learn Flask"]


@pytest.mark.parametrize("word, expected", [
    ("%", "100% done"),
    ("_", "snake_case names"),
    ("'", "It's Ada's task"),
])
def test_a_search_for_a_wildcard_or_quote_matches_it_literally(tasks, word, expected):
    """% and _ are wildcards in SQL's LIKE; the search must treat them as the characters they are."""
    for summary in ("100% done", "snake_case names", "It's Ada's task", "Plain words"):
        assert tasks.add(summary).status_code == 302
    matches = [row["id"] for row in tasks.rows() if row["summary"] == expected]
    assert tasks.ids_shown(f"/search?q={quote(word)}") == matches
